"""A host's photo is stored as its pixels only: every kind of metadata a camera, an editor or a
phone writes into JPEG, PNG and WebP files is left behind (nightout/registry/photos.py)."""

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from nightout.registry.photos import clean_photo

# Text that must not reach the stored file, one per kind of metadata.
SECRETS = {
    "exif": b"SecretCam",
    "gps": b"SecretGPS",
    "xmp": b"SecretXMP",
    "iptc": b"SecretIPTC",
    "icc": "SecretICCtext".encode("utf-16-be"),
    "comment": b"SecretComment",
    "png text": b"SecretPNGText",
    "png itxt": b"SecretPNGiTXt",
}


def exif() -> Image.Exif:
    data = Image.Exif()
    data[0x010F] = "SecretCam"  # the camera's make
    gps = data.get_ifd(0x8825)
    gps[1], gps[2] = "N", (42.0, 4.0, 10.0)  # GPSLatitudeRef, GPSLatitude
    gps[27] = "SecretGPS"  # GPSProcessingMethod
    return data


def icc_profile() -> bytes:
    """An sRGB profile whose description says "SecretICCtext" (its text is UTF-16)."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    built_in = "sRGB built-in".encode("utf-16-be")
    assert built_in in profile
    return profile.replace(built_in, SECRETS["icc"])


def iptc_segment() -> bytes:
    """A JPEG APP13 segment: Photoshop's resource 0x0404 holding an IPTC caption."""
    caption = b"\x1c\x02\x78" + struct.pack(">H", len(SECRETS["iptc"])) + SECRETS["iptc"]
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(caption)) + caption
    body = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def upload(fmt: str, mode: str = "RGB") -> SimpleUploadedFile:
    image = Image.new(mode, (64, 48), "orange")
    out = io.BytesIO()
    options = {"exif": exif(), "icc_profile": icc_profile(), "xmp": b"<x>SecretXMP</x>"}
    if fmt == "JPEG":
        options |= {"comment": SECRETS["comment"], "extra": iptc_segment()}
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", SECRETS["png text"].decode())
        text.add_itxt("Description", SECRETS["png itxt"].decode(), lang="en")
        text.add_text("Comment", "SecretZipped", zip=True)
        options |= {"pnginfo": text}
        options.pop("xmp")
        text.add_itxt("XML:com.adobe.xmp", "<x>SecretXMP</x>")
    image.save(out, format=fmt, **options)
    return SimpleUploadedFile(f"p.{fmt.lower()}", out.getvalue())


def jpeg_segments(data: bytes) -> list[int]:
    """The markers of a JPEG file's segments before its image data."""
    assert data[:2] == b"\xff\xd8"
    markers, at = [], 2
    while at < len(data):
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: the pixels follow
            break
        at += 2 + struct.unpack(">H", data[at + 2:at + 4])[0]
    return markers


@pytest.mark.parametrize(("fmt", "mode"), [("JPEG", "RGB"), ("PNG", "RGB"), ("PNG", "RGBA"),
                                           ("WEBP", "RGB")])
def test_no_metadata_of_any_kind_survives_in_the_stored_photo(fmt, mode):
    sent = upload(fmt, mode)
    original = sent.read()
    sent.seek(0)
    # Each kind really is in the file sent (a PNG's profile is compressed: read it back).
    with Image.open(io.BytesIO(original)) as sent_image:
        profile = sent_image.info.get("icc_profile", b"")
    kept = {kind for kind, text in SECRETS.items() if text in original + profile}
    assert {"exif", "gps", "xmp", "icc"} <= kept
    if fmt == "PNG":
        assert {"png text", "png itxt"} <= kept
    stored = clean_photo(sent).read()
    assert not [kind for kind, text in SECRETS.items() if text in stored]
    assert b"SecretZipped" not in stored and b"Exif\x00" not in stored
    assert b"ICC_PROFILE" not in stored and b"http://ns.adobe.com/xap" not in stored
    assert b"Photoshop 3.0" not in stored and b"8BIM" not in stored
    # Only the JPEG's own structure: SOI, APP0 (JFIF), tables, frame, scan. No APP1 (EXIF,
    # XMP), APP2 (ICC), APP13 (IPTC) or COM (comment) segment.
    assert set(jpeg_segments(stored)) <= {0xE0, 0xDB, 0xC0, 0xC4, 0xDD, 0xDA}
    with Image.open(io.BytesIO(stored)) as saved:
        assert saved.format == "JPEG" and saved.size == (64, 48)
        assert not saved.getexif()
        assert set(saved.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}


def test_the_jpeg_sent_carries_every_kind_of_metadata():
    """The test above is only as good as its input: the JPEG sent has all eight."""
    data = upload("JPEG").read()
    assert [kind for kind, text in SECRETS.items() if text in data and "png" not in kind] == [
        "exif", "gps", "xmp", "iptc", "icc", "comment"]
    assert {0xE1, 0xE2, 0xED, 0xFE} <= set(jpeg_segments(data))


def test_a_photo_taken_sideways_is_stored_upright():
    image = Image.new("RGB", (60, 20), "white")
    image.paste((200, 0, 0), (0, 0, 10, 20))  # a red band on the left of the sensor
    data = Image.Exif()
    data[0x0112] = 6  # Orientation: the camera was turned, show it rotated 90° clockwise
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=data, quality=95)
    stored = clean_photo(SimpleUploadedFile("p.jpg", out.getvalue())).read()
    with Image.open(io.BytesIO(stored)) as saved:
        assert saved.size == (20, 60) and not saved.getexif()
        red, green, _ = saved.convert("RGB").getpixel((10, 3))  # the band is now on top
        assert red > 150 and green < 80


def test_a_photo_with_a_colour_profile_keeps_its_colours():
    image = Image.new("RGB", (8, 8), (30, 120, 200))
    out = io.BytesIO()
    image.save(out, format="PNG", icc_profile=icc_profile())
    stored = clean_photo(SimpleUploadedFile("p.png", out.getvalue())).read()
    with Image.open(io.BytesIO(stored)) as saved:
        pixel = saved.getpixel((4, 4))
    assert all(abs(a - b) <= 6 for a, b in zip(pixel, (30, 120, 200), strict=True))
