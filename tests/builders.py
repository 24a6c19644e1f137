"""Builders every app's tests use: literal Asia/Shanghai times, zones of houses,
an inbox reader and a settable clock."""

import datetime as dt

from django.utils import timezone

from core.models import Reminder
from residents import services as archive
from residents.choices import Occupancy
from residents.models import House


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


class Clock:
    """Stands in for `django.utils.timezone.now`: services that read the time see `now`."""

    def __init__(self, now):
        self.now = now

    def set(self, *args):
        self.now = at(*args)


def act_as(page, user, live_server, settings):
    """The browser `page` logged in as `user`: a session cookie made by the test
    client (no login form, no lock-out counting), replacing any earlier one."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    return page
