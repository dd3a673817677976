"""Answers that a client may keep and ask again for: an ETag of the body, Last-Modified, 304 on a repeat."""
from __future__ import annotations

from datetime import datetime

from flask import Response, make_response, request


def conditional(answer, last_modified: datetime | None) -> Response:
    """The response with a strong ETag of its body and Last-Modified; 304 without a body when the client has it.

    The ETag is the body's own hash, so it changes with anything the page shows (a star, "now and next");
    Last-Modified is when its content was published, for clients that only send If-Modified-Since.
    """
    response = make_response(answer)
    if response.status_code != 200:
        return response
    if last_modified is not None:
        response.last_modified = last_modified
    response.add_etag()
    if not response.cache_control.no_store and not response.headers.get("Cache-Control"):
        response.cache_control.no_cache = True  # keep it, but ask each time: a 304 costs a few bytes
    return response.make_conditional(request)
