"""Two writers of the same area at once, on real connections: the second waits and records what it replaced.

PostgreSQL only: SQLite has one writer at a time by design (the batch INSERT made first
takes its lock), which the other tests cover.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from bcf_dashboard.core.models import ValueChange
from bcf_dashboard.returns.services import import_returns
from bcf_dashboard.signoff.services import take_step
from metrics.models import MetricValue
from tests.support.world import BROMLEY, csv_bytes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def nea(value):
    return csv_bytes([[BROMLEY, "2017-05", "NEA", "actual", value, ""]])


def in_thread(target):
    errors = []

    def run():
        try:
            target()
        except Exception as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def test_a_second_upload_waits_for_the_first_and_records_the_value_it_really_replaced(world):
    assert import_returns(content=nea("1250"), file_name="seed.csv").ok
    first_wrote, commit_first = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            assert import_returns(content=nea("1255"), file_name="first.csv").ok
            first_wrote.set()
            commit_first.wait(10)

    one, one_errors = in_thread(first)
    assert first_wrote.wait(10)
    two, two_errors = in_thread(lambda: import_returns(content=nea("1260"), file_name="second.csv"))
    time.sleep(0.5)
    assert two.is_alive()  # waiting on the area's lock, not reading the value under the first's feet
    commit_first.set()
    one.join(10)
    two.join(10)
    assert not one_errors and not two_errors
    second = ValueChange.objects.get(batch__file_name="second.csv")
    assert (second.old_value, second.new_value) == (Decimal("1255"), Decimal("1260"))
    assert MetricValue.objects.get().value == Decimal("1260")


def test_an_approval_waits_for_an_upload_in_progress(world):
    started, finish = threading.Event(), threading.Event()

    def upload():
        with transaction.atomic():
            assert import_returns(content=nea("1"), file_name="late.csv").ok
            started.set()
            finish.wait(10)

    take_step(
        user=world.personas.finance_a,
        area=world.bromley,
        financial_year=2017,
        quarter=1,
        action="submit",
        reason="Some returns are still to come",
    )
    one, one_errors = in_thread(upload)
    assert started.wait(10)
    two, two_errors = in_thread(
        lambda: take_step(
            user=world.personas.approver_a, area=world.bromley, financial_year=2017, quarter=1, action="approve"
        )
    )
    time.sleep(0.5)
    assert two.is_alive()  # the approver cannot sign off half an upload
    finish.set()
    one.join(10)
    two.join(10)
    assert not one_errors and not two_errors
