"""Hypothesis strategies for the property tests: valid requests, requests with one broken
constraint ("breakers"), arbitrary JSON values, and the JSON and YAML writers.

Everything here is written from the contract (docs/contract.md), not from kling_lint's code: the constants are the
spec's, so that a rule the tool gets wrong shows up as a failing law rather than being copied.
"""

from __future__ import annotations

import base64
import copy
import functools
import json
import re
import string
import unicodedata
from collections.abc import Callable
from typing import Any, NamedTuple

from hypothesis import strategies as st

# ---------------------------------------------------------------- the contract's constants

MODELS = ("kling-v3-std-silent", "kling-v3-std-audio", "kling-v3-pro-silent", "kling-v3-pro-audio")
ASPECT_RATIOS = ("16:9", "9:16", "1:1")
SHOT_TYPES = ("customize", "intelligent")
DEFAULT_DURATION = 5
PROMPT_LIMIT, SHOT_PROMPT_LIMIT, NEGATIVE_PROMPT_LIMIT = 2500, 512, 2500
MAX_SHOTS, MAX_ELEMENTS = 6, 3

TOP_KEYS = frozenset({"$schema", "model", "prompt", "image", "last_image", "aspect_ratio", "duration", "extra_body"})
EXTRA_KEYS = frozenset({"cfg_scale", "shot_type", "negative_prompt", "multi_prompt", "element_list"})
SHOT_KEYS = frozenset({"prompt", "duration", "index"})

MP = ("extra_body", "multi_prompt")  # the path of the shots
EL = ("extra_body", "element_list")

TEXT_TO_VIDEO = "text-to-video"
IMAGE_TO_VIDEO = "image-to-video"
FIRST_LAST = "first-and-last-frame"
MULTI_SHOT = "multi-shot"
MULTI_SHOT_IMAGE = "multi-shot-image"
MODES = (TEXT_TO_VIDEO, IMAGE_TO_VIDEO, FIRST_LAST, MULTI_SHOT, MULTI_SHOT_IMAGE)
SINGLE = (TEXT_TO_VIDEO, IMAGE_TO_VIDEO, FIRST_LAST)
MULTI = (MULTI_SHOT, MULTI_SHOT_IMAGE)

# Findings about a key rather than its value.
AT_KEY_RULES = frozenset({"unknown-key", "duplicate-key", "prompt-and-multi-prompt", "last-image-without-image", "multi-prompt-last-image"})
# Findings about the shots as a whole: at the multi_prompt key, since no one shot is at fault.
AT_MULTI_PROMPT_KEY_RULES = frozenset({"shot-durations-sum", "shot-durations-partial", "multi-prompt-shot-type"})

# Every white-space character, as the schema's prompt pattern sees it: what ECMA 262 or Python
# calls white space (the schema spells the class out so that both dialects agree).
# Python's is str.isspace(); ECMA 262's is Unicode's Zs, the ASCII controls \t-\r, U+2028,
# U+2029 and U+FEFF.
WHITESPACE = "".join(
    c for c in map(chr, range(0x110000))
    if c.isspace() or unicodedata.category(c) == "Zs" or c in "\t\n\v\f\r\u2028\u2029\ufeff"
)

# ---------------------------------------------------------------- text

_ALPHABET = st.characters(exclude_categories=("Cs", "Cc"))
_NONBLANK = re.compile("[^" + re.escape(WHITESPACE) + "]")
_ALNUM = string.ascii_letters + string.digits


def no_secret(text: str) -> bool:
    """Conservatively free of anything token-like (the spec's sk-… and Bearer …)."""
    low = text.lower()
    return "sk-" not in low and "bearer" not in low


def nonblank(text: str) -> bool:
    return _NONBLANK.search(text) is not None


@functools.cache
def texts(min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    return st.text(_ALPHABET, min_size=min_size, max_size=max_size).filter(no_secret)


def _stretch(base: str, length: int) -> str:
    return (base * (length // len(base) + 1))[:length]


_SHORT_PROMPTS = texts(1, 40).filter(nonblank)


@functools.cache
def sized_text(low: int, high: int) -> st.SearchStrategy[str]:
    """A non-blank text of ``low``..``high`` characters, built by repeating a short one."""
    return st.builds(_stretch, _SHORT_PROMPTS, st.integers(low, high)).filter(no_secret)


@functools.cache
def bounded_text(limit: int) -> st.SearchStrategy[str]:
    """A valid prompt for a field of at most ``limit`` characters: mostly short, sometimes at the limit."""
    return st.one_of(_SHORT_PROMPTS, _SHORT_PROMPTS, sized_text(limit - 2, limit))


@functools.cache
def blank_text(min_size: int = 0) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(WHITESPACE), min_size=min_size, max_size=8)


# ---------------------------------------------------------------- images

_URL_CHAR = st.characters(exclude_categories=("Cs", "Cc")).filter(lambda c: c not in WHITESPACE)
_HOST = st.one_of(
    st.sampled_from(["example.com", "cdn.example.org:8443", "127.0.0.1", "xn--bcher-kva.example", "[::1]:8080",
                     "user:pw@example.com", "example.com:", "h:065535"]),
    st.text(_URL_CHAR.filter(lambda c: c not in "/?#@[]:\\"), min_size=1, max_size=20),
)
_URL_REST = st.one_of(
    st.sampled_from(["", "/", "/frame.png", "/a/b.jpg?w=1024&h=576#x"]),
    st.tuples(st.sampled_from("/?#"), st.text(_URL_CHAR, max_size=30)).map("".join),
)
urls = st.builds(
    lambda scheme, host, rest: f"{scheme}://{host}{rest}",
    st.sampled_from(["https", "http", "HTTPS", "Http", "hTtPs"]),
    _HOST,
    _URL_REST,
).filter(no_secret)


def png(width: int, height: int) -> bytes:
    """A whole black-and-white PNG of the given size, built here (no image library)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = (b"\x00" + bytes((width + 7) // 8)) * height
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@st.composite
def _frame_sizes(draw: Callable[..., Any]) -> tuple[int, int]:
    """A width and height within Kling's limits (each side >= 300 px, ratio within 2.5:1)."""
    short = draw(st.integers(300, 900))
    long = draw(st.integers(short, short * 5 // 2))
    return (long, short) if draw(st.booleans()) else (short, long)


raw_base64 = _frame_sizes().map(lambda size: base64.b64encode(png(*size)).decode("ascii"))
images = st.one_of(urls, urls, urls, raw_base64)

# ---------------------------------------------------------------- valid requests


@functools.cache
def integers(low: int, high: int) -> st.SearchStrategy[int]:
    """st.integers, built once per range: building strategies inside a draw is slow."""
    return st.integers(low, high)


@functools.cache
def choice(*options: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(options)


BOOLEANS = st.booleans()


def _shuffled(draw: Callable[..., Any], mapping: dict[str, Any]) -> dict[str, Any]:
    """The same entries in a drawn order (shrinking towards the original one)."""
    items: list[tuple[str, Any]] = []
    for item in mapping.items():
        items.insert(draw(integers(0, len(items))), item)
    return dict(items)


@functools.cache
def _cuts(total: int, parts: int) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(1, total - 1), min_size=parts - 1, max_size=parts - 1, unique=True)


@st.composite
def _partition(draw: Callable[..., Any], total: int, parts: int) -> list[int]:
    """``parts`` whole numbers >= 1 adding up to ``total``."""
    cuts = sorted(draw(_cuts(total, parts))) if parts > 1 else []
    bounds = [0, *cuts, total]
    return [b - a for a, b in zip(bounds, bounds[1:])]


_partitions = functools.cache(_partition)


def _seconds(draw: Callable[..., Any], value: int) -> int | str:
    """A duration as an integer, or now and then as a numeric string (accepted, with a warning)."""
    return value if draw(integers(0, 4)) else str(value)


@st.composite
def shots(draw: Callable[..., Any], total: int) -> list[dict[str, Any]]:
    """1 to 6 valid shots: durations all absent, or all present and adding up to ``total``."""
    count = draw(integers(1, MAX_SHOTS))
    timed = count <= total and draw(BOOLEANS)
    durations = draw(_partitions(total, count)) if timed else [None] * count
    out = []
    for position, duration in enumerate(durations, start=1):
        shot: dict[str, Any] = {"prompt": draw(bounded_text(SHOT_PROMPT_LIMIT))}
        if duration is not None:
            shot["duration"] = _seconds(draw, duration)
        if draw(BOOLEANS):
            shot["index"] = position
        out.append(_shuffled(draw, shot))
    return out


_shot_lists = functools.cache(shots)
element_ids = st.one_of(texts(1, 20), st.integers(1, 10**12))
elements = st.builds(lambda element_id: {"element_id": element_id}, element_ids)
cfg_scales = st.one_of(st.floats(0, 1), st.integers(0, 1))
_ELEMENT_LISTS = st.lists(elements, min_size=1, max_size=MAX_ELEMENTS)
_NEGATIVE_PROMPTS = st.one_of(texts(0, 40), bounded_text(NEGATIVE_PROMPT_LIMIT))


@st.composite
def valid_requests(draw: Callable[..., Any], modes: tuple[str, ...] = MODES) -> dict[str, Any]:
    """A request with no error-severity finding (warnings allowed), in one of ``modes``."""
    mode = draw(choice(*modes))
    request: dict[str, Any] = {"model": draw(choice(*MODELS))}
    if draw(integers(0, 9)) == 0:
        request["$schema"] = draw(texts(0, 30))
    if mode in (IMAGE_TO_VIDEO, FIRST_LAST, MULTI_SHOT_IMAGE):
        request["image"] = draw(images)
    if mode == FIRST_LAST:
        request["last_image"] = draw(images)
    if draw(BOOLEANS):
        request["aspect_ratio"] = draw(choice(*ASPECT_RATIOS))
    duration = None
    if draw(BOOLEANS):
        duration = draw(integers(3, 15))
        request["duration"] = _seconds(draw, duration)
    extra: dict[str, Any] = {}
    if mode in MULTI:
        extra["multi_prompt"] = draw(_shot_lists(duration or DEFAULT_DURATION))
        shot_type = draw(choice("customize", "customize", "intelligent", None))
        if shot_type is not None:
            extra["shot_type"] = shot_type
    else:
        request["prompt"] = draw(bounded_text(PROMPT_LIMIT))
        if draw(BOOLEANS):
            extra["shot_type"] = draw(choice(*SHOT_TYPES))
    if draw(BOOLEANS):
        extra["cfg_scale"] = draw(cfg_scales)
    if draw(BOOLEANS):
        extra["negative_prompt"] = draw(_NEGATIVE_PROMPTS)
    if draw(BOOLEANS):
        extra["element_list"] = draw(_ELEMENT_LISTS)
    if extra or draw(BOOLEANS):
        request["extra_body"] = _shuffled(draw, extra)
    return _shuffled(draw, request)


# ---------------------------------------------------------------- arbitrary JSON

finite_floats = st.floats(allow_nan=False, allow_infinity=False)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), finite_floats, st.text())
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=20,
)
_small_scalars = st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), finite_floats, texts(0, 10))
_small_lists = st.lists(_small_scalars, max_size=3)
_small_dicts = st.dictionaries(texts(0, 8), _small_scalars, max_size=2)

NON_STRING = st.one_of(st.integers(-10**6, 10**6), finite_floats, st.booleans(), st.none(), _small_lists, _small_dicts)
NON_NUMBER = st.one_of(texts(0, 10), st.booleans(), st.none(), _small_lists, _small_dicts)
NON_NUMBER_OR_STRING = st.one_of(st.booleans(), st.none(), _small_lists, _small_dicts)
NON_INTEGER = st.one_of(texts(0, 10), st.booleans(), st.none(), finite_floats.filter(lambda x: not x.is_integer()), _small_lists, _small_dicts)
NON_OBJECT = st.one_of(texts(0, 10), st.integers(-1000, 1000), finite_floats, st.booleans(), st.none(), _small_lists)
NON_ARRAY = st.one_of(texts(0, 10), st.integers(-1000, 1000), finite_floats, st.booleans(), st.none(), _small_dicts)


@st.composite
def fuzzy_requests(draw: Callable[..., Any]) -> Any:
    """Request-shaped data of any validity: known keys with arbitrary or plausible values."""
    def value(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(plausible, json_values)

    shot = st.dictionaries(
        st.sampled_from([*SHOT_KEYS, "x"]),
        value(st.one_of(texts(0, 20), st.integers(-2, 8), st.sampled_from(["2", "0", "2\n"]))),
        max_size=4,
    )
    extra = st.dictionaries(
        st.sampled_from([*EXTRA_KEYS, "cfg"]),
        value(st.one_of(st.lists(shot, max_size=7), st.lists(st.dictionaries(st.sampled_from(["element_id", "id"]), element_ids), max_size=4), cfg_scales, st.sampled_from(SHOT_TYPES), texts(0, 20))),
        max_size=5,
    )
    top = st.dictionaries(
        st.sampled_from([*TOP_KEYS, "sound"]),
        value(st.one_of(st.sampled_from(MODELS), texts(0, 20), images, st.sampled_from(ASPECT_RATIOS), st.integers(0, 20), st.sampled_from(["5", "5\n", "20"]), extra)),
        max_size=8,
    )
    return draw(st.one_of(top, top, top, json_values))


# ---------------------------------------------------------------- breakers


class Broken(NamedTuple):
    """A request with one constraint broken: the rule that must fire, and where."""

    rule: str
    path: tuple[str | int, ...]
    request: Any
    at_key: bool = False


class Breaker(NamedTuple):
    rule: str
    modes: tuple[str, ...]
    apply: Callable[[Callable[..., Any], dict[str, Any]], Broken]


BREAKERS: list[Breaker] = []


def breaker(rule: str, modes: tuple[str, ...] = MODES) -> Callable[..., Any]:
    def wrap(function: Callable[[Callable[..., Any], dict[str, Any]], Broken]) -> Callable[..., Any]:
        BREAKERS.append(Breaker(rule, modes, function))
        return function

    return wrap


def _extra(request: dict[str, Any]) -> dict[str, Any]:
    return request.setdefault("extra_body", {})


def _shots_of(request: dict[str, Any]) -> list[Any]:
    return request["extra_body"]["multi_prompt"]


def _set(request: Any, path: tuple[str | int, ...], value: Any) -> Any:
    """``request`` with ``value`` at ``path`` (creating extra_body when needed)."""
    if not path:
        return value
    target = request
    for part in path[:-1]:
        target = target.setdefault(part, {}) if part == "extra_body" else target[part]
    target[path[-1]] = value
    return request


def _insert(draw: Callable[..., Any], mapping: dict[str, Any], key: str, value: Any) -> None:
    """Put key: value into ``mapping`` at a drawn place, keeping the same dict object."""
    items = list(mapping.items())
    at = draw(integers(0, len(items)))
    items.insert(at, (key, value))
    mapping.clear()
    mapping.update(items)


def _position(draw: Callable[..., Any], request: dict[str, Any]) -> int:
    return draw(integers(0, len(_shots_of(request)) - 1))


@breaker("model-missing")
def _model_missing(draw, request):
    del request["model"]
    return Broken("model-missing", (), request)


@breaker("model-unknown")
def _model_unknown(draw, request):
    request["model"] = draw(
        st.one_of(
            st.sampled_from(["kling-v3-std", "kling-v3-pro-silnet", "kling-v2-master", "KLING-V3-STD-SILENT", "kling-v3-std-silent ", ""]),
            texts(0, 30),
        ).filter(lambda model: model not in MODELS)
    )
    return Broken("model-unknown", ("model",), request)


@breaker("type-mismatch")
def _type_mismatch(draw, request):
    targets: list[tuple[tuple[str | int, ...], st.SearchStrategy[Any]]] = [
        ((), st.one_of(NON_OBJECT, st.just([copy.deepcopy(request)]))),
        (("model",), NON_STRING),
        (("image",), NON_STRING),
        (("aspect_ratio",), NON_STRING),
        (("duration",), NON_NUMBER_OR_STRING),
        (("$schema",), NON_STRING),
        (("extra_body", "cfg_scale"), NON_NUMBER),
        (("extra_body", "shot_type"), NON_STRING),
        (("extra_body", "negative_prompt"), NON_STRING),
        (EL, NON_ARRAY),
    ]
    if "prompt" in request:
        targets += [(("prompt",), NON_STRING), (("extra_body",), NON_OBJECT)]
    if "last_image" in request:
        targets.append((("last_image",), NON_STRING))
    if "multi_prompt" in request.get("extra_body", {}):
        targets.append((MP, NON_ARRAY))
        for position in range(len(_shots_of(request))):
            shot = MP + (position,)
            targets += [
                (shot, NON_OBJECT),
                (shot + ("prompt",), NON_STRING),
                (shot + ("duration",), NON_NUMBER_OR_STRING),
                (shot + ("index",), NON_INTEGER),
            ]
    path, values = draw(st.sampled_from(targets))
    return Broken("type-mismatch", path, _set(request, path, draw(values)))


_MISSPELT = {
    "top": ["aspect-ratio", "aspectRatio", "negative_prompt", "cfg_scale", "sound", "generate_audio", "mode", "model_name", "image_tail", "camera_control", "Prompt", "durations", "multi_prompt"],
    "extra": ["cfg", "cfgScale", "negative-prompt", "shotType", "multiprompt", "elements", "prompt", "duration", "sound", "aspect_ratio", "$schema"],
    "shot": ["Prompt", "durations", "idx", "negative_prompt", "text", "image", "shot_type"],
}


@breaker("unknown-key")
def _unknown_key(draw, request):
    levels: list[tuple[str, tuple[str | int, ...]]] = [("top", ()), ("extra", ("extra_body",))]
    if "multi_prompt" in request.get("extra_body", {}):
        levels += [("shot", MP + (n,)) for n in range(len(_shots_of(request)))]
    kind, parent_path = draw(st.sampled_from(levels))
    parent = request
    for part in parent_path:
        parent = parent.setdefault(part, {}) if part == "extra_body" else parent[part]
    known = {"top": TOP_KEYS, "extra": EXTRA_KEYS, "shot": SHOT_KEYS}[kind]
    key = draw(st.one_of(st.sampled_from(_MISSPELT[kind]), texts(0, 20)).filter(lambda k: k not in known and k not in parent))
    _insert(draw, parent, key, draw(_small_scalars))
    return Broken("unknown-key", parent_path + (key,), request, at_key=True)


@breaker("prompt-empty", SINGLE)
def _prompt_empty(draw, request):
    request["prompt"] = draw(blank_text())
    return Broken("prompt-empty", ("prompt",), request)


@breaker("prompt-too-long", SINGLE)
def _prompt_too_long(draw, request):
    request["prompt"] = draw(sized_text(PROMPT_LIMIT + 1, PROMPT_LIMIT + 60))
    return Broken("prompt-too-long", ("prompt",), request)


_NOT_BASE64 = set(string.ascii_letters + string.digits + "+/=")
not_images = st.one_of(
    st.sampled_from([
        "data:image/png;base64," + "A" * 64,
        "ftp://example.com/a.png",
        "example.com/a.png",
        "//example.com/a.png",
        "http://",
        "https:///frame.png",
        "https://exa mple.com/a.png",
        "https://example.com/a b.png",
        "",
        "file:///tmp/a.png",
        "A" * 63,
        "A" * 65,
    ]),
    texts(0, 30).filter(lambda t: "://" not in t and (not t or not set(t) <= _NOT_BASE64)),
    # A line break is white space: no URL and no base64 ends with one.
    st.builds(lambda image, end: image + end, images, st.sampled_from(["\n", " ", "\n\n"])),
)


@breaker("image-url")
def _image_url(draw, request):
    names = ["image", "last_image"] if "last_image" in request else ["image"]
    name = draw(st.sampled_from(names))
    request[name] = draw(not_images)
    return Broken("image-url", (name,), request)


IMAGE_MODES = (IMAGE_TO_VIDEO, FIRST_LAST, MULTI_SHOT_IMAGE)


def _base64_frame(draw, request, data: bytes, rule: str) -> Broken:
    """Put ``data`` as base64 into one of the request's frames."""
    name = draw(st.sampled_from(["image", "last_image"] if "last_image" in request else ["image"]))
    request[name] = base64.b64encode(data).decode("ascii")
    return Broken(rule, (name,), request)


@breaker("image-format", IMAGE_MODES)
def _image_format(draw, request):
    data = draw(st.one_of(
        st.sampled_from([b"GIF89a" + bytes(60), b"RIFF\x00\x00\x00\x00WEBPVP8 " + bytes(60), b"BM" + bytes(60)]),
        st.binary(min_size=48, max_size=96).filter(lambda data: not data.startswith((b"\x89PNG", b"\xff\xd8\xff"))),
    ))
    return _base64_frame(draw, request, data, "image-format")


@breaker("image-truncated", IMAGE_MODES)
def _image_truncated(draw, request):
    whole = png(*draw(_frame_sizes()))
    return _base64_frame(draw, request, whole[:len(whole) - draw(st.integers(1, len(whole) - 48))], "image-truncated")


@breaker("image-too-small", IMAGE_MODES)
def _image_too_small(draw, request):
    short = draw(st.integers(1, 299))
    long = draw(st.integers(short, min(299, short * 5 // 2)))
    size = (long, short) if draw(st.booleans()) else (short, long)
    return _base64_frame(draw, request, png(*size), "image-too-small")


@breaker("image-aspect-ratio", IMAGE_MODES)
def _image_aspect_ratio(draw, request):
    short = draw(st.integers(300, 600))
    long = draw(st.integers(short * 5 // 2 + 1, 2000))
    size = (long, short) if draw(st.booleans()) else (short, long)
    return _base64_frame(draw, request, png(*size), "image-aspect-ratio")


@breaker("aspect-ratio-unknown")
def _aspect_ratio_unknown(draw, request):
    request["aspect_ratio"] = draw(
        st.one_of(
            st.sampled_from(["4:3", "16:10", "21:9", "16/9", "1:2", "9:16 ", " 1:1", "16x9", ""]),
            texts(0, 10),
        ).filter(lambda ratio: ratio not in ASPECT_RATIOS)
    )
    return Broken("aspect-ratio-unknown", ("aspect_ratio",), request)


@breaker("duration-range")
def _duration_range(draw, request):
    request["duration"] = draw(
        st.one_of(
            st.integers(16, 10**6),
            st.integers(-10**6, 2),
            st.sampled_from(["0", "2", "16", "20", "100", "-5", "5.5", "five", "00", "016", "", " 5", "5 ", "+5", "1e1", "20\n"]),
            st.floats(3, 15).filter(lambda x: not x.is_integer()),
            st.sampled_from([2.0, 16.0, 0.0, -5.0, 1e300]),
        )
    )
    return Broken("duration-range", ("duration",), request)


@breaker("cfg-scale-range")
def _cfg_scale_range(draw, request):
    _extra(request)["cfg_scale"] = draw(
        st.one_of(
            st.floats(min_value=1, exclude_min=True, allow_infinity=False),
            st.floats(max_value=0, exclude_max=True, allow_infinity=False),
            st.integers(2, 10**6),
            st.integers(-10**6, -1),
        )
    )
    return Broken("cfg-scale-range", ("extra_body", "cfg_scale"), request)


@breaker("shot-type-unknown")
def _shot_type_unknown(draw, request):
    _extra(request)["shot_type"] = draw(
        st.one_of(st.sampled_from(["intelligence", "Customize", "custom", "INTELLIGENT", "auto", ""]), texts(0, 15)).filter(
            lambda value: value not in SHOT_TYPES
        )
    )
    return Broken("shot-type-unknown", ("extra_body", "shot_type"), request)


@breaker("negative-prompt-too-long")
def _negative_prompt_too_long(draw, request):
    _extra(request)["negative_prompt"] = draw(sized_text(NEGATIVE_PROMPT_LIMIT + 1, NEGATIVE_PROMPT_LIMIT + 60))
    return Broken("negative-prompt-too-long", ("extra_body", "negative_prompt"), request)


@breaker("multi-prompt-size", MULTI)
def _multi_prompt_size(draw, request):
    count = draw(st.sampled_from([0, 7, 8, 12]))
    new = []
    for position in range(1, count + 1):
        shot: dict[str, Any] = {"prompt": draw(_SHORT_PROMPTS)}
        if draw(st.booleans()):
            shot["index"] = position
        new.append(shot)
    request["extra_body"]["multi_prompt"] = new
    return Broken("multi-prompt-size", MP, request)


@breaker("shot-prompt", MULTI)
def _shot_prompt(draw, request):
    position = _position(draw, request)
    shot = _shots_of(request)[position]
    how = draw(st.sampled_from(["missing", "blank", "long"]))
    if how == "missing":
        del shot["prompt"]
        return Broken("shot-prompt", MP + (position,), request)
    shot["prompt"] = draw(blank_text() if how == "blank" else sized_text(SHOT_PROMPT_LIMIT + 1, SHOT_PROMPT_LIMIT + 40))
    return Broken("shot-prompt", MP + (position, "prompt"), request)


@breaker("shot-duration", MULTI)
def _shot_duration(draw, request):
    position = _position(draw, request)
    _shots_of(request)[position]["duration"] = draw(
        st.one_of(
            st.integers(-10**6, 0),
            st.floats(-100, 100).filter(lambda x: not x.is_integer()),
            st.sampled_from([0.0, -1.0, "0", "-1", "1.5", "two", "", " 2", "2 ", "+2", "00", "0x2"]),
        )
    )
    return Broken("shot-duration", MP + (position, "duration"), request)


@breaker("shot-index", MULTI)
def _shot_index(draw, request):
    position = _position(draw, request)
    # Any whole number but position + 1, including 0 and negatives: "index, when given, is the
    # shot's 1-based position".
    index = draw(st.integers(-5, 20).filter(lambda i: i != position + 1))
    _shots_of(request)[position]["index"] = index
    return Broken("shot-index", MP + (position, "index"), request)


@breaker("element-list")
def _element_list(draw, request):
    extra = _extra(request)
    how = draw(st.sampled_from(["empty", "many", "not-object", "no-id", "extra-key", "bad-id"]))
    if how == "empty":
        extra["element_list"] = []
        return Broken("element-list", EL, request)
    if how == "many":
        extra["element_list"] = draw(st.lists(elements, min_size=MAX_ELEMENTS + 1, max_size=MAX_ELEMENTS + 3))
        return Broken("element-list", EL, request)
    entries = draw(st.lists(elements, min_size=1, max_size=MAX_ELEMENTS))
    extra["element_list"] = entries
    position = draw(st.integers(0, len(entries) - 1))
    at = EL + (position,)
    if how == "not-object":
        entries[position] = draw(NON_OBJECT)
        return Broken("element-list", at, request)
    if how == "no-id":
        entries[position] = draw(st.sampled_from([{}, {"id": "el_1"}])).copy()
        if entries[position]:  # element_id written as id: one mistake, one unknown-key that names element_id
            return Broken("unknown-key", at + ("id",), request, at_key=True)
        return Broken("element-list", at, request)
    if how == "extra-key":
        key = draw(st.one_of(st.sampled_from(["id", "elementId", "name"]), texts(0, 10)).filter(lambda k: k != "element_id"))
        _insert(draw, entries[position], key, draw(_small_scalars))
        return Broken("unknown-key", at + (key,), request, at_key=True)
    entries[position]["element_id"] = draw(
        st.one_of(
            st.sampled_from(["", 0, -1, True, False, None, 1.5, [], {}, 0.0]),
            st.integers(-10**6, 0),
            st.lists(element_ids, min_size=1, max_size=2),
        )
    )
    return Broken("element-list", at + ("element_id",), request)


@breaker("prompt-and-multi-prompt", MULTI)
def _prompt_and_multi_prompt(draw, request):
    _insert(draw, request, "prompt", draw(bounded_text(PROMPT_LIMIT)))
    return Broken("prompt-and-multi-prompt", ("prompt",), request, at_key=True)


@breaker("prompt-missing")
def _prompt_missing(draw, request):
    if "prompt" in request:
        del request["prompt"]
    else:
        del request["extra_body"]["multi_prompt"]
    return Broken("prompt-missing", (), request)


@breaker("last-image-without-image", (TEXT_TO_VIDEO, FIRST_LAST))
def _last_image_without_image(draw, request):
    if "image" in request:
        del request["image"]
    else:
        _insert(draw, request, "last_image", draw(images))
    return Broken("last-image-without-image", ("last_image",), request, at_key=True)


@breaker("multi-prompt-last-image", (MULTI_SHOT_IMAGE,))
def _multi_prompt_last_image(draw, request):
    _insert(draw, request, "last_image", draw(images))
    return Broken("multi-prompt-last-image", ("last_image",), request, at_key=True)


@breaker("shot-durations-sum", MULTI)
def _shot_durations_sum(draw, request):
    duration = request.get("duration", DEFAULT_DURATION)
    total = int(duration)
    shots_ = _shots_of(request)
    wrong = draw(st.integers(len(shots_), len(shots_) + 15).filter(lambda s: s != total))
    for shot, seconds in zip(shots_, draw(_partitions(wrong, len(shots_)))):
        shot["duration"] = _seconds(draw, seconds)
    return Broken("shot-durations-sum", MP, request, at_key=True)


_sk_tokens = st.builds(
    lambda first, rest: "sk-" + first + rest,
    st.sampled_from(_ALNUM),
    st.text(st.sampled_from(_ALNUM + "_-"), min_size=15, max_size=40),
)
_bearer_tokens = st.builds(
    lambda gap, body, pad: "Bearer" + gap + body + pad,
    st.sampled_from([" ", "  ", "\t"]),
    st.text(st.sampled_from(_ALNUM + "-._~+/"), min_size=12, max_size=40),
    st.sampled_from(["", "=", "=="]),
)
tokens = st.one_of(_sk_tokens, _bearer_tokens)


@breaker("secret-in-request")
def _secret_in_request(draw, request):
    def sentence() -> str:
        return draw(texts(0, 20)) + " " + draw(tokens) + " " + draw(texts(0, 20))

    targets: list[tuple[str | int, ...]] = [("extra_body", "negative_prompt"), ("image",), ("$schema",), EL]
    if "prompt" in request:
        targets.append(("prompt",))
    if "multi_prompt" in request.get("extra_body", {}):
        targets += [MP + (n, "prompt") for n in range(len(_shots_of(request)))]
    path = draw(st.sampled_from(targets))
    if path == ("image",):
        request["image"] = "https://example.com/frame.png?key=" + draw(_sk_tokens)
    elif path == EL:
        _extra(request)["element_list"] = [{"element_id": sentence()}]
        path = EL + (0, "element_id")
    else:
        _set(request, path, sentence())
    return Broken("secret-in-request", path, request)


@functools.cache
def _valid_in(modes: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return valid_requests(modes)


@st.composite
def broken_requests(draw: Callable[..., Any], rules: tuple[str, ...] | None = None) -> Broken:
    """A valid request with exactly one constraint broken (of one of ``rules``, default any)."""
    candidates = [b for b in BREAKERS if rules is None or b.rule in rules]
    chosen = draw(st.sampled_from(candidates))
    request = copy.deepcopy(draw(_valid_in(chosen.modes)))
    return chosen.apply(draw, request)


# ---------------------------------------------------------------- writers


def strict(value: Any) -> Any:
    """A form of a JSON or YAML value where 1, 1.0 and True differ, -0.0 differs from 0.0, and
    NaN equals NaN: two readers agree only when these forms are equal."""
    if isinstance(value, dict):
        return ("map", [(strict(key), strict(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [strict(item) for item in value])
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)


def json_text(request: Any) -> str:
    return json.dumps(request, indent=2, ensure_ascii=False)


_UNSAFE_IN_YAML = {"\x85", "\u2028", "\u2029", "\ufeff"}


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar: JSON's quoting, with every character that YAML might fold
    or refuse (NEL, LS, PS, BOM, anything not printable) escaped."""
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(_escape(c) if (not c.isprintable() or c in _UNSAFE_IN_YAML) else c for c in quoted)


def yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        assert text not in ("inf", "-inf", "nan"), "no YAML for a non-finite float"
        if "e" in text and "." not in text:
            # 1e-05 is a float in YAML 1.2 but a string in YAML 1.1: 1.0e-05 is a float in both.
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        return text
    if isinstance(value, str):
        return yaml_string(value)
    if value == {}:
        return "{}"
    if value == []:
        return "[]"
    raise TypeError(f"not a YAML scalar: {value!r}")


def _is_leaf(value: Any) -> bool:
    return not isinstance(value, (dict, list)) or not value


def _block(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if _is_leaf(item):
                lines.append(f"{pad}{yaml_string(key)}: {yaml_scalar(item)}")
            else:
                lines.append(f"{pad}{yaml_string(key)}:")
                lines.extend(_block(item, indent + 2))
    else:
        for item in value:
            if _is_leaf(item):
                lines.append(f"{pad}- {yaml_scalar(item)}")
            else:
                inner = _block(item, indent + 2)
                inner[0] = f"{pad}- {inner[0][indent + 2:]}"
                lines.extend(inner)
    return lines


def yaml_text(request: Any) -> str:
    """Block-style YAML, every string double-quoted, numbers plain: no YAML 1.1 ambiguity."""
    if _is_leaf(request):
        return yaml_scalar(request) + "\n"
    return "\n".join(_block(request, 0)) + "\n"


def value_head(value: Any, fmt: str) -> str:
    """How the text of ``value`` starts in a file written by json_text or yaml_text."""
    if fmt == "json":
        if isinstance(value, dict) and value:
            return "{"
        if isinstance(value, list) and value:
            return "["
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict) and value:
        return yaml_string(next(iter(value))) + ":"
    if isinstance(value, list) and value:
        return "-"
    return yaml_scalar(value)


def key_text(key: str, fmt: str) -> str:
    return json.dumps(key, ensure_ascii=False) if fmt == "json" else yaml_string(key)
