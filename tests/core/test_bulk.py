"""The garbage collector is paused for bulk work and always comes back."""

import gc

import pytest

from bcf_dashboard.core.bulk import collector_paused
from bcf_dashboard.returns import services


def test_the_collector_is_paused_inside_and_back_after_success_or_error():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner block leaves it paused for the outer one
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a failed import")
    assert gc.isenabled()


def test_an_import_runs_with_the_collector_paused(db, monkeypatch):
    seen = []
    real_read = services.read_table

    def read_table(*args, **kwargs):
        seen.append(gc.isenabled())
        return real_read(*args, **kwargs)

    monkeypatch.setattr(services, "read_table", read_table)
    result = services.import_returns(content=b"area_code,period,measure,kind,value\n", file_name="empty.csv")
    assert seen == [False] and gc.isenabled()
    assert not result.ok  # a header with no rows is refused, and the collector is back all the same
