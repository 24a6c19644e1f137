import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_healthz_503_when_database_down(client, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("core.views.health.connection.cursor", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("error")


def test_healthz_reports_broker_down_without_failing(client, monkeypatch):
    monkeypatch.setattr("core.views.health._broker_status", lambda: "error: ConnectionRefusedError")
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["broker"].startswith("error")
