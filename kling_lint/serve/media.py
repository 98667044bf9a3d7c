"""The placeholder videos the server hands out: one small MP4 per aspect ratio of the schema.

They were made once with a real encoder (ffmpeg 5.1, libx264) and are shipped as package data,
so neither the server nor CI needs ffmpeg; tests/test_serve_media.py reads their boxes:

    ffmpeg -f lavfi -i "testsrc2=size=WxH:rate=12:duration=2" -c:v libx264 -preset veryslow \\
        -crf 35 -pix_fmt yuv420p -movflags +faststart -map_metadata -1 -fflags +bitexact \\
        -flags:v +bitexact videos/16x9.mp4      # 320x180; 9x16: 180x320; 1x1: 240x240
"""

from __future__ import annotations

import os
from functools import cache

FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "videos")


def video_path(aspect_ratio: str) -> str:
    """The placeholder for an aspect ratio, its colon written as an x (videos/16x9.mp4)."""
    return os.path.join(FOLDER, aspect_ratio.replace(":", "x") + ".mp4")


def aspect_ratios() -> list[str]:
    """The aspect ratios the schema allows: one placeholder video each."""
    from ..contract import default_contract

    return list(default_contract().allowed(("aspect_ratio",)))


@cache
def video_bytes(aspect_ratio: str) -> bytes:
    with open(video_path(aspect_ratio), "rb") as handle:
        return handle.read()
