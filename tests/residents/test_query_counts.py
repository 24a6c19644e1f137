"""Lists and the household 360° page run a fixed number of queries whatever
their length (selectors.py; STYLE 10)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from residents import services
from residents.choices import Relation
from residents.models import House
from tests.residents.conftest import PNG, upload

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 1, 1)
LATER = dt.date(2099, 1, 1)


def count_queries(client, url, expect_text):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert expect_text in response.content.decode()
    return len(queries.captured_queries)


def fill_houses(community, actor, number, n, butler):
    """A building of `n` houses in `butler`'s zone, each with an owner, a family member and a long absence."""
    building = services.create_building(
        community=community, number=number, actor=actor, units=0, floors=1, rooms_per_floor=n
    )
    services.assign_zone(community=community, butler=butler, buildings=[building], actor=actor)
    for index, house in enumerate(House.objects.filter(building=building)):
        owner = services.add_resident(
            house=house, relation=Relation.OWNER, actor=actor, name=f"业主{number}-{index}", mobile=f"138{index:08d}"
        )
        services.add_residency(house=house, person=owner, relation=Relation.FAMILY, actor=actor)
        services.record_absence(house=house, from_date=TODAY, to_date=LATER, actor=actor)


def test_house_list_queries_do_not_grow_with_rows(client_for, supervisor, butler1, butler2, community):
    client = client_for(supervisor)
    url = reverse("residents:house_list")
    fill_houses(community, supervisor, "1", 1, butler1)
    one = count_queries(client, url, "业主1-0")
    fill_houses(community, supervisor, "2", 24, butler2)
    many = count_queries(client, url, "业主2-23")
    assert House.objects.count() == 25
    assert many == one


def test_person_list_queries_do_not_grow_with_rows(client_for, supervisor, butler1, butler2, community):
    client = client_for(supervisor)
    url = reverse("residents:person_list")
    fill_houses(community, supervisor, "1", 1, butler1)
    one = count_queries(client, url, "1-101(产权人)")
    fill_houses(community, supervisor, "2", 24, butler2)
    many = count_queries(client, url, "2-124(家属)")
    assert many == one


def fill_household(house, actor, start, n):
    for index in range(start, start + n):
        services.add_resident(
            house=house,
            relation=Relation.FAMILY,
            actor=actor,
            name=f"家属{index}",
            mobile=f"139{index:08d}",
            is_key_resident=index % 2 == 0,
            key_reason="elderly_alone" if index % 2 == 0 else "",
        )
        services.add_pet(house=house, actor=actor, kind="犬", name=f"旺财{index}")
        services.add_vehicle(house=house, actor=actor, plate=f"沪A{index:05d}")
        document = services.upload_document(
            house=house, upload=upload("a.png", PNG), doc_type="other", doc_date=TODAY, actor=actor
        )
        services.upload_document(
            house=house, upload=upload("b.png", PNG), doc_type="other", doc_date=TODAY, actor=actor, supersedes=document
        )


def test_house_360_page_queries_do_not_grow_with_the_household(client_for, butler1, household, supervisor):
    client = client_for(butler1)
    house = household.house
    url = reverse("residents:house_detail", args=[house.pk])
    fill_household(house, supervisor, 0, 1)
    one = count_queries(client, url, "旺财0")
    fill_household(house, supervisor, 1, 24)
    services.end_residency(household.residency, actor=supervisor)
    many = count_queries(client, url, "沪A00024")
    assert many == one
