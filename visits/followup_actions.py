"""What other apps offer on an open follow-up ("转投诉", "转工单"), registered
from their AppConfig.ready — visits knows none of them (SPEC §2.2). An action is
a link to the other app's intake page with `?follow_up=<pk>`; that app creates
its record and calls `visits.services.convert_follow_up`."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class FollowUpAction:
    key: str
    label: str
    url_name: str
    icon: str = "arrow-right-circle"
    order: int = 100


_actions = {}


def register(action):
    _actions[action.key] = action


def links():
    """[(label, icon, base url)] in order; the template appends ?follow_up=<pk>."""
    return [
        {"label": a.label, "icon": a.icon, "url": reverse(a.url_name)}
        for a in sorted(_actions.values(), key=lambda a: (a.order, a.key))
    ]
