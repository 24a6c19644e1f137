"""Butler zones: a supervisor assigns buildings (or single houses) to butlers;
reassigning keeps history; a butler's lists default to their own zone (SPEC §1)."""

import pytest
from django.urls import reverse

from residents import services
from residents.models import House, ZoneAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(community, supervisor):
    return services.create_building(
        community=community, number="7", actor=supervisor, units=0, floors=2, rooms_per_floor=2
    )


def assign(client, building=None, butler=None, house_number=None):
    data = {"butler": butler.pk if butler else ""}
    if building is not None:
        data["building"] = building.pk
    if house_number is not None:
        data["house_number"] = house_number
    return client.post(reverse("residents:zones"), data, follow=True)


def butlers_of(building):
    return set(House.objects.filter(building=building).values_list("butler__username", flat=True))


def test_supervisor_assigns_then_reassigns_a_building_keeping_history(
    client_for, supervisor, butler1, butler2, building
):
    client = client_for(supervisor)
    response = assign(client, building, butler1)
    assert "已分配给" in response.content.decode()
    assert butlers_of(building) == {"butler1"}

    assign(client, building, butler2)
    assert butlers_of(building) == {"butler2"}
    old, new = ZoneAssignment.objects.filter(building=building).order_by("pk")
    assert (old.butler, new.butler) == (butler1, butler2)
    assert old.ended_at is not None and new.ended_at is None
    assert (old.assigned_by, new.assigned_by) == (supervisor, supervisor)

    house = House.objects.filter(building=building).first()
    butlers_in_history = [row.butler_id for row in house.history.order_by("history_id")]
    assert butlers_in_history == [None, butler1.pk, butler2.pk]
    assert {row.history_user for row in house.history.exclude(history_type="+")} == {supervisor}

    page = client.get(reverse("residents:zones")).content.decode()
    assert butler1.display_name in page and butler2.display_name in page


def test_single_house_assignment_outranks_the_building(client_for, supervisor, butler1, butler2, building):
    client = client_for(supervisor)
    assign(client, building, butler1)
    response = assign(client, butler=butler2, house_number="7-101")
    assert "已单独分配给" in response.content.decode()
    single = House.objects.get(number="7-101")
    assert single.butler == butler2

    assign(client, building, None)  # take the building out of every zone
    assert House.objects.get(number="7-101").butler == butler2
    assert set(House.objects.exclude(number="7-101").filter(building=building).values_list("butler", flat=True)) == {
        None
    }

    assign(client, building, butler1)
    assert House.objects.get(number="7-101").butler == butler2
    assert House.objects.get(number="7-102").butler == butler1


def test_unknown_house_number_is_reported_in_chinese(client_for, supervisor, butler1, building):
    response = assign(client_for(supervisor), butler=butler1, house_number="9-999")
    assert "本小区没有房号 9-999" in response.content.decode()
    assert not ZoneAssignment.objects.exists()


def list_numbers(client, url):
    html = client.get(url).content.decode()
    return {number for number in ("3-1-101", "5-1-101") if number in html}


def test_butler_house_list_defaults_to_own_zone(client_for, butler1, household, household_b2):
    client = client_for(butler1)
    assert list_numbers(client, reverse("residents:house_list")) == {"3-1-101"}
    assert list_numbers(client, reverse("residents:house_list") + "?scope=all") == {"3-1-101", "5-1-101"}


def test_butler_person_list_defaults_to_own_zone(client_for, butler1, household, household_b2):
    client = client_for(butler1)
    assert "李娜" not in client.get(reverse("residents:person_list")).content.decode()
    assert "李娜" in client.get(reverse("residents:person_list") + "?scope=all").content.decode()


def test_supervisor_house_list_defaults_to_whole_community(client_for, supervisor, household, household_b2):
    assert list_numbers(client_for(supervisor), reverse("residents:house_list")) == {"3-1-101", "5-1-101"}
