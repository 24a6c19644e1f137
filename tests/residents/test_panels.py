"""Other apps add panels to the household 360° page through residents.panels.register,
without editing residents (SPEC §1 [000])."""

import pytest
from django.template import Template
from django.urls import reverse

from core.choices import Role
from residents import panels

pytestmark = pytest.mark.django_db

PANEL_TEMPLATE = Template('<p id="visits-body">{{ data.count }} 次拜访 · {{ house.number }} · {{ data.viewer }}</p>')


@pytest.fixture
def registry(monkeypatch):
    """A copy of the panel registry, so the test's panels are gone afterwards."""
    monkeypatch.setattr(panels, "_panels", dict(panels._panels))
    return panels._panels


def visits_loader(house, request):
    return {"count": 3, "viewer": request.user.username}


def test_registered_panel_renders_on_the_360_page(client_for, butler1, household, registry):
    panels.register(
        panels.Panel(key="test-visits", title="拜访记录（测试）", template=PANEL_TEMPLATE, loader=visits_loader)
    )
    html = client_for(butler1).get(reverse("residents:house_detail", args=[household.house.pk])).content.decode()
    assert 'id="panel-test-visits"' in html
    assert "拜访记录（测试）" in html
    assert '<p id="visits-body">3 次拜访 · 3-1-101 · butler1</p>' in html


def test_panels_follow_their_order(client_for, butler1, household, registry):
    panels.register(
        panels.Panel(key="later", title="后面的面板", template=PANEL_TEMPLATE, loader=visits_loader, order=50)
    )
    panels.register(
        panels.Panel(key="sooner", title="前面的面板", template=PANEL_TEMPLATE, loader=visits_loader, order=5)
    )
    html = client_for(butler1).get(reverse("residents:house_detail", args=[household.house.pk])).content.decode()
    assert html.index("前面的面板") < html.index("后面的面板")


def test_panel_limited_to_roles_is_hidden_from_others(client_for, butler1, manager, household, registry):
    panel = panels.Panel(
        key="arrears",
        title="欠费（经理）",
        template=PANEL_TEMPLATE,
        loader=visits_loader,
        roles=frozenset({Role.MANAGER}),
    )
    panels.register(panel)
    url = reverse("residents:house_detail", args=[household.house.pk])
    assert "欠费（经理）" in client_for(manager).get(url).content.decode()
    assert "欠费（经理）" not in client_for(butler1).get(url).content.decode()


def test_test_panels_are_cleaned_up():
    assert not {"test-visits", "later", "sooner", "arrears"} & set(panels._panels)
