"""Sample files for upload tests, made in memory."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories.submissions import PDF_BYTES


def pdf() -> bytes:
    return PDF_BYTES


def image(fmt: str = "PNG", size=(64, 48), colour="teal", **save) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt, **save)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """A JPEG whose EXIF says where it was taken (Kota Bima) and with what camera."""
    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KameraDesa"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "S",
        ExifTags.GPS.GPSLatitude: (8.0, 27.0, 36.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (118.0, 43.0, 12.0),
    }
    out = io.BytesIO()
    Image.new("RGB", (640, 480), "orange").save(out, "JPEG", exif=exif)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data))
    )


def bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid 1-bit PNG of width by height black pixels: tiny on disk, huge decoded."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def office(
    kind: str, *, first: str = "[Content_Types].xml", macros: bool = False
) -> bytes:
    """A minimal OOXML package: docx (word/), xlsx (xl/) or pptx (ppt/)."""
    folder = {"docx": "word", "xlsx": "xl", "pptx": "ppt"}[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        names = ["[Content_Types].xml", "_rels/.rels", f"{folder}/document.xml"]
        if first != names[0]:
            archive.writestr(first, "x" * 9000)
        for name in names:
            archive.writestr(name, "<xml/>")
        if macros:
            archive.writestr(f"{folder}/vbaProject.bin", b"\x00" * 10)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("catatan.txt", "bukan dokumen office")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
