"""Speaker profiles: the profile, its photo (checked with Pillow, re-encoded to a plain JPEG), availability."""
from __future__ import annotations

import io
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from sqlalchemy import delete, select

from ..accounts.models import User
from ..core.countries import is_country
from ..events.models import Conference
from ..extensions import db
from ..types import utcnow
from .errors import SubmissionError
from .models import SpeakerAvailability, SpeakerProfile

MAX_PHOTO_BYTES = 2 * 1024 * 1024
MAX_PHOTO_PIXELS = 25_000_000  # a 2 MB file claiming more is a decompression bomb
MAX_SIDE = 800
FORMATS = {"JPEG", "PNG", "WEBP"}


class PhotoError(SubmissionError):
    """A photo that cannot be used, with a message for the speaker."""


def _in_srgb(image: Image.Image, profile: bytes | None) -> Image.Image:
    """RGB pixels in sRGB, transparency flattened on white; the embedded colour profile is applied, not kept."""
    alpha = image.getchannel("A") if image.mode in ("RGBA", "LA") else None
    colour = image.convert({"RGBA": "RGB", "LA": "L"}.get(image.mode, image.mode))
    if profile:
        try:
            colour = ImageCms.profileToProfile(colour, ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                                               ImageCms.createProfile("sRGB"), outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # unreadable, or made for other pixels (an RGB profile on grey): taken as sRGB, as browsers do
    colour = colour.convert("RGB")
    if alpha is None:
        return colour
    flat = Image.new("RGB", colour.size, "white")
    flat.paste(colour, mask=alpha)
    return flat


def _plain_jpeg(image: Image.Image) -> bytes:
    """The pixels as a JPEG and nothing else: no EXIF, XMP, ICC profile, comment or other APPn segment."""
    # A fresh image has an empty `info`: Pillow copies some of it into the file by itself (info["comment"] becomes a
    # COM segment), so only the pixels cross over. What remains is the JFIF APP0 header that libjpeg always writes:
    # a version, a pixel aspect and a density, nothing about the person or the camera; decoders read it to know
    # the colours are YCbCr, so it stays.
    bare = Image.new("RGB", image.size)
    bare.paste(image)
    output = io.BytesIO()
    bare.save(output, "JPEG", quality=85, optimize=True)
    return output.getvalue()


def process_photo(data: bytes) -> bytes:
    """The photo as an sRGB JPEG of at most 800 px a side without metadata; refuses anything else politely."""
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError(_l("The photo is larger than 2 MB."))
    if not data:
        raise PhotoError(_l("The file is empty."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS:
                raise PhotoError(_l("Please upload a JPEG, PNG or WebP image."))
            width, height = probe.size
            if width * height > MAX_PHOTO_PIXELS:
                raise PhotoError(_l("This image is too large in pixels."))
            probe.verify()  # checks the structure without decoding
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # decodes fully: a truncated file fails here
            image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant, then drop the tag
            profile = image.info.get("icc_profile")
            if image.mode not in ("RGB", "RGBA", "L", "LA", "CMYK"):  # palettes, bilevel, 16-bit grey
                image = image.convert("RGBA" if image.has_transparency_data else "RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))  # before the colour work: 800 px, not 25 megapixels
            return _plain_jpeg(_in_srgb(image, profile))
    except PhotoError:
        raise
    except Image.DecompressionBombError:  # Pillow's own guard, for canvases far beyond ours
        raise PhotoError(_l("This image is too large in pixels.")) from None
    except UnidentifiedImageError:
        raise PhotoError(_l("Please upload a JPEG, PNG or WebP image.")) from None
    except (OSError, SyntaxError, ValueError):  # truncated or corrupt data, as Pillow reports it
        raise PhotoError(_l("This image file is damaged or incomplete.")) from None


# ---- availability --------------------------------------------------------------------------------------------

def availability_of(conference: Conference, user: User) -> list[SpeakerAvailability]:
    """The user's time ranges for the conference, in order (none: available at any time)."""
    return db.session.scalars(select(SpeakerAvailability).where(
        SpeakerAvailability.conference_id == conference.id, SpeakerAvailability.user_id == user.id)
        .order_by(SpeakerAvailability.starts_at)).all()


def set_availability(conference: Conference, user: User, ranges: list[tuple[date, time, time]]) -> int:
    """Replace the user's availability with ranges (day, from, to) in the conference's time zone; [] clears it."""
    days = set(conference.days)
    moments = []
    for day, start, end in ranges:
        if day not in days:
            raise SubmissionError(_l("Please choose one of the conference days."))
        if end <= start:
            raise SubmissionError(_l("Each time range must end after it starts."))
        moments.append((datetime.combine(day, start, tzinfo=conference.tz),
                        datetime.combine(day, end, tzinfo=conference.tz)))
    moments.sort()
    for (_, first_end), (second_start, _) in zip(moments, moments[1:], strict=False):
        if second_start < first_end:
            raise SubmissionError(_l("Two of the time ranges overlap."))
    db.session.execute(delete(SpeakerAvailability).where(SpeakerAvailability.conference_id == conference.id,
                                                         SpeakerAvailability.user_id == user.id))
    for starts_at, ends_at in moments:
        db.session.add(SpeakerAvailability(conference_id=conference.id, user_id=user.id, starts_at=starts_at,
                                           ends_at=ends_at))
    db.session.flush()
    return len(moments)


# ---- the profile ---------------------------------------------------------------------------------------------

def profile_of(conference: Conference, user: User) -> SpeakerProfile | None:
    """The user's speaker profile for the conference, if they wrote one."""
    return db.session.scalar(SpeakerProfile.of(conference).where(
                                                          SpeakerProfile.user_id == user.id))


PROFILE_FIELDS = ("name", "name_latin", "name_ar", "bio_en", "bio_ar", "organization", "country")


def save_profile(conference: Conference, user: User, data: dict, photo: bytes | None = None,
                 remove_photo: bool = False) -> SpeakerProfile:
    """Create or change the user's speaker profile; `photo` is already re-encoded (see photos.py)."""
    if not data.get("name"):
        raise SubmissionError(_l("Please give your name as you write it."))
    if data.get("country") and not is_country(data["country"]):
        raise SubmissionError(_l("Please choose a country from the list."))
    profile = profile_of(conference, user)
    if profile is None:
        profile = SpeakerProfile(conference_id=conference.id, user_id=user.id)
        db.session.add(profile)
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(profile, field, data[field] or "")
    if photo is not None:
        profile.photo = photo
    elif remove_photo:
        profile.photo = None
    profile.updated_at = utcnow()
    db.session.flush()
    return profile
