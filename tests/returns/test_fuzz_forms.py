"""Property-based tests of the finance officers' forms: monthly and plan entry, upload, preview and confirm.

Posted as a finance officer of the area with anything at all in every box: never a 5xx, never
markup echoed unescaped, and either the whole save happened (every figure as typed) or nothing.
"""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import event, given
from hypothesis import strategies as st

from bcf_dashboard.core.models import AreaYearPlan, ImportBatch, ValueChange
from bcf_dashboard.returns.models import PendingUpload
from bcf_dashboard.returns.parsing import parse_value
from bcf_dashboard.returns.services import import_returns
from metrics.models import MetricValue
from schemes.models import SchemeValue
from tests.support.fuzz_files import broken_bytes, csv_text, returns_files, xlsx_content
from tests.support.fuzzing import (
    ANY_TEXT,
    IMG,
    SCRIPT,
    assert_escaped,
    fewer,
    fingerprint,
    hostile,
    markup,
    rolled_back,
)
from tests.support.world import BROMLEY, csv_bytes

WRITTEN = (MetricValue, SchemeValue, ValueChange, ImportBatch)
MONTH = "2017-05"
URLS = {"actual": f"/areas/{BROMLEY}/entry/{MONTH}/", "plan": f"/areas/{BROMLEY}/plan/{MONTH}/"}
# A figure box: anything, and often a number the form should take (0 to 100 suits every measure of the world).
FIGURE = st.one_of(
    hostile,
    markup,
    st.decimals(min_value=-1000, max_value=10**7, places=2).map(str),
    st.integers(min_value=0, max_value=10**6).map(lambda n: f"{n:,}"),
)
GOOD_FIGURE = st.one_of(
    st.decimals(min_value=0, max_value=100, places=2).map(str),
    st.integers(min_value=0, max_value=100).map(lambda n: f" {n} "),
)


@pytest.fixture
def officer(client, world):
    """Figures saved for May 2017 (so there is something to change) and the 2017/18 plan agreed."""
    result = import_returns(
        content=csv_bytes(
            [
                [BROMLEY, MONTH, "spend:A1", "plan", "10000", ""],
                [BROMLEY, MONTH, "NEA", "plan", "1260", ""],
                [BROMLEY, MONTH, "NEA", "actual", "1250", ""],
                [BROMLEY, MONTH, "activity:A1", "actual", "12", ""],
            ]
        ),
        file_name="seed.csv",
        user=world.personas.staff,
    )
    assert result.ok, result.errors
    AreaYearPlan.objects.create(area=world.bromley, financial_year=2017, agreed=True, agreed_by=world.personas.staff)
    client.force_login(world.personas.finance_a)
    return client


def _inputs(page: str) -> dict[str, str]:
    return {
        name: value
        for name, value in re.findall(r'<input[^>]*name="([^"]+)" value="([^"]*)"', page)
        if name != "csrfmiddlewaretoken"
    }


def _stored(name, kind):
    """What is saved now behind the entry box ``name`` (spend-<id>, activity-<id>, metric-<id>)."""
    measure, _, id_text = name.partition("-")
    if measure == "metric":
        found = MetricValue.objects.filter(metric_id=int(id_text), area__code=BROMLEY, period__code=MONTH, kind=kind)
    else:
        found = SchemeValue.objects.filter(scheme_id=int(id_text), measure=measure, period__code=MONTH, kind=kind)
    value = found.values_list("value", flat=True).first()
    return None if value is None else Decimal(value)


def _new_batch(before, after) -> ImportBatch:
    label = ImportBatch._meta.label
    new = {row[0] for row in after[label]} - {row[0] for row in before[label]}
    assert len(new) == 1, "one save, one batch"
    return ImportBatch.objects.get(pk=new.pop())


def _number(text):
    try:
        return parse_value(text)[0]
    except ValueError:
        return None


@pytest.fixture
def entry_pages(officer):
    """Each entry page's inputs as a browser would post them back (the signed state included)."""
    return {kind: _inputs(officer.get(url).content.decode()) for kind, url in URLS.items()}


@pytest.mark.parametrize("kind", ["actual", "plan"])
@fewer()
@given(data=st.data())
def test_an_entry_form_saves_every_figure_as_typed_or_nothing(officer, world, entry_pages, kind, data):
    url, shown = URLS[kind], entry_pages[kind]
    boxes = sorted(name for name in shown if name.split("-")[0] in ("spend", "activity", "metric"))
    assert boxes and "state" in shown
    # Half the examples are an officer's honest save (so saves are tested as often as refusals), half anything.
    honest = data.draw(st.booleans(), label="honest")
    typed = data.draw(
        st.dictionaries(st.sampled_from(boxes), GOOD_FIGURE if honest else FIGURE, min_size=1, max_size=len(boxes)),
        label="typed",
    )
    state = shown["state"] if honest else data.draw(st.one_of(st.just(shown["state"]), hostile), label="state")
    reason = data.draw(
        st.one_of(markup, hostile.filter(str.strip)) if honest else st.one_of(st.just(""), hostile), label="reason"
    )
    with rolled_back():
        before = fingerprint(*WRITTEN)
        response = officer.post(url, {**shown, **typed, "state": state, "reason": reason})
        after = fingerprint(*WRITTEN)
        event(f"status {response.status_code}, {'nothing saved' if after == before else 'saved'}")
        if after == before:
            assert_escaped(response if response.status_code != 302 else officer.get(url))
            return
        # Saved: all of it, each figure as typed, one batch, one audit row per figure changed.
        assert response.status_code == 302
        changed = {}
        for name, text in typed.items():
            was = Decimal(shown[name]) if shown[name] else None
            if text.strip():
                number = _number(text.strip())
                assert number is not None, f"{text!r} was saved for {name}"
                if number != was:
                    changed[name] = number
            assert _stored(name, kind) == changed.get(name, was), (name, text)
        batch = _new_batch(before, after)
        assert batch.source == "form" and batch.user == world.personas.finance_a
        assert ValueChange.objects.filter(batch=batch).count() == len(changed)
        if kind == "plan":
            assert batch.reason == reason.strip() and batch.reason  # an agreed plan changes only with a reason
        assert_escaped(officer.get(url))


@fewer()
@given(
    rows_header=returns_files(),
    form=st.sampled_from(["csv", "xlsx", "bytes"]),
    broken=broken_bytes(),
    name=st.one_of(st.sampled_from([f"{SCRIPT}.csv", f"{IMG}.csv", '=HYPERLINK("x").xlsx', "r.csv"]), ANY_TEXT),
    reason=st.one_of(st.just(""), hostile, markup),
    data=st.data(),
)
def test_an_upload_is_previewed_then_applied_whole_or_not_at_all(
    officer, world, rows_header, form, broken, name, reason, data
):
    rows, header = rows_header
    honest = data.draw(st.booleans(), label="honest")
    if honest:  # half the files are good ones, previewed and confirmed as a browser would
        rows, form, name = (
            [(cells, what) for cells, what in rows if what == "valid"],
            form.replace("bytes", "csv"),
            "r.csv",
        )
    content = {
        "csv": lambda: csv_text(rows, header).encode(),
        "xlsx": lambda: xlsx_content(rows, header),
        "bytes": lambda: broken,
    }[form]()
    url = f"/areas/{BROMLEY}/upload/"
    with rolled_back():
        before, pending_before = fingerprint(*WRITTEN), PendingUpload.objects.count()
        response = officer.post(url, {"file": SimpleUploadedFile(name or "unnamed", content), "reason": reason})
        assert fingerprint(*WRITTEN) == before  # checking a file never writes a figure
        event(f"upload {response.status_code}")
        if response.status_code != 302:
            assert_escaped(response)
            assert PendingUpload.objects.count() == pending_before
            return
        preview = officer.get(response["Location"])
        page = assert_escaped(preview)
        stamp = re.search(r'name="previewed" value="([^"]*)"', page)
        planned = import_returns(
            content=content,
            file_name="planned",
            user=world.personas.finance_a,
            dry_run=True,
            area=world.bromley,
            reason=reason,
        )
        action, previewed = "confirm", stamp.group(1) if stamp else ""
        if not honest:
            action = data.draw(st.sampled_from(["confirm", "cancel", ""]) | hostile, label="action")
            previewed = data.draw(st.just(previewed) | hostile, label="previewed")
        confirmed = officer.post(response["Location"], {"action": action, "previewed": previewed})
        assert confirmed.status_code < 500
        after = fingerprint(*WRITTEN)
        event(f"confirm {confirmed.status_code}, {'nothing applied' if after == before else 'applied'}")
        if after == before:
            assert_escaped(confirmed if confirmed.status_code != 302 else officer.get(confirmed["Location"]))
            return
        # Applied: every change the preview promised, under one upload batch, and the file is no longer kept.
        assert planned.ok and action != "cancel"
        batch = _new_batch(before, after)
        assert batch.source == "upload" and batch.user == world.personas.finance_a and batch.reason == reason.strip()
        assert ValueChange.objects.filter(batch=batch).count() == len(planned.changes)
        for change in planned.changes:
            value_change = ValueChange.objects.get(
                batch=batch, measure=change.measure, kind=change.kind, period__code=change.period
            )
            assert value_change.new_value == change.new_value and value_change.new_note == change.new_note
        assert PendingUpload.objects.count() == pending_before
        assert_escaped(officer.get(confirmed["Location"]))
