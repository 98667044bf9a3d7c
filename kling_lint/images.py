"""What an image is, from its bytes alone: its format, byte size, width and height, and whether
it is whole, without decoding a pixel.

JPEG and PNG, the two formats Kling takes, are read in full: the size from the frame header
(JPEG's SOF segment, PNG's IHDR chunk), and the end by walking the file's own structure (JPEG's
segments and entropy-coded scans up to the EOI marker, PNG's chunks up to IEND). A file cut
short is told apart from a whole one only that way: the header of a truncated file reads fine.
Other formats are named by their signature, so that a message can say "WebP" rather than
"not JPEG"; their dimensions are read where the header gives them in a few bytes.

Nothing here imports a library: a header reader does not need one, and ``kling-lint check``
loads this module only for a request that holds base64 image data (or with --fetch-images).
"""

from __future__ import annotations

import binascii
from typing import NamedTuple

JPEG, PNG = "JPEG", "PNG"


class ImageInfo(NamedTuple):
    """What the bytes of an image say about it.

    ``format`` is a name such as "JPEG", "PNG", "WebP", "GIF", "HEIC", or None when the bytes
    are no image format kling-lint knows. ``width`` and ``height`` are None when unknown.
    ``complete`` is False for a JPEG or PNG cut short before its end marker.
    """

    format: str | None
    size: int
    width: int | None = None
    height: int | None = None
    complete: bool = True

    @property
    def shown(self) -> str:
        """"PNG, 1920x1080 px, 2.3 MB": what a dry run shows of the image."""
        parts = [self.format or "not an image"]
        if self.width and self.height:
            parts.append(f"{self.width}x{self.height} px")
        parts.append(megabytes(self.size))
        if not self.complete:
            parts.append("cut short")
        return ", ".join(parts)


def megabytes(size: int) -> str:
    """A byte count as people read it: "812 bytes", "340 KB", "10.5 MB" (1 MB = 1024 * 1024 bytes)."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def is_url(value: str) -> bool:
    return value[:8].lower().startswith(("http://", "https://"))


def decode_base64(value: str) -> bytes | None:
    """The bytes of raw base64 text, or None when it is not valid base64."""
    try:
        return binascii.a2b_base64(value.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None


def describe_image(value: object) -> ImageInfo | None:
    """The image that a request's ``image`` or ``last_image`` holds as base64, or None.

    None for a URL (fetching is fetch.py's job), for anything that is not a string of valid
    base64, and for an empty one. This is what ``dry-run`` shows and what the image rules check.
    """
    if not isinstance(value, str) or not value or is_url(value) or value.startswith("data:"):
        return None
    data = decode_base64(value)
    return read_image(data) if data else None


def read_image(data: bytes) -> ImageInfo:
    """Format, size, dimensions and wholeness of ``data``, read from its headers."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png(data)
    if data.startswith(b"\xff\xd8\xff"):
        return _jpeg(data)
    name, width, height = _other(data)
    return ImageInfo(name, len(data), width, height)


def _png(data: bytes) -> ImageInfo:
    """Walk the chunks (length, type, data, CRC) from the signature to IEND."""
    width = height = None
    position = 8
    while position + 8 <= len(data):
        length = int.from_bytes(data[position:position + 4], "big")
        kind = data[position + 4:position + 8]
        if kind == b"IHDR" and position == 8 and length >= 8 and position + 16 <= len(data):
            width = int.from_bytes(data[16:20], "big")
            height = int.from_bytes(data[20:24], "big")
        end = position + 12 + length
        if end > len(data):
            break  # the chunk runs past the data: cut short
        if kind == b"IEND":
            return ImageInfo(PNG, len(data), width, height, True)
        position = end
    return ImageInfo(PNG, len(data), width, height, False)


# JPEG markers that stand alone, without a length: RST0-7, TEM, SOI.
_STANDALONE = frozenset(range(0xD0, 0xD8)) | {0x01, 0xD8}
# Start-of-frame markers (they carry the dimensions); C4 (DHT), C8 (JPG) and CC (DAC) are not.
_START_OF_FRAME = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg(data: bytes) -> ImageInfo:
    """Walk the segments from SOI; after each SOS, skip its entropy-coded data to the next marker.

    In entropy-coded data a 0xFF byte is followed by 0x00 (a stuffed byte) or a restart marker;
    anything else is the next marker. The file is whole when EOI (FFD9) is reached.
    """
    width = height = None
    position = 2
    size = len(data)
    while True:
        while position < size and data[position] != 0xFF:  # tolerate stray bytes between segments
            position += 1
        while position < size and data[position] == 0xFF:  # fill bytes before a marker
            position += 1
        if position >= size:
            break
        marker = data[position]
        position += 1
        if marker == 0xD9:
            return ImageInfo(JPEG, size, width, height, True)
        if marker in _STANDALONE:
            continue
        if position + 2 > size:
            break
        length = int.from_bytes(data[position:position + 2], "big")
        if length < 2 or position + length > size:
            break
        if marker in _START_OF_FRAME and width is None and length >= 7:
            height = int.from_bytes(data[position + 3:position + 5], "big") or None
            width = int.from_bytes(data[position + 5:position + 7], "big") or None
        position += length
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            position = _end_of_scan(data, position)
    return ImageInfo(JPEG, size, width, height, False)


def _end_of_scan(data: bytes, position: int) -> int:
    """Where the marker after an entropy-coded scan starts (len(data) when there is none)."""
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            return len(data)
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            position += 1 if following == 0xFF else 2
            continue
        return position


# Brands of an ISO media file (ftyp box) that are still images.
_HEIF_BRANDS = {b"heic": "HEIC", b"heix": "HEIC", b"heim": "HEIC", b"heis": "HEIC", b"hevc": "HEIC",
                b"hevx": "HEIC", b"mif1": "HEIF", b"msf1": "HEIF", b"avif": "AVIF", b"avis": "AVIF"}


def _other(data: bytes) -> tuple[str | None, int | None, int | None]:
    """The name (and dimensions, where they are a few bytes in) of a format Kling does not take."""
    head = data[:32]
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF", _little(data, 6), _little(data, 8)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ("WebP", *_webp_size(data))
    if head[4:8] == b"ftyp":
        return _HEIF_BRANDS.get(head[8:12], "ISO media (MP4 or similar)"), None, None
    if head[:2] == b"BM" and len(data) >= 26:
        return "BMP", _little(data, 18, 4), abs(int.from_bytes(data[22:26], "little", signed=True)) or None
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF", None, None
    if head[:12] == b"\x00\x00\x00\x0cjP  \r\n\x87\n" or head[:4] == b"\xff\x4f\xff\x51":
        return "JPEG 2000", None, None
    if head[:2] == b"\xff\x0a" or head[:12] == b"\x00\x00\x00\x0cJXL \r\n\x87\n":
        return "JPEG XL", None, None
    if head[:4] == b"\x00\x00\x01\x00":
        return "ICO", None, None
    if head[:4] == b"8BPS":
        return "PSD", None, None
    if head[:4] == b"%PDF":
        return "PDF", None, None
    text = head.lstrip().lower()
    if text.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:1024].lower():
        return "SVG", None, None
    if text.startswith((b"<!doctype html", b"<html")):
        return "HTML", None, None
    return None, None, None


def _little(data: bytes, at: int, width: int = 2) -> int | None:
    return int.from_bytes(data[at:at + width], "little") or None if len(data) >= at + width else None


def _webp_size(data: bytes) -> tuple[int | None, int | None]:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        return int.from_bytes(data[26:28], "little") & 0x3FFF, int.from_bytes(data[28:30], "little") & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None, None
