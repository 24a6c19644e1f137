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


def _all_rows():
    rows = []
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            matrix = importlib.import_module(f"tests.{module.name}.matrix")
        except ModuleNotFoundError:
            continue
        rows.extend(matrix.ROWS)
    return rows


ROWS = _all_rows()


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
    """Objects the rows point at: community 1 is in scope, community 2 out of it."""
    return {
        **people,
        "community": community,
        "community2": community2,
        "reminder1": ReminderFactory(recipient=people["butler1"], community=community),
        "reminder3": ReminderFactory(recipient=people["butler3"], community=community2),
    }


def _request(client, row, world, kwargs_fn, data_fn):
    url = reverse(row.url_name, kwargs=kwargs_fn(world) if kwargs_fn else None)
    data = data_fn(world) if data_fn else {}
    return getattr(client, row.method)(url, data)


def _check(response, expected, who):
    if expected == LOGIN:
        assert response.status_code == 302, who
        assert response.url.startswith(reverse(settings.LOGIN_URL)), (who, response.url)
    else:
        assert response.status_code == expected, (who, response.status_code)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.url_name}")
@pytest.mark.parametrize("actor", ACTORS)
def test_matrix(client, world, row, actor):
    if actor != "anonymous":
        client.force_login(world[actor])
    _check(_request(client, row, world, row.kwargs, row.data), row.expect[actor], f"{actor} in scope")
    if row.has_out_of_scope:
        client.logout()
        if actor != "anonymous":
            client.force_login(world[actor])
        response = _request(client, row, world, row.out_of_scope or row.kwargs, row.out_data or row.data)
        _check(response, row.out_expectation()[actor], f"{actor} out of scope")
