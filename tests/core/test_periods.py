import datetime

import pytest

from bcf_dashboard.core import periods


def test_every_month_of_a_year_maps_to_its_financial_year_number_and_quarter():
    expected = [
        # (calendar year, month, month number, quarter)
        (2016, 4, 1, 1),
        (2016, 5, 2, 1),
        (2016, 6, 3, 1),
        (2016, 7, 4, 2),
        (2016, 8, 5, 2),
        (2016, 9, 6, 2),
        (2016, 10, 7, 3),
        (2016, 11, 8, 3),
        (2016, 12, 9, 3),
        (2017, 1, 10, 4),
        (2017, 2, 11, 4),
        (2017, 3, 12, 4),
    ]
    for year, cal_month, number, quarter in expected:
        day = datetime.date(year, cal_month, 15)
        assert periods.financial_year_of(day) == 2016
        assert periods.month_number(day) == number
        assert periods.quarter_of(day) == quarter
        assert periods.month_start(2016, number) == datetime.date(year, cal_month, 1)


def test_months_of_year_run_april_to_march():
    months = periods.months_of_year(2017)
    assert [m.code for m in months][:2] == ["2017-04", "2017-05"]
    assert months[-1].code == "2018-03"
    assert months[-1].label == "Mar 2018"
    assert periods.month_end(2017, 11) == datetime.date(2018, 2, 28)
    assert periods.month_end(2019, 11) == datetime.date(2020, 2, 29)


@pytest.mark.parametrize("text", ["2016/17", "2016-17", "2016/2017", "2016", " 2016/17 "])
def test_both_year_forms_parse(text):
    assert periods.parse_year(text) == 2016
    assert periods.year_label(2016) == "2016/17"


@pytest.mark.parametrize("text", ["2016/18", "16/17", "2016/1", "year"])
def test_wrong_years_are_refused_with_the_right_form(text):
    with pytest.raises(periods.PeriodError, match="2017/18|follows"):
        periods.parse_year(text)


def test_year_label_crosses_the_century():
    assert periods.year_label(1999) == "1999/00"
    assert periods.parse_year("1999/00") == 1999


def test_two_year_plan_spans():
    assert periods.parse_span("2017-19") == (2017, 2018)
    assert periods.span_label(2017, 2018) == "2017-19"
    assert periods.parse_span("2016/17") == (2016, 2016)


def test_parse_period_month_quarter_year():
    month = periods.parse_period("2018-02")
    assert (month.kind, month.financial_year, month.number) == ("month", 2017, 11)
    q1 = periods.parse_period("2017/18-Q1")
    assert (q1.kind, q1.financial_year, q1.number) == ("quarter", 2017, 1)
    assert list(q1.month_numbers) == [1, 2, 3]
    assert q1.start == datetime.date(2017, 4, 1) and q1.end == datetime.date(2017, 6, 30)
    q4 = periods.parse_period("2017/18-q4")
    assert q4.start == datetime.date(2018, 1, 1) and q4.end == datetime.date(2018, 3, 31)
    year = periods.parse_period("2017/18")
    assert (year.kind, year.code, year.label) == ("year", "2017/18", "2017/18")
    assert year.end == datetime.date(2018, 3, 31)


@pytest.mark.parametrize("text", ["2017-13", "2017/18-Q5", "April 2017", "", "2017-4x"])
def test_bad_periods_say_how_to_write_them(text):
    with pytest.raises(periods.PeriodError):
        periods.parse_period(text)


def test_codes_round_trip_for_every_period_of_a_year():
    for ref in periods.periods_of_year(2016):
        assert periods.parse_period(ref.code) == ref
    assert len(periods.periods_of_year(2016)) == 17
