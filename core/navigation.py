"""The navigation bar, built from items that each app registers in its AppConfig.ready.

An item names the roles that may use it; the bar shows each person only what
their roles in the active community allow (company admins see everything).
Items of one `group` share a dropdown, placed where the group's first item
would be — the bar stays one line at desktop width as apps are added.
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
    group: str = ""  # dropdown label; "" puts the item on the bar itself

    def visible_to(self, roles):
        return self.roles is None or COMPANY_ADMIN in roles or bool(self.roles & roles)


_items = {}


def register(item):
    _items[item.key] = item


def items_for(roles):
    """The bar's entries in order: links, and groups ({"group", "children"})."""
    visible = sorted((item for item in _items.values() if item.visible_to(roles)), key=lambda i: (i.order, i.key))
    entries, groups = [], {}
    for item in visible:
        link = {"key": item.key, "label": item.label, "url": reverse(item.url_name), "icon": item.icon}
        if not item.group:
            entries.append(link)
        elif item.group in groups:
            groups[item.group]["children"].append(link)
        else:
            groups[item.group] = {"key": item.group, "group": item.group, "icon": item.icon, "children": [link]}
            entries.append(groups[item.group])
    return entries


def register_core_items():
    register(NavItem("home", "首页", "core:home", icon="house-door", order=0))
    register(NavItem("inbox", "消息", "core:inbox", icon="bell", order=90))
