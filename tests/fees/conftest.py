"""Builders for the fees tests: a handed-over house of 89.50 m² in butler1's zone
and the 物业服务费 at 2.35 元/m²/month from 2026-01-01."""

import datetime as dt
from decimal import Decimal

import pytest

from fees import services


@pytest.fixture
def service_item(community):
    return next(i for i in services.items_for(community) if i.name == "物业服务费")


@pytest.fixture
def billed_house(house, manager, service_item):
    house.floor_area, house.handover_date = Decimal("89.50"), dt.date(2025, 6, 1)
    house.save(update_fields=["floor_area", "handover_date"])
    services.set_rate(service_item, actor=manager, unit_price="2.35", valid_from=dt.date(2026, 1, 1))
    return house
