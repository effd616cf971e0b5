"""Serve plotly.js from the installed plotly package as ``vendor/plotly.min.js``.

The plotly Python package ships the exact plotly.js bundle it was built against. This
finder exposes that one file to the staticfiles machinery, so there is no CDN and no
4 MB copy in the repository: whitenoise serves it in development, and ``collectstatic``
copies it (hashed and compressed) for production like any other static file.
"""

import os
from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

PREFIX = "vendor"
FILE_NAME = "plotly.min.js"
PACKAGE_DATA = Path(plotly.__file__).resolve().parent / "package_data"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=PACKAGE_DATA)
        self.storage.prefix = PREFIX  # what collectstatic and whitenoise put in front of the path

    def check(self, **kwargs):
        if not (PACKAGE_DATA / FILE_NAME).is_file():
            return [Error(f"plotly.js is missing from the plotly package ({PACKAGE_DATA / FILE_NAME})",
                          hint="Reinstall the plotly package.", id="bcf_dashboard.E001")]
        return []

    def find(self, path, find_all=False, **kwargs):
        if path.replace(os.sep, "/") != f"{PREFIX}/{FILE_NAME}":
            return [] if (find_all or kwargs.get("all")) else None
        found = str(PACKAGE_DATA / FILE_NAME)
        return [found] if (find_all or kwargs.get("all")) else found

    def list(self, ignore_patterns):
        yield FILE_NAME, self.storage
