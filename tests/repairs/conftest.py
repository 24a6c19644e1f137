"""Builders for the repairs tests: the 工程部 (engineer heads it; tech1 and tech2
work in it), an approved price list, and `order(**overrides)`."""

import datetime as dt
from decimal import Decimal

import pytest

from core.choices import DepartmentKind, Role
from core.models import Department, Membership
from repairs import services
from repairs.choices import PriceListStatus, Source
from repairs.models import PriceItem, PriceList, RepairCategory
from tests.factories import make_staff


@pytest.fixture
def engineering(community):
    return Department.objects.get(community=community, kind=DepartmentKind.ENGINEERING)


@pytest.fixture
def engineer(community, engineering):
    """The 工程部 head (a technician who heads the department)."""
    user = make_staff("engineer", community, Role.TECHNICIAN, department=engineering)
    engineering.head = user
    engineering.save(update_fields=["head"])
    return user


@pytest.fixture
def tech(tech1, engineering):
    """tech1, placed in the 工程部."""
    Membership.objects.filter(user=tech1).update(department=engineering)
    return tech1


@pytest.fixture
def tech2(community, engineering):
    return make_staff("tech2", community, Role.TECHNICIAN, department=engineering)


@pytest.fixture
def category(community):
    def get(name):
        services.categories_for(community)
        return RepairCategory.objects.get(community=community, name=name)

    return get


@pytest.fixture
def price_list(community, manager):
    """An approved 特约服务收费标准 in force since 2026-01-01."""
    pl = PriceList.objects.create(
        community=community, valid_from=dt.date(2026, 1, 1), status=PriceListStatus.APPROVED, drafted_by=manager
    )
    PriceItem.objects.create(price_list=pl, name="更换PPR水管", unit="m", unit_price=Decimal("12.25"))
    PriceItem.objects.create(price_list=pl, name="更换水龙头（人工）", unit="个", unit_price=Decimal("20.00"))
    return pl


@pytest.fixture
def order(community, frontdesk, house, category):
    """`order(**overrides)`: a 一般 水 order in 1-1-101 taken by the front desk by phone."""

    def make(**overrides):
        fields = {
            "community": community,
            "actor": frontdesk,
            "source": Source.PHONE,
            "category": category("水"),
            "house": house,
            "reporter_name": "张先生",
            "contact": "13812345678",
            "description": "厨房水龙头漏水",
        }
        fields.update(overrides)
        return services.receive_order(**fields)

    return make
