"""Visit lists and the butler's today page run the same number of queries with 1
and with 25 rows (issue 5 acceptance)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from residents import services as archive
from residents.models import House
from visits import engine, services
from visits.choices import Trigger

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone(community, supervisor, butler1):
    building = archive.create_building(
        community=community, number="7", actor=supervisor, units=1, floors=13, rooms_per_floor=4, occupancy="occupied"
    )
    archive.assign_zone(community=community, butler=butler1, buildings=[building], actor=supervisor)
    return list(House.objects.filter(building=building).order_by("pk"))


def _fill(houses, butler, count):
    now = timezone.now()
    started = now - dt.timedelta(hours=2)
    for house in houses[:count]:
        services.log_visit(
            house=house,
            actor=butler,
            started_at=started,
            channel="survey",
            visit_type="routine",
            opinions=[("cleaning", "楼道"), ("greening", "草坪")],
            follow_ups=[{"description": "答复", "due_at": now + dt.timedelta(days=1)}],
        )
        engine.raise_return_visit(Trigger.COUNTER_QUESTION, house=house, occurred_at=now - dt.timedelta(days=2))


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "marker"),
    [
        ("visits:visit_list", "/visits/records/"),
        ("visits:review", "review-"),
        ("visits:follow_up_list", "follow-up-"),
        ("visits:return_visit_list", "回访</a>"),
        ("visits:today", "/visits/records/"),
    ],
)
def test_same_queries_for_1_and_25_rows(client, zone, butler1, supervisor, url_name, marker):
    user = supervisor if url_name in ("visits:review", "visits:return_visit_list") else butler1
    owner = supervisor if url_name == "visits:return_visit_list" else butler1
    _fill(zone, owner if url_name == "visits:return_visit_list" else butler1, 1)
    client.force_login(user)
    query = "?show=due" if url_name == "visits:return_visit_list" else "?show=open" if "follow_up" in url_name else ""
    one, html_one = _queries(client, reverse(url_name) + query)
    _fill(zone[1:], butler1, 24)
    many, html_many = _queries(client, reverse(url_name) + query)
    assert html_many.count(marker) > html_one.count(marker)
    assert many == one


def test_house_panel_fixed_queries(client, zone, butler1):
    _fill(zone, butler1, 1)
    client.force_login(butler1)
    url = reverse("residents:house_detail", args=[zone[0].pk])
    one, _ = _queries(client, url)
    for _ in range(12):
        _fill(zone, butler1, 1)
    many, html = _queries(client, url)
    assert "走访与跟进" in html
    assert many == one
