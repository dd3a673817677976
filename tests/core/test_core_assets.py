"""Static URLs carry their content's hash: a new release's pages never get last release's files from a cache."""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from flask import url_for

from conference.core.assets import VERSION_LENGTH, YEAR

ROOT = Path(__file__).resolve().parents[2]


def version_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:VERSION_LENGTH]


def test_static_urls_carry_the_hash_of_the_file(app):
    with app.test_request_context():
        url = url_for("static", filename="js/app.js")
        missing = url_for("static", filename="js/no-such-file.js")
    assert url == f"/static/js/app.js?v={version_of((ROOT / 'static/js/app.js').read_bytes())}"
    assert missing == "/static/js/no-such-file.js"  # nothing to hash: the URL as it was


def test_changing_a_file_changes_its_url(app, tmp_path):
    app.static_folder = str(tmp_path)
    script = tmp_path / "js" / "door.js"
    script.parent.mkdir()
    script.write_text("var release = 1;")
    with app.test_request_context():
        first = url_for("static", filename="js/door.js")
        assert url_for("static", filename="js/door.js") == first  # hashed once, then remembered
        script.write_text("var release = 2;")
        stat = script.stat()
        os.utime(script, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later release's file
        second = url_for("static", filename="js/door.js")
    assert first != second and second.endswith(f"?v={version_of(b'var release = 2;')}")


def test_pages_link_versioned_files(client):
    html = client.get("/").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert links and all(re.search(r"\?v=[0-9a-f]{12}$", link) for link in links)


def test_a_versioned_file_is_kept_for_a_year_and_only_at_its_current_version(client):
    with client.application.test_request_context():
        current = url_for("static", filename="css/app.css")
    kept = client.get(current)
    assert kept.status_code == 200
    assert kept.cache_control.max_age == YEAR and kept.cache_control.immutable and kept.cache_control.public
    assert "no-cache" not in kept.headers["Cache-Control"]
    # Another release's version (a page from a server not yet updated) and no version: asked again each time.
    for url in ("/static/css/app.css?v=000000000000", "/static/css/app.css"):
        again = client.get(url)
        assert again.status_code == 200 and again.cache_control.max_age is None and again.cache_control.no_cache
