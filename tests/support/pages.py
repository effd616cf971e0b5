"""Reading rendered dashboard pages in tests: figures, scripts, tables and query counts."""

import html
import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

SCRIPT = re.compile(r"<script([^>]*)>(.*?)</script>", re.S)
JSON_SCRIPT = re.compile(r'<script id="([^"]+)" type="application/json">(.*?)</script>', re.S)


def text(response) -> str:
    return response.content.decode()


def figures(response) -> dict:
    """Every figure on the page by its element id, as charts.js would read it."""
    return {fid: json.loads(body) for fid, body in JSON_SCRIPT.findall(text(response))}


def inline_scripts(response) -> list[str]:
    """Scripts that carry code in the page (a strict CSP would block them): there should be none."""
    return [
        body
        for attrs, body in SCRIPT.findall(text(response))
        if "src=" not in attrs and 'type="application/json"' not in attrs
    ]


def table_rows(response, css_class: str) -> list[list[str]]:
    """The body rows of the table with ``css_class``, as cell texts without tags."""
    page = text(response)
    start = page.index(f'class="data-table {css_class}"')
    body = page[page.index("<tbody", start) : page.index("</tbody>", start)]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


def queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), response
