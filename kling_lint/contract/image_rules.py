"""The image rules: Kling's limits for start and end frames, checked on the image's own bytes.

Offline they apply to base64 data in the request (the data is in the file: a value the schema's
base64 branch matches, as image-base64 says); fetch.py applies the same ``frame_problems`` and
``ratio_problems`` to images it fetched with --fetch-images, and adds the two rules only a
fetch can break (``image-unreachable``, ``image-content-type``: source "fetch" in the table).

The limits (formats, bytes, pixels, ratios) are said once, in the schema's ``x-kling-image``
annotation on $defs/imageReference, and read through the Contract; every number in a message
comes from it. A request without base64 image data never imports the header reader
(kling_lint.images).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import rule_ids as ids
from ..findings import Problem

if TYPE_CHECKING:
    from fractions import Fraction

    from ..images import ImageInfo
    from .contract import Contract

FRAMES = ("image", "last_image")
IMAGE_LIMITS = "x-kling-image"  # the schema's annotation on the frames' field


class ImageLimits(NamedTuple):
    formats: tuple[str, ...]
    max_bytes: int
    min_side: int
    max_ratio: Fraction
    tolerance: Fraction


@lru_cache(maxsize=4)
def limits(contract: Contract) -> ImageLimits:
    """The x-kling-image annotation of the contract's frames, ratios as exact fractions."""
    from fractions import Fraction  # exact boundaries: 750x300 is 2.5:1 exactly, not 2.5000001

    said = contract.field(FRAMES[:1]).get(IMAGE_LIMITS)
    if not isinstance(said, dict):
        raise ValueError(f"the schema's image field has no {IMAGE_LIMITS} annotation")
    return ImageLimits(
        tuple(said["formats"]),
        int(said["maxBytes"]),
        int(said["minSide"]),
        Fraction(str(said["maxAspectRatio"])),
        Fraction(str(said["framesRatioTolerance"])),
    )


def _number(value: Fraction) -> str:
    return f"{float(value):g}"


def _ratio(width: int, height: int) -> str:
    return f"{width / height:.2f}:1"


# ---------------------------------------------------------------- one frame, whatever its source


def frame_problems(name: str, info: ImageInfo, limit: ImageLimits) -> list[Problem]:
    """Every image rule that ``info``, the image at ``name``, breaks."""
    from ..images import megabytes

    path = (name,)
    problems = []
    if info.format not in limit.formats:
        what = _what(info.format)
        problems.append(Problem(ids.IMAGE_FORMAT, path, f"{name} is {what}; Kling takes {' or '.join(limit.formats)} only",
                                f"convert it to {' or '.join(limit.formats)}" if info.format else f"give a {' or '.join(limit.formats)} image"))
    elif not info.complete:
        end = "IEND chunk" if info.format == "PNG" else "end-of-image marker"
        problems.append(Problem(ids.IMAGE_TRUNCATED, path, f"{name} is a {info.format} image cut short: its data ({megabytes(info.size)}) stops before the {end}",
                                "copy or encode the whole file again"))
    if info.size > limit.max_bytes:
        problems.append(Problem(ids.IMAGE_TOO_LARGE, path,
                                f"{name} is {megabytes(info.size)} ({info.size:,} bytes), more than the {megabytes(limit.max_bytes)} allowed",
                                "compress it (JPEG) or scale it down"))
    if info.format in limit.formats and info.width and info.height:
        problems.extend(_shape_problems(name, info.width, info.height, limit))
    return problems


# Formats named in a message as something other than "a … image".
_NOT_IMAGES = {"HTML": "an HTML page", "PDF": "a PDF document", "ISO media (MP4 or similar)": "a video file (ISO media, MP4 or similar)"}


def _what(fmt: str | None) -> str:
    if fmt is None:
        return "not an image (its bytes are no known image format)"
    if fmt in _NOT_IMAGES:
        return f"{_NOT_IMAGES[fmt]}, not an image"
    return f"{'an' if fmt[0] in 'AEIOS' else 'a'} {fmt} image"


def _shape_problems(name: str, width: int, height: int, limit: ImageLimits) -> Iterator[Problem]:
    from fractions import Fraction

    if min(width, height) < limit.min_side:
        yield Problem(ids.IMAGE_TOO_SMALL, (name,), f"{name} is {width}x{height} px; each side must be at least {limit.min_side} px",
                      f"use an image at least {limit.min_side} px wide and high")
    if Fraction(max(width, height), min(width, height)) > limit.max_ratio:
        most = _number(limit.max_ratio)
        yield Problem(ids.IMAGE_ASPECT_RATIO, (name,),
                      f"{name} is {width}x{height} px, a ratio of {_ratio(width, height)}; Kling takes 1:{most} to {most}:1",
                      f"crop it to a ratio between 1:{most} and {most}:1")


def ratio_problems(first: ImageInfo | None, last: ImageInfo | None, limit: ImageLimits) -> list[Problem]:
    """The warning for a start and an end frame whose aspect ratios differ noticeably."""
    if not (first and last and first.width and first.height and last.width and last.height):
        return []
    from fractions import Fraction

    ratios = Fraction(first.width, first.height), Fraction(last.width, last.height)
    difference = max(ratios) / min(ratios) - 1
    if difference <= limit.tolerance:
        return []
    return [Problem(
        ids.IMAGE_RATIOS_DIFFER, FRAMES[1:],
        f"image is {first.width}x{first.height} ({_ratio(first.width, first.height)}) and last_image "
        f"{last.width}x{last.height} ({_ratio(last.width, last.height)}): their aspect ratios differ by "
        f"{float(difference):.0%}, more than {float(limit.tolerance):.0%}",
        "crop both frames to the same ratio: the video has to morph one into the other",
    )]


# ---------------------------------------------------------------- base64 frames, offline


def may_be_base64(value: Any) -> bool:
    """A cheap first look, so that a request with URLs (or none) never runs the base64 test."""
    return type(value) is str and not value[:8].lower().startswith(("http://", "https://", "data:"))


def has_base64_frame(request: Any) -> bool:
    """Whether a frame of ``request`` may be base64 data: the image rules' ``applies``, so that
    a request with URLs (or no frame) runs none of them."""
    return type(request) is dict and any(may_be_base64(request.get(name)) for name in FRAMES)


@lru_cache(maxsize=8)  # each image rule looks at the same frames: test and decode each value once
def _described(contract: Contract, name: str, value: str) -> ImageInfo | None:
    """The image a frame holds as base64 (the schema's base64 branch matches it), read; else None."""
    if not any(place == (name,) and test(value) for place, test in contract.matching(ids.IMAGE_BASE64)):
        return None
    from ..images import describe_image

    return describe_image(value)


def base64_frames(request: Any, contract: Contract) -> dict[str, ImageInfo]:
    """The frames of ``request`` given as base64 image data, read."""
    found = {}
    if type(request) is dict:
        for name in FRAMES:
            value = request.get(name)
            if may_be_base64(value):
                info = _described(contract, name, value)
                if info is not None:
                    found[name] = info
    return found


def _base64_problems(request: Any, contract: Contract, rule: str) -> list[Problem]:
    frames = base64_frames(request, contract)
    if not frames:
        return []
    limit = limits(contract)
    return [problem for name, info in frames.items() for problem in frame_problems(name, info, limit) if problem.rule == rule]


def image_format(request: Any, contract: Contract) -> list[Problem]:
    """image or last_image is not a JPEG or PNG image.

    Kling takes JPEG and PNG only. The format is read from the image's bytes, not its name, and
    the message names what it is (WebP, GIF, HEIC, …) or says it is not an image at all. Checked
    on base64 data, and on URLs with --fetch-images.

    Why it matters: the request is accepted and queued, and the job fails later when the service
    tries to read the frame; a file renamed to .png is still the format it was saved in."""
    return _base64_problems(request, contract, ids.IMAGE_FORMAT)


def image_truncated(request: Any, contract: Contract) -> list[Problem]:
    """A JPEG or PNG image is cut short: its data stops before the image's end.

    A PNG ends with an IEND chunk, a JPEG with an end-of-image marker; a file copied or encoded
    in part has a header that reads fine and no end. Checked without decoding the pixels.

    Why it matters: the start of the image looks right in a quick check, but the service cannot
    decode it, and the job fails after it was queued: copy or encode the file again."""
    return _base64_problems(request, contract, ids.IMAGE_TRUNCATED)


def image_too_large(request: Any, contract: Contract) -> list[Problem]:
    """An image is larger than 10 MB.

    Kling refuses a start or end frame over 10 MB (10 × 1024 × 1024 bytes). With --fetch-images, a
    Content-Length over the limit is refused without downloading the body.

    Why it matters: the service refuses the frame and the job fails after it was queued; export
    the image smaller or as JPEG, which keeps a frame well under the limit."""
    return _base64_problems(request, contract, ids.IMAGE_TOO_LARGE)


def image_too_small(request: Any, contract: Contract) -> list[Problem]:
    """An image's width or height is under 300 pixels.

    Kling needs each side of a start or end frame to be at least 300 px.

    Why it matters: the service refuses a smaller frame and the job fails after it was queued;
    a thumbnail given in place of the full image is the usual cause."""
    return _base64_problems(request, contract, ids.IMAGE_TOO_SMALL)


def image_aspect_ratio(request: Any, contract: Contract) -> list[Problem]:
    """An image's aspect ratio is outside 1:2.5 to 2.5:1.

    Kling takes frames from 1:2.5 (tall) to 2.5:1 (wide), both ends included: 750x300 passes,
    751x300 does not.

    Why it matters: the service refuses the frame and the job fails after it was queued; crop
    the image to a shape inside the range rather than stretching it."""
    return _base64_problems(request, contract, ids.IMAGE_ASPECT_RATIO)


def image_ratios_differ(request: Any, contract: Contract) -> list[Problem]:
    """image and last_image have noticeably different aspect ratios.

    The video starts on one frame and ends on the other, so it has to morph one shape into the
    other: the result is stretched or cropped. "Noticeably" is the schema's framesRatioTolerance
    (5%: 1280x720 against 1280x800 warns, 1920x1080 against 1920x1088 does not).

    Why it matters: the request is valid and is billed, but the video distorts as it moves from
    one shape to the other: crop both frames to the same aspect ratio."""
    frames = base64_frames(request, contract)
    if len(frames) < len(FRAMES):
        return []
    return ratio_problems(frames.get(FRAMES[0]), frames.get(FRAMES[1]), limits(contract))


# ---------------------------------------------------------------- rules only a fetch can break
# Their documentation; fetch.py finds them (source "fetch" in rules.RULE_TABLE).

UNREACHABLE_DOC = """With --fetch-images: an image URL cannot be fetched.

The host does not resolve, refuses the connection or does not answer within --fetch-timeout;
the answer is not a 2xx status; redirects loop or lead to a scheme other than http(s); or
the connection closes before the body is whole. The service would fail the job the same way,
after it was queued.

Why it matters: the request passes every offline check and is billed or queued, then fails
when the service cannot fetch the frame: a typo, an expired signed link or a private bucket."""

CONTENT_TYPE_DOC = """With --fetch-images: an image URL answers with a content type that is not an image.

A web page, JSON or a login form where the image should be: the URL is probably not the
file's direct link. The body is not downloaded.

Why it matters: the service fetches that page, cannot read it as an image and fails the job:
give the link to the image file itself (often "copy image address")."""
