"""Every rule of the contract, with its id from SPEC.md, its severity and its documentation.

Three kinds, one registry (registry.py):
- schema rules: the schema states the constraint; the function words one schema error;
- code rules: what a JSON Schema cannot say; the function checks the whole request;
- reader rules: found while the file is read (load/).
A rule's docstring is its documentation: the first line is the summary shown by
``kling-lint rules`` and in SARIF, the rest says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from ..findings import Path, Problem
from ..redact import SECRET
from .registry import ERROR, RULES, WARNING, code_rule, reader_rule, schema_rule
from .words import expected_types, field, key_name, kind, show

MODELS = ("kling-v3-std-silent", "kling-v3-std-audio", "kling-v3-pro-silent", "kling-v3-pro-audio")
ASPECT_RATIOS = ("16:9", "9:16", "1:1")
SHOT_TYPES = ("customize", "intelligent")
DEFAULT_DURATION = 5
MULTI_PROMPT = ("extra_body", "multi_prompt")
SHOT = ("extra_body", "multi_prompt", "*")


class SchemaError(NamedTuple):
    """One schema error, as a schema rule's function sees it."""

    path: Path
    keyword: str
    argument: Any  # the keyword's value in the schema
    value: Any  # the value at path


Words = tuple[str, str | None]  # (message, hint)


# ---------------------------------------------------------------- reader rules

reader_rule("syntax", ERROR, """The file cannot be read as one or more requests.

Malformed JSON or YAML, an empty file, text that is not UTF-8, binary data, nesting far deeper
than a request, YAML tags other than the standard ones, or aliases that expand without bound.
The finding points at the place the reader stopped.""")

reader_rule("duplicate-key", ERROR, """A key appears twice in the same object.

JSON parsers keep the last value silently, so what you read in the file is not what is sent.""")

reader_rule("yaml11-ambiguous", WARNING, """A plain YAML value that YAML 1.1 readers read differently.

kling-lint reads YAML 1.2, where `aspect_ratio: 16:9` is the string "16:9"; PyYAML and other
YAML 1.1 readers make it the number 969, `no` false and `010` the number 8. The same file is
often read by such tools: quote the value.""")

reader_rule("unreadable", ERROR, """The file could not be read at all.

It does not exist, is not readable, is not a regular file (a FIFO, a device), is larger than
--max-bytes, or a symbolic link loops. The run exits with status 2.""")


# ---------------------------------------------------------------- schema rules: shape


@schema_rule("type-mismatch", ERROR, (("**",), {"type"}))
def type_mismatch(error: SchemaError) -> Words:
    """A field has the wrong JSON type.

    A number for model, an object for prompt, true for duration, a list for extra_body, or a
    request that is not an object at all."""
    expected = expected_types(error.argument)
    if error.path[-1:] == ("duration",) and error.path[:2] in (("duration",), MULTI_PROMPT):
        expected = "a whole number of seconds"
    got = kind(error.value)
    if error.value is not None and not isinstance(error.value, (list, dict)):
        got += f" ({show(error.value)})"
    return (
        f"{field(error.path)} must be {expected}, got {got}",
        f"write {field(error.path)} as {expected}" if error.path else "write the request as a JSON object {…}",
    )


@schema_rule("unknown-key", ERROR, (("**",), {"additionalProperties"}))
def unknown_key(error: SchemaError) -> Words:
    """A key that is not part of the contract, at the top, in extra_body or in a shot.

    The service rejects or ignores unknown keys, and a misspelt key means the setting you
    wanted is not applied. The message names the key you probably meant."""
    key = error.path[-1]
    parent = error.path[:-1]
    where = "top" if not parent else "extra_body" if parent == ("extra_body",) else "shot"
    place = {"top": "at the top level", "extra_body": "in extra_body", "shot": "in a shot"}[where]
    from .suggest import suggest_key

    return f"{key_name(str(key))} is not a known key {place}", suggest_key(str(key), where)


@schema_rule("model-missing", ERROR, ((), {"required"}))
def model_missing(error: SchemaError) -> Words:
    """The request has no model."""
    return "the request has no model", f"add model: one of {', '.join(MODELS)}"


@schema_rule("model-unknown", ERROR, (("model",), {"enum"}))
def model_unknown(error: SchemaError) -> Words:
    """model is not one of the four Kling v3 models of this endpoint.

    The models are kling-v3-{std,pro}-{silent,audio}: std or pro quality, with or without
    generated sound."""
    from .suggest import closest  # difflib: only for a request that has this error

    guess = closest(str(error.value), MODELS)
    hint = f'did you mean "{guess}"?' if guess else f"use one of {', '.join(MODELS)}"
    return f"model {show(error.value)} is not a Kling v3 model", hint


# ---------------------------------------------------------------- schema rules: values


@schema_rule("prompt-empty", ERROR, (("prompt",), {"minLength", "pattern"}))
def prompt_empty(error: SchemaError) -> Words:
    """prompt is empty or only white space."""
    return "prompt is empty", "describe the video in prompt, or remove it and use extra_body.multi_prompt"


@schema_rule("prompt-too-long", ERROR, (("prompt",), {"maxLength"}))
def prompt_too_long(error: SchemaError) -> Words:
    """prompt is longer than 2500 characters."""
    return (
        f"prompt has {len(error.value)} characters, more than the {error.argument} allowed",
        "shorten the prompt, or split it into shots with extra_body.multi_prompt",
    )


@schema_rule("image-url", ERROR, (("image",), {"anyOf"}), (("last_image",), {"anyOf"}))
def image_url(error: SchemaError) -> Words:
    """image or last_image is neither an http(s) URL with a host nor raw base64.

    A data: URI is this error too: Kling rejects the prefix."""
    name = field(error.path)
    if isinstance(error.value, str) and error.value.startswith("data:"):
        return f"{name} is a data: URI, which Kling rejects", "give an https URL, or the bare base64 without the data:…;base64, prefix"
    if isinstance(error.value, str) and _BASE64_LIKE.fullmatch(error.value):  # base64 cut short or damaged
        return (f"{name} looks like base64 image data but is not valid base64 ({len(error.value):,} characters; "
                "base64 comes in groups of 4 with '=' only at the end): it may be cut short",
                "copy the whole base64 text again, on one line, without a data: prefix")
    return f"{name} {show(error.value)} is not an http(s) URL", "give a full URL such as https://example.com/frame.png"


@schema_rule("aspect-ratio-unknown", ERROR, (("aspect_ratio",), {"enum"}))
def aspect_ratio_unknown(error: SchemaError) -> Words:
    """aspect_ratio is not 16:9, 9:16 or 1:1."""
    return f"aspect_ratio {show(error.value)} is not supported", f"use one of {', '.join(ASPECT_RATIOS)}"


@schema_rule("duration-range", ERROR, (("duration",), {"anyOf"}))
def duration_range(error: SchemaError) -> Words:
    """duration is not a whole number of seconds from 3 to 15.

    A numeric string counts by its value: "20" is out of range."""
    return (
        f"duration must be a whole number of seconds from 3 to 15, got {show(error.value)}",
        "use a whole number of seconds from 3 to 15",
    )


@schema_rule("cfg-scale-range", ERROR, (("extra_body", "cfg_scale"), {"minimum", "maximum"}))
def cfg_scale_range(error: SchemaError) -> Words:
    """extra_body.cfg_scale is below 0 or above 1."""
    return f"extra_body.cfg_scale must be from 0 to 1, got {show(error.value)}", "use a number from 0 (loose) to 1 (strict)"


@schema_rule("shot-type-unknown", ERROR, (("extra_body", "shot_type"), {"enum"}))
def shot_type_unknown(error: SchemaError) -> Words:
    """extra_body.shot_type is not customize or intelligent.

    Kling's own API spells the second value "intelligence"; this gateway takes "intelligent"."""
    if error.value == "intelligence":
        return (
            'extra_body.shot_type "intelligence" is Kling\'s own spelling; this gateway takes "intelligent"',
            'write shot_type: "intelligent"',
        )
    from .suggest import closest

    guess = closest(str(error.value), SHOT_TYPES)
    hint = f'did you mean "{guess}"?' if guess else "use customize or intelligent"
    return f"extra_body.shot_type {show(error.value)} is not customize or intelligent", hint


@schema_rule("negative-prompt-too-long", ERROR, (("extra_body", "negative_prompt"), {"maxLength"}))
def negative_prompt_too_long(error: SchemaError) -> Words:
    """extra_body.negative_prompt is longer than 2500 characters."""
    return (
        f"extra_body.negative_prompt has {len(error.value)} characters, more than the {error.argument} allowed",
        "shorten the negative prompt",
    )


@schema_rule("multi-prompt-size", ERROR, (MULTI_PROMPT, {"minItems", "maxItems"}))
def multi_prompt_size(error: SchemaError) -> Words:
    """extra_body.multi_prompt is empty or has more than 6 shots."""
    if not error.value:
        return "extra_body.multi_prompt has no shots", "give 1 to 6 shots, or remove multi_prompt and use prompt"
    return f"extra_body.multi_prompt has {len(error.value)} shots, more than 6", "merge shots until there are at most 6"


@schema_rule(
    "shot-prompt",
    ERROR,
    (SHOT, {"required"}),
    (SHOT + ("prompt",), {"minLength", "maxLength", "pattern"}),
)
def shot_prompt(error: SchemaError) -> Words:
    """A shot's prompt is missing, blank, or longer than 512 characters."""
    if error.keyword == "required":
        return f"{field(error.path)} has no prompt", "give every shot a prompt"
    if error.keyword == "maxLength":
        return f"{field(error.path)} has {len(error.value)} characters, more than the 512 allowed", "shorten the shot's prompt"
    return f"{field(error.path)} is empty", "describe what this shot shows"


@schema_rule("shot-duration", ERROR, (SHOT + ("duration",), {"anyOf"}))
def shot_duration(error: SchemaError) -> Words:
    """A shot's duration is not a whole number of seconds, at least 1."""
    return f"{field(error.path)} must be a whole number of seconds, at least 1, got {show(error.value)}", "use a whole number of seconds"


@schema_rule("element-list", ERROR, (("extra_body", "element_list"), {"minItems", "maxItems"}), (("extra_body", "element_list", "*", "**"), None))
def element_list(error: SchemaError) -> Words:
    """extra_body.element_list is empty, has more than 3 entries, or an entry is not {element_id: …}.

    element_id is a non-empty string or a positive integer."""
    if len(error.path) == 2:
        count = len(error.value)
        return f"extra_body.element_list has {count} entries; it takes 1 to 3", "list 1 to 3 elements, or remove element_list"
    return f"{field(error.path)} is not an element reference", "write each entry as {element_id: <non-empty string or positive integer>}"


# ---------------------------------------------------------------- schema rules: across fields
# Their schema constraints are the $defs of the same name; the finding points at ``anchor``.

CROSS_FIELD_ANCHORS: dict[str, tuple[Path, bool]] = {
    "prompt-and-multi-prompt": (("prompt",), True),
    "prompt-missing": ((), False),
    "last-image-without-image": (("last_image",), True),
    "multi-prompt-last-image": (("last_image",), True),
}


@schema_rule("prompt-and-multi-prompt", ERROR)
def prompt_and_multi_prompt(error: SchemaError) -> Words:
    """prompt and extra_body.multi_prompt are both given.

    multi_prompt replaces prompt; with both, it is unclear which the service uses."""
    return "prompt and extra_body.multi_prompt are both given; a request takes one or the other", "remove prompt for a multi-shot video, or remove multi_prompt"


@schema_rule("prompt-missing", ERROR)
def prompt_missing(error: SchemaError) -> Words:
    """Neither prompt nor extra_body.multi_prompt is given."""
    return "the request has no prompt", "add prompt, or extra_body.multi_prompt for a multi-shot video"


@schema_rule("last-image-without-image", ERROR)
def last_image_without_image(error: SchemaError) -> Words:
    """last_image is given without image.

    An end frame needs a start frame."""
    return "last_image is given without image; an end frame needs a start frame", "add image (the first frame), or remove last_image"


@schema_rule("multi-prompt-last-image", ERROR)
def multi_prompt_last_image(error: SchemaError) -> Words:
    """last_image is given with extra_body.multi_prompt.

    A multi-shot video takes a first frame only."""
    return "last_image cannot be used with extra_body.multi_prompt; multi-shot takes a first frame only", "remove last_image, or use a single prompt"


# ---------------------------------------------------------------- code rules

_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4}){15,}(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)")
_WHOLE_NUMBER_STRING = re.compile(r"[0-9]+")
_BASE64_LIKE = re.compile(r"[A-Za-z0-9+/=]{64,}")


def _get(request: Any, *path: str) -> Any:
    for part in path:
        if not isinstance(request, dict) or part not in request:
            return None
        request = request[part]
    return request


def _shots(request: Any) -> list[Any] | None:
    shots = _get(request, *MULTI_PROMPT)
    return shots if isinstance(shots, list) else None


def _whole_number(value: Any) -> int | None:
    """An integer, or a float such as 5.0 (JSON Schema's integer), as an int; None otherwise."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    return None


def seconds(value: Any) -> int | None:
    """A duration's whole seconds, from an integer or a numeric string; None otherwise."""
    if isinstance(value, str):
        return int(value) if _WHOLE_NUMBER_STRING.fullmatch(value) else None
    return _whole_number(value)


def _valid_total(request: Any) -> int | None:
    value = _get(request, "duration")
    if value is None and isinstance(request, dict) and "duration" not in request:
        return DEFAULT_DURATION
    total = seconds(value)
    return total if total is not None and 3 <= total <= 15 else None


@code_rule("image-base64", WARNING)
def image_base64(request: Any) -> Iterator[Problem]:
    """image or last_image is raw base64 rather than a URL.

    Kling accepts raw base64 (no data: prefix, at most 10 MB), but this gateway documents URLs
    only, so the request may not pass through every gateway."""
    for name in ("image", "last_image"):
        value = _get(request, name)
        if isinstance(value, str) and _BASE64.fullmatch(value):
            yield Problem("image-base64", (name,), f"{name} is raw base64 image data, which this gateway does not document", "host the image and give its https URL")


@code_rule("aspect-ratio-ignored", WARNING)
def aspect_ratio_ignored(request: Any) -> Iterator[Problem]:
    """aspect_ratio is given with image: the image's own ratio wins."""
    if isinstance(request, dict) and "aspect_ratio" in request and "image" in request:
        yield Problem("aspect-ratio-ignored", ("aspect_ratio",), "aspect_ratio has no effect with image: the video takes the image's ratio", "remove aspect_ratio, or crop the image to the ratio you want")


@code_rule("shot-index", ERROR)
def shot_index(request: Any) -> Iterator[Problem]:
    """A shot's index is not its 1-based position in extra_body.multi_prompt."""
    for position, shot in enumerate(_shots(request) or [], start=1):
        index = _whole_number(_get(shot, "index"))
        if index is not None and index != position:
            path = MULTI_PROMPT + (position - 1, "index")
            yield Problem("shot-index", path, f"{field(path)} is {index}, but this is shot {position}", f"set index to {position}, or leave index out")


@code_rule("shot-durations-sum", ERROR)
def shot_durations_sum(request: Any) -> Iterator[Problem]:
    """Every shot has a duration, and they do not add up to duration (5 when omitted)."""
    shots = _shots(request)
    total = _valid_total(request)
    if not shots or total is None or not all(isinstance(shot, dict) for shot in shots):
        return
    parts = [seconds(shot.get("duration")) for shot in shots]
    if any(part is None or part < 1 for part in parts):
        return
    if sum(parts) != total:
        said = "duration is" if "duration" in request else "duration defaults to"
        yield Problem(
            "shot-durations-sum",
            MULTI_PROMPT,
            f"the shots last {sum(parts)} s in all, but {said} {total} s",
            f"make the shot durations add up to {total}, or set duration to {sum(parts)}" if 3 <= sum(parts) <= 15 else f"make the shot durations add up to {total}",
        )


@code_rule("shot-durations-partial", WARNING)
def shot_durations_partial(request: Any) -> Iterator[Problem]:
    """Some shots have a duration and others do not.

    How the remaining time is shared is then up to the service."""
    shots = [shot for shot in _shots(request) or [] if isinstance(shot, dict)]
    timed = sum("duration" in shot for shot in shots)
    if 0 < timed < len(shots):
        yield Problem("shot-durations-partial", MULTI_PROMPT, f"only {timed} of the {len(shots)} shots {'has' if timed == 1 else 'have'} a duration", "give every shot a duration, or none")


@code_rule("multi-prompt-shot-type", WARNING)
def multi_prompt_shot_type(request: Any) -> Iterator[Problem]:
    """extra_body.multi_prompt with shot_type intelligent, or with no shot_type.

    With intelligent the model cuts shots itself and would ignore yours; say customize."""
    if not isinstance(_shots(request), list):
        return
    extra = request["extra_body"]
    if "shot_type" not in extra:
        yield Problem("multi-prompt-shot-type", MULTI_PROMPT, "extra_body.multi_prompt is given without shot_type", 'add shot_type: "customize" so that your shots are used')
    elif extra["shot_type"] == "intelligent":
        yield Problem("multi-prompt-shot-type", ("extra_body", "shot_type"), "with shot_type intelligent the model cuts its own shots and ignores multi_prompt", 'use shot_type: "customize"')


@code_rule("duration-as-string", WARNING)
def duration_as_string(request: Any) -> Iterator[Problem]:
    """duration (or a shot's duration) is a numeric string such as "5".

    The gateway's examples send a number; a string is accepted but may not be everywhere."""
    places: list[tuple[Path, Any]] = [(("duration",), _get(request, "duration"))]
    for number, shot in enumerate(_shots(request) or []):
        places.append((MULTI_PROMPT + (number, "duration"), _get(shot, "duration")))
    for path, value in places:
        number = seconds(value) if isinstance(value, str) else None
        if number is None:
            continue
        if number < 1 or (path == ("duration",) and _valid_total(request) is None):
            continue  # out of range: duration-range or shot-duration says so
        yield Problem("duration-as-string", path, f"{field(path)} is the string {show(value)}, not a number", f"write {field(path)}: {value} without quotes")


@code_rule("secret-in-request", ERROR)
def secret_in_request(request: Any) -> Iterator[Problem]:
    """A value looks like an API token (sk-…, Bearer …).

    Tokens belong in the Authorization header, taken from the environment, never in a request
    file that is committed. kling-lint never prints the token in full."""
    for path in _paths_of_strings(request, SECRET.search):
        yield Problem("secret-in-request", path, f"{field(path)} contains what looks like an API token", "remove the token; send it in the Authorization header from an environment variable")


def _paths_of_strings(value: Any, test: Any) -> list[Path]:
    """The paths of every string in ``value`` that passes ``test``, in document order.

    Paths are built only for a match: most requests have none, and building a path for every
    value was half the cost of all code rules together."""
    found: list[Path] = []
    stack: list[tuple[Any, Path | None, Any]] = [(value, None, None)]  # (value, parent path, key)
    while stack:
        item, parent, key = stack.pop()
        if type(item) is str:
            if test(item):
                found.append(() if parent is None else parent + (key,))
        elif type(item) is dict or type(item) is list:
            path = () if parent is None else parent + (key,)
            pairs = item.items() if type(item) is dict else enumerate(item)
            stack.extend((child, path, name) for name, child in reversed(list(pairs)))
    return found


def code_rules() -> list:
    return [rule for rule in RULES.values() if rule.source == "code"]
