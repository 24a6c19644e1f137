"""The complaints demo's clock: its stories played in time order with the
escalation job beside them as the beat runs it, every five minutes
(`core.demo_timeline`)."""

from complaints import escalation
from complaints.models import Complaint
from core.demo_timeline import Beat, held_at, local, office_hours
from core.demo_timeline import play as play_with

BEAT = Beat(Complaint, escalation.escalate_due, 300)

__all__ = ["held_at", "local", "office_hours", "play"]


def play(stories, now):
    play_with(stories, now, BEAT)
