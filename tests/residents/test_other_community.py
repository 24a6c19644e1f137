"""Another community's archive does not exist for community-1 staff: its houses,
people, documents and residencies answer 404 and nothing of it shows (SPEC §0)."""

import pytest
from django.urls import reverse

from residents import services
from residents.models import Person, Residency
from tests.residents.conftest import PNG, upload

pytestmark = pytest.mark.django_db

COMMUNITY1_STAFF = ["butler1", "supervisor", "manager"]


@pytest.fixture
def community2_document(household_c2, butler3):
    return services.upload_document(
        house=household_c2.house, upload=upload("a.png", PNG), doc_type="other", doc_date="2026-01-01", actor=butler3
    )


@pytest.mark.parametrize("who", COMMUNITY1_STAFF)
def test_other_community_objects_are_404(client_for, people, household, household_c2, community2_document, who):
    client = client_for(people[who])
    for url in (
        reverse("residents:house_detail", args=[household_c2.house.pk]),
        reverse("residents:house_history", args=[household_c2.house.pk]),
        reverse("residents:person_detail", args=[household_c2.owner.pk]),
        reverse("residents:person_edit", args=[household_c2.owner.pk]),
        reverse("residents:document_download", args=[community2_document.pk]),
        reverse("residents:residency_end", args=[household_c2.residency.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_writes_to_another_community_change_nothing(client_for, supervisor, household, household_c2):
    client = client_for(supervisor)
    add = client.post(
        reverse("residents:resident_add", args=[household_c2.house.pk]), {"relation": "family", "name": "入侵者"}
    )
    end = client.post(reverse("residents:residency_end", args=[household_c2.residency.pk]), {"end_date": "2026-01-01"})
    assert (add.status_code, end.status_code) == (404, 404)
    assert not Person.objects.filter(name="入侵者").exists()
    assert Residency.objects.get(pk=household_c2.residency.pk).end_date is None


def test_a_person_cannot_be_linked_to_another_community_house(client_for, butler1, household, community2):
    services.create_building(community=community2, number="8", actor=butler1, units=0, floors=1, rooms_per_floor=1)
    url = reverse("residents:person_link_house", args=[household.owner.pk])
    response = client_for(butler1).post(url, {"house_number": "8-101", "relation": "owner"})
    assert response.status_code == 400
    assert "本小区没有房号 8-101" in response.content.decode()
    assert household.owner.residencies.count() == 1


def test_lists_show_nothing_of_another_community(client_for, supervisor, household, household_c2):
    client = client_for(supervisor)
    houses = client.get(reverse("residents:house_list")).content.decode()
    people = client.get(reverse("residents:person_list")).content.decode()
    assert reverse("residents:house_detail", args=[household_c2.house.pk]) not in houses
    assert reverse("residents:person_detail", args=[household_c2.owner.pk]) not in people
    assert "136****2222" not in people
