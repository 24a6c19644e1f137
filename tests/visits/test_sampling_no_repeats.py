"""No household is drawn twice until every household has been visited once in the
cycle; households a company survey covered in the cycle are excluded; return
visits do not count as visits (SPEC §2.1, [002 4.3.1])."""

import pytest

from residents.choices import Occupancy
from tests.visits.conftest import at, make_houses
from visits import engine, services
from visits.choices import Channel, Trigger, VisitType
from visits.coverage import propose_sample
from visits.models import VisitPolicy

CYCLE_START = at(2026, 11, 1, 0, 0)


def _visit(house, actor, started_at, channel=Channel.DOOR, visit_type=VisitType.ROUTINE, **fields):
    return services.log_visit(
        house=house, actor=actor, started_at=started_at, channel=channel, visit_type=visit_type, **fields
    )


@pytest.fixture
def cycle(community, supervisor, manager, butler1):
    """Eight occupied houses 1-1-101 … 1-1-108 and two vacant ones; the cycle began
    on 1 November. Visited in the cycle: 101 (door), 102 (company survey). Not
    counted: 103's complaint return visit, 104's move-in return visit, 105's visit
    in October."""
    houses = make_houses(community, "1", actor=supervisor, butler=butler1, rooms=8)
    make_houses(community, "9", actor=supervisor, rooms=2, occupancy=Occupancy.VACANT)
    services.update_policy(VisitPolicy.for_community(community), actor=manager, cycle_started_at=CYCLE_START)
    _visit(houses[0], butler1, at(2026, 11, 5, 10))
    _visit(houses[1], supervisor, at(2026, 11, 6, 15), channel=Channel.SURVEY)
    _visit(houses[2], butler1, at(2026, 11, 7, 10), visit_type=VisitType.COMPLAINT_RETURN)
    move_in = engine.raise_return_visit(Trigger.MOVE_IN, house=houses[3], occurred_at=at(2026, 11, 2, 9))
    _visit(houses[3], butler1, at(2026, 11, 8, 10), visit_type=VisitType.MOVE_IN, return_visit=move_in)
    _visit(houses[4], butler1, at(2026, 10, 20, 10))
    return houses


def _numbers(houses):
    return sorted(h.number for h in houses)


FRESH = ["1-1-103", "1-1-104", "1-1-105", "1-1-106", "1-1-107", "1-1-108"]


def test_visited_and_surveyed_houses_are_not_proposed_again(community, cycle):
    houses, restarted = propose_sample(community, 6, seed=1)
    assert (_numbers(houses), restarted) == (FRESH, False)


def test_smaller_samples_come_only_from_fresh_houses(community, cycle):
    for seed in range(12):
        houses, restarted = propose_sample(community, 3, seed=seed)
        assert len(houses) == 3
        assert set(_numbers(houses)) <= set(FRESH)
        assert restarted is False


def test_return_visits_do_not_use_up_a_household(community, cycle):
    # 103 had a complaint return visit, 104 a move-in return visit: both still owe a visit.
    houses, _ = propose_sample(community, 6, seed=2)
    assert {"1-1-103", "1-1-104"} <= set(_numbers(houses))


def test_cycle_restarts_when_too_few_fresh_houses_remain(community, cycle):
    houses, restarted = propose_sample(community, 8, seed=3)
    assert restarted is True
    # every fresh house first, then the visited ones; never a vacant house
    assert _numbers(houses) == ["1-1-101", "1-1-102", *FRESH]


def test_restart_takes_all_fresh_houses_before_any_visited_one(community, cycle):
    houses, restarted = propose_sample(community, 7, seed=4)
    assert restarted is True
    assert len(houses) == 7
    assert set(FRESH) < set(_numbers(houses))


def test_excluded_houses_are_never_proposed(community, cycle):
    excluded = [h.pk for h in cycle if h.number in ("1-1-105", "1-1-101")]
    houses, restarted = propose_sample(community, 5, exclude=excluded, seed=5)
    assert (_numbers(houses), restarted) == (["1-1-103", "1-1-104", "1-1-106", "1-1-107", "1-1-108"], False)

    houses, restarted = propose_sample(community, 8, exclude=excluded, seed=5)
    assert (_numbers(houses), restarted) == (["1-1-102", "1-1-103", "1-1-104", "1-1-106", "1-1-107", "1-1-108"], True)


def test_without_a_cycle_start_every_occupied_house_is_fresh(community, supervisor, butler1):
    make_houses(community, "1", actor=supervisor, butler=butler1, rooms=3)
    houses, restarted = propose_sample(community, 3, seed=6)
    assert (_numbers(houses), restarted) == (["1-1-101", "1-1-102", "1-1-103"], False)
