"""A bounded load test on loopback: gunicorn as in production (bench/serve.sh), optionally two
instances behind nginx, and wrk sending a mix of page views by several signed-in users.

    python bench/load.py [--instances 2] [--requests 3000] [--duration 60]

Needs the benchmark database (bench/run.py builds it) and Debian's wrk (and nginx for two
instances): ``apt-get install -y wrk nginx-light``. Traffic goes to 127.0.0.1 only; wrk stops
after the fixed number of requests or the duration, whichever comes first. Prints requests
per second, latency percentiles and the error count (any non-2xx response is an error).
"""

import argparse
import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"  # loopback only: this test never sends traffic anywhere else

NGINX = """pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
worker_processes 1;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  upstream bcf {{ {servers} keepalive 16; }}
  server {{
    listen {host}:{port};
    location / {{
      proxy_pass http://bcf; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }}
  }}
}}
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5433/bcf_bench")
    )
    parser.add_argument("--instances", type=int, default=1, choices=[1, 2], help="2: two gunicorns behind nginx")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per instance")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--duration", type=int, default=60, help="seconds, at most")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    return parser.parse_args()


def users_and_targets(password):
    """Signed-in users (staff, a finance officer, commissioners of the five largest areas) and their pages."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from bcf_dashboard.core.models import Area, Membership

    user_model = get_user_model()
    largest = list(Area.objects.order_by("-id")[:5])
    latest = largest[0].schemes.first().years.order_by("-financial_year").first().financial_year
    users = [("bench.staff", None), ("bench.finance", largest[0])]
    for i, area in enumerate(largest):
        name = f"bench.commissioner{i + 1}"
        user, _ = user_model.objects.get_or_create(username=name)
        user.set_password(password)
        user.save()
        Membership.objects.get_or_create(user=user, area=area, role=Membership.Role.COMMISSIONER)
        users.append((name, area))
    pages = []
    for name, area in users:
        pages += [(name, "/"), (name, "/compare/?metric=NEA"), (name, "/static/css/app.css")]
        area = area or largest[1]
        pages += [(name, f"/areas/{area.code}/{latest}/"), (name, f"/api/areas/{area.code}/{latest}/summary.json")]
        pages += [(name, f"/areas/{area.code}/schemes/S{n}/?year={latest}") for n in (1, 2, 3)]
    return [name for name, _ in users], pages


def request(port, method, path, *, headers=None, body=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def cookies_of(response) -> dict:
    found = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            found[name] = rest.split(";")[0]
    return found


def log_in(port, username, password) -> str:
    """The session cookie of ``username``, signed in through the real login form."""
    response, page = request(port, "GET", "/accounts/login/")
    csrf = cookies_of(response)["csrftoken"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    response, _ = request(
        port,
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{port}/accounts/login/",
        },
    )
    session = cookies_of(response).get("sessionid")
    assert response.status == 302 and session, f"{username} could not sign in ({response.status})"
    return f"sessionid={session}"


def wait_healthy(port, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if request(port, "GET", "/health/")[0].status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"nothing healthy on {HOST}:{port}")


def main():
    args = parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bcf_dashboard.settings")
    from bench.run import PASSWORD

    names, pages = users_and_targets(PASSWORD)
    # One secret for every instance, as in production: a session signed by one is good on the other.
    os.environ.setdefault("SECRET_KEY", "bench-load-" + secrets.token_urlsafe(32))
    tmp = Path(tempfile.mkdtemp(prefix="bcf-load-"))
    started = []
    try:
        ports = [8001 + i for i in range(args.instances)]
        for port in ports:  # one after the other: each runs collectstatic and migrate before serving
            log = open(tmp / f"gunicorn-{port}.log", "w")
            started.append(
                subprocess.Popen(
                    ["bash", str(ROOT / "bench/serve.sh"), str(port), str(args.workers)],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            wait_healthy(port)
        port = ports[0]
        if args.instances > 1:
            port = 8080
            (tmp / "nginx.conf").write_text(
                NGINX.format(tmp=tmp, host=HOST, port=port, servers=" ".join(f"server {HOST}:{p};" for p in ports))
            )
            started.append(
                subprocess.Popen(["nginx", "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"], start_new_session=True)
            )
            wait_healthy(port)
        cookies = {name: log_in(port, name, PASSWORD) for name in names}
        for name, path in pages:  # every page answers 200 before the clock starts (and is warm)
            response, _ = request(port, "GET", path, headers={"Cookie": cookies[name]})
            assert response.status == 200, (name, path, response.status)
        targets = tmp / "targets.lua"
        targets.write_text(
            "return {\n"
            + "".join(f'  {{ path = "{path}", cookie = "{cookies[name]}" }},\n' for name, path in pages)
            + "}\n"
        )
        env = {
            **os.environ,
            "BCF_LOAD_TARGETS": str(targets),
            "BCF_LOAD_REQUESTS": str(args.requests),
            "BCF_LOAD_THREADS": str(args.threads),
        }
        print(
            f"Load average before: {os.getloadavg()[0]:.2f}; {len(names)} users, {len(pages)} pages in the mix",
            flush=True,
        )
        out = subprocess.run(
            [
                "wrk",
                f"-t{args.threads}",
                f"-c{args.connections}",
                f"-d{args.duration}s",
                "--timeout",
                "10s",
                "-s",
                str(ROOT / "bench/load.lua"),
                f"http://{HOST}:{port}/",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        report(out, args)
    finally:
        for process in reversed(started):  # only the processes this script started, by their group
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            process.wait(timeout=30)


def report(out, args):
    found = dict(re.findall(r"(\w+)=([\d.]+)", "\n".join(line for line in out.splitlines() if line.startswith("BCF "))))
    rps = found["rps"]
    socket_errors = re.search(r"Socket errors: (.*)", out)
    threads = os.environ.get("THREADS", "2")
    setup = (
        f"{args.instances} gunicorn instance(s) × {args.workers} workers × {threads} threads"
        + (" behind nginx" if args.instances > 1 else "")
        + f", {args.connections} connections"
    )
    print(out)
    print("| setup | requests | seconds | req/s | p50 ms | p90 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {setup} | {found['responses']} | {found['seconds']} | {rps} | {found['p50']} | {found['p90']} | "
        f"{found['p95']} | {found['p99']} | {found['max']} | {found['errors']}"
        f"{' (socket: ' + socket_errors.group(1) + ')' if socket_errors else ''} |"
    )
    print(f"(load average after: {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
