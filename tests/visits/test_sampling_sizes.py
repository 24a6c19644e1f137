"""How many households must be visited a month (SPEC §2.1, [002 4.3.1]): the band
is chosen by the community's households in all, the percentage applies to its
occupied households, rounded up; the manager's and supervisor's five are part of
the sample; the rest is split among butlers by their zones' occupied households."""

import pytest

from core.choices import Role
from residents.choices import Occupancy
from residents.models import Building, House
from tests.factories import MembershipFactory, make_staff
from tests.visits.conftest import make_houses
from visits import services
from visits.choices import CoverageMode
from visits.coverage import monthly_quotas, propose_full, required_sample
from visits.models import VisitPolicy
from visits.models.policy import default_sample_bands


@pytest.mark.parametrize(
    ("households", "sample"),
    [(300, 12), (301, 16), (500, 25), (501, 31), (800, 48), (801, 57)],
)
def test_sample_size_at_band_edges_when_all_occupied(households, sample):
    assert required_sample(households, households, default_sample_bands()) == sample


def test_band_by_all_households_percentage_of_occupied_ones():
    # 400 in all → the 301–500 band (5 %); 5 % of the 200 occupied, not of 400.
    assert required_sample(400, 200, default_sample_bands()) == 10
    # 300 in all → 4 %: ceil(4 % × 299) = ceil(11.96)
    assert required_sample(300, 299, default_sample_bands()) == 12
    # a single occupied household still needs a visit
    assert required_sample(801, 1, default_sample_bands()) == 1


def test_bands_are_configurable():
    assert required_sample(300, 300, [[300, 10], [None, 20]]) == 30
    assert required_sample(301, 301, [[300, 10], [None, 20]]) == 61


@pytest.fixture
def butler4(community):
    return make_staff("butler4", community, Role.BUTLER)


def _vacate(houses, count):
    House.objects.filter(pk__in=[h.pk for h in houses[:count]]).update(occupancy=Occupancy.VACANT)


def _zone(community, number, butler, *, occupied, vacant=0):
    """A building of `occupied` + `vacant` houses in `butler`'s zone. Only counts matter
    here, so the houses are inserted directly (no history rows): five times faster."""
    building = Building.objects.create(community=community, number=number)
    House.objects.bulk_create(
        House(
            community=community,
            building=building,
            unit="1",
            floor=1 + i // 10,
            room=f"{i % 10 + 1:02d}",
            number=f"{number}-1-{1 + i // 10}{i % 10 + 1:02d}",
            occupancy=Occupancy.OCCUPIED if i < occupied else Occupancy.VACANT,
            butler=butler,
        )
        for i in range(occupied + vacant)
    )


@pytest.fixture
def three_zones(community, manager, supervisor, butler1, butler2, butler4):
    """510 households, 500 occupied: butler1's zone 211 occupied (of 220), butler2's
    159 (of 160), butler4's 130."""
    _zone(community, "1", butler1, occupied=211, vacant=9)
    _zone(community, "2", butler2, occupied=159, vacant=1)
    _zone(community, "4", butler4, occupied=130)
    return community


def test_manager_and_supervisor_five_each_are_part_of_the_sample(
    three_zones, manager, supervisor, butler1, butler2, butler4
):
    quotas = monthly_quotas(three_zones)
    # 510 in all → 6 % band; 6 % of 500 occupied = 30, of which 5 + 5 are the leaders'.
    # The other 20 by zone: 211/500 → 8.44, 159/500 → 6.36, 130/500 → 5.20;
    # floors 8 + 6 + 5 = 19, the largest remainder (butler1's .44) gets the last one.
    assert quotas == {manager: 5, supervisor: 5, butler1: 9, butler2: 6, butler4: 5}
    assert sum(quotas.values()) == 30


def test_leader_quotas_are_configurable(three_zones, manager, supervisor, butler1, butler2, butler4):
    policy = VisitPolicy.for_community(three_zones)
    services.update_policy(policy, actor=manager, manager_quota=8, supervisor_quota=6)
    quotas = monthly_quotas(three_zones)
    # 30 − 14 = 16 for butlers: 6.752, 5.088, 4.16 → 6 + 5 + 4 = 15, +1 to butler1 (.752)
    assert quotas == {manager: 8, supervisor: 6, butler1: 7, butler2: 5, butler4: 4}
    assert sum(quotas.values()) == 30


def test_full_coverage_gives_each_butler_their_zone(three_zones, manager, butler1, butler2, butler4):
    policy = VisitPolicy.for_community(three_zones)
    services.update_policy(policy, actor=manager, coverage_mode=CoverageMode.FULL)
    assert monthly_quotas(three_zones) == {butler1: 211, butler2: 159, butler4: 130}


def test_full_coverage_proposes_exactly_the_zones_occupied_houses(community, supervisor, butler1, butler2):
    zone1 = make_houses(community, "1", actor=supervisor, butler=butler1, rooms=6)
    make_houses(community, "2", actor=supervisor, butler=butler2, rooms=6)
    make_houses(community, "9", actor=supervisor, rooms=6)  # nobody's zone
    _vacate(zone1, 1)
    House.objects.filter(pk=zone1[1].pk).update(occupancy=Occupancy.RENTED)  # a tenant lives there
    House.objects.filter(pk=zone1[2].pk).update(occupancy=Occupancy.RENOVATING)

    proposed = propose_full(community, butler1)

    assert [h.number for h in proposed] == ["1-1-102", "1-1-104", "1-1-105", "1-1-106"]


def test_a_butlers_zone_in_another_community_does_not_weigh_here(
    three_zones, community2, manager, supervisor, butler1, butler2, butler4
):
    MembershipFactory(user=butler1, community=community2, role=Role.BUTLER)
    _zone(community2, "1", butler1, occupied=100)

    assert monthly_quotas(three_zones) == {manager: 5, supervisor: 5, butler1: 9, butler2: 6, butler4: 5}
    services.update_policy(VisitPolicy.for_community(three_zones), actor=manager, coverage_mode=CoverageMode.FULL)
    assert monthly_quotas(three_zones)[butler1] == 211
