"""The allocation request and the check tally, straight from the library (no CLI, no database)."""

from __future__ import annotations

import pytest

from infra.errors import InvalidInput
from ipam import views
from ipam.space import AllocRequest, UnclearRequest


def where(request: AllocRequest) -> tuple[str | None, str | None, str | None]:
    return request.source, request.within, request.assignee


@pytest.mark.parametrize(
    ("source", "units", "assignee", "expected"),
    [
        # One unit: inside its own blocks, for it.
        (None, ["源城区"], None, (None, "源城区", "源城区")),
        # Two units: inside the first one's blocks, for the second.
        (None, ["源城区", "上城街道"], None, (None, "源城区", "上城街道")),
        # The assignee alone: from its parent unit's blocks (decided in the transaction).
        (None, [], "新江街道", (None, None, "新江街道")),
        # The assignee beside one unit: inside that unit's blocks.
        (None, ["源城区"], "新江街道", (None, "源城区", "新江街道")),
        # A source prefix: the one unit, or the assignee, is who it is for.
        ("10.64.0.0/16", [], None, ("10.64.0.0/16", None, None)),
        ("10.64.0.0/16", ["上城街道"], None, ("10.64.0.0/16", None, "上城街道")),
        ("10.64.0.0/16", [], "上城街道", ("10.64.0.0/16", None, "上城街道")),
    ],
)
def test_units_decide_source_and_assignee(source, units, assignee, expected):
    request = AllocRequest.from_units(size="/24", source=source, units=units, assignee=assignee)
    assert where(request) == expected
    assert (request.size, request.count, request.status) == ("/24", 1, "allocated")


@pytest.mark.parametrize(
    ("fields", "reason", "message"),
    [
        ({"size": "/24", "hosts": 5, "source": "10.0.0.0/8"}, "amount", "not both"),
        ({"source": "10.0.0.0/8"}, "amount", "a size or a number of hosts"),
        ({"size": "/24"}, "where", "say where to allocate from"),
        ({"size": "/24", "units": ["a", "b", "c"]}, "units", "3 units named: at most two"),
        ({"size": "/24", "units": ["a", "b"], "assignee": "c"}, "assignee-and-units", "named"),
        (
            {"size": "/24", "source": "10.0.0.0/8", "units": ["a", "b"]},
            "source-and-units",
            "one unit at most",
        ),
        (
            {"size": "/24", "source": "10.0.0.0/8", "units": ["a"], "assignee": "b"},
            "assignee-twice",
            "name the assignee once",
        ),
    ],
)
def test_unclear_requests_say_what_is_unclear(fields, reason, message):
    with pytest.raises(UnclearRequest, match=message) as info:
        AllocRequest.from_units(**fields)
    assert info.value.reason == reason
    assert "--" not in str(info.value)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"size": "/24", "hosts": 5, "source": "x"}, "give a size or a number of hosts, not both"),
        ({"size": "/24"}, "say where to allocate from"),
        ({"hosts": 0, "source": "x"}, "the number of hosts must be at least 1"),
        ({"size": "/24", "source": "x", "count": 0}, "count must be at least 1"),
        ({"size": "/24", "source": "x", "family": 5}, "family 5 is not an address family"),
        ({"size": "/24", "source": "x", "status": "quarantine"}, "status 'quarantine'"),
    ],
)
def test_a_request_is_checked_when_made(fields, message):
    with pytest.raises(InvalidInput, match=message) as info:
        AllocRequest(**fields)
    assert "--" not in str(info.value)


def test_a_request_is_a_value():
    a = AllocRequest(size="/24", source="10.0.0.0/8", purpose="office")
    assert a == AllocRequest.from_units(size="/24", source="10.0.0.0/8", purpose="office")
    with pytest.raises(AttributeError):
        a.size = "/25"  # type: ignore[misc]


def test_tally_counts_once_and_strict_fails_on_warnings():
    def problem(severity: str) -> dict:
        return {"severity": severity, "kind": "k", "vrf": "egov", "prefix": None, "detail": ""}

    warnings_only = [problem("warning"), problem("warning")]
    assert views.tally(warnings_only) == views.Tally(errors=0, warnings=2, failed=False)
    assert views.tally(warnings_only, strict=True) == views.Tally(0, 2, True)
    mixed = [problem("error"), *warnings_only]
    assert views.tally(mixed) == views.Tally(1, 2, True)
    assert views.tally(mixed, strict=True) == views.Tally(1, 2, True)
    assert views.tally([], strict=True) == views.Tally(0, 0, False)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"size": "/24", "assignee": ""}, "the assignee is an empty reference"),
        ({"size": "/24", "assignee": "  "}, "the assignee is an empty reference"),
        ({"size": "/24", "within": "", "assignee": "x"}, "inside is an empty reference"),
        ({"size": "/24", "source": " "}, "the source prefix is empty"),
    ],
)
def test_an_empty_reference_is_refused_not_taken_for_none(fields, message):
    with pytest.raises(InvalidInput, match=message):
        AllocRequest(**fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"units": ["河源市", ""]},
        {"units": ["  "]},
        {"assignee": ""},
        {"source": "", "units": ["河源市"]},
    ],
)
def test_from_units_refuses_empty_references(fields):
    with pytest.raises(InvalidInput, match="empty"):
        AllocRequest.from_units(size="/24", **fields)


@pytest.mark.parametrize("room", [float("nan"), float("inf"), -0.5, 10.5])
def test_headroom_is_a_finite_fraction_in_range(room):
    with pytest.raises(InvalidInput, match="headroom must be a fraction between 0 and 10"):
        AllocRequest(source="10.0.0.0/8", hosts=5, headroom=room)
    assert AllocRequest(source="10.0.0.0/8", hosts=5, headroom=10.0).headroom == 10.0
