"""The history pages: figures, records and sign-off steps in one list; filters, pages and the CSV."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from bcf_dashboard.audit import timeline
from bcf_dashboard.returns.services import import_returns
from bcf_dashboard.signoff.services import take_step
from schemes.models import SchemeYear
from tests.support.world import BROMLEY, SOUTHWARK, csv_bytes

URL = f"/areas/{BROMLEY}/history/"


def load(rows, user, name="returns.csv", **kwargs):
    result = import_returns(content=csv_bytes(rows), file_name=name, user=user, **kwargs)
    assert result.ok, result.errors
    return result


@pytest.fixture
def story(world):
    p = world.personas
    load(
        [[BROMLEY, "2017-04", "NEA", "actual", "1250", ""], [BROMLEY, "2017-04", "spend:A1", "actual", "100", ""]],
        p.finance_a,
        "april.csv",
    )
    load([[BROMLEY, "2017-05", "NEA", "actual", "1262", '=HYPERLINK("http://evil")']], p.staff, "may.csv")
    load([[BROMLEY, "2017-04", "NEA", "actual", "1251", ""]], p.finance_a, "fix.csv")
    load([[SOUTHWARK, "2017-04", "NEA", "actual", "7", ""]], p.staff, "southwark.csv")
    take_step(
        user=p.finance_a,
        area=world.bromley,
        financial_year=2017,
        quarter=1,
        action="submit",
        reason="A1 reports May and June late",
    )  # its returns are missing: the reason is asked for
    year = SchemeYear.objects.get(scheme=world.scheme_a1, financial_year=2017)
    year.budget = Decimal("150000.00")
    year.save()
    return world


def test_figures_records_and_sign_off_are_one_list_newest_first(client, story):
    client.force_login(story.personas.commissioner_a)
    page = client.get(URL).content.decode()
    assert page.index("Scheme A1 Scheme A1: budget 2017/18") < page.index("Q1 2017/18 return") < page.index("fix.csv")
    assert "£120,000 → £150,000" in page  # the budget's old and new value
    assert "1,250" in page and "1,251" in page and "Upload: april.csv" in page
    assert "Southwark" not in page and "southwark.csv" not in page


def test_filters_by_month_person_what_and_upload(client, story):
    client.force_login(story.personas.finance_a)
    may = client.get(URL, {"month": "2017-05"}).content.decode()
    assert "may.csv" in may and "april.csv" not in may and "budget 2017/18" not in may
    mine = client.get(URL, {"person": story.personas.finance_a.id}).content.decode()
    assert "april.csv" in mine and "may.csv" not in mine and "Q1 2017/18 return" in mine
    signoff = client.get(URL, {"what": "signoff"}).content.decode()
    assert "Q1 2017/18 return" in signoff and "april.csv" not in signoff
    records = client.get(URL, {"what": "records"}).content.decode()
    assert "budget 2017/18" in records and "april.csv" not in records
    from bcf_dashboard.core.models import ImportBatch

    batch = ImportBatch.objects.get(file_name="april.csv")
    one = client.get(URL, {"batch": batch.pk}).content.decode()
    assert "Showing one save or upload only" in one and "fix.csv" not in one


def test_bad_filters_are_explained_not_fatal(client, story):
    client.force_login(story.personas.finance_a)
    response = client.get(URL, {"month": "2017-13", "person": "999999", "what": "drop table", "page": "x"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "is not a month" in page and "That person has made no changes here" in page


def test_pages_of_fifty(client, story, monkeypatch):
    from bcf_dashboard.audit import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    client.force_login(story.personas.finance_a)
    first = client.get(URL).content.decode()
    assert "Page 1 of" in first and "Older" in first
    assert "Newer" in client.get(URL, {"page": 2}).content.decode()


def test_the_csv_has_every_change_and_neutralises_formulas(client, story):
    client.force_login(story.personas.approver_a)
    response = client.get(URL, {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    figures = [r for r in rows if r["measure"]]
    assert {(r["measure"], r["old"], r["new"]) for r in figures} >= {
        ("NEA", "1250.0000", "1251.0000"),
        ("spend:A1", "", "100.0000"),
    }
    may = next(r for r in figures if r["file"] == "may.csv")
    assert may["new_note"] == '\'=HYPERLINK("http://evil")'
    budget = next(r for r in rows if r["field"] == "budget")
    assert (budget["old"], budget["new"]) == ("£120,000", "£150,000")
    assert all(not cell.startswith(("=", "+", "@")) for r in rows for cell in r.values())
    assert len(rows) == len([r for r in rows if r["when"]])


def test_the_scheme_history_shows_only_that_schemes_figures_and_records(client, story):
    client.force_login(story.personas.finance_a)
    page = client.get(reverse("scheme_history", args=[BROMLEY, "A1"])).content.decode()
    assert "spend:A1" in page and "budget 2017/18" in page
    assert "NEA" not in page and "Q1 2017/18 return" not in page
    assert client.get(reverse("scheme_history", args=[BROMLEY, "B1"])).status_code == 404  # Southwark's scheme
    assert client.get(reverse("scheme_history", args=[SOUTHWARK, "B1"])).status_code == 404


def test_the_timeline_loads_a_page_in_a_fixed_number_of_queries(story, django_assert_max_num_queries):
    rows = list(timeline.timeline(story.bromley, timeline.Filters())[:50])
    with django_assert_max_num_queries(12):
        entries = timeline.load(rows)
    assert len(entries) == len(rows)


@pytest.mark.parametrize("batch", ["99999999999999999999999", str(2**63)])
def test_an_upload_number_past_any_row_is_a_clear_message_not_a_server_error(client, story, batch):
    client.force_login(story.personas.finance_a)
    response = client.get(URL, {"batch": batch})
    assert response.status_code == 200
    assert "There is no upload number" in response.content.decode()


def test_a_month_of_year_zero_in_the_filter_is_a_clear_message_not_a_server_error(client, story):
    client.force_login(story.personas.finance_a)
    response = client.get(URL, {"month": "0000-04"})
    assert response.status_code == 200
    assert "is not a month" in response.content.decode()
