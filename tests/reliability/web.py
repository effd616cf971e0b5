"""The app served as in production (gunicorn, production settings) and signed-in users talking to it.

Requests say ``X-Forwarded-Proto: https`` as the proxy in front of the app does
(docs/deployment.md), so the SSL redirect, secure cookies and the strict CSRF checks stay on.
"""

import http.client
import os
import re
import signal
import subprocess
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path

from tests.reliability.cluster import DEMO_PASSWORD, HOST, PYTHON, ROOT, Cluster, free_port, production_env


@dataclass
class Response:
    status: int
    headers: dict  # lower-case names; Set-Cookie values joined
    text: str

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("location", "")).path


class Gunicorn:
    """``gunicorn bcf_dashboard.wsgi`` as docs/deployment.md runs it, on a free loopback port."""

    def __init__(self, cluster: Cluster, database: str, *, workers: int, log: Path, env: dict | None = None):
        self.port = free_port()
        self.log_path = log
        self.env = {**cluster.env(database), **production_env(), **(env or {})}
        with open(log, "w") as out:
            self.process = subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "bcf_dashboard.wsgi",
                    "--bind",
                    f"{HOST}:{self.port}",
                    "--workers",
                    str(workers),
                    "--worker-class",
                    "gthread",
                    "--threads",
                    "2",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "5",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_healthy()

    def wait_healthy(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited {self.process.returncode}:\n{self.log()}")
            try:
                if request(self.port, "GET", "/health/").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn not healthy after {seconds} s:\n{self.log()}")

    def workers(self) -> set[int]:
        """The worker processes' ids (the master's children)."""
        found = set()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rpartition(")")[2].split()[1]) == self.process.pid:
                    found.add(int(entry.name))
        return found

    def log(self) -> str:
        return self.log_path.read_text()[-4000:] if self.log_path.exists() else ""

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the group this test started, no other
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def request(port, method, path, *, headers=None, body=None, timeout=60) -> Response:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(
            method, path, body=body, headers={"Host": f"{HOST}:{port}", "X-Forwarded-Proto": "https", **(headers or {})}
        )
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        headers = {}
        for name, value in response.getheaders():
            name = name.lower()
            headers[name] = f"{headers[name]}\n{value}" if name in headers else value
        return Response(response.status, headers, text)
    finally:
        connection.close()


class Browser:
    """One person's cookies, signed in through the real sign-in form."""

    def __init__(self, app: Gunicorn, username: str):
        self.port, self.username, self.cookies = app.port, username, {}
        page = self.get("/accounts/login/")
        response = self.post(
            "/accounts/login/",
            {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": csrf_token(page)},
        )
        assert response.status == 302 and "sessionid" in self.cookies, f"{username} could not sign in"

    def _send(self, method, path, *, body=None, content_type=None) -> Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            origin = f"https://{HOST}:{self.port}"
            headers.update({"Content-Type": content_type, "Origin": origin, "Referer": origin + path})
        response = request(self.port, method, path, headers=headers, body=body)
        for line in response.headers.get("set-cookie", "").splitlines():
            name, _, rest = line.partition("=")
            value = rest.split(";")[0]
            if value and "max-age=0" not in line.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return response

    def get(self, path) -> Response:
        return self._send("GET", path)

    def post(self, path, fields: dict) -> Response:
        return self._send(
            "POST", path, body=urllib.parse.urlencode(fields), content_type="application/x-www-form-urlencoded"
        )

    def post_file(self, path, fields: dict, *, name: str, file_name: str, content: bytes) -> Response:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        return self._send(
            "POST",
            path,
            body=b"".join(parts) + f"--{boundary}--\r\n".encode(),
            content_type=f"multipart/form-data; boundary={boundary}",
        )


def csrf_token(response: Response) -> str:
    return hidden(response, "csrfmiddlewaretoken")


def hidden(response: Response, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', response.text)
    assert found, f"no {name} on the page ({response.status})"
    return found.group(1)
