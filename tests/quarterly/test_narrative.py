"""The officers' narrative: written on the summary page while the quarter is open, read-only after, with history."""

import pytest

from bcf_dashboard.quarterly.models import QuarterNarrative
from bcf_dashboard.quarterly.services import NarrativeRefused, save_narrative, text_stamp
from tests.quarterly.conftest import approve, plain, section, step, url

YEAR = 2017
EMPTY = text_stamp("")


def post(client, area, data, quarter=2):
    """The form as the page posts it: every section with the stamp of the text it showed."""
    page = client.get(url(area, quarter)).content.decode()
    assert 'id="narrative-form"' in page
    fields = {"challenges": "", "achievements": "", "support": "", "comment_NEA": ""}
    fields.update(data)
    stamps = {f"seen_{name}": text_stamp(_stored(area, name, quarter)) for name in fields}
    return client.post(url(area, quarter), {**fields, **stamps})


def _stored(area, name, quarter):
    section = f"metric:{name[len('comment_') :]}" if name.startswith("comment_") else name
    row = QuarterNarrative.objects.filter(area=area, financial_year=YEAR, quarter=quarter, section=section).first()
    return row.text if row else ""


def test_a_finance_officer_writes_on_the_page_and_everyone_reads_it(client, filled):
    area = filled.area_a
    client.force_login(filled.finance_a)
    response = post(
        client, area, {"challenges": "Care home market fragile.\nTwo closures.", "comment_NEA": "Below plan since May."}
    )
    assert response.status_code == 302 and response["Location"].endswith("/summary/#narrative")
    rows = {r.section: r for r in QuarterNarrative.objects.all()}
    assert set(rows) == {"challenges", "metric:NEA"}
    assert rows["challenges"].text == "Care home market fragile.\nTwo closures."
    assert rows["challenges"].updated_by == filled.finance_a
    history = rows["challenges"].history.get()
    assert history.history_user == filled.finance_a and history.text == rows["challenges"].text
    client.force_login(filled.hwb_a)
    page = client.get(url(area))
    assert "Care home market fragile." in section(page, "narrative")
    assert "Below plan since May." in section(page, "metric-nea")
    assert 'id="narrative-form"' not in page.content.decode()  # HWB members read, officers write


def test_every_wording_is_kept(filled):
    p = filled
    for text in ("First draft.", "Second draft.", ""):
        current = QuarterNarrative.objects.filter(section="support").first()
        save_narrative(
            user=p.finance_a,
            area=p.area_a,
            year=YEAR,
            quarter=2,
            texts={"support": text},
            seen={"support": text_stamp(current.text if current else "")},
        )
    row = QuarterNarrative.objects.get(section="support")
    assert [h.text for h in row.history.order_by("history_date")] == ["First draft.", "Second draft.", ""]


def test_read_only_once_submitted(client, filled):
    area = filled.area_a
    step(filled, filled.finance_a, "submit")
    client.force_login(filled.finance_a)
    page = client.get(url(area)).content.decode()
    assert 'id="narrative-form"' not in page and "<textarea" not in page
    response = client.post(url(area), {"challenges": "Late words", "seen_challenges": EMPTY})
    assert response.status_code == 409 and "read-only" in plain(response)
    with pytest.raises(NarrativeRefused, match="submitted, so its narrative is read-only"):
        save_narrative(
            user=filled.finance_a,
            area=area,
            year=YEAR,
            quarter=2,
            texts={"challenges": "x"},
            seen={"challenges": EMPTY},
        )
    step(filled, filled.approver_a, "approve")
    with pytest.raises(NarrativeRefused, match="approved"):
        save_narrative(
            user=filled.finance_a,
            area=area,
            year=YEAR,
            quarter=2,
            texts={"challenges": "x"},
            seen={"challenges": EMPTY},
        )
    assert not QuarterNarrative.objects.exists()


def test_editable_again_after_a_recorded_reopening(client, filled):
    approve(filled)
    step(filled, filled.approver_a, "reopen", reason="Narrative incomplete")
    client.force_login(filled.finance_a)
    assert 'id="narrative-form"' not in client.get(url(filled.area_a)).content.decode()  # the approved version
    assert 'id="narrative-form"' in client.get(url(filled.area_a) + "?draft=1").content.decode()
    response = client.post(url(filled.area_a), {"achievements": "Added", "seen_achievements": EMPTY})
    assert response.status_code == 302 and response["Location"].endswith("?draft=1#narrative")


def test_someone_elses_edit_is_not_overwritten(client, filled):
    area = filled.area_a
    save_narrative(
        user=filled.staff,
        area=area,
        year=YEAR,
        quarter=2,
        texts={"challenges": "Staff's words"},
        seen={"challenges": EMPTY},
    )
    client.force_login(filled.finance_a)
    response = client.post(url(area), {"challenges": "My words", "seen_challenges": EMPTY})
    assert response.status_code == 409
    text = plain(response)
    assert "Someone else saved challenges" in text and "My words" in text  # theirs kept, mine shown to copy
    assert QuarterNarrative.objects.get().text == "Staff's words"


def test_only_known_sections_and_short_enough(filled):
    kwargs = dict(user=filled.finance_a, area=filled.area_a, year=YEAR, quarter=2)
    with pytest.raises(NarrativeRefused, match="no section"):
        save_narrative(texts={"metric:NOPE": "x"}, seen={}, **kwargs)
    with pytest.raises(NarrativeRefused, match="shorten it to 600"):
        save_narrative(texts={"metric:NEA": "x" * 601}, seen={"metric:NEA": EMPTY}, **kwargs)
    with pytest.raises(NarrativeRefused, match="finance officers"):
        save_narrative(**{**kwargs, "user": filled.hwb_a}, texts={"challenges": "x"}, seen={})


def test_a_too_long_text_on_the_page_is_an_error_not_a_crash(client, filled):
    client.force_login(filled.finance_a)
    response = post(client, filled.area_a, {"comment_NEA": "x" * 700})
    assert response.status_code == 400 and "too long" in plain(response)
    assert not QuarterNarrative.objects.exists()


def test_the_comment_boxes_are_never_shared_through_the_cache(client, filled):
    """The draft's figures are cached for readers; an officer's boxes, typed text and errors never are."""
    area, box = filled.area_a, 'name="comment_NEA"'
    client.force_login(filled.hwb_a)  # a reader first: the figures go into the cache
    assert box not in client.get(url(area)).content.decode()
    client.force_login(filled.finance_a)
    assert box in client.get(url(area)).content.decode()  # the officer still gets the boxes
    refused = post(client, area, {"comment_NEA": "Unsaved words " + "x" * 700})
    assert refused.status_code == 400 and "Unsaved words" in refused.content.decode()
    client.force_login(filled.hwb_a)  # and the officer's unsaved text stays theirs
    page = client.get(url(area)).content.decode()
    assert box not in page and "Unsaved words" not in page and "too long" not in page
    client.force_login(filled.finance_a)
    assert box in client.get(url(area)).content.decode()
