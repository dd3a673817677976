"""Every request is logged once with an id that the response carries; errors are logged with it."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest


def test_response_carries_a_request_id(client):
    response = client.get("/healthz")
    assert len(response.headers["X-Request-ID"]) == 16


def test_each_request_gets_its_own_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first != second


@pytest.mark.parametrize("incoming, kept", [
    ("proxy-id-12345678", True),
    ("short", False),
    ("bad id with spaces<script>", False),
    ("x" * 65, False),
], ids=["from-proxy", "too-short", "unsafe-characters", "too-long"])
def test_an_incoming_id_is_kept_only_when_it_looks_like_one(client, incoming, kept):
    answered = client.get("/healthz", headers={"X-Request-ID": incoming}).headers["X-Request-ID"]
    assert (answered == incoming) is kept


def test_one_line_per_request_with_its_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="conference.requests"):
        response = client.get("/no-such-page/at-all")
    lines = [record for record in caplog.records if record.name == "conference.requests"]
    assert len(lines) == 1
    assert lines[0].getMessage().startswith(f"{response.headers['X-Request-ID']} GET /no-such-page/at-all 404 ")


def test_an_error_is_logged_with_the_request_id(app, client, caplog):
    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("kaboom")

    with caplog.at_level(logging.ERROR):
        response = client.get("/boom-for-test")
    assert response.status_code == 500
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors and errors[0].request_id == response.headers["X-Request-ID"]


def test_a_server_without_logging_set_up_writes_each_line_once(tmp_path):
    """As under `flask run` or gunicorn with no logging configuration: one line per request on stderr."""
    script = (
        "from conference import create_app\n"
        "app = create_app({'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': 'sqlite:///%s/log.db'})\n"
        "app.test_client().get('/healthz')\n" % tmp_path
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).resolve().parents[2], env=dict(os.environ, APP_ENV="development"))
    assert result.returncode == 0, result.stderr
    assert sum("GET /healthz 200" in line for line in result.stderr.splitlines()) == 1
