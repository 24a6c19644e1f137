"""The household 360° page is built from panels (SPEC §1, [000] 客服管家拜访业主方案).

residents registers its own panels; visits, complaints, repairs and fees register
theirs from their AppConfig.ready, without editing residents. A panel's loader
gets the house and the request and returns the template context; it must run a
fixed number of queries whatever the household's size.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.choices import COMPANY_ADMIN


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    loader: Callable
    order: int = 100
    roles: frozenset | None = None  # None: everyone who may open the house


_panels = {}


def register(panel):
    _panels[panel.key] = panel


def panels_for(house, request):
    """Rendered-ready panels for `house`: (panel, context) in order."""
    roles = request.roles
    visible = [
        p
        for p in sorted(_panels.values(), key=lambda p: (p.order, p.key))
        if p.roles is None or COMPANY_ADMIN in roles or roles & p.roles
    ]
    return [(panel, panel.loader(house, request)) for panel in visible]
