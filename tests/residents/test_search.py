"""One search box finds a house by number prefix, a person by name or the last four
digits of the mobile (shown masked), and a vehicle by plate — in one's own community."""

import re

import pytest
from django.urls import reverse

from residents import services
from residents.models import House
from tests.residents.conftest import OWNER_MASKED_MOBILE, OWNER_MOBILE

pytestmark = pytest.mark.django_db


@pytest.fixture
def vehicles(household, household_c2, supervisor, butler3):
    services.add_vehicle(house=household.house, actor=supervisor, plate="沪AD12345", parking_space="B2-018")
    services.add_vehicle(house=household_c2.house, actor=butler3, plate="沪AD12399")


def search(client, q):
    response = client.get(reverse("residents:search"), {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="search-results"') :]


def linked(html, url_name):
    """The pks of the objects `html` links to through `url_name`."""
    prefix = reverse(url_name, args=[0])[:-2]
    return {int(pk) for pk in re.findall(re.escape(prefix) + r"(\d+)/", html)}


def test_house_found_by_number_prefix(client_for, butler1, household, household_c2):
    html = search(client_for(butler1), "3-1-1")
    expected = House.objects.filter(community=household.house.community, number__in=["3-1-101", "3-1-102"])
    assert linked(html, "residents:house_detail") == set(expected.values_list("pk", flat=True))
    assert "3-1-201" not in html


def test_person_found_by_name(client_for, butler1, household, household_c2):
    html = search(client_for(butler1), "张")
    assert linked(html, "residents:person_detail") == {household.owner.pk}
    assert "3-1-101" in html


def test_person_found_by_last_four_digits_shows_masked_mobile(client_for, butler1, household, household_c2):
    html = search(client_for(butler1), "5678")
    assert linked(html, "residents:person_detail") == {household.owner.pk}
    assert OWNER_MASKED_MOBILE in html
    assert OWNER_MOBILE not in html
    assert linked(search(client_for(butler1), "2222"), "residents:person_detail") == set()  # community 2's mobile


def test_vehicle_found_by_plate(client_for, frontdesk, household, vehicles):
    html = search(client_for(frontdesk), "沪ad 123")
    assert "沪AD12345" in html and "B2-018" in html
    assert "沪AD12399" not in html
    assert linked(html, "residents:house_detail") == {household.house.pk}


def test_nothing_found_says_so(client_for, butler1, household):
    html = search(client_for(butler1), "不存在的人")
    assert html.count("无</div>") == 3
