"""Numbers as a UK finance reader expects them, and statuses that never rely on colour alone."""

from decimal import Decimal as D

from bcf_dashboard.core import periods
from bcf_dashboard.core.templatetags import bcf


def test_money():
    assert bcf.gbp(D("1234567.5")) == "£1,234,567.50"
    assert bcf.pounds(D("1234567.5")) == "£1,234,568"
    assert bcf.gbp(None) == "–"


def test_variances_are_coloured_by_meaning_not_by_sign():
    # Spend over plan or budget is worse (red), under is not: the word says which, beside the sign.
    assert (
        bcf.gbp_variance(D("-1200.5"))
        == '<span class="better nowrap">-£1,200.50 <span class="variance-word">under</span></span>'
    )
    assert (
        bcf.gbp_variance(D("1200"))
        == '<span class="worse nowrap">+£1,200 <span class="variance-word">over</span></span>'
    )
    assert bcf.gbp_variance(D("0")) == "£0"
    assert bcf.pounds_variance(D("-0.02")) == "£0"  # rounds to nothing: no sign
    assert bcf.pounds_variance(D("39277")).startswith('<span class="worse nowrap">+£39,277 ')  # over budget: red
    assert 'class="better' in bcf.pounds_variance(D("-445169.58"))
    # A metric's colour follows its better direction: 12.2 fewer care-home admissions than plan is good news.
    assert bcf.metric_variance(D("-12.2"), "rate", "lower") == (
        '<span class="better nowrap">-12.2<span class="visually-hidden"> (better than plan)</span></span>'
    )
    assert 'class="worse' in bcf.metric_variance(D("-68"), "count", "higher")
    assert 'class="worse' in bcf.pct_variance(D("3.1"), "lower")
    assert bcf.pct_variance(D("-0.89")) == '<span class="nowrap">-0.9%</span>'  # no direction: no colour
    assert bcf.metric_variance(D("0.06"), "rate") == '<span class="nowrap">+0.1</span>'


def test_percentages_and_metric_figures():
    assert bcf.pct(D("57.37")) == "57.4%"
    assert bcf.metric_figure(D("15087"), "count") == "15,087"
    assert bcf.metric_figure(D("41.75"), "count") == "41.8"
    assert bcf.metric_figure(D("331.2903"), "rate") == "331.3"
    assert bcf.metric_figure(D("93.6"), "percent") == "93.6%"


def test_months_and_years():
    assert bcf.period_label(periods.month(2017, 1)) == "Apr 2017"
    assert bcf.month_number_label(12, 2017) == "Mar 2018"
    assert bcf.year_label(2017) == "2017/18"


def test_status_chips_have_words():
    assert bcf.status_chip("not_on_track") == '<span class="status status-not_on_track">Not on track</span>'
    assert bcf.check_chip(False) == '<span class="status status-fail">Fail</span>'


def test_upload_link_goes_to_the_areas_upload_page_or_asks_which_area_for_those_who_may_upload(personas):
    area = personas.area_a
    may = {"may_upload": True}
    assert bcf.upload_link(may, area) == '<a href="/areas/E09000006/upload/">the Upload page</a>'
    assert bcf.upload_link(may) == '<a href="/upload/">the Upload page</a>'
    # Anyone else is not sent to a page that would answer 404.
    assert bcf.upload_link({"may_upload": False}, area) == "their Upload page"
    request = type("R", (), {"user": personas.commissioner_a})()
    assert bcf.upload_link({"request": request}, area) == "their Upload page"
    request.user = personas.finance_a
    assert bcf.upload_link({"request": request}, area) == '<a href="/areas/E09000006/upload/">the Upload page</a>'


def test_area_abilities_follow_the_roles(personas):
    assert bcf.area_abilities(personas.finance_a, personas.area_a) == {"edit": True, "approve": False, "audit": True}
    assert bcf.area_abilities(personas.approver_a, personas.area_a) == {"edit": False, "approve": True, "audit": True}
    assert bcf.area_abilities(personas.hwb_a, personas.area_a) == {"edit": False, "approve": False, "audit": False}
    assert bcf.area_abilities(personas.user_b, personas.area_a) == {"edit": False, "approve": False, "audit": False}
    assert bcf.area_abilities(personas.staff, personas.area_a) == {"edit": True, "approve": True, "audit": True}
