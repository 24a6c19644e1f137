"""The navigation bar, built from items that each app registers in its AppConfig.ready.

An item names the roles that may use it; the bar shows each person only what
their roles in the active community allow (company admins see everything).
"""

from dataclasses import dataclass

from django.urls import reverse

from core.choices import COMPANY_ADMIN


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    icon: str = "circle"
    roles: frozenset | None = None  # None: everyone logged in
    order: int = 100

    def visible_to(self, roles):
        return self.roles is None or COMPANY_ADMIN in roles or bool(self.roles & roles)


_items = {}


def register(item):
    _items[item.key] = item


def items_for(roles):
    visible = [item for item in _items.values() if item.visible_to(roles)]
    return [
        {"key": item.key, "label": item.label, "url": reverse(item.url_name), "icon": item.icon}
        for item in sorted(visible, key=lambda i: (i.order, i.key))
    ]


def register_core_items():
    register(NavItem("home", "首页", "core:home", icon="house-door", order=0))
    register(NavItem("inbox", "消息", "core:inbox", icon="bell", order=90))
