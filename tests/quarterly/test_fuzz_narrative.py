"""Property-based test of the quarterly narrative form: whatever is typed, every section saved as typed or none."""

from hypothesis import event, example, given
from hypothesis import strategies as st

from bcf_dashboard.quarterly.models import QuarterNarrative
from bcf_dashboard.quarterly.services import max_length, text_stamp
from tests.quarterly.conftest import url
from tests.support.fuzzing import IMG, SCRIPT, assert_escaped, fewer, fingerprint, hostile, markup, rolled_back

SECTIONS = {
    "challenges": "challenges",
    "achievements": "achievements",
    "support": "support",
    "comment_NEA": "metric:NEA",
}
NARRATIVE = (QuarterNarrative, QuarterNarrative.history.model)
# Prose with markup and formulas in it, or anything at all, now and then longer than a section may be.
TEXT = st.one_of(
    hostile,
    markup,
    st.text(max_size=300),
    st.builds(
        lambda n: "x" * n,
        st.sampled_from([max_length("metric:NEA"), max_length("metric:NEA") + 1, max_length("support") + 1]),
    ),
)
# Stamps of the text the page showed: those of a browser (every section starts empty), some forged or left out.
FORGED = st.dictionaries(st.sampled_from(sorted(SECTIONS)), st.one_of(hostile, st.none()), max_size=2)


@fewer(3)
@given(texts=st.dictionaries(st.sampled_from(sorted(SECTIONS)), TEXT, min_size=1), forged=FORGED)
@example(texts={"challenges": f'{SCRIPT} =HYPERLINK("http://evil","x")', "comment_NEA": IMG}, forged={})
@example(texts={"support": "a\x00b"}, forged={})
def test_a_narrative_is_saved_whole_as_typed_or_not_at_all(client, filled, texts, forged):
    area = filled.area_a
    seen = {name: text_stamp("") for name in texts}
    seen.update(forged)
    seen = {name: stamp for name, stamp in seen.items() if stamp is not None}
    post = {**texts, **{f"seen_{name}": stamp for name, stamp in seen.items()}}
    with rolled_back():
        client.force_login(filled.finance_a)
        before = fingerprint(*NARRATIVE)
        response = client.post(url(area), post)
        after = fingerprint(*NARRATIVE)
        event(f"{response.status_code} {'nothing saved' if after == before else 'saved'}")
        if after == before:
            assert_escaped(response)  # (a redirect says only that nothing changed)
            return
        assert response.status_code == 302
        stored = {row.section: row.text for row in QuarterNarrative.objects.filter(area=area)}
        for name, text in texts.items():
            if name in seen:  # only the sections the page showed are saved
                assert stored.get(SECTIONS[name], "") == text.strip().replace("\r\n", "\n"), name
        page = assert_escaped(client.get(url(area) + "?draft=1"))
        assert "<script>alert" not in page
