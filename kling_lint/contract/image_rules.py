"""The image rules: Kling's limits for start and end frames, checked on the image's own bytes.

Offline they apply to base64 data in the request (the data is in the file); fetch.py applies
the same ``frame_problems`` and ``ratio_problems`` to images it fetched with --fetch-images,
and adds the two rules only a fetch can break (``image-unreachable``, ``image-content-type``).

The limits (formats, bytes, pixels, ratios) are said once, in the schema's ``x-kling-image``
annotation on $defs/imageReference, and read from there; every number in a message comes from
it. A request without base64 image data never imports the header reader (kling_lint.images).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from ..findings import Problem
from .registry import ERROR, WARNING, Rule, _register, code_rule
from .schema import load_schema

if TYPE_CHECKING:
    from fractions import Fraction

    from ..images import ImageInfo

FRAMES = ("image", "last_image")


class ImageLimits(NamedTuple):
    formats: tuple[str, ...]
    max_bytes: int
    min_side: int
    max_ratio: Fraction
    tolerance: Fraction


@cache
def limits() -> ImageLimits:
    """The x-kling-image annotation of the schema, ratios as exact fractions."""
    from fractions import Fraction  # exact boundaries: 750x300 is 2.5:1 exactly, not 2.5000001

    said = load_schema()["$defs"]["imageReference"]["x-kling-image"]
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


def frame_problems(name: str, info: ImageInfo) -> list[Problem]:
    """Every image rule that ``info``, the image at ``name``, breaks."""
    from ..images import megabytes

    limit = limits()
    path = (name,)
    problems = []
    if info.format not in limit.formats:
        what = _what(info.format)
        problems.append(Problem("image-format", path, f"{name} is {what}; Kling takes {' or '.join(limit.formats)} only",
                                f"convert it to {' or '.join(limit.formats)}" if info.format else f"give a {' or '.join(limit.formats)} image"))
    elif not info.complete:
        end = "IEND chunk" if info.format == "PNG" else "end-of-image marker"
        problems.append(Problem("image-truncated", path, f"{name} is a {info.format} image cut short: its data ({megabytes(info.size)}) stops before the {end}",
                                "copy or encode the whole file again"))
    if info.size > limit.max_bytes:
        problems.append(Problem("image-too-large", path,
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
        yield Problem("image-too-small", (name,), f"{name} is {width}x{height} px; each side must be at least {limit.min_side} px",
                      f"use an image at least {limit.min_side} px wide and high")
    if Fraction(max(width, height), min(width, height)) > limit.max_ratio:
        most = _number(limit.max_ratio)
        yield Problem("image-aspect-ratio", (name,),
                      f"{name} is {width}x{height} px, a ratio of {_ratio(width, height)}; Kling takes 1:{most} to {most}:1",
                      f"crop it to a ratio between 1:{most} and {most}:1")


def ratio_problems(first: ImageInfo | None, last: ImageInfo | None) -> list[Problem]:
    """The warning for a start and an end frame whose aspect ratios differ noticeably."""
    if not (first and last and first.width and first.height and last.width and last.height):
        return []
    from fractions import Fraction

    ratios = Fraction(first.width, first.height), Fraction(last.width, last.height)
    difference = max(ratios) / min(ratios) - 1
    if difference <= limits().tolerance:
        return []
    return [Problem(
        "image-ratios-differ", ("last_image",),
        f"image is {first.width}x{first.height} ({_ratio(first.width, first.height)}) and last_image "
        f"{last.width}x{last.height} ({_ratio(last.width, last.height)}): their aspect ratios differ by "
        f"{float(difference):.0%}, more than {float(limits().tolerance):.0%}",
        "crop both frames to the same ratio: the video has to morph one into the other",
    )]


# ---------------------------------------------------------------- base64 frames, offline

_MINIMUM_BASE64 = 64  # the schema's base64 pattern: at least 64 characters


def _might_be_base64(value: Any) -> bool:
    """A cheap first look, so that a request with URLs never loads the header reader."""
    return (isinstance(value, str) and len(value) >= _MINIMUM_BASE64
            and not value[:8].lower().startswith(("http://", "https://", "data:")))


@lru_cache(maxsize=8)  # each image rule looks at the same frames: decode each value once
def _described(value: str) -> ImageInfo | None:
    from ..images import describe_image

    return describe_image(value)


def base64_frames(request: Any) -> dict[str, ImageInfo]:
    """The frames of ``request`` given as base64 image data, read."""
    if type(request) is not dict:
        return {}
    found = {}
    for name in FRAMES:
        value = request.get(name)
        if _might_be_base64(value):
            info = _described(value)
            if info is not None:
                found[name] = info
    return found


def _has_base64(request: Any) -> bool:
    """Whether a frame may hold base64: every image rule asks this first, so a request with URLs
    (or none) costs each rule two dict look-ups."""
    if type(request) is dict:
        for name in FRAMES:
            value = request.get(name)
            if type(value) is str and len(value) >= _MINIMUM_BASE64 and _might_be_base64(value):
                return True
    return False


def _base64_problems(request: Any, rule: str) -> list[Problem]:
    if not _has_base64(request):
        return []
    return [problem for name, info in base64_frames(request).items() for problem in frame_problems(name, info) if problem.rule == rule]


@code_rule("image-format", ERROR)
def image_format(request: Any) -> list[Problem]:
    """image or last_image is not a JPEG or PNG image.

    Kling takes JPEG and PNG only. The format is read from the image's bytes, not its name, and
    the message names what it is (WebP, GIF, HEIC, …) or says it is not an image at all. Checked
    on base64 data, and on URLs with --fetch-images."""
    return _base64_problems(request, "image-format")


@code_rule("image-truncated", ERROR)
def image_truncated(request: Any) -> list[Problem]:
    """A JPEG or PNG image is cut short: its data stops before the image's end.

    A PNG ends with an IEND chunk, a JPEG with an end-of-image marker; a file copied or encoded
    in part has a header that reads fine and no end. Checked without decoding the pixels."""
    return _base64_problems(request, "image-truncated")


@code_rule("image-too-large", ERROR)
def image_too_large(request: Any) -> list[Problem]:
    """An image is larger than 10 MB.

    Kling refuses a start or end frame over 10 MB (10 × 1024 × 1024 bytes). With --fetch-images, a
    Content-Length over the limit is refused without downloading the body."""
    return _base64_problems(request, "image-too-large")


@code_rule("image-too-small", ERROR)
def image_too_small(request: Any) -> list[Problem]:
    """An image's width or height is under 300 pixels.

    Kling needs each side of a start or end frame to be at least 300 px."""
    return _base64_problems(request, "image-too-small")


@code_rule("image-aspect-ratio", ERROR)
def image_aspect_ratio(request: Any) -> list[Problem]:
    """An image's aspect ratio is outside 1:2.5 to 2.5:1.

    Kling takes frames from 1:2.5 (tall) to 2.5:1 (wide), both ends included: 750x300 passes,
    751x300 does not."""
    return _base64_problems(request, "image-aspect-ratio")


@code_rule("image-ratios-differ", WARNING)
def image_ratios_differ(request: Any) -> list[Problem]:
    """image and last_image have noticeably different aspect ratios.

    The video starts on one frame and ends on the other, so it has to morph one shape into the
    other: the result is stretched or cropped. "Noticeably" is the schema's framesRatioTolerance
    (5%: 16:9 against 16:10 warns, 1920x1080 against 1920x1088 does not)."""
    if not _has_base64(request):
        return []
    frames = base64_frames(request)
    return ratio_problems(frames.get("image"), frames.get("last_image"))


# ---------------------------------------------------------------- rules only a fetch can break


def fetch_rule(rule_id: str, severity: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a rule that only --fetch-images applies (fetch.py); the function is its documentation."""

    def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
        _register(Rule(rule_id, severity, function, (), "fetch"))
        return function

    return wrap


@fetch_rule("image-unreachable", ERROR)
def image_unreachable() -> None:
    """With --fetch-images: an image URL cannot be fetched.

    The host does not resolve, refuses the connection or does not answer within --fetch-timeout;
    the answer is not a 2xx status; redirects loop or lead to a scheme other than http(s); or
    the connection closes before the body is whole. The service would fail the job the same way,
    after it was queued."""


@fetch_rule("image-content-type", ERROR)
def image_content_type() -> None:
    """With --fetch-images: an image URL answers with a content type that is not an image.

    A web page, JSON or a login form where the image should be: the URL is probably not the
    file's direct link. The body is not downloaded."""


IMAGE_RULES = ("image-format", "image-truncated", "image-too-large", "image-too-small", "image-aspect-ratio",
               "image-ratios-differ", "image-unreachable", "image-content-type")
FETCH_RULES = ("image-unreachable", "image-content-type")
