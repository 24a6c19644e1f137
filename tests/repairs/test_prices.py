"""The 特约服务收费标准 (issue 9 §7; [001 L200], [003 L451]): drafted, approved by
the manager, in force for a period; quotes use only the list in force."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from repairs import services
from repairs.models import PriceItem, PriceList


def _draft(community, actor, valid_from, price):
    pl = PriceList.objects.create(community=community, valid_from=valid_from, drafted_by=actor)
    PriceItem.objects.create(price_list=pl, name="更换水龙头", unit="个", unit_price=Decimal(price))
    return pl


def test_only_the_manager_approves_and_a_new_list_ends_the_old_one(clock, community, supervisor, manager):
    old = _draft(community, supervisor, dt.date(2026, 1, 1), "20.00")
    with pytest.raises(PermissionDenied):
        services.approve_price_list(old, actor=supervisor)
    services.approve_price_list(old, actor=manager)
    new = _draft(community, supervisor, dt.date(2026, 12, 1), "25.00")
    services.approve_price_list(new, actor=manager)
    old.refresh_from_db()
    assert old.valid_to == dt.date(2026, 11, 30)
    assert [i.unit_price for i in services.approved_price_items(community, dt.date(2026, 11, 30))] == [Decimal("20.00")]
    assert [i.unit_price for i in services.approved_price_items(community, dt.date(2026, 12, 1))] == [Decimal("25.00")]


def test_a_quote_cannot_use_a_draft_price(clock, order, supervisor, tech, community):
    draft = _draft(community, supervisor, dt.date(2026, 1, 1), "99.00")
    o = services.dispatch(order(), actor=supervisor, technician=tech)
    o = services.arrive(o, actor=tech, entry_agreed=True)
    with pytest.raises(ValidationError):
        services.quote(o, actor=tech, lines=[(draft.items.get(), 1)])


def test_supervisor_drafts_manager_approves_on_the_page_and_staff_see_it(
    clock, community, supervisor, manager, tech1, client_for
):
    response = client_for(supervisor).post(
        reverse("repairs:prices"), {"title": "特约服务收费标准", "valid_from": "2026-12-01"}
    )
    pl = PriceList.objects.get()
    assert response.url == reverse("repairs:price_list", args=[pl.pk])
    client_for(supervisor).post(
        reverse("repairs:price_list", args=[pl.pk]),
        {"which": "item", "item-name": "疏通下水道", "item-unit": "次", "item-unit_price": "50.00", "item-sort": "1"},
    )
    assert client_for(tech1).get(reverse("repairs:price_list", args=[pl.pk])).status_code == 404  # a draft
    client_for(supervisor).post(reverse("repairs:price_list", args=[pl.pk]), {"which": "approve"})
    pl.refresh_from_db()
    assert pl.status == "draft"  # the supervisor may not approve
    client_for(manager).post(reverse("repairs:price_list", args=[pl.pk]), {"which": "approve"})
    pl.refresh_from_db()
    assert pl.status == "approved" and pl.approved_by == manager
    page = client_for(tech1).get(reverse("repairs:price_list", args=[pl.pk])).content.decode()
    assert "疏通下水道" in page and "50.00" in page
