"""The strict reading's and the guards' tests of import_returns, run again through import_in_chunks with
chunks of one row: a file read in chunks is read and refused exactly as a file read whole."""

import pytest

from bcf_dashboard.returns import collation
from tests.returns import test_guards, test_strict_files
from tests.returns.test_guards import *  # noqa: F403
from tests.returns.test_strict_files import *  # noqa: F403


def in_chunks_of_one(**kwargs):
    return collation.import_in_chunks(chunk_rows=1, **kwargs)


@pytest.fixture(autouse=True)
def chunked(monkeypatch):
    for module in (test_guards, test_strict_files):
        monkeypatch.setattr(module, "import_returns", in_chunks_of_one)
