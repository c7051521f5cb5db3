"""Checking and cleaning a host's photo: a real JPEG, PNG or WebP of sane size, re-encoded so
that no camera, time or GPS metadata is kept."""

import io

from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
LONGEST_SIDE = 2400
FORMATS = {"JPEG", "PNG", "WEBP"}

TOO_BIG = "“{name}” is larger than 8 MB."
NOT_A_PHOTO = "“{name}” is not a JPEG, PNG or WebP photo."


class PhotoError(ValueError):
    pass


def clean_photo(upload) -> ContentFile:
    name = getattr(upload, "name", "photo")
    if upload.size > MAX_BYTES:
        raise PhotoError(TOO_BIG.format(name=name))
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS or probe.width * probe.height > MAX_PIXELS:
                raise PhotoError(NOT_A_PHOTO.format(name=name))
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise PhotoError(NOT_A_PHOTO.format(name=name)) from exc
    image = image.convert("RGB")
    image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)  # a fresh file: no EXIF carried over
    return ContentFile(out.getvalue(), name="photo.jpg")
