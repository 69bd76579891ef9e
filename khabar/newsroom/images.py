"""Lead images: checked by their content, re-encoded, stored in a few widths.

Nothing the uploader sent is kept as is: the pixels are decoded (after the
size, format and pixel-count checks, so a decompression bomb is refused from
its header), turned upright, and written again as JPEG. That drops EXIF (GPS,
camera serials) and any bytes appended to the file, and the stored names are
random, never the uploader's.

Pillow is imported where pixels are handled: web processes that only serve
pages never load it (~2 MiB each)."""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

if TYPE_CHECKING:
    from PIL import Image

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


class ImageRejected(Exception):
    """An upload that is not stored; the message is shown to the editor."""


@dataclass(frozen=True)
class PreparedImage:
    image: Image.Image  # RGB, upright, within the pixel limit

    @property
    def width(self) -> int:
        return self.image.width


def image_prepare(upload) -> PreparedImage:
    from PIL import Image, ImageOps

    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    if upload.size > max_bytes:
        raise ImageRejected(
            f"حجم الملف أكبر من المسموح ({max_bytes // 1_000_000} ميغابايت). صغّر الصورة وأعد رفعها."
        )
    upload.seek(0)
    image = _open(upload)
    if image.format not in ACCEPTED_FORMATS:
        raise ImageRejected("نوع الصورة غير مدعوم: ارفع صورة JPEG أو PNG أو WebP أو GIF.")
    width, height = image.size
    if width * height > settings.NEWSROOM_IMAGE_MAX_PIXELS:
        raise _too_many_pixels(width, height)
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ImageRejected("الصورة تالفة أو ناقصة، تعذّرت قراءتها.") from None
    return PreparedImage(_to_rgb(image))


def _open(upload) -> Image.Image:
    """Reads only the header: the pixel count is known before any decoding."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(upload)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected("أبعاد الصورة كبيرة جداً (عدد النقاط يتجاوز المسموح)، صغّرها وأعد رفعها.") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageRejected("الملف ليس صورة: ارفع صورة JPEG أو PNG أو WebP أو GIF.") from None


def _too_many_pixels(width: int, height: int) -> ImageRejected:
    limit = settings.NEWSROOM_IMAGE_MAX_PIXELS // 1_000_000
    return ImageRejected(
        f"أبعاد الصورة كبيرة جداً ({width}×{height} نقطة، والحد {limit} مليون نقطة)، صغّرها وأعد رفعها."
    )


def _to_rgb(image: Image.Image) -> Image.Image:
    from PIL import Image

    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        # JPEG has no transparency: lay the picture on white, not on black.
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def rendition_widths(width: int) -> list[int]:
    largest = min(width, settings.NEWSROOM_IMAGE_MAX_WIDTH)
    return sorted({largest, *(w for w in settings.NEWSROOM_IMAGE_WIDTHS if w < largest)})


def image_store(prepared: PreparedImage, *, storage=None) -> list[dict]:
    """Write every rendition once, smallest first; returns what
    Article.image_renditions holds."""
    from PIL import Image

    storage = storage or default_storage
    stem = f"images/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"
    source = prepared.image
    renditions = []
    for width in reversed(rendition_widths(source.width)):
        height = max(1, round(source.height * width / source.width))
        if (width, height) != source.size:
            source = source.resize((width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        source.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
        name = storage.save(f"{stem}-{width}.jpg", ContentFile(buffer.getvalue()))
        renditions.append({"name": name, "width": width, "height": height})
    return renditions[::-1]
