"""Evidence files: what an editor attaches to a measure, read like every other
file a user hands us, through the guarded path.

- The type is decided by the bytes, whatever the file is called: photos and scans (JPEG, PNG, WebP, GIF, BMP, TIFF),
  PDF, Word, Excel and PowerPoint (OOXML and the legacy compound files WPS also writes), OFD. Anything else is
  refused: programs, scripts, HTML/SVG/XML, archives, macro documents, encrypted documents, PDFs that carry scripts,
  launch actions or embedded files.
- Bombs are refused before anything is unpacked or decoded: a container's declared sizes and ratios, and an image's
  pixel count against Pillow's own limit (Image.MAX_IMAGE_PIXELS).
- Photos keep no location: EXIF (GPS, camera, owner, times), XMP, IPTC, comments, text chunks, thumbnails and
  anything after the image's end are removed at byte level, the pixels untouched; the orientation is kept (a
  minimal EXIF block that holds only it) and so are colour profiles.

Everything here that parses a file runs in a worker process (ledger.intake.guard) under limits; the parent only
passes paths and receives small answers.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import stat
import struct
import tempfile
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath

from ledger.intake import guard
from ledger.intake.guard import MIB, Failure, Limits
from ledger.intake.precheck import CFB_MAGIC, declares_entities, has_macro, head_of

COPY_CHUNK = MIB


@dataclass(frozen=True)
class Kind:
    """One accepted type: its label, the file name endings it goes by, and how it is previewed."""

    label: str
    suffixes: tuple[str, ...]
    preview: str = ""  # "image", "pdf" or "" (download only)
    image: bool = False


KINDS: dict[str, Kind] = {
    "jpeg": Kind("JPEG", (".jpg", ".jpeg", ".jpe", ".jfif"), "image", True),
    "png": Kind("PNG", (".png",), "image", True),
    "webp": Kind("WebP", (".webp",), "image", True),
    "gif": Kind("GIF", (".gif",), "image", True),
    "bmp": Kind("BMP", (".bmp", ".dib"), "image", True),
    "tiff": Kind("TIFF", (".tif", ".tiff"), "image", True),
    "pdf": Kind("PDF", (".pdf",), "pdf"),
    "docx": Kind("Word", (".docx", ".wps", ".dotx")),
    "xlsx": Kind("Excel", (".xlsx", ".et", ".xltx")),
    "pptx": Kind("PowerPoint", (".pptx", ".dps", ".ppsx")),
    "doc": Kind("Word 97–2003 / WPS", (".doc", ".wps", ".dot", ".wpt")),
    "xls": Kind("Excel 97–2003 / WPS", (".xls", ".et", ".xlt", ".ett")),
    "ppt": Kind("PowerPoint 97–2003 / WPS", (".ppt", ".dps", ".pps", ".dpt")),
    "ofd": Kind("OFD", (".ofd",)),
}
ACCEPTED = "JPG PNG WebP GIF BMP TIFF PDF Word Excel PowerPoint WPS OFD"


@dataclass(frozen=True)
class EvidenceLimits:
    """What one evidence file, and one zip of them, may be (README "Limits"); beyond them it is refused."""

    max_mib: int = 20  # one file (LEDGER_EVIDENCE_MIB)
    max_files: int = 50  # per measure (LEDGER_EVIDENCE_FILES)
    max_zip_mib: int = 500  # a zip of evidence for many measures
    max_zip_entries: int = 5_000
    max_unpacked_mib: int = 2_048  # everything a zip unpacks to
    max_ratio: int = 100  # unpacked ÷ packed, for an entry over 1 MiB unpacked
    max_parts: int = 2_000  # parts of an OOXML or OFD document
    max_part_mib: int = 256  # one part, unpacked
    memory_mib: int = 1_024
    wall_seconds: int = 60
    zip_wall_seconds: int = 600

    @property
    def max_bytes(self) -> int:
        return self.max_mib * MIB

    def worker(self, wall: int | None = None) -> Limits:
        return Limits(
            max_mib=self.max_mib,
            memory_mib=self.memory_mib,
            cpu_seconds=wall or self.wall_seconds,
            wall_seconds=wall or self.wall_seconds,
        )


DEFAULT_EVIDENCE_LIMITS = EvidenceLimits()


@dataclass(frozen=True)
class Refused:
    """Why a file is not taken: `code` is its message's key (i18n `evidence.*`), with the message's parameters."""

    code: str
    params: tuple[tuple[str, object], ...] = ()

    def param(self, name: str, default: object = "") -> object:
        return dict(self.params).get(name, default)

    def text(self, lang: str, name: str | None = None) -> str:
        """The refusal's message, naming the file `name` (else the one it was made for)."""
        from ledger.i18n import translate

        return translate(self.code, lang, **{**dict(self.params), **({"name": name} if name is not None else {})})


def refused(code: str, **params: object) -> Refused:
    return Refused(code, tuple(params.items()))


@dataclass(frozen=True)
class Prepared:
    """A file ready to be stored: its kind, the name it is stored under, and where its (cleaned) bytes are."""

    name: str
    kind: str
    path: str
    size: int
    sha256: str
    stripped: bool  # metadata was removed (a photo)


# --- the type, by the bytes ------------------------------------------------------------------------------------

_PROGRAMS = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"\x00asm",
    b"#!",
    b"dex\n",
)
_ARCHIVES = (
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"\x28\xb5\x2f\xfd",
    b"MSCF",
    b"\x60\xea",
    b"PK\x05\x06",
)
_MARKUP = re.compile(rb"^(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)?[\s\x00]*<", re.DOTALL)
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)(?![A-Za-z])")


def sniff(head: bytes) -> str:
    """What the first bytes say: a kind of KINDS, "zip", "cfb", or a refusal reason ("program", "archive",
    "markup", "type")."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:2] == b"BM" and len(head) >= 26:
        return "bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(CFB_MAGIC):
        return "cfb"
    if head.startswith(_PROGRAMS):
        return "program"
    if head.startswith(_ARCHIVES) or head[257:262] == b"ustar":
        return "archive"
    if _MARKUP.match(head[:512]):
        return "markup"
    return "type"


def stored_name(name: str, kind: str) -> str:
    """The name a file is stored and downloaded under: its base name, cleaned, with an ending that says its real
    type (a PDF called 照片.jpg is kept as 照片.jpg.pdf)."""
    base = PureWindowsPath(PurePosixPath(str(name)).name).name
    base = "".join(c for c in base if c.isprintable() and c not in '<>:"/\\|?*').strip(" .") or "file"
    base = base[:200]
    suffixes = KINDS[kind].suffixes
    if not base.lower().endswith(suffixes):
        base += suffixes[0]
    return base


# --- examining one file (in a worker) ---------------------------------------------------------------------------


def examine(source: str, target: str, name: str, limits: EvidenceLimits) -> Prepared | Refused:
    """Decide the type of the file at `source` by its bytes, check it, and write what is to be stored to `target`
    (a photo without its metadata; anything else as it is). Runs in a worker."""
    size = os.path.getsize(source)
    if size == 0:
        return refused("evidence.empty", name=name)
    if size > limits.max_bytes:
        return refused("evidence.too_large", name=name, size=f"{size / MIB:.1f}", limit=limits.max_mib)
    with open(source, "rb") as handle:
        head = handle.read(4096)
    kind = sniff(head)
    if kind in ("program", "archive", "markup", "type"):
        return refused(f"evidence.{kind}", name=name, accepted=ACCEPTED)
    if kind == "zip":
        found = _zip_kind(source, name, limits)
        if isinstance(found, Refused):
            return found
        kind = found
    elif kind == "cfb":
        found = _compound_kind(source, name)
        if isinstance(found, Refused):
            return found
        kind = found
    elif kind == "pdf":
        problem = _check_pdf(source, name)
        if problem is not None:
            return problem
    stripped = False
    if KINDS[kind].image:
        problem = _check_image(source, name, kind)
        if problem is not None:
            return problem
        with open(source, "rb") as handle:
            data = handle.read()
        try:
            pieces = STRIPPERS[kind](data)
        except (ValueError, IndexError, struct.error, OSError):
            return refused("evidence.corrupt", name=name)
        with open(target, "wb") as out:
            for piece in pieces:
                out.write(piece)
        stripped = sum(len(piece) for piece in pieces) != len(data)
        del data, pieces
    else:
        shutil.copyfile(source, target)
    return Prepared(stored_name(name, kind), kind, target, os.path.getsize(target), _sha256(target), stripped)


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(COPY_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


_OOXML = (
    (b"wordprocessingml.document.main", "docx"),
    (b"wordprocessingml.template.main", "docx"),
    (b"spreadsheetml.sheet.main", "xlsx"),
    (b"spreadsheetml.template.main", "xlsx"),
    (b"presentationml.presentation.main", "pptx"),
    (b"presentationml.slideshow.main", "pptx"),
)


def _zip_kind(source: str, name: str, limits: EvidenceLimits) -> str | Refused:
    """An OOXML document or an OFD, checked from the zip's directory before anything is unpacked; any other zip
    is an archive, refused."""
    try:
        with zipfile.ZipFile(source) as archive:
            entries = archive.infolist()
            if len(entries) > limits.max_parts:
                return refused("evidence.bomb", name=name)
            total = 0
            for entry in entries:
                total += entry.file_size
                ratio = entry.file_size / max(entry.compress_size, 1)
                if entry.file_size > limits.max_part_mib * MIB or (entry.file_size > MIB and ratio > limits.max_ratio):
                    return refused("evidence.bomb", name=name)
            if total > limits.max_unpacked_mib * MIB:
                return refused("evidence.bomb", name=name)
            names = {entry.filename for entry in entries}
            if "OFD.xml" in names:
                return "ofd"
            if "[Content_Types].xml" not in names:
                return refused("evidence.archive", name=name, accepted=ACCEPTED)
            if has_macro(archive, names):
                return refused("evidence.macro", name=name)
            if any(declares_entities(head_of(archive, n, 1024)) for n in names if n.endswith((".xml", ".rels"))):
                return refused("evidence.corrupt", name=name)
            types = head_of(archive, "[Content_Types].xml", 4 * MIB)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return refused("evidence.corrupt", name=name)
    for mark, kind in _OOXML:
        if mark in types:
            return kind
    return refused("evidence.type", name=name, accepted=ACCEPTED)


def _compound_kind(source: str, name: str) -> str | Refused:
    """A legacy Word/Excel/PowerPoint file (also what WPS writes as .wps/.et/.dps): by its streams. Macros (a VBA
    storage) and encryption are refused."""
    import olefile

    try:
        with olefile.OleFileIO(source) as ole:
            streams = ["/".join(entry).lower() for entry in ole.listdir(streams=True, storages=True)]
    except (OSError, ValueError, IndexError, struct.error, RecursionError):
        return refused("evidence.corrupt", name=name)
    tops = {path.split("/")[0] for path in streams}
    if any(part in ("macros", "_vba_project_cur", "vba", "_vba_project") for p in streams for part in p.split("/")):
        return refused("evidence.macro", name=name)
    if "encryptedpackage" in tops or "encryptioninfo" in tops:
        return refused("evidence.encrypted", name=name)
    if "worddocument" in tops:
        return "doc"
    if "workbook" in tops or "book" in tops:
        return "xls"
    if "powerpoint document" in tops:
        return "ppt"
    return refused("evidence.type", name=name, accepted=ACCEPTED)


def _check_pdf(source: str, name: str) -> Refused | None:
    """A PDF that carries scripts, launch actions or embedded files is refused (read as written, in pieces that
    overlap so a name is never cut in two); so is one that is encrypted."""
    tail = b""
    with open(source, "rb") as handle:
        while chunk := handle.read(COPY_CHUNK):
            piece = tail + chunk
            if _PDF_ACTIVE.search(piece):
                return refused("evidence.pdf_active", name=name)
            if b"/Encrypt" in piece:
                return refused("evidence.encrypted", name=name)
            tail = piece[-32:]
    return None


def _check_image(source: str, name: str, kind: str) -> Refused | None:
    """Pillow reads the image's header: a format other than the bytes said, or more pixels than Pillow's own limit
    (a pixel bomb: Image.MAX_IMAGE_PIXELS) is refused before any pixel is decoded."""
    from PIL import Image, UnidentifiedImageError

    expected = {"jpeg": ("JPEG", "MPO"), "png": ("PNG",), "webp": ("WEBP",), "gif": ("GIF",), "bmp": ("BMP", "DIB")}
    expected["tiff"] = ("TIFF",)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                if image.format not in expected[kind]:
                    return refused("evidence.corrupt", name=name)
                width, height = image.size
                if width * height > (Image.MAX_IMAGE_PIXELS or 0) > 0:
                    raise Image.DecompressionBombError("pixels")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return refused("evidence.pixel_bomb", name=name, limit=f"{(Image.MAX_IMAGE_PIXELS or 0) / 1e6:.0f}")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, struct.error):
        return refused("evidence.corrupt", name=name)
    return None


# --- metadata removal, at byte level ------------------------------------------------------------------------------

ORIENTATION_TAG = 0x0112


def exif_orientation(tiff: bytes) -> int | None:
    """The Orientation (1–8) in an EXIF block's IFD0 (the TIFF structure after "Exif\\0\\0"); None when absent."""
    if tiff[:4] == b"II*\x00":
        order = "<"
    elif tiff[:4] == b"MM\x00*":
        order = ">"
    else:
        return None
    (offset,) = struct.unpack(order + "I", tiff[4:8])
    if offset + 2 > len(tiff):
        return None
    (count,) = struct.unpack(order + "H", tiff[offset : offset + 2])
    for i in range(min(count, 1000)):
        at = offset + 2 + 12 * i
        if at + 12 > len(tiff):
            return None
        tag, kind, _n = struct.unpack(order + "HHI", tiff[at : at + 8])
        if tag == ORIENTATION_TAG and kind == 3:
            (value,) = struct.unpack(order + "H", tiff[at + 8 : at + 10])
            return value if 1 <= value <= 8 else None
    return None


def orientation_exif(orientation: int) -> bytes:
    """A TIFF block holding only the orientation: what a photo keeps of its EXIF."""
    return b"MM\x00*" + struct.pack(">IHHHIHHI", 8, 1, ORIENTATION_TAG, 3, 1, orientation, 0, 0)


_JPEG_KEEP_APP = (
    (0xE0, b"JFIF\x00"),
    (0xE2, b"ICC_PROFILE\x00"),
    (0xEE, b"Adobe"),
)
Pieces = list  # of bytes and memoryviews into the original: written one after another, never joined in memory


def jpeg_pieces(data: bytes) -> Pieces:
    """A JPEG without EXIF, XMP, IPTC/Photoshop, comments, maker data, JFIF thumbnails or anything after its end
    (where phones put more images, each with its own EXIF); its segments and entropy-coded data copied untouched,
    the orientation kept in a minimal EXIF block."""
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    view = memoryview(data)
    out: Pieces = [b"\xff\xd8"]
    orientation: int | None = None
    at, end = 2, len(data)
    while at < end:
        if data[at] != 0xFF:
            raise ValueError("a marker was expected")
        while at < end and data[at] == 0xFF:
            at += 1
        marker = data[at]
        at += 1
        if marker == 0xD9:
            out.append(b"\xff\xd9")
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append(bytes((0xFF, marker)))
            continue
        (length,) = struct.unpack(">H", data[at : at + 2])
        if length < 2 or at + length > end:
            raise ValueError("a segment runs past the end")
        payload = view[at + 2 : at + length]
        segment = view[at - 2 : at + length]
        at += length
        if marker == 0xE1:
            if bytes(payload[:6]) == b"Exif\x00\x00":
                orientation = orientation or exif_orientation(bytes(payload[6:]))
            continue
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            kept = next((tag for code, tag in _JPEG_KEEP_APP if code == marker and payload[: len(tag)] == tag), None)
            if kept == b"JFIF\x00" and len(payload) >= 14:  # the header, without its thumbnail
                header = bytes(payload[:12]) + b"\x00\x00"
                out.append(b"\xff\xe0" + struct.pack(">H", len(header) + 2) + header)
            elif kept is not None:
                out.append(segment)
            continue
        out.append(segment)
        if marker == 0xDA:  # start of scan: copy the entropy-coded data up to the next marker
            scan = at
            while True:
                found = data.find(b"\xff", scan)
                if found < 0 or found + 1 >= end:
                    out.append(view[at:end])
                    at = end
                    break
                following = data[found + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    scan = found + 1 if following == 0xFF else found + 2
                    continue
                out.append(view[at:found])
                at = found
                break
    if orientation and orientation != 1:
        block = b"Exif\x00\x00" + orientation_exif(orientation)
        app1 = b"\xff\xe1" + struct.pack(">H", len(block) + 2) + block
        position = 2 if len(out) > 1 and bytes(out[1][:2]) == b"\xff\xe0" else 1
        out.insert(position, app1)
    return out


_PNG_KEEP = frozenset(
    b"IHDR PLTE IDAT IEND tRNS cHRM gAMA iCCP sBIT sRGB cICP mDCV cLLI bKGD pHYs hIST sPLT acTL fcTL fdAT".split()
)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    import zlib

    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_pieces(data: bytes) -> Pieces:
    """A PNG with only its image and colour chunks (no tEXt/zTXt/iTXt, eXIf, tIME or private chunks, nothing after
    IEND); the orientation of an eXIf chunk kept in a minimal one."""
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        raise ValueError("not a PNG")
    view = memoryview(data)
    out: Pieces = [signature]
    at, orientation = 8, None
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        if at + 12 + length > len(data):
            raise ValueError("a chunk runs past the end")
        if kind == b"eXIf":
            orientation = exif_orientation(data[at + 8 : at + 8 + length])
        elif kind in _PNG_KEEP:
            if kind == b"IDAT" and orientation and orientation != 1:
                out.append(_png_chunk(b"eXIf", orientation_exif(orientation)))
                orientation = None
            out.append(view[at : at + 12 + length])
        at += 12 + length
        if kind == b"IEND":
            break
    return out


def webp_pieces(data: bytes) -> Pieces:
    """A WebP without its EXIF and XMP chunks (the VP8X flags told), the orientation kept in a minimal EXIF."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("not a WebP")
    view = memoryview(data)
    chunks: list[tuple[bytes, bytes | memoryview]] = []
    at, orientation = 12, None
    while at + 8 <= len(data):
        kind = data[at : at + 4]
        (length,) = struct.unpack("<I", data[at + 4 : at + 8])
        if at + 8 + length > len(data):
            raise ValueError("a chunk runs past the end")
        body: bytes | memoryview = view[at + 8 : at + 8 + length]
        if kind == b"EXIF":
            tiff = bytes(body[6:]) if bytes(body[:6]) == b"Exif\x00\x00" else bytes(body)
            orientation = exif_orientation(tiff)
        elif kind != b"XMP ":
            chunks.append((kind, body))
        at += 8 + length + (length & 1)
    keep_exif = bool(orientation and orientation != 1)
    out: Pieces = []
    for kind, piece in chunks:
        if kind == b"VP8X" and len(piece) >= 1:
            piece = bytes(((piece[0] & ~0x0C) | (0x08 if keep_exif else 0),)) + bytes(piece[1:])
        out += [kind + struct.pack("<I", len(piece)), piece, b"\x00" if len(piece) & 1 else b""]
    if keep_exif and orientation:
        block = orientation_exif(orientation)
        out += [b"EXIF" + struct.pack("<I", len(block)), block]
    total = sum(len(piece) for piece in out)
    return [b"RIFF" + struct.pack("<I", 4 + total) + b"WEBP", *out]


def gif_pieces(data: bytes) -> Pieces:
    """A GIF without comments and application blocks (XMP lives there), the animation loop kept; frames untouched."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ValueError("not a GIF")
    view = memoryview(data)
    flags = data[10]
    at = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    out: Pieces = [view[:at]]

    def blocks(start: int) -> int:
        while True:
            size = data[start]
            start += 1 + size
            if size == 0:
                return start

    while at < len(data):
        introducer = data[at]
        if introducer == 0x3B:
            out.append(b"\x3b")
            break
        if introducer == 0x21:
            label = data[at + 1]
            after = blocks(at + 2)
            application = data[at + 3 : at + 14] if label == 0xFF else b""
            if label == 0xF9 or application in (b"NETSCAPE2.0", b"ANIMEXTS1.0"):
                out.append(view[at:after])
            at = after
        elif introducer == 0x2C:
            local = data[at + 9]
            after = at + 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0) + 1  # the LZW code size
            after = blocks(after)
            out.append(view[at:after])
            at = after
        else:
            raise ValueError("an unknown block")
    return out


def tiff_pieces(data: bytes) -> Pieces:
    """A TIFF (scans: often several pages) written again with its pixels only, turned upright first: TIFF keeps its
    metadata in the same structure as its image, so it cannot be cut out at byte level."""
    from PIL import Image, ImageOps, ImageSequence

    with Image.open(io.BytesIO(data)) as image:
        pages = [ImageOps.exif_transpose(page.copy()) for page in ImageSequence.Iterator(image)]
    out = io.BytesIO()
    pages[0].save(out, "TIFF", compression="tiff_deflate", save_all=len(pages) > 1, append_images=pages[1:])
    return [out.getvalue()]


def _as_is(data: bytes) -> Pieces:
    return [data]  # a BMP holds no metadata


STRIPPERS = {
    "jpeg": jpeg_pieces,
    "png": png_pieces,
    "webp": webp_pieces,
    "gif": gif_pieces,
    "bmp": _as_is,
    "tiff": tiff_pieces,
}


def strip(data: bytes, kind: str) -> bytes:
    """An image's bytes without its metadata (what examine() stores)."""
    return b"".join(STRIPPERS[kind](data))


# --- the parent's side: one file, or several, through a worker ----------------------------------------------------


def _worker_failure(failure: Failure, name: str) -> Refused:
    code = {"memory": "evidence.too_much_memory", "time": "evidence.too_slow"}.get(failure.reason, "evidence.crashed")
    return refused(code, name=name)


def prepare(
    files: Sequence[tuple[str, str]], workdir: str, limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS
) -> list[Prepared | Refused]:
    """Each (name, path) checked and cleaned in a worker; what is to be stored is written under `workdir`."""
    found: list[Prepared | Refused] = []
    for number, (name, path) in enumerate(files):
        if os.path.getsize(path) > limits.max_bytes:  # refused before any worker starts
            size = os.path.getsize(path)
            found.append(refused("evidence.too_large", name=name, size=f"{size / MIB:.1f}", limit=limits.max_mib))
            continue
        target = os.path.join(workdir, f"{number}.evidence")
        answer = guard.run(examine, (path, target, name, limits), limits.worker())
        found.append(_worker_failure(answer, name) if isinstance(answer, Failure) else answer)
    return found


# --- a zip of evidence, as offices arrange it ---------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One file of a zip and the measure it is for (its 序号), or why it is skipped."""

    path: str
    measure: str = ""
    reason: str = ""  # an i18n key (evidence.skip_*) when skipped
    prepared: Prepared | None = None
    refusal: Refused | None = None


@dataclass(frozen=True)
class Unpacked:
    """A zip's files: those to store (with their measure), those skipped with the reason; or the whole archive
    refused (`refusal`)."""

    entries: tuple[Entry, ...] = ()
    refusal: Refused | None = None
    ignored: int = 0  # folders and system files (__MACOSX, Thumbs.db …), not listed

    @property
    def taken(self) -> list[Entry]:
        return [e for e in self.entries if e.prepared is not None]

    @property
    def skipped(self) -> list[Entry]:
        return [e for e in self.entries if e.prepared is None]


_SYSTEM = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$|\._)", re.IGNORECASE)
_SEPARATORS = "-_、.．。 　（(【[·—"


def entry_name(entry: zipfile.ZipInfo) -> str:
    """An entry's name as its maker wrote it: UTF-8 when flagged, else the bytes Windows wrote in the local code
    page (GBK for Chinese), which zipfile has decoded as CP437."""
    if entry.flag_bits & 0x800:
        return entry.filename
    raw = entry.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return entry.filename


def measure_of(path: str, ids: Sequence[str]) -> str:
    """The measure an entry is for: its top folder, or (a file at the top) its name, equal to a 序号 or starting
    with one and a separator (`6/分工文件.pdf`, `14-截图/净网行动.png`, `6 分工文件.pdf`); the longest wins."""
    parts = [p for p in path.split("/") if p]
    first = parts[0] if len(parts) > 1 else PurePosixPath(parts[0]).stem if parts else ""
    first = first.strip()
    best = ""
    for measure in ids:
        fits = first == measure or (first.startswith(measure) and first[len(measure)] in _SEPARATORS)
        if measure and fits and len(measure) > len(best):
            best = measure
    return best


def _unsafe(name: str, entry: zipfile.ZipInfo) -> str:
    """Why an entry may not be unpacked, or ""."""
    mode = entry.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "evidence.skip_link"
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
        return "evidence.skip_outside"
    if ".." in re.split(r"[\\/]", name):
        return "evidence.skip_outside"
    if entry.flag_bits & 0x1:
        return "evidence.skip_encrypted"
    return ""


def unpack(source: str, workdir: str, ids: Sequence[str], limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS) -> Unpacked:
    """A zip of evidence (runs in a worker): the archive refused whole when it is a bomb (its directory's sizes,
    before anything is unpacked); else each entry for a known measure unpacked (never more than it declared, never
    more than the file limit) and examined like an uploaded file; the others listed with the reason."""
    try:
        archive = zipfile.ZipFile(source)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return Unpacked(refusal=refused("evidence.zip_corrupt"))
    with archive:
        if len(infos) > limits.max_zip_entries:
            return Unpacked(refusal=refused("evidence.zip_bomb", limit=limits.max_unpacked_mib))
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MIB and ratio > limits.max_ratio:
                return Unpacked(refusal=refused("evidence.zip_bomb", limit=limits.max_unpacked_mib))
        if total > limits.max_unpacked_mib * MIB:
            return Unpacked(refusal=refused("evidence.zip_bomb", limit=limits.max_unpacked_mib))
        entries: list[Entry] = []
        ignored = 0
        for number, info in enumerate(infos):
            name = entry_name(info)
            if info.is_dir() or _SYSTEM.search(name):
                ignored += 1
                continue
            reason = _unsafe(name, info)
            measure = measure_of(name.replace("\\", "/"), ids) if not reason else ""
            if not reason and not measure:
                reason = "evidence.skip_measure"
            if not reason and info.file_size > limits.max_bytes:
                reason = "evidence.skip_too_large"
            if reason:
                entries.append(Entry(name, measure, reason))
                continue
            extracted = os.path.join(workdir, f"{number}.entry")
            try:
                with archive.open(info) as part, open(extracted, "wb") as out:
                    written = 0
                    while chunk := part.read(COPY_CHUNK):
                        written += len(chunk)
                        if written > limits.max_bytes:
                            raise OverflowError
                        out.write(chunk)
            except OverflowError:
                entries.append(Entry(name, measure, "evidence.skip_too_large"))
                continue
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
                entries.append(Entry(name, measure, "evidence.skip_corrupt"))
                continue
            with open(extracted, "rb") as handle:
                if sniff(handle.read(4096)) in ("zip", "archive") and not _document_zip(extracted):
                    os.unlink(extracted)
                    entries.append(Entry(name, measure, "evidence.skip_archive"))
                    continue
            result = examine(extracted, os.path.join(workdir, f"{number}.evidence"), PurePosixPath(name).name, limits)
            os.unlink(extracted)
            if isinstance(result, Refused):
                entries.append(Entry(name, measure, "evidence.skip_refused", refusal=result))
            else:
                entries.append(Entry(name, measure, prepared=result))
    return Unpacked(tuple(entries), ignored=ignored)


def _document_zip(path: str) -> bool:
    """A zip that is a document (OOXML, OFD) rather than an archive inside the archive."""
    try:
        with zipfile.ZipFile(path) as inner:
            names = set(inner.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return "[Content_Types].xml" in names or "OFD.xml" in names


def unpack_zip(
    source: str, workdir: str, ids: Sequence[str], limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS
) -> Unpacked:
    """unpack() in a worker, with the zip's size checked first."""
    size = os.path.getsize(source)
    if size > limits.max_zip_mib * MIB:
        return Unpacked(refusal=refused("evidence.zip_too_large", size=f"{size / MIB:.0f}", limit=limits.max_zip_mib))
    with open(source, "rb") as handle:
        if not handle.read(4).startswith((b"PK\x03\x04", b"PK\x05\x06")):
            return Unpacked(refusal=refused("evidence.zip_corrupt"))
    answer = guard.run(unpack, (source, workdir, list(ids), limits), limits.worker(limits.zip_wall_seconds))
    if isinstance(answer, Failure):
        return Unpacked(refusal=_worker_failure(answer, PurePosixPath(source).name))
    return answer


# --- previews: drawn on the server, never the file run in the browser ---------------------------------------------

PREVIEW_PIXELS = 1600  # the longer side of a preview
PREVIEW_PAGES = 3  # of a PDF


@dataclass(frozen=True)
class Preview:
    """Images of a file (a JPEG of an image, PNGs of a PDF's first pages) and how many pages it has."""

    images: tuple[bytes, ...] = field(default_factory=tuple)
    pages: int = 1


def draw_preview(source: str, kind: str) -> Preview:
    """Runs in a worker: an image scaled down and turned upright, or a PDF's first pages drawn by PDFium."""
    if KINDS[kind].preview == "pdf":
        import pypdfium2

        document = pypdfium2.PdfDocument(source)
        try:
            pages = len(document)
            images = []
            for number in range(min(pages, PREVIEW_PAGES)):
                page = document[number]
                width, height = page.get_size()
                scale = min(PREVIEW_PIXELS / max(width, height, 1), 3.0)
                bitmap = page.render(scale=scale)
                out = io.BytesIO()
                bitmap.to_pil().save(out, "PNG", optimize=False)
                images.append(out.getvalue())
                page.close()
            return Preview(tuple(images), pages)
        finally:
            document.close()
    from PIL import Image, ImageOps

    with Image.open(source) as image:
        image.draft("RGB", (PREVIEW_PIXELS, PREVIEW_PIXELS))  # a JPEG decodes at a fraction of its size
        upright = ImageOps.exif_transpose(image)
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.thumbnail((PREVIEW_PIXELS, PREVIEW_PIXELS))
        out = io.BytesIO()
        upright.save(out, "JPEG", quality=85)  # a photo: a tenth of its size as PNG
    return Preview((out.getvalue(),), 1)


def preview(data: bytes, kind: str, limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS) -> Preview | Refused:
    """A stored file's preview, drawn in a worker; a refusal when it cannot be drawn or it has no preview."""
    if not KINDS.get(kind, Kind("", ())).preview:
        return refused("evidence.no_preview")
    with tempfile.TemporaryDirectory(prefix="ledger-preview-") as folder:
        path = os.path.join(folder, "file")
        with open(path, "wb") as out:
            out.write(data)
        answer = guard.run(draw_preview, (path, kind), limits.worker())
    if isinstance(answer, Failure):
        return _worker_failure(answer, "")
    return answer
