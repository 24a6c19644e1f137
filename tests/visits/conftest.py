"""Builders for the visits tests: literal Asia/Shanghai times, zones of houses,
a stand-in source for return-visit triggers (the complaints and repairs apps do
not exist yet), a listener on `return_visit_done` and an inbox reader."""

import datetime as dt

import pytest
from django.utils import timezone

from core.models import Department, Reminder
from residents import services as archive
from residents.choices import Occupancy
from residents.models import House
from visits import engine


def at(year, month, day, hour=10, minute=0, second=0):
    """A literal wall-clock time in Asia/Shanghai (TIME_ZONE), aware."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute, second))


def make_houses(community, number, *, actor, butler=None, units=1, floors=1, rooms=4, occupancy=Occupancy.OCCUPIED):
    """Building `number` with units × floors × rooms houses, in `butler`'s zone when given."""
    building = archive.create_building(
        community=community,
        number=number,
        actor=actor,
        units=units,
        floors=floors,
        rooms_per_floor=rooms,
        occupancy=occupancy,
    )
    if butler is not None:
        archive.assign_zone(community=community, butler=butler, buildings=[building], actor=actor)
    return list(House.objects.filter(building=building).order_by("pk"))


def inbox(user, kind):
    """The texts of `user`'s reminders of `kind`, oldest first."""
    return list(Reminder.objects.filter(recipient=user, kind=kind).order_by("pk").values_list("text", flat=True))


@pytest.fixture
def zone1(community, supervisor, butler1):
    """Four occupied houses 1-1-101 … 1-1-104 in butler1's zone."""
    return make_houses(community, "1", actor=supervisor, butler=butler1)


@pytest.fixture
def house(zone1):
    """1-1-101, butler1's."""
    return zone1[0]


@pytest.fixture
def stand_in(community):
    """`stand_in(name)`: a saved model instance standing in for a complaint or work order."""

    def make(name):
        return Department.objects.create(community=community, name=name)

    return make


@pytest.fixture
def done_signals():
    """Every `return_visit_done` sent during the test, as (return visit pk, visit pk)."""
    sent = []

    def receiver(sender, return_visit, visit, **kwargs):
        sent.append((return_visit.pk, visit.pk))

    engine.return_visit_done.connect(receiver, weak=False)
    yield sent
    engine.return_visit_done.disconnect(receiver)


class Clock:
    """Stands in for `django.utils.timezone.now`: services that read the time see `now`."""

    def __init__(self, now):
        self.now = now

    def set(self, *args):
        self.now = at(*args)


@pytest.fixture
def clock(monkeypatch):
    """A settable clock, starting at 2026-11-02 09:00 in Asia/Shanghai."""
    clock = Clock(at(2026, 11, 2, 9))
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock
