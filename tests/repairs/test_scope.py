"""Who sees which work order, and the logged reveal of the owner's phone (issue 9 §6)."""

import pytest
from django.urls import reverse

from repairs import services
from residents.models import Person, Residency, RevealLog


@pytest.fixture
def owner_person(community, house):
    person = Person.objects.create(community=community, name="张三", mobile="13912345678")
    Residency.objects.create(house=house, person=person, relation="owner")
    return person


def test_technician_sees_only_own_orders_another_is_404(clock, order, supervisor, tech, tech2, client_for):
    mine = services.dispatch(order(), actor=supervisor, technician=tech)
    theirs = services.dispatch(order(), actor=supervisor, technician=tech2)
    client = client_for(tech)
    assert client.get(reverse("repairs:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("repairs:detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("repairs:accept", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("repairs:mine")).content.decode()
    assert mine.number in page and theirs.number not in page
    listing = client.get(reverse("repairs:list") + "?show=all").content.decode()
    assert mine.number in listing and theirs.number not in listing


def test_another_communitys_order_is_404_for_every_role(clock, order, people, client_for):
    o = order()
    for name in ("butler3",):
        assert client_for(people[name]).get(reverse("repairs:detail", args=[o.pk])).status_code == 404


def test_the_technicians_screens_have_no_payment_action(clock, order, supervisor, tech, client_for):
    o = services.dispatch(order(), actor=supervisor, technician=tech)
    page = client_for(tech).get(reverse("repairs:detail", args=[o.pk])).content.decode()
    for word in ("收款", "收费成功", "现金", "微信支付", "payment"):
        assert word not in page


def test_reveal_through_the_archive_is_logged_with_the_order_as_purpose(
    clock, order, supervisor, tech, owner_person, client_for
):
    o = services.dispatch(order(reporter=owner_person, contact=""), actor=supervisor, technician=tech)
    response = client_for(tech).post(reverse("repairs:contact", args=[o.pk]))
    assert response.status_code == 200
    assert 'href="tel:13912345678"' in response.content.decode()
    log = RevealLog.objects.get()
    assert log.actor == tech and log.person == owner_person and log.purpose == f"维修工单 {o.number}"
    assert log.object_id == str(o.pk)
    assert o.events.filter(action="contact_viewed", actor=tech).exists()


def test_a_technician_of_another_order_may_not_reveal(clock, order, supervisor, tech, tech2, owner_person, client_for):
    o = services.dispatch(order(reporter=owner_person, contact=""), actor=supervisor, technician=tech)
    assert client_for(tech2).post(reverse("repairs:contact", args=[o.pk])).status_code == 404
    assert not RevealLog.objects.exists()
