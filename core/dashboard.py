"""The home page's manager dashboard (SPEC §8): widgets each app registers from
its AppConfig.ready, shown to the roles they name in the active community. A
widget's loader gets the request and returns its template context with a fixed
number of aggregate queries."""

from collections.abc import Callable
from dataclasses import dataclass

from core.choices import COMPANY_ADMIN


@dataclass(frozen=True)
class Widget:
    key: str
    title: str
    template: str
    loader: Callable
    roles: frozenset | None = None
    order: int = 100


_widgets = {}


def register(widget):
    _widgets[widget.key] = widget


def widgets_for(request):
    """[(widget, context)] for the person's roles in the active community."""
    if request.community is None:
        return []
    roles = request.roles
    visible = [
        w
        for w in sorted(_widgets.values(), key=lambda w: (w.order, w.key))
        if w.roles is None or COMPANY_ADMIN in roles or roles & w.roles
    ]
    return [(widget, widget.loader(request)) for widget in visible]
