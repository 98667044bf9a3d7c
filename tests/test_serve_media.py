"""The placeholder videos are real MP4 files, one per aspect ratio the schema allows, of that shape."""

from __future__ import annotations

import struct
from fractions import Fraction

import pytest

from kling_lint.serve.media import aspect_ratios, video_bytes

RATIOS = aspect_ratios()


def boxes(data: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, payload) of each ISO base media box in ``data``, in order."""
    found, offset = [], 0
    while offset < len(data):
        size, kind = struct.unpack(">I4s", data[offset:offset + 8])
        header = 8
        if size == 1:  # a 64-bit size follows the type
            size, header = struct.unpack(">Q", data[offset + 8:offset + 16])[0], 16
        assert size >= header and offset + size <= len(data), (kind, size)
        found.append((kind, data[offset + header:offset + size]))
        offset += size
    return found


def child(payload: bytes, kind: bytes) -> list[bytes]:
    return [body for found, body in boxes(payload) if found == kind]


@pytest.mark.parametrize("ratio", RATIOS)
def test_each_placeholder_is_an_mp4_with_a_video_track_of_its_ratio(ratio):
    top = boxes(video_bytes(ratio))
    kinds = [kind for kind, _ in top]
    assert kinds[0] == b"ftyp" and b"moov" in kinds and b"mdat" in kinds
    major_brand = top[0][1][:4]
    assert major_brand in (b"isom", b"mp41", b"mp42")
    moov = dict(top)[b"moov"]
    sizes = []
    for trak in child(moov, b"trak"):
        tkhd = child(trak, b"tkhd")[0]
        width, height = struct.unpack(">II", tkhd[-8:])  # 16.16 fixed point, the box's last fields
        handler = child(child(trak, b"mdia")[0], b"hdlr")[0][8:12]
        if handler == b"vide":
            sizes.append((width >> 16, height >> 16))
    assert len(sizes) == 1
    width, height = sizes[0]
    wanted = Fraction(*map(int, ratio.split(":")))
    assert Fraction(width, height) == wanted and width >= 100


def test_the_ratios_are_the_schemas_enum():
    from kling_lint.contract.schema import load_schema

    assert RATIOS == load_schema()["properties"]["aspect_ratio"]["enum"] and len(RATIOS) >= 3


def test_the_placeholders_are_small():
    assert all(len(video_bytes(ratio)) < 64 * 1024 for ratio in RATIOS)
