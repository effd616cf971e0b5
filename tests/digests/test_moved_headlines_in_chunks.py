"""The moved headline's tests, through import_in_chunks with chunks of one row: a large file moves each
area-year's headline once, by the whole file's spend, to the engine's figures."""

import pytest

from bcf_dashboard.returns import collation
from tests.digests import test_moved_headlines
from tests.digests.test_moved_headlines import *  # noqa: F403


def in_chunks_of_one(**kwargs):
    return collation.import_in_chunks(chunk_rows=1, **kwargs)


@pytest.fixture(autouse=True)
def chunked(monkeypatch):
    monkeypatch.setattr(test_moved_headlines, "import_returns", in_chunks_of_one)
