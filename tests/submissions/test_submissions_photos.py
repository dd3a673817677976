"""Speaker photos: re-encoded to an sRGB JPEG without metadata of any kind, at most 800 px; bad files refused."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, PngImagePlugin
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


# ---- metadata: a photo crafted with every kind of segment, and a reader of JPEG markers ------------------------

SECRETS = (b"Taken at 12 Corniche Street by Layla", b"SecretCity", b"SecretCopyright", b"SecretCamera",
           b"Swapped primaries")
SOI, SOS, APP0, APP1, APP2, APP13, COM = 0xD8, 0xDA, 0xE0, 0xE1, 0xE2, 0xED, 0xFE
# What a plain re-encoded JPEG is made of; APP0 only as the JFIF header (checked apart).
PLAIN_SEGMENTS = {0xDB: "DQT", 0xC0: "SOF0", 0xC2: "SOF2", 0xC4: "DHT", 0xDD: "DRI", SOS: "SOS"}


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \0\0\0\0" + _s15(x) + _s15(y) + _s15(z)


def _swapped_icc_profile() -> bytes:
    """An ICC v2 RGB profile whose red and blue primaries are sRGB's blue and red (linear): red pixels are blue."""
    red, green, blue = (0.1431, 0.0606, 0.7141), (0.3851, 0.7169, 0.0971), (0.4361, 0.2225, 0.0139)
    text = SECRETS[4] + b"\0"
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 0x0100) + b"\0\0"  # gamma 1.0
    tags = {b"desc": b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 79,
            b"wtpt": _xyz(0.9642, 1.0, 0.8249), b"rXYZ": _xyz(*red), b"gXYZ": _xyz(*green), b"bXYZ": _xyz(*blue),
            b"rTRC": curve, b"gTRC": curve, b"bTRC": curve}
    start = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags.items():
        table += signature + struct.pack(">II", start + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    header = (struct.pack(">II", start + len(body), 0) + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ "
              + struct.pack(">6H", 2024, 1, 1, 0, 0, 0) + b"acsp" + b"\0" * 28 + _xyz(0.9642, 1.0, 0.8249)[8:]
              + b"\0" * 48)
    return header + struct.pack(">I", len(tags)) + table + body


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def _gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = SECRETS[3].decode()  # Make
    exif[0x8825] = {1: "N", 2: (25.0, 17.0, 0.0), 3: "E", 4: (51.0, 31.0, 0.0)}  # GPS: Doha
    return exif.tobytes()  # begins with b"Exif\0\0", as the APP1 payload does


def _crafted_jpeg(icc: bool = True) -> bytes:
    """A red JPEG carrying EXIF with GPS, XMP, an ICC profile, a comment and a Photoshop APP13 (IPTC) segment."""
    output = io.BytesIO()
    Image.new("RGB", (1200, 900), (255, 0, 0)).save(output, "JPEG", quality=95)
    plain = output.getvalue()
    xmp = (b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf="
           b"'http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description xmlns:photoshop="
           b"'http://ns.adobe.com/photoshop/1.0/'><photoshop:City>SecretCity</photoshop:City></rdf:Description>"
           b"</rdf:RDF></x:xmpmeta>")
    iptc = b"\x1c\x02\x74" + struct.pack(">H", len(SECRETS[2])) + SECRETS[2]  # IPTC copyright notice
    photoshop = b"Photoshop 3.0\0" + b"8BIM\x04\x04\0\0" + struct.pack(">I", len(iptc)) + iptc
    profile = _segment(APP2, b"ICC_PROFILE\0\x01\x01" + _swapped_icc_profile()) if icc else b""
    extra = (_segment(APP1, _gps_exif()) + _segment(APP1, xmp) + profile + _segment(COM, SECRETS[0])
             + _segment(APP13, photoshop))
    return plain[:2] + extra + plain[2:]


def _crafted_png() -> bytes:
    """A red PNG carrying text chunks (plain, compressed, international), eXIf and an ICC profile (iCCP)."""
    info = PngImagePlugin.PngInfo()
    info.add_text("comment", SECRETS[0].decode())  # the key Pillow would write back as a JPEG COM
    info.add_text("Location", "SecretCity", zip=True)
    info.add_itxt("Copyright", "SecretCopyright", lang="en")
    output = io.BytesIO()
    Image.new("RGB", (600, 400), (255, 0, 0)).save(output, "PNG", pnginfo=info, exif=_gps_exif(),
                                                   icc_profile=_swapped_icc_profile())
    return output.getvalue()


def _crafted_webp() -> bytes:
    """A red WebP carrying EXIF with GPS, XMP and an ICC profile."""
    output = io.BytesIO()
    Image.new("RGB", (600, 400), (255, 0, 0)).save(output, "WEBP", quality=95, exif=_gps_exif(),
                                                   icc_profile=_swapped_icc_profile(),
                                                   xmp=b"<x:xmpmeta><City>SecretCity</City></x:xmpmeta>")
    return output.getvalue()


def _encoded(image: Image.Image, fmt: str, **options) -> bytes:
    output = io.BytesIO()
    image.save(output, fmt, **options)
    return output.getvalue()


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of every segment of a JPEG, from SOI up to and including the start of the scan (SOS)."""
    assert data[:2] == bytes([0xFF, SOI]), "not a JPEG"
    segments, at = [], 2
    while True:
        assert data[at] == 0xFF, f"no marker at byte {at}"
        while data[at] == 0xFF:  # a marker may be preceded by fill bytes
            at += 1
        marker = data[at]
        (length,) = struct.unpack(">H", data[at + 1:at + 3])
        segments.append((marker, data[at + 3:at + 1 + length]))
        if marker == SOS:
            return segments
        at += 1 + length


def _assert_plain_jpeg(data: bytes) -> None:
    """Nothing but the image: no metadata segment of any kind, and none of the secrets anywhere in the bytes."""
    for marker, payload in jpeg_segments(data):
        if marker == APP0:
            assert payload.startswith(b"JFIF\0"), f"an APP0 that is not JFIF: {payload[:16]!r}"
        else:
            assert marker in PLAIN_SEGMENTS, f"segment FF{marker:02X} {payload[:16]!r}"
    assert data.endswith(b"\xff\xd9")  # one scan, then the end: nothing hides after it
    for secret in SECRETS:
        assert secret not in data, secret


def _centre(data: bytes) -> tuple[int, int, int]:
    image = Image.open(io.BytesIO(data))
    return image.getpixel((image.width // 2, image.height // 2))


def test_the_marker_reader_sees_every_crafted_segment():
    markers = [marker for marker, _ in jpeg_segments(_crafted_jpeg())]
    assert {APP1, APP2, COM, APP13} <= set(markers) and markers.count(APP1) == 2 and markers[-1] == SOS
    with pytest.raises(AssertionError):
        _assert_plain_jpeg(_crafted_jpeg())


@pytest.mark.parametrize("icc", [True, False], ids=["with-a-profile", "without-a-profile"])
def test_a_crafted_jpeg_comes_back_without_any_metadata_segment(client, cfp, speaker, icc):
    login(client, speaker)
    response = post_form(client, "/doha/me/speaker-profile",
                         _profile_form(photo=(io.BytesIO(_crafted_jpeg(icc)), "layla.jpg")),
                         content_type="multipart/form-data")
    assert response.status_code == 302
    served = client.get("/doha/me/speaker-profile/photo.jpg")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    _assert_plain_jpeg(served.data)


@pytest.mark.parametrize("crafted,chunks", [
    (_crafted_png, (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP")),
    (_crafted_webp, (b"EXIF", b"XMP ", b"ICCP")),
], ids=["png", "webp"])
def test_a_crafted_png_or_webp_comes_back_as_a_jpeg_without_any_metadata(crafted, chunks):
    original = crafted()
    assert all(chunk in original for chunk in chunks)
    _assert_plain_jpeg(process_photo(original))


@pytest.mark.parametrize("crafted", [_crafted_jpeg, _crafted_png, _crafted_webp], ids=["jpeg", "png", "webp"])
def test_colours_are_converted_to_srgb_before_the_profile_is_dropped(crafted):
    # In the crafted profile, red pixel values mean sRGB blue: a photo that ignored the profile would come out red.
    red, green, blue = _centre(process_photo(crafted()))
    assert blue > 200 and red < 40 and green < 40


def test_a_photo_without_a_profile_keeps_its_colours():
    red, green, blue = _centre(process_photo(_image("JPEG")))
    assert abs(red - 20) < 8 and abs(green - 110) < 8 and abs(blue - 110) < 8


@pytest.mark.parametrize("original,centre", [
    (lambda: _encoded(Image.new("RGBA", (60, 60), (255, 0, 0, 0)).convert("P"), "PNG", transparency=0),
     (255, 255, 255)),
    (lambda: _encoded(Image.new("LA", (60, 60), (0, 128)), "PNG"), (127, 127, 127)),
    (lambda: _encoded(Image.new("CMYK", (60, 60), (0, 255, 255, 0)), "JPEG"), (255, 0, 0)),
    (lambda: _encoded(Image.new("L", (60, 60), 100), "JPEG", icc_profile=_swapped_icc_profile()), (100, 100, 100)),
], ids=["transparent-palette", "half-transparent-grey", "cmyk", "grey-with-an-rgb-profile"])
def test_every_kind_of_pixel_comes_out_as_plain_srgb(original, centre):
    result = process_photo(original())
    _assert_plain_jpeg(result)
    assert all(abs(got - want) < 6 for got, want in zip(_centre(result), centre, strict=True))


def test_an_unreadable_profile_is_dropped_and_the_pixels_taken_as_srgb():
    output = io.BytesIO()
    Image.new("RGB", (100, 100), (200, 30, 30)).save(output, "JPEG", icc_profile=b"not a colour profile" * 10)
    result = process_photo(output.getvalue())
    _assert_plain_jpeg(result)
    red, green, blue = _centre(result)
    assert red > 180 and green < 50 and blue < 50


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


def test_migration_0017_cleans_the_photos_stored_before(empty_database_url):
    """Photos stored by the earlier code kept their comment segment: the migration re-encodes every one."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from conference import create_app
    from tests.conftest import OLD_CONFERENCE, OLD_USER, app_config, insert_rows

    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade(revision="0016")
        with db.engine.begin() as conn:
            insert_rows(conn, "conferences", OLD_CONFERENCE)
            insert_rows(conn, "users", *({**OLD_USER, "id": number, "email": f"speaker{number}@example.org"}
                                         for number in (1, 2)))
            for number, photo in ((1, _crafted_jpeg()), (2, b"not an image at all")):
                conn.execute(text(
                    "INSERT INTO speaker_profiles (id, conference_id, user_id, name, name_latin, name_ar, bio_en, "
                    "bio_ar, organization, country, photo, updated_at) VALUES (:id, 1, :id, 'S', '', '', '', '', '', "
                    "'', :photo, '2026-01-01 00:00:00')"), {"id": number, "photo": photo})
        upgrade(revision="0017")
        with db.engine.connect() as conn:
            photos = dict(conn.execute(text("SELECT id, photo FROM speaker_profiles ORDER BY id")).all())
        db.engine.dispose()
    _assert_plain_jpeg(bytes(photos[1]))
    assert photos[2] is None  # unreadable: removed rather than served as it was
