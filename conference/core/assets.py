"""Static files' URLs carry a hash of their content, so that a release's pages never run the last release's files.

url_for("static", filename=...) adds `?v=<hash>`; the door's service worker names its cache and precache list by these
URLs (checkin.views), so it changes whenever a file it keeps does. A request for the file as it is now may be kept
by browsers for a year.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

VERSION_LENGTH = 12  # hex digits of the SHA-256: 48 bits, plenty to tell one release's file from another's
YEAR = 365 * 24 * 3600

# path → (mtime_ns, size, version): each file is hashed once per process, and again only if it changes on disk.
_versions: dict[str, tuple[int, int, str]] = {}


def file_version(path: str | os.PathLike) -> str | None:
    """The short SHA-256 of a file's content, or None when there is no such file."""
    path = str(path)
    try:
        stat = os.stat(path)
    except OSError:
        return None
    known = _versions.get(path)
    if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:VERSION_LENGTH]
    _versions[path] = (stat.st_mtime_ns, stat.st_size, digest)
    return digest


def static_version(filename: str) -> str | None:
    """The version of a file in the application's static folder (None: no such file)."""
    path = safe_join(current_app.static_folder, filename)
    return file_version(path) if path else None


def add_static_version(endpoint: str, values: dict) -> None:
    """url_for("static", filename=...) gets `v`, the file's version, unless the caller gave one."""
    if endpoint == "static" and "v" not in values and "filename" in values:
        version = static_version(values["filename"])
        if version:
            values["v"] = version


def cache_versioned_files(response: Response) -> Response:
    """A static file asked for by its current version never changes at that URL: browsers may keep it a year."""
    if request.endpoint != "static" or response.status_code not in (200, 304) or not request.args.get("v"):
        return response
    if request.args["v"] == static_version((request.view_args or {}).get("filename", "")):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
        response.expires = None
    return response


def init_app(app: Flask) -> None:
    """Version the static URLs of every page and keep versioned files long."""
    app.url_defaults(add_static_version)
    app.after_request(cache_versioned_files)
