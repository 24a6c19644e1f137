"""Settings from the environment; production refuses to start unsafe (issue 3 §2)."""

import os
import subprocess
import sys

from django.conf import settings

from core.demo import DEMO_PASSWORD

PROD_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k8#vT2qL9mZ4wX7nB1cR6yH3jF5sD0gA-prod-test-secret-key-xyz",
    "ALLOWED_HOSTS": "wuye.example.com",
    "VISITOR_HASH_KEY": "visitor-hash-key-for-the-production-test-0123",
}


def _manage(*args, env=None):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "VISITOR_HASH_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_env():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_without_allowed_hosts():
    env = {k: v for k, v in PROD_ENV.items() if k != "ALLOWED_HOSTS"}
    result = _manage("check", env=env)
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_without_visitor_hash_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "VISITOR_HASH_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0 and "VISITOR_HASH_KEY" in result.stderr


def test_bad_boolean_fails_loudly():
    result = _manage("check", env={"DEBUG": "maybe"})
    assert result.returncode != 0 and "DEBUG must be a boolean" in result.stderr


def test_seed_demo_refuses_production_settings():
    result = _manage("seed_demo", env=PROD_ENV)
    assert result.returncode != 0
    assert "seed_demo 只能在开发环境运行" in result.stderr


def test_locale_and_time_zone():
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


def test_demo_password_passes_validators():
    from django.contrib.auth.password_validation import validate_password

    validate_password(DEMO_PASSWORD)
