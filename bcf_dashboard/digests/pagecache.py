"""Pages' data-heavy parts, cached under keys that name the area and the version of its data.

Only ever called after the view's access check (``load_area``): the cached part is the
same for everyone who may see the area, and holds nothing about the person (no names,
no CSRF token: those are in the layout around it, drawn on every request). A write bumps
the version in its own transaction (``bcf_dashboard.digests.services``), so the next request asks for
a new key; nothing is ever deleted, and stale entries expire (settings.CACHES).
"""

import functools
import hashlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from bcf_dashboard.digests.selectors import area_version

MISSING = object()


def code_folders() -> list[Path]:
    """Where this release's code and templates are: the project's own installed apps (those inside the
    project's folder, whatever their package), the settings' template folders, and the project package."""
    root = Path(settings.BASE_DIR).resolve()
    folders = {Path(config.path).resolve() for config in apps.get_app_configs()}
    folders |= {Path(folder).resolve() for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])}
    folders.add(Path(__file__).resolve().parent.parent)  # the project package: settings, urls
    return sorted(f for f in folders if f.is_relative_to(root))


@functools.cache
def code_version() -> str:
    """A name for this release's code and templates, part of every key: a deploy that changes how a
    page is drawn must not serve pages drawn by the release before it. Read once per process.

    Derived from every installed app of the project (``code_folders``), so a new app is covered
    without being listed anywhere. A release may name itself instead with ``BCF_RELEASE``."""
    release = getattr(settings, "BCF_RELEASE", "")
    if release:
        return hashlib.sha256(release.encode()).hexdigest()[:12]
    root = Path(settings.BASE_DIR).resolve()
    digest = hashlib.sha256()
    seen = set()
    for folder in code_folders():
        for path in sorted(folder.rglob("*")):
            if path in seen or path.suffix not in {".py", ".html"} or "migrations" in path.parts:
                continue
            seen.add(path)
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def page_key(kind: str, area, *parts) -> str:
    """``kind`` names the page; ``parts`` are whatever else the cached part varies on (year, query string)."""
    varies = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    return f"page:{code_version()}:{kind}:{area.id}:{area_version(area)}:{varies}"


def listing_key(kind: str, *parts) -> str:
    """For pages listing many areas: ``parts`` include ``selectors.listing_version`` of what is listed."""
    return f"page:{code_version()}:{kind}:{hashlib.sha256(repr(parts).encode()).hexdigest()[:32]}"


def cached(key: str, build):
    value = cache.get(key, MISSING)
    if value is MISSING:
        value = build()
        cache.set(key, value)
    return value


def query_string(request, *, leave_out=()) -> str:
    """The query string in a fixed order: ``?a=1&b=2`` and ``?b=2&a=1`` share an entry."""
    return "&".join(f"{k}={v}" for k, values in sorted(request.GET.lists()) if k not in leave_out for v in values)


def render_cached_parts(request, template, parts: dict, *, key, context, names, build, layout_context=None):
    """Render ``template`` (the layout) with ``parts``: {name: template} rendered and cached together.

    ``build()`` returns the parts' context, a dict with keys ``names`` (the expensive part); it
    runs only when the parts are not cached. The layout sees each part as ``parts.<name>``,
    and ``names`` as lazy objects, so a template or test that reads ``page`` still can, at
    the cost of building it. ``context`` (cheap: the area, the year) goes to both; ``layout_context``
    (the person's own, such as their task list) only to the layout, never into the cache.
    """
    built = functools.cache(build)

    def render_parts():
        full = {**context, **built()}
        return {name: render_to_string(part, full, request=request) for name, part in parts.items()}

    # The cache (the app's own, like the database) holds strings: mark again what our templates rendered.
    found = cached(key, render_parts)
    rendered = {name: mark_safe(html) for name, html in found.items()}  # nosec B308 B703  # our templates' escaped HTML
    lazy = {name: SimpleLazyObject(functools.partial(lambda n: built()[n], name)) for name in names}
    return render(request, template, {**context, **(layout_context or {}), **lazy, "parts": rendered})
