"""`seed_demo` creates the demo accounts once (issue 3 §11). It runs at a small
scale here: the archive's 1,500 demo households are not what these tests check."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from core.choices import Role
from core.demo import DEMO_PASSWORD
from core.models import Community, Department, Membership, User
from residents.models import House

pytestmark = pytest.mark.django_db

ACCOUNTS = [
    "admin",
    "manager",
    "supervisor",
    "butler1",
    "butler2",
    "frontdesk",
    "tech1",
    "tech2",
    "engineer",
    "finance",
    "butler3",
]


def _counts():
    return (User.objects.count(), Community.objects.count(), Membership.objects.count(), Department.objects.count())


def test_seed_demo_is_idempotent_and_every_account_logs_in():
    call_command("seed_demo", scale=0.02, through="core", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", scale=0.02, through="core", stdout=io.StringIO())
    assert _counts() == first
    assert first[:2] == (11, 2)
    request = RequestFactory().post("/accounts/login/")
    for username in ACCOUNTS:
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None, username


def test_seed_demo_roles():
    call_command("seed_demo", scale=0.02, through="core", stdout=io.StringIO())
    one, two = Community.objects.order_by("pk")
    assert User.objects.get(username="admin").is_company_admin
    assert User.objects.get(username="butler1").has_role(one, Role.BUTLER)
    assert not User.objects.get(username="butler3").has_role(one, Role.BUTLER)
    assert User.objects.get(username="butler3").has_role(two, Role.BUTLER)
    assert set(one.departments.values_list("name", flat=True)) == {"客服部", "工程部", "秩序部", "环境部", "财务部"}


def test_seed_demo_through_an_app_stops_after_it_and_refuses_an_unknown_one():
    call_command("seed_demo", scale=0.02, through="core", stdout=io.StringIO())
    assert not House.objects.exists()
    with pytest.raises(CommandError, match="--through"):
        call_command("seed_demo", through="nonsense", stdout=io.StringIO())
