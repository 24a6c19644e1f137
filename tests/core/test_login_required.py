"""Every page except login, static files and /healthz needs a login (issue 3 §6)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

PUBLIC = {"/accounts/login/", "/healthz"}


def _paths(resolver=None, prefix=""):
    """Every URL pattern as a concrete path, converters filled with sample values."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _paths(entry, pattern)
        elif isinstance(entry, URLPattern):
            path = re.sub(r"<int:\w+>", "1", pattern)
            path = re.sub(r"<(?:str|slug|path|uuid):\w+>|<\w+>", "x", path)
            path = path.lstrip("^").rstrip("$").replace("\\Z", "")
            if re.search(r"[()\[\]?*+\\]", path):
                continue  # admin's regex catch-alls; the admin index covers them
            yield "/" + path


def test_anonymous_is_sent_to_login_everywhere(client):
    paths = sorted(set(_paths()))
    assert len(paths) > 20  # the walk really found the project's patterns, admin included
    login = reverse("login")
    for path in paths:
        if path in PUBLIC:
            continue
        response = client.get(path)
        assert response.status_code == 302, path
        if not response.url.startswith(login):
            response = client.get(response.url)  # admin's own login redirect goes on to ours
        assert response.status_code == 302 and response.url.startswith(login), (path, response.url)


def test_public_pages_answer_anonymous(client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_login_page_is_chinese(client):
    html = client.get("/accounts/login/").content.decode()
    assert "员工登录" in html and "用户名" in html and "密码" in html
