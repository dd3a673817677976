"""Public pages kept where every worker (and, with Redis, every host) finds them, keyed by what they show.

A page's key names everything its shared part shows besides its address: the published version, the language, the
conference's own settings, and the minute for "now and next"; the key and the address give its ETag. The ETag is
therefore known from one light query (agenda.versions.read_head) before anything else is read or rendered: a repeat
visit is a 304 without a render, a first visit reads the cache, and only the first reader of a new version renders.
Publishing a new version changes the key, so every host serves it at once; nothing is ever deleted by hand (old keys
age out of the memory store, or expire in Redis).

What is shared is identical for everyone: the page's blocks are rendered as for an anonymous visitor, and the
frame around them (the navigation with the reader's name, flashed messages) is rendered per request from
`base.html`. Personal bits such as a delegate's stars are loaded by a request of their own.

Storage: per process by default (`make run` needs nothing but Python); `PAGE_CACHE_URL=redis://…` (or `REDIS_URL`)
shares it. A Redis that does not answer costs a render, never an error.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from datetime import datetime
from pathlib import Path
from typing import Callable

from flask import Flask, Response, current_app, g, make_response, render_template, request, session
from markupsafe import Markup
from werkzeug.http import http_date, is_resource_modified

from ..config import ROOT

log = logging.getLogger(__name__)

MEMORY_ENTRIES = 512  # pages per worker: a version's pages in two languages with the usual filters fit many times
TTL = 24 * 3600  # seconds a page stays in Redis after its last write: a key that nobody asks for again goes
SHARED_BLOCKS = ("title", "head", "body_class", "main_class", "content", "scripts")  # base.html's page blocks


class MemoryStore:
    """The embedded default: a bounded store in this process (each worker renders a version once)."""

    def __init__(self, entries: int = MEMORY_ENTRIES) -> None:
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._entries = entries
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: str, value: bytes, ttl: int = TTL) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._entries:
                self._items.popitem(last=False)


class RedisStore:
    """Shared by every worker and host; a failure is logged and the page rendered instead."""

    def __init__(self, url: str) -> None:
        import redis

        self._errors = (redis.RedisError, OSError)
        self._client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)

    def get(self, key: str) -> bytes | None:
        try:
            return self._client.get(key)
        except self._errors as error:
            log.warning("page cache unavailable: %s", error)
            return None

    def set(self, key: str, value: bytes, ttl: int = TTL) -> None:
        try:
            self._client.set(key, value, ex=ttl)
        except self._errors as error:
            log.warning("page cache unavailable: %s", error)


_release: str | None = None


def release() -> str:
    """A hash of the templates, stylesheets, scripts and catalogs: pages of another release are never served."""
    global _release
    if _release is None:
        digest = hashlib.sha256()
        for folder, pattern in ((ROOT / "templates", "**/*.html"), (ROOT / "static", "**/*.[cj]s*"),
                                (ROOT / "conference" / "translations", "**/*.mo")):
            for path in sorted(Path(folder).glob(pattern)):
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
        _release = digest.hexdigest()[:12]
    return _release


def store() -> MemoryStore | RedisStore:
    """This application's page store."""
    return current_app.extensions["page_cache"]


def page_key(*parts) -> str:
    """The store's key for a page named by `parts` (the published version, the language, the filters, …)."""
    text = json.dumps(parts, default=str, ensure_ascii=False, separators=(",", ":"))
    return f"page:{release()}:{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def cached(key: str, render: Callable[[], bytes]) -> bytes:
    """The bytes stored under `key`, rendered by `render()` and stored when missing."""
    value = store().get(key)
    if value is None:
        value = render()
        store().set(key, value)
    return value


def _shareable() -> bool:
    """True when this reader gets exactly the shared page: not logged in (nor remembered, which logs them in as
    soon as the frame asks who they are), and no message waiting to be shown."""
    return "_user_id" not in session and "_flashes" not in session \
        and current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies


def _as_anonymous(render: Callable[[], str]) -> str:
    """`render()` as for an anonymous visitor, whoever asks: what is stored for everyone never names anyone."""
    reader = g.get("_login_user")
    g._login_user = current_app.login_manager.anonymous_user()  # Flask-Login's own slot for the request's user
    try:
        return render()
    finally:
        if reader is None:
            g.pop("_login_user", None)
        else:
            g._login_user = reader


def _etag(key: str) -> str:
    # The frame shows the address's own query (the language switch, the log-in link's next), so it is in the ETag.
    return hashlib.sha256(f"{key} {request.full_path}".encode()).hexdigest()[:32]


def _headers(response: Response, etag: str, last_modified: datetime | None, max_age: int) -> Response:
    # Written as plain headers (Werkzeug's header objects cost a 304 a tenth of its time). A phone may keep the page
    # for a short time (max_age), then asks again and mostly gets a 304. The frame depends on the session cookie
    # (Flask adds Vary: Cookie); a language taken from the browser's header varies with that header too. A
    # logged-in reader's answer is made no-store by core.security whatever is set here.
    headers = response.headers
    headers["ETag"] = f'"{etag}"'
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified)
    headers["Cache-Control"] = f"public, max-age={max_age}"
    if g.get("language_negotiated"):
        vary = headers.get("Vary")
        headers["Vary"] = f"{vary}, Accept-Language" if vary else "Accept-Language"
    return response


def shared_response(key: str, last_modified: datetime | None, render: Callable[[], Response],
                    max_age: int = 60, etag: str | None = None) -> Response:
    """A 304 when the client holds the page named by `key`; else `render()` with ETag, Last-Modified, Cache-Control."""
    etag = etag or _etag(key)
    if _shareable() and not is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        return _headers(Response(status=304), etag, None, max_age)  # Werkzeug drops Last-Modified from a 304
    response = render()
    if response.status_code != 200:
        return response
    return _headers(response, etag, last_modified, max_age)


def shared_blocks(key: str, template: str, context: Callable[[], dict]) -> dict[str, Markup]:
    """The page blocks of `template` (its title, head, content, scripts), stored once under `key` for everyone.

    The blocks are rendered as for an anonymous visitor, so that whatever a template asks of `current_user`, nothing
    personal is ever stored; `templates/core/blocks.html` is the frame that marks them for the split.
    """
    def render() -> bytes:
        html = _as_anonymous(lambda: render_template(template, layout="core/blocks.html", **context()))
        return json.dumps(_split_blocks(html), ensure_ascii=False).encode()

    return {name: Markup(text) for name, text in json.loads(cached(key, render)).items()}


def _split_blocks(html: str) -> dict[str, str]:
    blocks = {}
    for name in SHARED_BLOCKS:
        start, end = f"<!--block:{name}-->", f"<!--/block:{name}-->"
        if start in html:
            blocks[name] = html.split(start, 1)[1].split(end, 1)[0]
    return blocks


def shared_page(key: str, last_modified: datetime | None, template: str, context: Callable[[], dict],
                max_age: int = 60, frame: Callable[[], dict] | None = None,
                blocks: Callable[[], str] | None = None) -> Response:
    """A public page: a 304, or the shared blocks (rendered once per key) in this reader's frame.

    `context()` is called only when the blocks are not stored yet, and `frame()` (what base.html itself needs: the
    conference for its navigation) only when the page is not stored whole: a repeat costs neither. A page that reads
    its address (a day, filters) names its blocks by what it read, `blocks()`, worked out only for a render: any
    other address that means the same (or nothing: junk in the query) reuses them.
    """
    etag = _etag(key)

    def framed() -> str:
        shared = shared_blocks(blocks() if blocks else key, template, context)
        return render_template("core/shared_page.html", blocks=shared, **(frame() if frame else {}))

    def render() -> Response:
        if not _shareable():
            return make_response(framed())
        # Anonymous readers share the frame too: the whole page is stored under its ETag (the key and the address),
        # rendered as for nobody in particular.
        return Response(cached(f"{key}:{etag}", lambda: _as_anonymous(framed).encode()), mimetype="text/html")

    return shared_response(key, last_modified, render, max_age, etag)


def init_app(app: Flask) -> None:
    """The page store: Redis when PAGE_CACHE_URL names one, else this process's memory."""
    url = app.config.get("PAGE_CACHE_URL") or ""
    app.extensions["page_cache"] = RedisStore(url) if url.startswith(("redis://", "rediss://", "unix://")) \
        else MemoryStore()
