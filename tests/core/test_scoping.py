"""Seeing is scoped by community; doing is decided by roles (issue 3 §5)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.views import View

from core.choices import COMPANY_ADMIN, Role
from core.models import Community, Department, Membership
from core.permissions import RoleRequiredMixin, ScopedQuerysetMixin
from tests.factories import CommunityFactory, CompanyFactory, make_company_admin, make_staff

pytestmark = pytest.mark.django_db


def test_staff_see_only_their_community(community, community2, butler1, butler3):
    assert list(Community.objects.for_user(butler1)) == [community]
    assert set(Department.objects.for_user(butler3).values_list("community", flat=True)) == {community2.pk}


def test_company_admin_sees_every_community_of_own_company_only(company, community, community2, company_admin):
    other = CommunityFactory(company=CompanyFactory(name="别家物业"))
    visible = set(Community.objects.for_user(company_admin))
    assert visible == {community, community2}
    assert other not in visible


def test_inactive_membership_sees_nothing(community, butler1):
    Membership.objects.filter(user=butler1).update(is_active=False)
    butler1.refresh_from_db()
    assert not Community.objects.for_user(butler1).exists()


class ManagersOnly(RoleRequiredMixin, View):
    allowed_roles = (Role.MANAGER, Role.SUPERVISOR)

    def get(self, request):
        return HttpResponse("ok")


def _call(user, community):
    request = RequestFactory().get("/")
    request.user = user
    request.community = community
    return ManagersOnly.as_view()(request)


def test_roles_decide_what_a_person_may_do(community, manager, supervisor, butler1, company_admin):
    assert _call(manager, community).status_code == 200
    assert _call(supervisor, community).status_code == 200
    assert _call(company_admin, community).status_code == 200
    with pytest.raises(PermissionDenied):
        _call(butler1, community)


def test_role_in_one_community_grants_nothing_in_another(community, community2):
    person = make_staff("multi", community, Role.BUTLER)
    Membership.objects.create(user=person, community=community2, role=Role.MANAGER)
    assert _call(person, community2).status_code == 200
    with pytest.raises(PermissionDenied):
        _call(person, community)


def test_scoped_mixin_gives_404_for_other_community(rf, community, community2, butler1):
    from django.http import Http404
    from django.views.generic import DetailView

    class DepartmentDetail(ScopedQuerysetMixin, DetailView):
        model = Department
        template_name = "404.html"

    other = community2.departments.first()
    request = rf.get("/")
    request.user = butler1
    request.community = community
    with pytest.raises(Http404):
        DepartmentDetail.as_view()(request, pk=other.pk)
    mine = community.departments.first()
    assert DepartmentDetail.as_view()(request, pk=mine.pk).status_code == 200


def test_switching_community(client, community, community2):
    person = make_staff("multi", community, Role.BUTLER)
    Membership.objects.create(user=person, community=community2, role=Role.SUPERVISOR)
    client.force_login(person)
    home = client.get(reverse("core:home")).content.decode()
    assert 'id="community-switcher"' in home
    response = client.post(reverse("core:switch_community"), {"community": community2.pk, "next": "/inbox/"})
    assert response.status_code == 302 and response.url == "/inbox/"
    home = client.get(reverse("core:home")).content.decode()
    assert 'id="active-community">翠湖苑' in home and "客服主管" in home


def test_cannot_switch_to_a_community_not_yours(client, community2, butler1):
    client.force_login(butler1)
    assert client.post(reverse("core:switch_community"), {"community": community2.pk}).status_code == 404
    assert client.post(reverse("core:switch_community"), {"community": "abc"}).status_code == 404


def test_switch_ignores_offsite_next(client, community, butler1):
    client.force_login(butler1)
    response = client.post(
        reverse("core:switch_community"), {"community": community.pk, "next": "https://evil.example"}
    )
    assert response.url == reverse("core:home")


def test_company_admin_role_marker(community, company):
    admin = make_company_admin("boss", company)
    assert COMPANY_ADMIN in admin.roles_in(community)
