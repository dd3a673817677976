"""Logo images for PdfWriter: each distinct logo is embedded once and shared by every page."""
from __future__ import annotations

import hashlib
import io
import zlib
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from badges.pdf import PdfWriter

MAX_PIXELS = 800  # a logo box is a few centimetres wide; more pixels only bloat the file


@dataclass(frozen=True)
class EmbeddedImage:
    """An image XObject's resource name and pixel size."""

    name: str
    width: int
    height: int


def _open(data: bytes) -> Image.Image:
    """Decode image bytes; raise ValueError if they are not a usable image."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValueError(f"logo is not a readable PNG/JPEG image ({exc})") from exc
    if image.width < 1 or image.height < 1:
        raise ValueError("logo has no pixels")
    return image


def _is_plain_jpeg(image: Image.Image) -> bool:
    """Tell whether the original JPEG bytes can be embedded untouched."""
    return image.format == "JPEG" and image.mode in ("L", "RGB") and max(image.size) <= MAX_PIXELS


def _image_dict(image: Image.Image) -> str:
    """Return the common dictionary entries of an 8-bit image XObject."""
    return f"/Type /XObject /Subtype /Image /Width {image.width} /Height {image.height} /BitsPerComponent 8"


class ImageStore:
    """Embeds logos on first use and remembers them by content hash."""

    def __init__(self) -> None:
        self._by_digest: dict[bytes, EmbeddedImage] = {}
        self.objects: dict[str, int] = {}

    def add(self, writer: PdfWriter, data: bytes) -> EmbeddedImage:
        """Return the embedded image for data, writing it if new; ValueError if unreadable."""
        digest = hashlib.sha256(data).digest()
        known = self._by_digest.get(digest)
        if known is not None:
            return known
        image = _open(data)
        name = f"Im{len(self._by_digest) + 1}"
        width, height = image.size
        self.objects[name] = self._write(writer, data, image)
        embedded = self._by_digest[digest] = EmbeddedImage(name, width, height)
        return embedded

    @staticmethod
    def _write(writer: PdfWriter, data: bytes, image: Image.Image) -> int:
        """Write the image (and its alpha as a soft mask); return the XObject number."""
        if _is_plain_jpeg(image):
            space = "/DeviceGray" if image.mode == "L" else "/DeviceRGB"
            return writer.add_stream(
                data, f"{_image_dict(image)} /ColorSpace {space} /Filter /DCTDecode", compress=False
            )
        image.thumbnail((MAX_PIXELS, MAX_PIXELS))
        size = _image_dict(image)
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        rgba = image.convert("RGBA" if has_alpha else "RGB")
        mask = ""
        if has_alpha:
            alpha = zlib.compress(rgba.getchannel("A").tobytes())
            smask = writer.add_stream(alpha, f"{size} /ColorSpace /DeviceGray /Filter /FlateDecode", compress=False)
            mask = f" /SMask {smask} 0 R"
        pixels = zlib.compress(rgba.convert("RGB").tobytes())
        return writer.add_stream(pixels, f"{size} /ColorSpace /DeviceRGB /Filter /FlateDecode{mask}", compress=False)
