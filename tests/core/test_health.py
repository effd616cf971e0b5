"""/health/ reports the database, the cache and the background queue's backlog; 503 when the database or
the cache fails, so a load balancer takes the server out of the pool."""

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bcf_dashboard.core import health
from bcf_dashboard.quarterly.stored_pdf import make_summary_pdf

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_a_healthy_server_reports_each_part(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "status": "ok",
        "tasks": {"waiting": 0, "waiting_over_a_minute": 0, "running": 0},
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_backlog_counts_tasks_waiting_over_a_minute(client, db):
    with override_settings(TASKS=DATABASE_QUEUE):
        for pdf_id in (1, 2, 3):
            make_summary_pdf.enqueue(pdf_id)
    DBTaskResult.objects.filter(pk__in=DBTaskResult.objects.values("pk")[:2]).update(
        enqueued_at=timezone.now() - timedelta(minutes=5)
    )
    assert client.get("/health/").json()["tasks"] == {"waiting": 3, "waiting_over_a_minute": 2, "running": 0}


def test_a_broken_cache_is_503(client, db, monkeypatch):
    monkeypatch.setattr(health.cache, "set", lambda *a, **k: (_ for _ in ()).throw(ConnectionError("refused")))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable" and response.json()["database"] == "ok"


def test_a_broken_database_is_503(client, db, monkeypatch):
    def refuse():
        raise RuntimeError("server closed the connection")

    monkeypatch.setattr(health, "_database", refuse)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "cache": "ok", "tasks": "unknown", "status": "unavailable"}
