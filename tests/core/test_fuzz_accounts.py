"""Property-based tests of the sign-in and password change forms: anything typed, no 5xx, no account changed
except by the right password."""

from django.contrib.auth import get_user_model
from hypothesis import event, given
from hypothesis import strategies as st

from tests.support.fuzzing import assert_escaped, fewer, fingerprint, hostile, markup, rolled_back
from tests.support.personas import PASSWORD

User = get_user_model()
NEW_PASSWORD = "a much longer pass phrase 42"
TYPED = st.one_of(hostile, markup)


@fewer()
@given(username=st.one_of(st.just("finance_a"), TYPED), password=st.one_of(st.just(PASSWORD), TYPED))
def test_signing_in_with_anything_fails_cleanly_and_only_the_password_lets_in(client, personas, username, password):
    with rolled_back():
        before = fingerprint(User)
        response = client.post("/accounts/login/", {"username": username, "password": password})
        event(f"sign-in {response.status_code}")
        if response.status_code == 302 and "_auth_user_id" in client.session:
            assert (username, password) == ("finance_a", PASSWORD)
            client.logout()
            return
        assert fingerprint(User) == before
        assert_escaped(response)


# Half the posts are a person's honest change (so changes are tested too), half anything.
CHANGES = st.booleans().flatmap(
    lambda honest: (
        st.tuples(st.just(PASSWORD), st.just(NEW_PASSWORD), st.just(True), TYPED)
        if honest
        else st.tuples(
            st.one_of(st.just(PASSWORD), TYPED), st.one_of(st.just(NEW_PASSWORD), TYPED), st.booleans(), TYPED
        )
    )
)


@fewer()
@given(change=CHANGES)
def test_a_password_changes_only_with_the_old_one_and_a_good_new_one(client, personas, change):
    old, new, same, again = change
    with rolled_back():
        user = User.objects.get(pk=personas.finance_a.pk)  # as stored: an earlier example's change is undone
        client.force_login(user)  # inside the example: a change starts a new session, rolled back with it
        before = fingerprint(User)
        response = client.post(
            "/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new if same else again}
        )
        event(f"password {response.status_code}")
        user.refresh_from_db()
        if response.status_code == 302:
            assert old == PASSWORD and user.check_password(new) and (same or again == new)
            return
        assert fingerprint(User) == before
        assert_escaped(response)
