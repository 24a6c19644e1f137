"""Standing duties appear as targets with progress (SPEC §2.1)."""

import datetime as dt

import pytest
from django.utils import timezone

from residents import services as archive
from residents.models import House
from visits import services
from visits.duties import standing_duties

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def _at(day, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def houses(community, supervisor):
    building = archive.create_building(
        community=community, number="8", actor=supervisor, units=1, floors=5, rooms_per_floor=10, occupancy="occupied"
    )
    return list(House.objects.filter(building=building).order_by("pk"))


def _targets(community):
    return {t.label: t for t in standing_duties(community, today=TODAY)}


def _visit(house, actor, day, **fields):
    defaults = {"channel": "door", "visit_type": "routine"}
    return services.log_visit(house=house, actor=actor, started_at=_at(day), now=_at(day, 20), **{**defaults, **fields})


def test_manager_meets_committee_chair_this_month(houses, manager, supervisor, community):
    archive.add_resident(house=houses[0], relation="owner", actor=supervisor, name="刘主任", committee_role="chair")
    target = _targets(community)["经理会见业委会主任（每月）"]
    assert (target.done, target.required, target.met) == (0, 1, False)
    _visit(houses[0], manager, dt.date(2026, 10, 30))  # last month does not count
    assert not _targets(community)["经理会见业委会主任（每月）"].met
    _visit(houses[0], manager, dt.date(2026, 11, 2))
    assert _targets(community)["经理会见业委会主任（每月）"].met


def test_quarterly_opinion_coverage_needs_98_percent(houses, butler1, community):
    target = _targets(community)["季度意见征询覆盖 ≥98%"]
    assert target.required == 49  # ceil(50 × 98 %)
    for house in houses[:48]:
        _visit(house, butler1, dt.date(2026, 10, 5), channel="survey")
    assert _targets(community)["季度意见征询覆盖 ≥98%"].done == 48
    assert not _targets(community)["季度意见征询覆盖 ≥98%"].met
    _visit(houses[48], butler1, dt.date(2026, 11, 20), channel="survey")
    assert _targets(community)["季度意见征询覆盖 ≥98%"].met


def test_satisfaction_survey_counts_signed_forms_only(houses, butler1, community):
    _visit(houses[0], butler1, dt.date(2026, 9, 1), visit_type="satisfaction", signature="signed")
    _visit(houses[1], butler1, dt.date(2026, 9, 1), visit_type="satisfaction", signature="refused")
    assert _targets(community)["半年满意度调查（书面签字）≥98%"].done == 1


def test_leaders_sample_counts_manager_and_supervisor(houses, manager, supervisor, butler1, community):
    for house in houses[:6]:
        _visit(house, manager, dt.date(2026, 11, 3))
    for house in houses[6:10]:
        _visit(house, supervisor, dt.date(2026, 11, 4))
    _visit(houses[10], butler1, dt.date(2026, 11, 4))
    target = _targets(community)["经理及部门主管抽访无投诉无报修户（每月10–15户）"]
    assert (target.done, target.met) == (10, True)
