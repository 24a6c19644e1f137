"""Archives are kept permanently and never hard-deleted: no delete URL, no delete
in the admin, and moving out ends a link instead of removing anyone (SPEC §1)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import get_resolver, reverse

from residents.models import Document, House, Person, Residency

pytestmark = pytest.mark.django_db


def residents_url_names():
    resolver = get_resolver()
    namespace = resolver.namespace_dict["residents"][1]
    return {name for name in namespace.reverse_dict if isinstance(name, str)}


def test_no_archive_url_deletes():
    names = residents_url_names()
    assert "house_detail" in names  # the walk found the app's URLs
    assert [name for name in names if "delete" in name or "remove" in name] == []


def test_http_delete_is_refused_and_changes_nothing(client_for, supervisor, household):
    client = client_for(supervisor)
    for url in (
        reverse("residents:house_detail", args=[household.house.pk]),
        reverse("residents:person_detail", args=[household.owner.pk]),
        reverse("residents:residency_end", args=[household.residency.pk]),
    ):
        assert client.delete(url).status_code == 405, url
    assert House.objects.filter(pk=household.house.pk).exists()
    assert Person.objects.filter(pk=household.owner.pk).exists()
    assert Residency.objects.get(pk=household.residency.pk).end_date is None


@pytest.mark.parametrize("model", [House, Person, Residency, Document])
def test_admin_has_no_delete_permission(company_admin, model):
    request = RequestFactory().get("/admin/")
    request.user = company_admin
    assert admin.site._registry[model].has_delete_permission(request) is False


def test_admin_delete_page_is_refused_for_company_admin(client_for, company_admin, household):
    client = client_for(company_admin)
    url = reverse("admin:residents_person_delete", args=[household.owner.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse("admin:residents_house_changelist")).content.decode()
    assert "delete_selected" not in changelist
    assert Person.objects.filter(pk=household.owner.pk).exists()


def test_moving_out_keeps_the_person_and_sets_end_date(client_for, butler1, household):
    url = reverse("residents:residency_end", args=[household.residency.pk])
    response = client_for(butler1).post(url, {"end_date": "2026-03-31"}, follow=True)
    html = response.content.decode()
    assert "已从 3-1-101 迁出，档案保留" in html
    assert "2026-03-31 迁出" in html  # listed under 已迁出 on the 360° page
    residency = Residency.objects.get(pk=household.residency.pk)
    assert str(residency.end_date) == "2026-03-31"
    assert Person.objects.filter(pk=household.owner.pk).exists()
    person_page = client_for(butler1).get(reverse("residents:person_detail", args=[household.owner.pk]))
    assert "2026-03-31 迁出" in person_page.content.decode()
