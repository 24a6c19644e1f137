"""The demo archive (residents/demo.py): personal data in valid formats, zones
split as documented, and a second `seed_demo` adds nothing."""

import io

import pytest
from django.core.management import call_command

from core.models import Community, User
from residents.choices import IdType, KeyReason, Occupancy, Relation
from residents.demo.identity import resident_id_check_char
from residents.models import Absence, Building, House, Person, Pet, Residency, Vehicle, ZoneAssignment
from residents.validators import (
    MOBILE_RE,
    birth_date_from_resident_id,
    validate_id_number,
    validate_plate,
    validate_resident_id,
)

pytestmark = pytest.mark.django_db

SCALE = 0.1  # 8 buildings of 2 floors in 阳光花园: every kind of row, in about a second
ARCHIVE = (Building, House, Person, Residency, Pet, Vehicle, ZoneAssignment, Absence)


def _seed():
    call_command("seed_demo", scale=SCALE, through="residents", stdout=io.StringIO())


def _counts():
    counts = {model.__name__: model.objects.count() for model in ARCHIVE}
    for model in ARCHIVE:
        if model is not ZoneAssignment:  # its rows are its history
            counts[f"history of {model.__name__}"] = model.history.count()
    return counts


@pytest.fixture
def communities():
    _seed()
    return list(Community.objects.order_by("pk"))


def test_second_seed_adds_nothing(communities):
    first = _counts()
    _seed()
    assert _counts() == first
    assert first["House"] > 0 and first["Person"] > first["House"]


def test_check_char_helper_agrees_with_a_known_number():
    assert resident_id_check_char("11010519491231002") == "X"


def test_every_id_number_is_valid_and_gives_the_birth_date(communities):
    people = list(Person.objects.all())
    residents = [p for p in people if p.id_type == IdType.RESIDENT_ID]
    assert len(residents) > 0.9 * len(people)
    for person in residents:
        validate_resident_id(person.id_number)
        assert person.birth_date == birth_date_from_resident_id(person.id_number), person.id_number
    for person in people:
        validate_id_number(person.id_type, person.id_number)


def test_every_mobile_is_a_mainland_mobile(communities):
    people = list(Person.objects.all())
    assert sum(bool(p.mobile) for p in people) > len(people) / 2
    for person in people:
        assert person.mobile == "" or MOBILE_RE.fullmatch(person.mobile), person.mobile
        assert person.mobile_last4 == person.mobile[-4:]


def test_every_plate_is_valid_and_some_are_new_energy(communities):
    plates = list(Vehicle.objects.values_list("plate", flat=True))
    for plate in plates:
        validate_plate(plate)
    assert any(len(plate) == 8 for plate in plates)
    assert len(set(plates)) == len(plates)


def test_butler1_and_butler2_each_own_half_of_sunshine(communities):
    sunshine = communities[0]
    total = House.objects.filter(community=sunshine).count()
    for username in ("butler1", "butler2"):
        owned = House.objects.filter(community=sunshine, butler__username=username).count()
        assert abs(owned - total / 2) <= total * 0.05, (username, owned, total)
    zones = ZoneAssignment.objects.filter(community=sunshine, ended_at__isnull=True)
    assert set(zones.values_list("assigned_by__username", flat=True)) == {"supervisor"}


def test_butler3_owns_all_of_lakeside(communities):
    lakeside = communities[1]
    butler3 = User.objects.get(username="butler3")
    assert House.objects.filter(community=lakeside).exclude(butler=butler3).count() == 0
    assert House.objects.filter(community=lakeside).count() > 0


def test_people_are_registered_by_their_zone_butler(communities):
    residency = Residency.objects.filter(house__community=communities[0], house__butler__username="butler2").first()
    record = residency.person.history.get()
    assert record.history_user.username == "butler2"
    assert residency.created_by.username == "butler2"


def test_demo_shows_every_kind_of_record(communities):
    sunshine = communities[0]
    states = set(House.objects.filter(community=sunshine).values_list("occupancy", flat=True))
    assert states == set(Occupancy.values)
    relations = set(Residency.objects.filter(house__community=sunshine).values_list("relation", flat=True))
    assert relations == set(Relation.values)
    reasons = set(Person.objects.filter(community=sunshine, is_key_resident=True).values_list("key_reason", flat=True))
    assert reasons == set(KeyReason.values)
    assert Person.objects.filter(community=sunshine, committee_role="chair").count() == 1
    assert Pet.objects.filter(house__community=sunshine).exists()
    assert Absence.objects.filter(community=sunshine, cleared_at__isnull=True).exists()
    occupied_without_owner = House.objects.filter(community=sunshine).exclude(occupancy=Occupancy.NOT_DELIVERED)
    assert not occupied_without_owner.exclude(residencies__relation=Relation.OWNER).exists()
