"""What other apps offer on an open follow-up ("转投诉", "转工单"): the
`core.handoffs` registry for the source "follow_up" — visits knows none of them
(SPEC §2.2). The receiving app creates its record and calls
`visits.services.convert_follow_up`."""

from core import handoffs
from core.handoffs import Handoff as FollowUpAction

__all__ = ["FollowUpAction", "links", "register"]


def register(action):
    handoffs.register("follow_up", action)


def links():
    return handoffs.links("follow_up")
