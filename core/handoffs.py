"""Hand-offs between apps that do not know each other (SPEC §2.2, §4, §5): a
visit follow-up becomes a complaint or a work order, a complaint becomes a work
order. The receiving app registers, from its AppConfig.ready, a link to its
intake page for a kind of source record; the source's page lists the links and
appends `?<source>=<pk>`. The receiving app creates its record and links back.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Handoff:
    key: str
    label: str
    url_name: str
    icon: str = "arrow-right-circle"
    order: int = 100


_handoffs = {}


def register(source, handoff):
    """Offer `handoff` on records of kind `source` ("follow_up", "complaint")."""
    _handoffs.setdefault(source, {})[handoff.key] = handoff


def links(source):
    """[{label, icon, url}] in order; the template appends ?<source>=<pk>."""
    rows = sorted(_handoffs.get(source, {}).values(), key=lambda h: (h.order, h.key))
    return [{"label": h.label, "icon": h.icon, "url": reverse(h.url_name)} for h in rows]
