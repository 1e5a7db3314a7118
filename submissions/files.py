"""What an uploaded evidence file really is, judged by its content, and image clean-up.

Only the first bytes are read to tell the type (office documents also get their ZIP
directory listed, which reads the end of the file, never the whole of it). Images are
opened lazily by Pillow to check their declared size against decompression bombs.
Pillow is imported inside the functions.
"""

from __future__ import annotations

import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from common.errors import DomainError

HEAD_BYTES = 8192
MAX_IMAGE_PIXELS = 40_000_000
THUMBNAIL_SIZE = (480, 480)
ACCEPTED_LABEL = "PDF, JPEG, PNG, WebP, DOCX, XLSX, PPTX"


@dataclass(frozen=True)
class FileType:
    ext: str
    mime: str
    label: str
    is_image: bool = False
    pillow_format: str = ""

    @property
    def inline(self) -> bool:
        """Shown in the browser (images, PDF) rather than downloaded."""
        return self.is_image or self.ext == "pdf"


ACCEPTED_TYPES: dict[str, FileType] = {
    t.ext: t
    for t in [
        FileType("pdf", "application/pdf", "PDF"),
        FileType("jpg", "image/jpeg", "JPEG", is_image=True, pillow_format="JPEG"),
        FileType("png", "image/png", "PNG", is_image=True, pillow_format="PNG"),
        FileType("webp", "image/webp", "WebP", is_image=True, pillow_format="WEBP"),
        FileType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "DOCX",
        ),
        FileType(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "XLSX",
        ),
        FileType(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PPTX",
        ),
    ]
}
OFFICE_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


def type_for_mime(mime: str) -> FileType | None:
    return next((t for t in ACCEPTED_TYPES.values() if t.mime == mime), None)


def _head(fileobj: IO[bytes]) -> bytes:
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    return head


def _office_type(fileobj: IO[bytes]) -> tuple[str | None, bool]:
    """(docx/xlsx/pptx or None, has macros) from the ZIP's directory."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None, False
    finally:
        fileobj.seek(0)
    if "[Content_Types].xml" not in names:
        return None, False
    has_macros = any(n.lower().endswith("vbaproject.bin") for n in names)
    for folder, ext in OFFICE_FOLDERS.items():
        if any(n.startswith(folder) for n in names):
            return ext, has_macros
    return None, has_macros


def detect_type(fileobj: IO[bytes]) -> tuple[FileType | None, bool]:
    """The accepted type of the file's content (or None), and whether it has macros."""
    head = _head(fileobj)
    guess = filetype.guess(head)
    ext = guess.extension if guess else None
    if ext in {"docx", "xlsx", "pptx", "zip"} or head.startswith(b"PK\x03\x04"):
        # filetype sees only the ZIP's first entries; its directory is authoritative.
        ext, has_macros = _office_type(fileobj)
        return (ACCEPTED_TYPES.get(ext) if ext else None), has_macros
    return ACCEPTED_TYPES.get(ext or ""), False


def _pillow():
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    return Image


def _bomb_error(name: str) -> DomainError:
    return DomainError(
        _(
            "“%(name)s” declares more pixels than an image may have (at most %(max)d "
            "megapixels): it could be a decompression bomb."
        )
        % {"name": name, "max": MAX_IMAGE_PIXELS // 1_000_000},
        field="file",
    )


def _check_image(fileobj: IO[bytes], ftype: FileType, name: str) -> None:
    image_module = _pillow()
    fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", image_module.DecompressionBombWarning)
            with image_module.open(fileobj, formats=[ftype.pillow_format]) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _bomb_error(name)
                image.verify()
    except (image_module.DecompressionBombError, image_module.DecompressionBombWarning):
        raise _bomb_error(name) from None
    except DomainError:
        raise
    except Exception:
        # Pillow raises many kinds of errors on broken data; each means "unreadable".
        raise DomainError(
            _("“%(name)s” is not a readable %(type)s image.")
            % {"name": name, "type": ftype.label},
            field="file",
        ) from None
    finally:
        fileobj.seek(0)


def inspect_upload(fileobj: IO[bytes], *, name: str, size: int) -> FileType:
    """Check one uploaded file; raise a DomainError (field "file") that says why not."""
    if size <= 0:
        raise DomainError(_("“%(name)s” is empty.") % {"name": name}, field="file")
    limit = settings.EVIDENCE_MAX_FILE_SIZE
    if size > limit:
        raise DomainError(
            _("“%(name)s” is %(size)s; a file may be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(size),
                "limit": filesizeformat(limit),
            },
            field="file",
        )
    ftype, has_macros = detect_type(fileobj)
    if ftype is None:
        raise DomainError(
            _(
                "“%(name)s” is not a file of an accepted type (%(types)s). The type is "
                "read from the file's content, not from its name."
            )
            % {"name": name, "types": ACCEPTED_LABEL},
            field="file",
        )
    if has_macros:
        raise DomainError(
            _("“%(name)s” contains macros; save it without macros and upload it again.")
            % {"name": name},
            field="file",
        )
    if ftype.is_image:
        _check_image(fileobj, ftype, name)
    return ftype


@dataclass
class CleanImage:
    image: IO[bytes]
    image_size: int
    thumbnail: IO[bytes]


def _spool() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)


def clean_image(fileobj: IO[bytes], ftype: FileType) -> CleanImage:
    """Re-encode an image without its metadata (EXIF, GPS, XMP, comments), upright,
    and make a JPEG thumbnail. Raises DomainError for a decompression bomb."""
    image_module = _pillow()
    from PIL import ImageOps

    fileobj.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", image_module.DecompressionBombWarning)
        try:
            source = image_module.open(fileobj, formats=[ftype.pillow_format])
            source.load()
        except (
            image_module.DecompressionBombError,
            image_module.DecompressionBombWarning,
        ):
            raise _bomb_error("image") from None
    with source:
        ImageOps.exif_transpose(source, in_place=True)
        keep = {
            k: source.info[k]
            for k in ("transparency", "icc_profile")
            if k in source.info
        }
        source.info = keep
        keep_icc = {"icc_profile": keep["icc_profile"]} if "icc_profile" in keep else {}

        out = _spool()
        image = source
        if ftype.pillow_format == "JPEG":
            if image.mode not in {"RGB", "L", "CMYK"}:
                image = image.convert("RGB")
            image.save(out, "JPEG", quality=90, **keep_icc)
        elif ftype.pillow_format == "WEBP":
            image.save(out, "WEBP", quality=90)
        else:
            image.save(out, "PNG")
        image_size = out.tell()
        out.seek(0)

        # The full-size image is saved; shrink it in place rather than copying it.
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode in {"RGBA", "LA", "P", "PA"}:
            rgba = image.convert("RGBA")
            thumb = image_module.new("RGB", rgba.size, "white")
            thumb.paste(rgba, mask=rgba.getchannel("A"))
        else:
            thumb = image.convert("RGB")
        thumb_out = _spool()
        thumb.save(thumb_out, "JPEG", quality=80)
        thumb_out.seek(0)
    return CleanImage(image=out, image_size=image_size, thumbnail=thumb_out)
