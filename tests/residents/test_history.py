"""Every change of the archive is in history with the user who made it (SPEC §1, STYLE 8)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from residents import services
from residents.choices import Occupancy, Relation
from residents.models import House

pytestmark = pytest.mark.django_db


def test_create_person_records_the_actor(community, butler1):
    person = services.create_person(community=community, actor=butler1, name="王芳", mobile="13800001111")
    row = person.history.get()
    assert (row.history_type, row.history_user, row.name) == ("+", butler1, "王芳")


def test_update_person_records_the_actor_and_the_change(household, butler2):
    services.update_person(household.owner, actor=butler2, preferred_contact_time="工作日晚上")
    row = household.owner.history.latest()
    assert (row.history_type, row.history_user, row.preferred_contact_time) == ("~", butler2, "工作日晚上")
    assert household.owner.history.count() == 2


def test_add_residency_records_the_actor(household, butler1, supervisor):
    person = services.create_person(community=household.house.community, actor=supervisor, name="张小梅")
    residency = services.add_residency(house=household.house, person=person, relation=Relation.FAMILY, actor=butler1)
    row = residency.history.get()
    assert (row.history_type, row.history_user, row.relation) == ("+", butler1, "family")


def test_end_residency_records_the_actor(household, butler1):
    services.end_residency(household.residency, actor=butler1, end_date=dt.date(2026, 3, 31))
    row = household.residency.history.latest()
    assert (row.history_type, row.history_user, row.end_date) == ("~", butler1, dt.date(2026, 3, 31))


def test_update_house_records_the_actor(household, manager):
    services.update_house(household.house, actor=manager, occupancy=Occupancy.OCCUPIED, floor_area=Decimal("89.50"))
    row = household.house.history.latest()
    assert (row.history_type, row.history_user, row.occupancy, row.floor_area) == (
        "~",
        manager,
        Occupancy.OCCUPIED,
        Decimal("89.50"),
    )


def test_created_houses_carry_the_creator_in_history(household, supervisor):
    first = House.history.filter(id=household.house.pk).earliest()
    assert (first.history_type, first.history_user) == ("+", supervisor)


def test_history_page_shows_who_changed_what(client_for, butler1, manager, household):
    services.update_house(household.house, actor=manager, occupancy=Occupancy.RENOVATING)
    html = client_for(butler1).get(reverse("residents:house_history", args=[household.house.pk])).content.decode()
    assert manager.display_name in html
    assert "入住状态" in html and "未交付 → 装修中" in html


def test_edit_through_the_page_records_the_logged_in_user(client_for, butler2, household):
    data = {"name": "张伟", "id_type": "resident_id", "notes": "腿脚不便"}
    client_for(butler2).post(reverse("residents:person_edit", args=[household.owner.pk]), data)
    row = household.owner.history.latest()
    assert (row.history_user, row.notes) == (butler2, "腿脚不便")
