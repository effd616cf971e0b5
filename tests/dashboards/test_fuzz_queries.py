"""Property-based test of every page's query string (filters, sorting, paging, exports, the month pickers).

Anything in any parameter: never a 5xx, never markup echoed unescaped, and a GET never writes.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bcf_dashboard.core.models import AreaYearPlan, ImportBatch, QuarterReturn, ValueChange
from bcf_dashboard.quarterly.models import QuarterNarrative, QuarterSummarySnapshot
from bcf_dashboard.returns.models import PendingUpload
from bcf_dashboard.returns.services import import_returns
from metrics.models import MetricValue
from schemes.models import Scheme, SchemeValue
from tests.support.dashboard_data import fill_area
from tests.support.fuzzing import assert_escaped, fewer, fingerprint, hostile, markup, rolled_back

A = "/areas/E09000006"
# Each page and the parameters it reads.
PAGES = {
    "/": ["year", "region", "status", "sort"],
    "/compare/": ["metric", "year", "region", "sort"],
    f"{A}/2017/": ["q", "scheme_type", "area_of_spend", "commissioner", "spend_status", "sort", "page", "export"],
    f"{A}/schemes/S1/": ["year"],
    f"{A}/metrics/NEA/": ["year"],
    f"{A}/history/": ["month", "person", "what", "batch", "page", "export"],
    f"{A}/schemes/S1/history/": ["month", "person", "batch", "page", "export"],
    f"{A}/2017/q2/summary/": ["version", "draft"],
    f"{A}/summaries/": ["page"],
    f"{A}/entry/": ["month", "kind"],
    f"{A}/upload/": ["month"],
    f"{A}/upload/template.xlsx": ["month", "kind"],
    f"{A}/sign-off/2017/": ["quarter"],
    "/people/": ["area", "role", "q", "inactive", "page"],
}
EVERYTHING = (
    MetricValue,
    SchemeValue,
    ValueChange,
    ImportBatch,
    PendingUpload,
    QuarterReturn,
    AreaYearPlan,
    QuarterNarrative,
    QuarterSummarySnapshot,
    Scheme,
)
# Values the pages understand, so that the filters also filter, and anything else.
MEANT = st.sampled_from(
    [
        "2017",
        "2017/18",
        "2016",
        "London",
        "on_track",
        "NEA",
        "csv",
        "xlsx",
        "-ref",
        "status",
        "budget",
        "1",
        "2",
        "99",
        "2017-05",
        "plan",
        "figures",
        "signoff",
        "finance_officer",
        "S1",
        "reablement",
        "E09000006",
    ]
)
VALUE = st.one_of(MEANT, hostile, markup)


@pytest.fixture
def dashboard(personas):
    """Bromley with a year of figures, an upload in its history and a scheme named to tempt a spreadsheet."""
    fill_area(personas.area_a, schemes=3)
    personas.area_a.schemes.filter(ref="S2").update(name='=HYPERLINK("http://evil","x") <script>alert(1)</script>')
    result = import_returns(
        content=b"area_code,period,measure,kind,value,note\r\n"
        b"E09000006,2017-05,NEA,actual,1251,<img src=x onerror=alert(1)>\r\n",
        file_name='"><img src=x onerror=alert(1)>.csv',
        user=personas.finance_a,
    )
    assert result.ok, result.errors
    return personas


@pytest.mark.parametrize("path", sorted(PAGES))
@fewer(4)
@given(data=st.data())
def test_no_query_string_breaks_a_page_or_writes(client, dashboard, path, data):
    query = data.draw(st.fixed_dictionaries({}, optional={name: VALUE for name in PAGES[path]}), label="query")
    with rolled_back():
        client.force_login(dashboard.staff)
        before = fingerprint(*EVERYTHING)
        response = client.get(path, query)
        assert response.status_code < 500
        if response.streaming:
            b"".join(response.streaming_content)  # an export is written as it is sent: all of it must be
        elif response.get("Content-Type", "").startswith("text/html"):
            assert_escaped(response)
        assert fingerprint(*EVERYTHING) == before
