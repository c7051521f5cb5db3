"""Checking and cleaning a host's photo: a real JPEG, PNG or WebP of sane size, re-encoded so
that nothing but its pixels is kept.

A photo's file can say far more than its picture: EXIF (the camera, the time, the GPS place
where it was taken), XMP and IPTC (names, captions, places), an ICC colour profile (with its
own text), JPEG comments and PNG text chunks. Pillow carries some of these from the file it
read into the file it writes (a JPEG's comment, for one), so the stored photo is drawn from a
new image that holds the pixels only: the camera's rotation is applied and the colours turned
into sRGB first, then every piece of metadata is left behind.
"""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
LONGEST_SIDE = 2400
FORMATS = {"JPEG", "PNG", "WEBP"}

TOO_BIG = "“{name}” is larger than 8 MB."
NOT_A_PHOTO = "“{name}” is not a JPEG, PNG or WebP photo."

SRGB = ImageCms.createProfile("sRGB")


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
    image = ImageOps.exif_transpose(image)  # upright, as the camera meant it
    image = _in_srgb(image)
    image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    pixels = Image.new("RGB", image.size)  # no info: no EXIF, XMP, IPTC, profile or comment
    pixels.paste(image)
    out = io.BytesIO()
    pixels.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name="photo.jpg")


def _in_srgb(image: Image.Image) -> Image.Image:
    """The photo's colours in sRGB, what browsers assume of a file without a profile."""
    profile = image.info.get("icc_profile")
    if profile:
        source = image if image.mode in ("RGB", "CMYK", "L") else image.convert("RGB")
        try:
            return ImageCms.profileToProfile(source, ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                                             SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a damaged profile: the colours are taken as they are
    return image.convert("RGB")
