"""A new building generates all its houses in one step, numbered building-unit-room
(SPEC §1: e.g. 3-2-1501)."""

import pytest
from django.urls import reverse

from residents import services
from residents.models import Building, House

pytestmark = pytest.mark.django_db

FORM = {
    "number": "3",
    "name": "3号楼",
    "units": 2,
    "floors": 18,
    "first_floor": 1,
    "rooms_per_floor": 4,
    "floor_area": "89.50",
    "house_type": "residence",
    "occupancy": "not_delivered",
}


def test_two_units_18_floors_4_rooms_make_144_houses(client_for, supervisor, community):
    response = client_for(supervisor).post(reverse("residents:building_create"), FORM, follow=True)
    assert "已创建 3号楼，共 144 户" in response.content.decode()
    building = Building.objects.get(community=community, number="3")
    houses = House.objects.filter(building=building)
    assert houses.count() == 144
    assert houses.filter(unit="2").count() == 72
    numbers = set(houses.values_list("number", flat=True))
    assert {"3-1-101", "3-2-1501", "3-2-1804"} <= numbers
    assert "3-2-1805" not in numbers and "3-3-101" not in numbers and "3-1-1901" not in numbers
    house = houses.get(number="3-2-1501")
    assert (house.unit, house.floor, house.room, str(house.floor_area)) == ("2", 15, "01", "89.50")
    assert house.history.get().history_user == supervisor


def test_building_without_units_numbers_houses_without_unit(client_for, supervisor, community):
    client_for(supervisor).post(reverse("residents:building_create"), {**FORM, "units": 0, "floors": 2})
    assert sorted(House.objects.values_list("number", flat=True)) == [
        "3-101",
        "3-102",
        "3-103",
        "3-104",
        "3-201",
        "3-202",
        "3-203",
        "3-204",
    ]


def test_duplicate_building_number_is_rejected(client_for, supervisor, community):
    services.create_building(community=community, number="3", actor=supervisor, units=0, floors=1, rooms_per_floor=1)
    response = client_for(supervisor).post(reverse("residents:building_create"), FORM)
    html = response.content.decode()
    assert response.status_code == 400
    assert "本小区已有 3 号楼。" in html
    assert 'value="3号楼"' in html
    assert House.objects.count() == 1


def test_same_building_number_in_another_community_is_allowed(client_for, supervisor, community, community2, butler3):
    services.create_building(community=community2, number="3", actor=butler3, units=0, floors=1, rooms_per_floor=1)
    response = client_for(supervisor).post(reverse("residents:building_create"), FORM)
    assert response.status_code == 302
    assert House.objects.filter(community=community).count() == 144
