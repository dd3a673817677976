"""The door's service worker keeps exactly the (hashed) files the page loads, and a new release is a new worker."""
from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from conference.core.assets import YEAR

ROOT = Path(__file__).resolve().parents[2]


class PageFiles(HTMLParser):
    """The files a page loads: scripts, styles, icons, and the door's decoder and service worker URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.files: set[str] = set()
        self.door: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.files.add(attrs["src"])
        if tag == "link" and attrs.get("rel") in ("stylesheet", "icon") and not attrs["href"].startswith("data:"):
            self.files.add(attrs["href"])
        if attrs.get("id") == "checkin":
            self.door = attrs
            self.files |= {attrs["data-decoder-url"], attrs["data-decoder-script"], attrs["data-decoder-wasm"]}


def door_page(scanner) -> PageFiles:
    page = PageFiles()
    page.feed(scanner.client.get("/door/checkin").get_data(as_text=True))
    return page


def worker_settings(client, url: str) -> dict:
    """self.DOOR_CACHE as the server writes it above the worker's script."""
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    match = re.match(r"self\.DOOR_CACHE = (\{.*\});\n", response.get_data(as_text=True))
    return json.loads(match.group(1))


def test_the_worker_keeps_the_hashed_files_the_page_uses(scanner):
    page = door_page(scanner)
    settings = worker_settings(scanner.client, page.door["data-service-worker-url"])
    manifest = scanner.client.get(page.door["data-service-worker-url"].split("/service-worker.js")[0]
                                  + "/manifest.webmanifest").get_json(force=True)
    icons = {icon["src"] for icon in manifest["icons"]}
    assert set(settings["precache"]) == page.files | icons
    assert all("v=" in url for url in settings["precache"])
    assert any("/js/door-rules.js?v=" in url for url in settings["precache"])
    # Its cache is named after the release, as the worker's URL is.
    release = parse_qs(urlsplit(page.door["data-service-worker-url"]).query)["v"][0]
    assert settings["name"] == f"door-page-{release}"
    for url in settings["precache"]:
        kept = scanner.client.get(url)
        assert kept.status_code == 200, url
        if url.startswith("/static/"):
            assert kept.cache_control.max_age == YEAR, url


def test_a_changed_file_is_a_new_worker_with_a_new_cache(app, scanner, tmp_path):
    before = door_page(scanner)
    before_settings = worker_settings(scanner.client, before.door["data-service-worker-url"])
    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static)
    app.static_folder = str(static)

    rules = static / "js" / "door-rules.js"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n// the next release\n", encoding="utf-8")
    after = door_page(scanner)
    after_settings = worker_settings(scanner.client, after.door["data-service-worker-url"])
    changed = before.files ^ after.files
    assert {urlsplit(url).path for url in changed} == {"/static/js/door-rules.js"}
    assert after.door["data-service-worker-url"] != before.door["data-service-worker-url"]
    assert after_settings["name"] != before_settings["name"]
    assert set(after_settings["precache"]) - set(before_settings["precache"]) == after.files - before.files

    # The worker's own script changing is a new worker too; the files it keeps are the same.
    worker = static / "js" / "checkin-sw.js"
    worker.write_text(worker.read_text(encoding="utf-8") + "\n// the next release\n", encoding="utf-8")
    newest = door_page(scanner)
    assert newest.files == after.files
    assert newest.door["data-service-worker-url"] != after.door["data-service-worker-url"]
    assert scanner.client.get(newest.door["data-service-worker-url"]).get_data(as_text=True).endswith(
        "// the next release\n")
