"""Speaker photos: re-encoded JPEG without metadata, at most 800 px; bad files refused politely."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import select

from conference.extensions import db
from conference.submissions.models import SpeakerProfile
from conference.submissions.profiles import PhotoError, process_photo
from tests.conftest import login, post_form


def _image(fmt: str, size=(1600, 1200), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (20, 110, 110))
    output = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCamera"  # Make
        data[0x8825] = {2: (25.0, 17.0, 0.0)}  # GPS latitude
        kwargs["exif"] = data.tobytes()
    image.save(output, fmt, **kwargs)
    return output.getvalue()


def _png_bomb(width: int = 8000, height: int = 8000) -> bytes:
    """A tiny PNG declaring a huge canvas (its pixels never need to exist)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_photo_is_reencoded_to_a_small_jpeg(fmt):
    result = Image.open(io.BytesIO(process_photo(_image(fmt))))
    assert result.format == "JPEG" and max(result.size) == 800 and result.size == (800, 600)


def test_photo_metadata_is_stripped():
    original = _image("JPEG", exif=True)
    assert b"SecretCamera" in original
    result = process_photo(original)
    assert b"SecretCamera" not in result and not Image.open(io.BytesIO(result)).getexif()


def test_small_photo_keeps_its_size():
    assert Image.open(io.BytesIO(process_photo(_image("PNG", size=(300, 200))))).size == (300, 200)


@pytest.mark.parametrize("data,message", [
    (b"", "empty"),
    (b"%PDF-1.4 not an image", "JPEG, PNG or WebP"),
    (_image("GIF", size=(50, 50)), "JPEG, PNG or WebP"),
    (_image("JPEG")[:2000], "damaged"),
    (_png_bomb(), "too large in pixels"),
    (_png_bomb(30000, 30000), "too large in pixels"),
    (b"\xff\xd8" + b"0" * (2 * 1024 * 1024), "larger than 2 MB"),
], ids=["empty", "not-an-image", "gif", "truncated", "bomb", "huge-bomb", "oversized"])
def test_bad_photos_are_refused(data, message):
    with pytest.raises(PhotoError, match=message):
        process_photo(data)


def _profile_form(**extra):
    data = {"name": "حمد بن سيف الحوسني", "name_latin": "Hamad bin Saif Al-Housni", "name_ar": "حمد بن سيف الحوسني",
            "organization": "Child Protection Hotline, Oman", "country": "OM", "bio_en": "Leads the hotline.",
            "bio_ar": "يقود خط حماية الطفل.", "consent": "y"}
    data.update(extra)
    return data


def test_profile_upload_through_the_form(client, cfp, speaker):
    login(client, speaker)
    response = post_form(client, "/doha/me/speaker-profile",
                         _profile_form(photo=(io.BytesIO(_image("PNG")), "me.png")),
                         content_type="multipart/form-data")
    assert response.status_code == 302
    profile = db.session.scalar(select(SpeakerProfile))
    assert profile.name_latin == "Hamad bin Saif Al-Housni" and profile.photo[:2] == b"\xff\xd8"
    photo = client.get("/doha/me/speaker-profile/photo.jpg")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"


@pytest.mark.parametrize("upload,message", [
    (b"GIF89a not really", "JPEG, PNG or WebP"),
    (_png_bomb(), "too large in pixels"),
], ids=["not-an-image", "bomb"])
def test_bad_upload_through_the_form_saves_nothing(client, cfp, speaker, upload, message):
    login(client, speaker)
    response = post_form(client, "/doha/me/speaker-profile", _profile_form(photo=(io.BytesIO(upload), "x.png")),
                         content_type="multipart/form-data")
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(SpeakerProfile)) is None


def test_an_upload_far_over_the_limit_is_refused_before_reading(client, cfp, speaker):
    login(client, speaker)
    response = post_form(client, "/doha/me/speaker-profile",
                         _profile_form(photo=(io.BytesIO(b"0" * (3 * 1024 * 1024)), "big.jpg")),
                         content_type="multipart/form-data")
    assert response.status_code == 413
    assert db.session.scalar(select(SpeakerProfile)) is None


def test_profile_names_are_checked_by_script(client, cfp, speaker):
    login(client, speaker)
    response = post_form(client, "/doha/me/speaker-profile", _profile_form(name_ar="Hamad"))
    assert "Arabic letters" in response.get_data(as_text=True)
    assert db.session.scalar(select(SpeakerProfile)) is None


def test_no_photo_is_not_found(client, cfp, speaker):
    login(client, speaker)
    assert client.get("/doha/me/speaker-profile/photo.jpg").status_code == 404
