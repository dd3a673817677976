"""The conference management application."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import ROOT, check_config, load_config
from .extensions import csrf, db, limiter, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Create and configure an application; `config` overrides the environment."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(load_config())
    if config:
        app.config.update(config)
    check_config(app.config)
    Path(app.instance_path).mkdir(exist_ok=True)

    # The application's own modules are imported here, when an application is made, and not when the package is:
    # a module that imports one area (a migration, a benchmark) then loads that area alone, and the areas and their
    # pages load in one known order (models first, so every table is known before anything touches the database).
    from . import models  # noqa: F401

    _init_extensions(app)
    # Each area sets itself up (its pages, its blueprint, its receivers), importing its pages only now: a module that
    # imports one area's models or services (a migration, a benchmark) does not pull in pages that import others.
    from . import (
        accounts,
        agenda,
        badging,
        certificates,
        checkin,
        core,
        events,
        feedback,
        mail,
        manage,
        messages,
        questions,
        registration,
        submissions,
    )

    for area in (core, accounts, mail, questions, registration, manage, badging, checkin, events, submissions, agenda,
                 messages, feedback, certificates):
        area.init_app(app)
    from .checkin.entrance import ScanEntrance

    app.wsgi_app = ScanEntrance(app, app.wsgi_app)  # the door's scans, without the request machinery of pages
    if app.config["TRUSTED_PROXIES"]:
        # Behind a reverse proxy the client's address and scheme come from its X-Forwarded-* headers;
        # without this every visitor shares the proxy's address (and its login rate limit).
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    from . import cli
    from .accounts.access import has_role
    from .core.countries import country_name

    cli.register(app)
    app.jinja_env.globals["has_role"] = has_role
    app.jinja_env.globals["country_name"] = country_name
    return app


def _init_extensions(app: Flask) -> None:
    from .core import assets, i18n, pagecache, params, requestlog, security  # see create_app on why here
    from .core.database import ping_idle_connections

    requestlog.init_app(app)  # first, so that every later hook's log lines carry the request id
    i18n.init_app(app)  # so that even a CSRF refusal is shown in the chosen language
    params.init_app(app)  # before the pages register, so that their <int:…> parts are ids
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    assets.init_app(app)  # static URLs carry their content's hash
    pagecache.init_app(app)
    with app.app_context():
        ping_idle_connections(db.engine, app.config["DB_PING_AFTER_IDLE"])
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers work beside a writer; SQLite leaves foreign keys off unless asked."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL's recommended durability: commits no longer wait for an fsync each (the door's scan rate depends
    # on it); an application crash loses nothing, a power cut may lose the last commits, never consistency.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
