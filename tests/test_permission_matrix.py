"""Runs every row of every app's permission matrix for every named person, and
fails when a URL pattern of the project has no row (issue 3 §13)."""

import importlib
import pkgutil

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.factories import ReminderFactory
from tests.matrix import ACTORS, LOGIN

# URL names deliberately outside the matrix, each with its reason.
EXEMPT_NAMESPACES = {"admin": "Django admin: tests/core/test_admin_access.py checks company admins only."}


def _matrix_modules():
    modules = []
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            modules.append(importlib.import_module(f"tests.{module.name}.matrix"))
        except ModuleNotFoundError:
            continue
    return modules


MODULES = _matrix_modules()
ROWS = [row for module in MODULES for row in module.ROWS]


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_pattern_has_a_matrix_row():
    covered = {row.url_name for row in ROWS}
    missing = sorted(
        name for name in set(_url_names()) if name not in covered and name.split(":")[0] not in EXEMPT_NAMESPACES
    )
    assert missing == [], f"URL patterns without a permission-matrix row: {missing}"


@pytest.fixture
def world(people, community, community2):
    """Objects the rows point at: community 1 is in scope, community 2 out of it.
    Each app's matrix module may add its own with `build_world(world)`."""
    world = {
        **people,
        "community": community,
        "community2": community2,
        "reminder1": ReminderFactory(recipient=people["butler1"], community=community),
        "reminder3": ReminderFactory(recipient=people["butler3"], community=community2),
    }
    for module in MODULES:
        if hasattr(module, "build_world"):
            module.build_world(world)
    return world


def _request(client, row, world, kwargs_fn, data_fn):
    url = reverse(row.url_name, kwargs=kwargs_fn(world) if kwargs_fn else None)
    data = data_fn(world) if data_fn else {}
    return getattr(client, row.method)(url, data)


def _problem(response, expected):
    """None when the response is what the row expects, else a short description."""
    if expected == LOGIN:
        if response.status_code == 302 and response.url.startswith(reverse(settings.LOGIN_URL)):
            return None
        return f"expected redirect to login, got {response.status_code}"
    if response.status_code != expected:
        return f"expected {expected}, got {response.status_code}"
    return None


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method}:{r.url_name}")
def test_matrix(client, world, row):
    """Every person against one row (the world is built once per row; the rows'
    requests leave statuses unchanged when repeated)."""
    failures = []
    for actor in ACTORS:
        for scope in ("in scope", "out of scope"):
            if scope == "out of scope" and not row.has_out_of_scope:
                continue
            client.logout()
            if actor != "anonymous":
                client.force_login(world[actor])
            if scope == "in scope":
                response = _request(client, row, world, row.kwargs, row.data)
                expected = row.expect[actor]
            else:
                response = _request(client, row, world, row.out_of_scope or row.kwargs, row.out_data or row.data)
                expected = row.out_expectation()[actor]
            problem = _problem(response, expected)
            if problem:
                failures.append(f"{actor} {scope}: {problem}")
    assert failures == []
