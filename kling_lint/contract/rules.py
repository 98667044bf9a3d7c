"""Every rule of the contract, with its severity and its documentation: ``RULE_TABLE``.

Three kinds (registry.py):
- schema rules: the schema states the constraint and names the rule (x-kling-rule); the
  function words one schema error;
- code rules: what a JSON Schema cannot say; the function checks the whole request;
- reader rules: found while the file is read (load/).
Every function receives the Contract, and every limit, allowed value and default it names is
read from there or from the violated keyword: this module holds none of them. A rule's
docstring is its documentation; ``{path:keyword}`` in it is read from the schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import rule_ids as ids
from ..findings import Path, Problem
from . import secrets
from .registry import ERROR, WARNING, Rule
from .words import blank, expected_types, field, key_name, kind, number, one_of, show

if TYPE_CHECKING:
    from .contract import Contract

MULTI_PROMPT = ("extra_body", "multi_prompt")
SHOT_TYPE = ("extra_body", "shot_type")
ELEMENTS = ("extra_body", "element_list")
DURATION = ("duration",)


class SchemaError(NamedTuple):
    """One schema error, as a schema rule's function sees it."""

    path: Path
    keyword: str
    argument: Any  # the keyword's value in the schema
    value: Any  # the value at path
    schema: dict[str, Any]  # the schema object holding the keyword


Words = tuple[str, str | None]  # (message, hint)


# ---------------------------------------------------------------- reader rules

SYNTAX_DOC = """The file cannot be read as one or more requests.

Malformed JSON or YAML, an empty file, text that is not UTF-8, binary data, nesting far deeper
than a request, YAML tags other than the standard ones, or aliases that expand without bound.
The finding points at the place the reader stopped."""

DUPLICATE_KEY_DOC = """A key appears twice in the same object.

JSON parsers keep the last value silently, so what you read in the file is not what is sent."""

YAML11_DOC = """A plain YAML value that YAML 1.1 readers read differently.

kling-lint reads YAML 1.2, where `aspect_ratio: 16:9` is the string "16:9"; PyYAML and other
YAML 1.1 readers make it the number 969, `no` false and `010` the number 8. The same file is
often read by such tools: quote the value."""

UNREADABLE_DOC = """The file could not be read at all.

It does not exist, is not readable, is not a regular file (a FIFO, a device), is larger than
--max-bytes, or a symbolic link loops. The run exits with status 2."""

INTERNAL_DOC = """kling-lint's compiled schema check and its explanation disagree on a request.

A bug of kling-lint's own: the request is not let through in silence. Please report it, with
the request."""

TOO_MANY_FINDINGS_DOC = """A file has more findings than --max-findings allows; the rest are counted, not shown.

The last finding of such a file says how many more there were, how many of them errors, and
takes the severity of the worst of them. Only the findings shown are placed, masked and printed (a
million-item list is one mistake repeated): fix what is shown, or raise --max-findings."""


# ---------------------------------------------------------------- schema rules: shape


def type_mismatch(error: SchemaError, contract: Contract) -> Words:
    """A field has the wrong JSON type.

    A number for model, an object for prompt, true for duration, a list for extra_body, or a
    request that is not an object at all."""
    expected = expected_types(error.argument)
    if error.path[-1:] == DURATION and error.path[:2] in (DURATION, MULTI_PROMPT):
        expected = "a whole number of seconds"
    got = kind(error.value)
    if error.value is not None and not isinstance(error.value, (list, dict)):
        got += f" ({show(error.value)})"
    return (
        f"{field(error.path)} must be {expected}, got {got}",
        f"write {field(error.path)} as {expected}" if error.path else "write the request as a JSON object {…}",
    )


def unknown_key(error: SchemaError, contract: Contract) -> Words:
    """A key that is not part of the contract, at the top, in extra_body or in a shot.

    The service rejects or ignores unknown keys, and a misspelt key means the setting you
    wanted is not applied. The message names the key you probably meant."""
    key, parent = error.path[-1], error.path[:-1]
    if not parent:
        place = "at the top level"
    elif isinstance(parent[-1], int):
        title = str(error.schema.get("title", "entry")).lower()
        place = f"in {'an' if title[:1] in 'aeiou' else 'a'} {title}"
    else:
        place = f"in {field(parent)}"
    from .suggest import suggest_key

    hint = suggest_key(str(key), parent, contract)
    if hint is None and parent and isinstance(parent[-1], int):  # an entry of a list: its few keys
        hint = f"remove {key_name(str(key))}; {place[3:]} takes {one_of(list(error.schema.get('properties', {})))}"
    return f"{key_name(str(key))} is not a known key {place}", hint


def model_missing(error: SchemaError, contract: Contract) -> Words:
    """The request has no model."""
    return "the request has no model", f"add model: one of {', '.join(contract.allowed(('model',)))}"


def model_unknown(error: SchemaError, contract: Contract) -> Words:
    """model is not one of the {model:count} Kling v3 models of this endpoint.

    The models are {model:values}: the quality tier and whether sound is generated are part of
    the name."""
    from .suggest import did_you_mean  # difflib: only for a request that has this error

    hint = did_you_mean(str(error.value), error.argument) or f"use one of {', '.join(error.argument)}"
    return f"model {show(error.value)} is not a Kling v3 model", hint


# ---------------------------------------------------------------- schema rules: values


def prompt_empty(error: SchemaError, contract: Contract) -> Words:
    """prompt is empty or only white space."""
    return f"prompt is {_empty_or_blank(error.value)}", "describe the video in prompt, or remove it and use extra_body.multi_prompt"


def _empty_or_blank(value: Any) -> str:
    return "empty" if not value else f"blank: it holds only {blank(value)}"


def prompt_too_long(error: SchemaError, contract: Contract) -> Words:
    """prompt is longer than {prompt:maxLength} characters."""
    return (
        f"prompt has {len(error.value)} characters, more than the {error.argument} allowed",
        "shorten the prompt, or split it into shots with extra_body.multi_prompt",
    )


def image_url(error: SchemaError, contract: Contract) -> Words:
    """image or last_image is neither an http(s) URL with a host nor raw base64.

    A data: URI is this error too: Kling rejects the prefix."""
    name = field(error.path)
    if isinstance(error.value, str) and error.value.startswith("data:"):
        return f"{name} is a data: URI, which Kling rejects", "give an https URL, or the bare base64 without the data:…;base64, prefix"
    if isinstance(error.value, str) and error.value[:8].lower().startswith(("http://", "https://")):
        # an http(s) URL the schema refuses: no host, an unclosed [, a port past 65535, white space
        return (f"{name} {show(error.value)} is not an http(s) URL with a host",
                "give a full URL with a host, and a valid port if any, such as https://example.com/frame.png")
    return f"{name} {show(error.value)} is not an http(s) URL", "give a full URL such as https://example.com/frame.png"


def aspect_ratio_unknown(error: SchemaError, contract: Contract) -> Words:
    """aspect_ratio is not {aspect_ratio:values}."""
    return f"aspect_ratio {show(error.value)} is not supported", f"use one of {', '.join(error.argument)}"


def duration_range(error: SchemaError, contract: Contract) -> Words:
    """duration is not a whole number of seconds from {duration:minimum} to {duration:maximum}.

    A numeric string counts by its value: "20" is out of range."""
    limits = _range(contract, error.path)
    unquoted = ", without quotes" if isinstance(error.value, str) else ""  # one edit for duration-as-string too
    return f"duration must be a whole number of seconds {limits}, got {show(error.value)}", f"use a whole number of seconds {limits}{unquoted}"


def cfg_scale_range(error: SchemaError, contract: Contract) -> Words:
    """extra_body.cfg_scale is below {extra_body.cfg_scale:minimum} or above {extra_body.cfg_scale:maximum}."""
    scale = contract.field(error.path)
    low, high = number(scale.minimum), number(scale.maximum)
    return f"extra_body.cfg_scale must be from {low} to {high}, got {show(error.value)}", f"use a number from {low} (loose) to {high} (strict)"


def shot_type_unknown(error: SchemaError, contract: Contract) -> Words:
    """extra_body.shot_type is not {extra_body.shot_type:values}.

    A value spelt as Kling's own API spells it is named with this gateway's spelling."""
    spelling = error.schema.get("x-kling-spellings", {}).get(error.value) if isinstance(error.value, str) else None
    if spelling is not None:
        return (
            f'extra_body.shot_type {show(error.value)} is Kling\'s own spelling; this gateway takes "{spelling}"',
            f'write shot_type: "{spelling}"',
        )
    from .suggest import did_you_mean

    hint = did_you_mean(str(error.value), error.argument) or f"use {one_of(error.argument)}"
    return f"extra_body.shot_type {show(error.value)} is not {one_of(error.argument)}", hint


def negative_prompt_too_long(error: SchemaError, contract: Contract) -> Words:
    """extra_body.negative_prompt is longer than {extra_body.negative_prompt:maxLength} characters."""
    return (
        f"extra_body.negative_prompt has {len(error.value)} characters, more than the {error.argument} allowed",
        "shorten the negative prompt",
    )


def multi_prompt_size(error: SchemaError, contract: Contract) -> Words:
    """extra_body.multi_prompt is empty or has more than {extra_body.multi_prompt:maxItems} shots."""
    shots = contract.field(MULTI_PROMPT)
    if not error.value:
        return "extra_body.multi_prompt has no shots", f"give {shots.min_items} to {shots.max_items} shots, or remove multi_prompt and use prompt"
    most = shots.max_items
    return f"extra_body.multi_prompt has {len(error.value)} shots, more than {most}", f"merge shots until there are at most {most}"


def shot_prompt(error: SchemaError, contract: Contract) -> Words:
    """A shot's prompt is missing, blank, or longer than {extra_body.multi_prompt.*.prompt:maxLength} characters."""
    if error.keyword == "required":
        return f"{field(error.path)} has no prompt", "give every shot a prompt"
    if error.keyword == "maxLength":
        return f"{field(error.path)} has {len(error.value)} characters, more than the {error.argument} allowed", "shorten the shot's prompt"
    return f"{field(error.path)} is {_empty_or_blank(error.value)}", "describe what this shot shows"


def shot_duration(error: SchemaError, contract: Contract) -> Words:
    """A shot's duration is not a whole number of seconds, at least {extra_body.multi_prompt.*.duration:minimum}."""
    least = number(contract.field(error.path).minimum)
    unquoted = ", without quotes" if isinstance(error.value, str) else ""  # one edit for duration-as-string too
    return f"{field(error.path)} must be a whole number of seconds, at least {least}, got {show(error.value)}", f"use a whole number of seconds, at least {least}{unquoted}"


def element_list(error: SchemaError, contract: Contract) -> Words:
    """extra_body.element_list is empty, has more than {extra_body.element_list:maxItems} entries, or an entry is not {element_id: …}.

    element_id is a non-empty string or a positive integer."""
    if error.path == ELEMENTS:
        elements = contract.field(ELEMENTS)
        takes = f"{elements.min_items} to {elements.max_items}"
        return f"extra_body.element_list has {len(error.value)} entries; it takes {takes}", f"list {takes} elements, or remove element_list"
    if error.keyword == "required":
        return f"{field(error.path)} has no {one_of(error.argument)}", "write each entry as {element_id: <non-empty string or positive integer>}"
    return f"{field(error.path)} is not an element reference", "write each entry as {element_id: <non-empty string or positive integer>}"


# ---------------------------------------------------------------- schema rules: across fields
# Their constraints are the schema's $defs entries that name them; the finding points at the
# first key the constraint requires (schema_errors.py).


def prompt_and_multi_prompt(error: SchemaError, contract: Contract) -> Words:
    """prompt and extra_body.multi_prompt are both given.

    multi_prompt replaces prompt; with both, it is unclear which the service uses."""
    return "prompt and extra_body.multi_prompt are both given; a request takes one or the other", "remove prompt for a multi-shot video, or remove multi_prompt"


def prompt_missing(error: SchemaError, contract: Contract) -> Words:
    """Neither prompt nor extra_body.multi_prompt is given."""
    return "the request has no prompt", "add prompt, or extra_body.multi_prompt for a multi-shot video"


def last_image_without_image(error: SchemaError, contract: Contract) -> Words:
    """last_image is given without image.

    An end frame needs a start frame."""
    if isinstance(error.value, dict) and isinstance(_get(error.value, *MULTI_PROMPT), list):  # image would not do: multi-prompt-last-image
        return "last_image is given without image; an end frame needs a start frame", "remove last_image: a multi-shot video takes a first frame only"
    return "last_image is given without image; an end frame needs a start frame", "add image (the first frame), or remove last_image"


def multi_prompt_last_image(error: SchemaError, contract: Contract) -> Words:
    """last_image is given with extra_body.multi_prompt.

    A multi-shot video takes a first frame only."""
    return "last_image cannot be used with extra_body.multi_prompt; multi-shot takes a first frame only", "remove last_image, or use a single prompt"


# ---------------------------------------------------------------- code rules

_WHOLE_NUMBER_STRING = re.compile(r"[0-9]+")
# What JSON would read as a number, written inside quotes: "5", "20", "5.5", "-3", "1e1".
_NUMERIC_STRING = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_MOST_DIGITS = 4000  # below Python's default int() limit of 4300 digits


def _get(request: Any, *path: str | int) -> Any:
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


def _range(contract: Contract, path: Path) -> str:
    limits = contract.field(path)
    return f"from {number(limits.minimum)} to {number(limits.maximum)}"


def _in_range(contract: Contract, path: Path, value: int) -> bool:
    limits = contract.field(path)
    return (limits.minimum is None or value >= limits.minimum) and (limits.maximum is None or value <= limits.maximum)


def seconds(value: Any) -> int | None:
    """A duration's whole seconds, from an integer or a numeric string; None otherwise.

    A string of more digits than Python converts (sys.get_int_max_str_digits) is None too:
    no duration is that long, and int() would raise on it."""
    if isinstance(value, str):
        digits = value.lstrip("0") or "0"
        return int(digits) if len(digits) < _MOST_DIGITS and _WHOLE_NUMBER_STRING.fullmatch(value) else None
    return _whole_number(value)


def _valid_total(request: Any, contract: Contract) -> int | None:
    value = _get(request, "duration")
    if value is None and isinstance(request, dict) and "duration" not in request:
        return contract.field(DURATION).default
    total = seconds(value)
    return total if total is not None and _in_range(contract, DURATION, total) else None


def _values_at(request: Any, path: tuple[str, ...], at: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every (path, value) at ``path`` in the request, "*" standing for each item of a list."""
    if len(path) == 1 and path[0] != "*":  # the usual place: a top-level key
        if type(request) is dict and path[0] in request:
            yield at + path, request[path[0]]
    elif not path:
        yield at, request
    elif path[0] == "*":
        for index, item in enumerate(request if isinstance(request, list) else ()):
            yield from _values_at(item, path[1:], at + (index,))
    elif isinstance(request, dict) and path[0] in request:
        yield from _values_at(request[path[0]], path[1:], at + (path[0],))


def image_base64(request: Any, contract: Contract) -> Iterator[Problem]:
    """image or last_image is raw base64 rather than a URL.

    Kling accepts raw base64 (no data: prefix, at most 10 MB), but this gateway documents URLs
    only, so the request may not pass through every gateway."""
    for place, test in contract.matching(ids.IMAGE_BASE64):
        for path, value in _values_at(request, place):
            if test(value):
                name = field(path)
                yield Problem(ids.IMAGE_BASE64, path, f"{name} is raw base64 image data, which this gateway does not document", "host the image and give its https URL")


def aspect_ratio_ignored(request: Any, contract: Contract) -> Iterator[Problem]:
    """aspect_ratio is given with image: the image's own ratio wins."""
    if isinstance(request, dict) and "aspect_ratio" in request and "image" in request:
        yield Problem(ids.ASPECT_RATIO_IGNORED, ("aspect_ratio",), "aspect_ratio has no effect with image: the video takes the image's ratio", "remove aspect_ratio, or crop the image to the ratio you want")


def shot_index(request: Any, contract: Contract) -> Iterator[Problem]:
    """A shot's index is not its 1-based position in extra_body.multi_prompt."""
    for position, shot in enumerate(_shots(request) or [], start=1):
        index = _whole_number(_get(shot, "index"))
        if index is not None and index != position:
            path = MULTI_PROMPT + (position - 1, "index")
            yield Problem(ids.SHOT_INDEX, path, f"{field(path)} is {index}, but this is shot {position}", f"set index to {position}, or leave index out")


def shot_durations_sum(request: Any, contract: Contract) -> Iterator[Problem]:
    """Every shot has a duration, and they do not add up to duration ({duration:default} when omitted)."""
    shots = _shots(request)
    if not shots:
        return
    total = _valid_total(request, contract)
    if total is None or not all(isinstance(shot, dict) for shot in shots):
        return
    parts = [seconds(shot.get("duration")) for shot in shots]
    if any(part is None or part < 1 for part in parts):
        return
    whole = sum(part for part in parts if part is not None)
    if whole != total:
        said = "duration is" if "duration" in request else "duration defaults to"
        yield Problem(
            ids.SHOT_DURATIONS_SUM,
            MULTI_PROMPT,
            f"the shots last {whole} s in all, but {said} {total} s",
            f"make the shot durations add up to {total}, or set duration to {whole}" if _in_range(contract, DURATION, whole) else f"make the shot durations add up to {total}",
            at_key=True,  # the multi_prompt key, not its first shot: no one shot is at fault
        )


def shot_durations_partial(request: Any, contract: Contract) -> Iterator[Problem]:
    """Some shots have a duration and others do not.

    How the remaining time is shared is then up to the service."""
    shots = [shot for shot in _shots(request) or [] if isinstance(shot, dict)]
    timed = sum("duration" in shot for shot in shots)
    if 0 < timed < len(shots):
        yield Problem(ids.SHOT_DURATIONS_PARTIAL, MULTI_PROMPT, f"only {timed} of the {len(shots)} shots {'has' if timed == 1 else 'have'} a duration",
                      "give every shot a duration, or none", at_key=True)


def multi_prompt_shot_type(request: Any, contract: Contract) -> Iterator[Problem]:
    """extra_body.multi_prompt with a shot_type other than {extra_body.shot_type:x-kling-keeps-shots}, or with no shot_type.

    With any other shot_type the model cuts shots itself and would ignore yours."""
    if not isinstance(_shots(request), list):
        return
    keeps = contract.field(SHOT_TYPE).get("x-kling-keeps-shots")
    extra = request["extra_body"]
    if "shot_type" not in extra:
        yield Problem(ids.MULTI_PROMPT_SHOT_TYPE, MULTI_PROMPT, "extra_body.multi_prompt is given without shot_type", f'add shot_type: "{keeps}" so that your shots are used',
                      at_key=True)
    elif extra["shot_type"] != keeps and extra["shot_type"] in contract.allowed(SHOT_TYPE):
        yield Problem(
            ids.MULTI_PROMPT_SHOT_TYPE, SHOT_TYPE,
            f"with shot_type {extra['shot_type']} the model cuts its own shots and ignores multi_prompt", f'use shot_type: "{keeps}"',
        )


def duration_as_string(request: Any, contract: Contract) -> Iterator[Problem]:
    """duration (or a shot's duration) is a numeric string such as "{duration:default}".

    The gateway's examples send a number; a string is accepted but may not be everywhere."""
    places: list[tuple[Path, Any]] = [(DURATION, _get(request, "duration"))]
    for index, shot in enumerate(_shots(request) or []):
        places.append((MULTI_PROMPT + (index, "duration"), _get(shot, "duration")))
    for path, value in places:
        if isinstance(value, str) and _NUMERIC_STRING.fullmatch(value):
            yield Problem(ids.DURATION_AS_STRING, path, f"{field(path)} is the string {show(value)}, not a number", _unquote_hint(path, value, contract))


def _unquote_hint(path: Path, value: str, contract: Contract) -> str:
    """Write the number without quotes; when it is out of range too, one edit fixes both."""
    name, whole = field(path), seconds(value)
    if path == DURATION:
        if whole is not None and _in_range(contract, DURATION, whole):
            return f"write {name}: {whole} without quotes"
        return f"write {name} as a number without quotes, a whole number of seconds {_range(contract, DURATION)}"
    least = contract.field(MULTI_PROMPT + ("*", "duration")).minimum
    if whole is not None and _in_range(contract, MULTI_PROMPT + ("*", "duration"), whole):
        return f"write {name}: {whole} without quotes"
    return f"write {name} as a number without quotes, a whole number of seconds, at least {number(least)}"


def secret_in_request(request: Any, contract: Contract) -> Iterator[Problem]:
    """A value, key or comment looks like an API token (sk-…, Bearer …).

    Tokens belong in the Authorization header, taken from the environment, never in a request
    file that is committed: a comment or a key leaks a token as surely as a value does, and so
    does a token written with escapes. The finding points at the token; kling-lint never
    prints it in full."""
    return secrets.in_request(request)


# ---------------------------------------------------------------- the table
# The order is the order of `kling-lint rules` and the README's table.

RULE_TABLE: tuple[Rule, ...] = (
    Rule(ids.SYNTAX, ERROR, None, "reader", SYNTAX_DOC),
    Rule(ids.DUPLICATE_KEY, ERROR, None, "reader", DUPLICATE_KEY_DOC),
    Rule(ids.YAML11_AMBIGUOUS, WARNING, None, "reader", YAML11_DOC),
    Rule(ids.UNREADABLE, ERROR, None, "reader", UNREADABLE_DOC),
    Rule(ids.TOO_MANY_FINDINGS, WARNING, None, "reader", TOO_MANY_FINDINGS_DOC),
    Rule(ids.TYPE_MISMATCH, ERROR, type_mismatch, "schema"),
    Rule(ids.UNKNOWN_KEY, ERROR, unknown_key, "schema"),
    Rule(ids.MODEL_MISSING, ERROR, model_missing, "schema"),
    Rule(ids.MODEL_UNKNOWN, ERROR, model_unknown, "schema"),
    Rule(ids.PROMPT_EMPTY, ERROR, prompt_empty, "schema"),
    Rule(ids.PROMPT_TOO_LONG, ERROR, prompt_too_long, "schema"),
    Rule(ids.IMAGE_URL, ERROR, image_url, "schema"),
    Rule(ids.ASPECT_RATIO_UNKNOWN, ERROR, aspect_ratio_unknown, "schema"),
    Rule(ids.DURATION_RANGE, ERROR, duration_range, "schema"),
    Rule(ids.CFG_SCALE_RANGE, ERROR, cfg_scale_range, "schema"),
    Rule(ids.SHOT_TYPE_UNKNOWN, ERROR, shot_type_unknown, "schema"),
    Rule(ids.NEGATIVE_PROMPT_TOO_LONG, ERROR, negative_prompt_too_long, "schema"),
    Rule(ids.MULTI_PROMPT_SIZE, ERROR, multi_prompt_size, "schema"),
    Rule(ids.SHOT_PROMPT, ERROR, shot_prompt, "schema"),
    Rule(ids.SHOT_DURATION, ERROR, shot_duration, "schema"),
    Rule(ids.ELEMENT_LIST, ERROR, element_list, "schema"),
    Rule(ids.PROMPT_AND_MULTI_PROMPT, ERROR, prompt_and_multi_prompt, "schema"),
    Rule(ids.PROMPT_MISSING, ERROR, prompt_missing, "schema"),
    Rule(ids.LAST_IMAGE_WITHOUT_IMAGE, ERROR, last_image_without_image, "schema"),
    Rule(ids.MULTI_PROMPT_LAST_IMAGE, ERROR, multi_prompt_last_image, "schema"),
    Rule(ids.IMAGE_BASE64, WARNING, image_base64, "code"),
    Rule(ids.ASPECT_RATIO_IGNORED, WARNING, aspect_ratio_ignored, "code"),
    Rule(ids.SHOT_INDEX, ERROR, shot_index, "code"),
    Rule(ids.SHOT_DURATIONS_SUM, ERROR, shot_durations_sum, "code"),
    Rule(ids.SHOT_DURATIONS_PARTIAL, WARNING, shot_durations_partial, "code"),
    Rule(ids.MULTI_PROMPT_SHOT_TYPE, WARNING, multi_prompt_shot_type, "code"),
    Rule(ids.DURATION_AS_STRING, WARNING, duration_as_string, "code"),
    Rule(ids.SECRET_IN_REQUEST, ERROR, secret_in_request, "code"),
    Rule(ids.INTERNAL_CONSISTENCY, ERROR, None, "internal", INTERNAL_DOC),
)
