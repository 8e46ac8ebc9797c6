"""Any text as a database location: a place to open, or one StoreError line with
no password in it; never another exception, never a file or directory made."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infra import config
from infra.errors import StoreError

SECRET = "Zq9secretpw"

schemes = st.sampled_from(
    [
        "postgresql",
        "POSTGRESQL",
        "postgres",
        "Postgres",
        "postgresql+psycopg",
        "mysql",
        "sqlite",
        "x",
    ]
)
urlish = st.builds(
    lambda scheme, user, host, rest: f"{scheme}://{user}:{SECRET}@{host}{rest}",
    schemes,
    st.text(alphabet="abc%:@[]/", max_size=6),
    st.text(alphabet="h0123456789.:[]%/", max_size=12),
    st.text(alphabet="/?=&%abcdefghijklmnopqrstuvwxyz_0123456789", max_size=20),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        urlish,
        st.text(max_size=40),
        st.just("~0/x.db"),
        st.just("~nosuchuser"),
        st.just("x" * 300 + ".db"),  # longer than a file name may be
        st.just("d/" * 2100 + "x.db"),  # longer than a path may be
    )
)
def test_any_location_is_a_place_or_one_line(tmp_path_factory, text):
    where = tmp_path_factory.mktemp("loc")
    old = os.getcwd()
    os.chdir(where)
    try:
        try:
            found = config.locate(text)
        except StoreError as exc:
            message = str(exc)
            assert "\n" not in message
            assert SECRET not in message
        else:
            assert found.dialect in ("sqlite", "postgresql")
            assert SECRET not in found.shown
        assert list(where.iterdir()) == []
    finally:
        os.chdir(old)
