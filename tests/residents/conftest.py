"""Small builders for the resident-archive tests: a household in butler1's zone,
one in butler2's zone, the same-looking household in community 2, and upload bytes."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from residents import services
from residents.choices import Relation
from residents.models import Building, House, Person, Residency

OWNER_NAME = "张伟"
OWNER_MOBILE = "13912345678"
OWNER_MASKED_MOBILE = "139****5678"
OWNER_ID = "11010519491231002X"
OWNER_MASKED_ID = "110***********002X"

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@dataclass
class Household:
    building: Building
    house: House
    owner: Person
    residency: Residency


def make_household(community, *, number, butler, actor, owner_name=OWNER_NAME, **owner_fields):
    """Building `number` (2 units × 2 floors × 2 rooms) in `butler`'s zone, with an owner in `number`-1-101."""
    building = services.create_building(
        community=community, number=number, actor=actor, units=2, floors=2, rooms_per_floor=2
    )
    services.assign_zone(community=community, butler=butler, buildings=[building], actor=actor)
    house = House.objects.get(community=community, number=f"{number}-1-101")
    owner = services.add_resident(house=house, relation=Relation.OWNER, actor=actor, name=owner_name, **owner_fields)
    return Household(building, house, owner, owner.residencies.get())


@pytest.fixture
def household(community, supervisor, butler1):
    """House 3-1-101 in butler1's zone; its owner 张伟 has a mobile and an ID number."""
    return make_household(
        community, number="3", butler=butler1, actor=supervisor, mobile=OWNER_MOBILE, id_number=OWNER_ID
    )


@pytest.fixture
def household_b2(community, supervisor, butler2):
    """House 5-1-101 in butler2's zone, owner 李娜."""
    return make_household(
        community, number="5", butler=butler2, actor=supervisor, owner_name="李娜", mobile="13787654321"
    )


@pytest.fixture
def household_c2(community, community2, butler3):
    """Community 2's house 3-1-101: same number, same owner name and ID number as `household`."""
    return make_household(
        community2, number="3", butler=butler3, actor=butler3, mobile="13611112222", id_number=OWNER_ID
    )


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
