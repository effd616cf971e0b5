"""A page made into a PDF by headless Chromium (Debian's ``chromium``, driven by Playwright).

Chromium prints the very HTML the browser shows, runs charts.js so the charts are the page's
own, and honours the print stylesheet's ``@page`` rules: A4 portrait, and the area, quarter,
approval state and page numbers in every page's margins. It never fetches anything over the
network: the page and its static files are handed to it from this process (``route``), so
the PDF needs no login, no request back to this server (a single worker would wait on
itself) and nothing from outside.
"""

import functools
import mimetypes
import os
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

ORIGIN = "http://summary.pdf.invalid"  # never resolved: every request is answered by ``_answer``
TIMEOUT_MS = 30_000
VIEWPORT = {"width": 900, "height": 1200}
_RENDERING = threading.BoundedSemaphore(2)
CHARTS_DRAWN = (
    "() => [...document.querySelectorAll('[data-figure]')]"
    ".every(e => e.classList.contains('chart-drawn') && e.querySelector('.main-svg'))"
)


class PdfUnavailable(Exception):
    """Chromium is missing or failed; the message says what to do."""


def chromium_path() -> str | None:
    configured = getattr(settings, "BCF_CHROMIUM", "") or os.environ.get("BCF_CHROMIUM", "")
    return configured or shutil.which("chromium") or shutil.which("chromium-browser")


def html_to_pdf(html: str, *, path: str = "/") -> tuple[bytes, float]:
    """The PDF of ``html`` (as if served at ``path``) and the seconds it took.

    Runs in a thread of its own: Playwright's synchronous API refuses to start inside a running
    event loop, and the caller's thread may have one (an ASGI server, a test's browser).
    """
    browser = chromium_path()
    if not browser or not os.path.exists(browser):
        raise PdfUnavailable(
            "Chromium is not installed on this server (Debian: apt-get install chromium), "
            "so the PDF cannot be made here. Print the page from your browser instead."
        )
    _playwright()
    started = time.monotonic()
    # Each PDF starts a Chromium: a few at a time per process, so a burst of downloads queues
    # rather than exhausting the server's memory.
    if not _RENDERING.acquire(timeout=TIMEOUT_MS / 1000):
        raise PdfUnavailable("The server is busy making other PDFs: try again in a minute.")
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pdf = pool.submit(_render, browser, html, path).result()
    finally:
        _RENDERING.release()
    return pdf, time.monotonic() - started


def _playwright():
    """Playwright's ``sync_playwright`` and its ``Error``, imported only when a PDF is asked for: it is
    the optional ``pdf`` extra, and the rest of the app runs without it."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as missing:
        raise PdfUnavailable(
            "Playwright is not installed on this server (the bcf-dashboard[pdf] extra, "
            "in requirements/app.lock), so the PDF cannot be made here. "
            "Print the page from your browser instead."
        ) from missing
    return sync_playwright, PlaywrightError


def _render(browser_path: str, html: str, path: str) -> bytes:
    sync_playwright, PlaywrightError = _playwright()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=browser_path,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-quic",
                ],
            )
            try:
                context = browser.new_context(viewport=VIEWPORT, locale="en-GB", java_script_enabled=True)
                page = context.new_page()
                page.emulate_media(media="print")  # charts.js then draws every chart, not only those in view
                page.route("**/*", lambda route: _answer(route, html, path))
                page.goto(f"{ORIGIN}{path}", wait_until="load", timeout=TIMEOUT_MS)
                page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)
                return page.pdf(prefer_css_page_size=True, print_background=True, outline=True, tagged=True)
            finally:
                browser.close()
    except PlaywrightError as error:
        raise PdfUnavailable(f"Chromium could not make the PDF: {error.message.splitlines()[0]}") from error


def _answer(route, html: str, path: str) -> None:
    """The page for its own address, static files from the static folders; nothing else is fetched."""
    url = urlsplit(route.request.url)
    if f"{url.scheme}://{url.netloc}" != ORIGIN:
        route.abort()
        return
    if url.path == path:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        return
    found = _static_bytes(unquote(url.path))
    if found is None:
        route.fulfill(status=404, body="")
        return
    content_type, body = found
    route.fulfill(status=200, content_type=content_type, body=body)


@functools.lru_cache(maxsize=32)
def _static_bytes(url_path: str) -> tuple[str, bytes] | None:
    """Kept in memory: every PDF needs the same few files, plotly.js (1.2 MB) among them."""
    found = static_file(url_path)
    if found is None:
        return None
    return mimetypes.guess_type(found.name)[0] or "application/octet-stream", found.read_bytes()


def static_file(url_path: str) -> Path | None:
    """The file behind a static URL: collected files in production, the finders elsewhere."""
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if not url_path.startswith(prefix):
        return None
    name = url_path[len(prefix) :]
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / name).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    try:
        found = finders.find(name)
    except Exception:  # a path the finders refuse (../ and the like) is simply not a static file
        return None
    return Path(found) if found else None
