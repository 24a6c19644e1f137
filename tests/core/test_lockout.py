"""Brute force: 5 failures per user + IP lock the account for 15 minutes (issue 3 §6)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _try(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_wrong_password_shows_chinese_error(client, butler1):
    html = _try(client, "butler1", "wrong").content.decode()
    assert "用户名或密码不正确" in html
    assert 'value="butler1"' in html  # what was typed is kept


def test_five_failures_lock_out_even_the_right_password(client, butler1):
    for _ in range(4):
        assert _try(client, "butler1", "wrong").status_code == 200
    fifth = _try(client, "butler1", "wrong")
    assert fifth.status_code == 429
    assert "登录失败次数过多" in fifth.content.decode()
    assert "15 分钟" in fifth.content.decode()
    locked = _try(client, "butler1", "correct-horse-battery-9")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_and_ip(client, butler1, butler2):
    for _ in range(5):
        _try(client, "butler1", "wrong")
    # Same user from another address, and another user from the same address, still log in.
    assert _try(client, "butler1", "correct-horse-battery-9", ip="10.0.0.2").status_code == 302
    client.logout()
    assert _try(client, "butler2", "correct-horse-battery-9").status_code == 302


def test_four_failures_then_success_resets(client, butler1):
    for _ in range(4):
        _try(client, "butler1", "wrong")
    assert _try(client, "butler1", "correct-horse-battery-9").status_code == 302
    client.logout()
    for _ in range(4):
        assert _try(client, "butler1", "wrong").status_code == 200


def test_lockout_expires_after_cooloff(client, butler1, settings):
    import datetime as dt

    from axes.models import AccessAttempt

    for _ in range(5):
        _try(client, "butler1", "wrong")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - dt.timedelta(minutes=16))
    assert _try(client, "butler1", "correct-horse-battery-9").status_code == 302
