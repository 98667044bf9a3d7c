"""Every rule of the contract, with its severity and its documentation: ``RULE_TABLE``.

Four kinds (registry.py):
- schema rules: the schema states the constraint and names the rule (x-kling-rule); the
  function words one schema error;
- code rules: what a JSON Schema cannot say; the function checks the whole request;
- reader rules: found while the file is read (load/);
- fetch rules: found only when an image URL is fetched (--fetch-images); the code rules on
  images (image_rules.py) apply to fetched images too.
Every function receives the Contract, and every limit, allowed value and default it names is
read from there or from the violated keyword: this module holds none of them. A rule's
docstring is its documentation; ``{path:keyword}`` in it is read from the schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import rule_ids as ids
from ..findings import REPAIR_VALUE, Path, Problem, Repair
from . import image_rules, secrets
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


Words = tuple[str, str | None] | tuple[str, str | None, Repair | None]  # (message, hint[, repair])


# ---------------------------------------------------------------- reader rules

SYNTAX_DOC = """The file cannot be read as one or more requests.

Malformed JSON or YAML, an empty file, text that is not UTF-8, binary data, nesting far deeper
than a request, YAML tags other than the standard ones, or aliases that expand without bound.
The finding points at the place the reader stopped.

Why it matters: the gateway cannot read the body either and refuses it, and no other rule can
check a file that cannot be read: fix this one first."""

DUPLICATE_KEY_DOC = """A key appears twice in the same object.

Why it matters: JSON parsers keep the last value silently, so what you read in the file is not what is sent."""

YAML11_DOC = """A plain YAML value that YAML 1.1 readers read differently.

kling-lint reads YAML 1.2, where `aspect_ratio: 16:9` is the string "16:9"; PyYAML and other
YAML 1.1 readers make it the number 969, `no` false and `010` the number 8.

Why it matters: the same file is often read by such tools (the script that sends it, another
linter), which would send something other than what kling-lint checked: quote the value."""

UNREADABLE_DOC = """The file could not be read at all.

It does not exist, is not readable, is not a regular file (a FIFO, a device), is larger than
--max-bytes, or a symbolic link loops. The run exits with status 2.

Why it matters: a file that cannot be read is not checked at all, so nothing can be said about
its requests; exit status 2 tells CI that kling-lint could not do its job, not that a request is
wrong."""

INTERNAL_DOC = """kling-lint's compiled schema check and its explanation disagree on a request.

A bug of kling-lint's own, found by running both forms of the check on every invalid request.

Why it matters: a verdict is only worth something when both forms agree, so the request is not
let through in silence. Please report it, with the request."""

UNUSED_SUPPRESSION_DOC = """A `# kling-lint: disable=…` comment that silences nothing.

The rule it names has no finding on that line (for disable-file, in the file), the id names no
rule, the rule cannot be silenced in the file (secret-in-request: a token has to leave the
file; syntax, unreadable: the file was not checked), or the comment is not one of the two forms.

Why it matters: as with ruff's RUF100, a stale suppression would hide the next real problem on
its line. Remove the id from the comment."""

TOO_MANY_FINDINGS_DOC = """A file has more findings than --max-findings allows; the rest are counted, not shown.

The last finding of such a file says how many more there were, how many of them errors, and
takes the severity of the worst of them.

Why it matters: only the findings shown are placed, masked and printed, which keeps the report
small (a million-item list is one mistake repeated), and this finding says there is more to fix
than you see: fix what is shown, or raise --max-findings."""


# ---------------------------------------------------------------- schema rules: shape


def type_mismatch(error: SchemaError, contract: Contract) -> Words:
    """A field has the wrong JSON type.

    A number for model, an object for prompt, true for duration, a list for extra_body, or a
    request that is not an object at all.

    Why it matters: the gateway refuses a field of the wrong type, or reads it as something you did
    not mean (true is not a number of seconds), so no job is made from what you wrote."""
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

    The message names the key you probably meant.

    Why it matters: the service rejects or ignores unknown keys, and a misspelt key means the
    setting you wanted is not applied."""
    key, parent = error.path[-1], error.path[:-1]
    if not parent:
        place = "at the top level"
    elif isinstance(parent[-1], int):
        title = str(error.schema.get("title", "entry")).lower()
        place = f"in {'an' if title[:1] in 'aeiou' else 'a'} {title}"
    else:
        place = f"in {field(parent)}"
    from .suggest import key_repair, suggest_key

    hint = suggest_key(str(key), parent, contract)
    repair = key_repair(str(key), parent, contract) if hint else None
    if hint is None and parent and isinstance(parent[-1], int):  # an entry of a list: its few keys
        hint = f"remove {key_name(str(key))}; {place[3:]} takes {one_of(list(error.schema.get('properties', {})))}"
    return f"{key_name(str(key))} is not a known key {place}", hint, repair


def model_missing(error: SchemaError, contract: Contract) -> Words:
    """The request has no model.

    Why it matters: the gateway sends a request to the model it names, and refuses one that names
    none. The model is also the only place the quality tier and the sound are chosen."""
    return "the request has no model", f"add model: one of {', '.join(contract.allowed(('model',)))}"


def model_unknown(error: SchemaError, contract: Contract) -> Words:
    """model is not one of the {model:count} Kling v3 models of this endpoint.

    The models are {model:values}: the quality tier and whether sound is generated are part of
    the name.

    Why it matters: the gateway refuses a model it does not serve, so a near miss (another
    provider's spelling, a tier spelt out) fails at submission. The hint names the closest model."""
    from .suggest import did_you_mean, only_closest  # difflib: only for a request that has this error

    hint = did_you_mean(str(error.value), error.argument) or f"use one of {', '.join(error.argument)}"
    guess = only_closest(error.value, error.argument) if isinstance(error.value, str) else None
    repair = Repair(REPAIR_VALUE, guess, False, f'write "{guess}"') if guess else None  # a guess: unsafe
    return f"model {show(error.value)} is not a Kling v3 model", hint, repair


# ---------------------------------------------------------------- schema rules: values


def prompt_empty(error: SchemaError, contract: Contract) -> Words:
    """prompt is empty or only white space.

    Why it matters: the prompt is what the video shows; the service refuses an empty one, and a
    prompt of white space gives the model nothing to follow."""
    return f"prompt is {_empty_or_blank(error.value)}", "describe the video in prompt, or remove it and use extra_body.multi_prompt"


def _empty_or_blank(value: Any) -> str:
    return "empty" if not value else f"blank: it holds only {blank(value)}"


def prompt_too_long(error: SchemaError, contract: Contract) -> Words:
    """prompt is longer than {prompt:maxLength} characters.

    Why it matters: the service refuses a longer prompt rather than shorten it for you, so the job
    is never made. A long description reads better split into shots (extra_body.multi_prompt)."""
    return (
        f"prompt has {len(error.value)} characters, more than the {error.argument} allowed",
        "shorten the prompt, or split it into shots with extra_body.multi_prompt",
    )


def image_url(error: SchemaError, contract: Contract) -> Words:
    """image or last_image is neither an http(s) URL with a host nor raw base64.

    A data: URI is this error too: Kling rejects the prefix.

    Why it matters: the service fetches the frame from the URL; a relative path, a local file name
    or a URL without a host cannot be fetched, and the job is refused or fails after it was queued."""
    name = field(error.path)
    if isinstance(error.value, str) and error.value.startswith("data:"):
        return f"{name} is a data: URI, which Kling rejects", "give an https URL, or the bare base64 without the data:…;base64, prefix"
    if isinstance(error.value, str) and error.value[:8].lower().startswith(("http://", "https://")):
        # an http(s) URL the schema refuses: no host, an unclosed [, a port past 65535, white space
        return (f"{name} {show(error.value)} is not an http(s) URL with a host",
                "give a full URL with a host, and a valid port if any, such as https://example.com/frame.png")
    if isinstance(error.value, str) and _BASE64_LIKE.fullmatch(error.value):  # base64 cut short or damaged
        return (f"{name} looks like base64 image data but is not valid base64 ({len(error.value):,} characters; "
                "base64 comes in groups of 4 with '=' only at the end): it may be cut short",
                "copy the whole base64 text again, on one line, without a data: prefix")
    return f"{name} {show(error.value)} is not an http(s) URL", "give a full URL such as https://example.com/frame.png"


def aspect_ratio_unknown(error: SchemaError, contract: Contract) -> Words:
    """aspect_ratio is not {aspect_ratio:values}.

    Why it matters: the models make videos in these ratios only, and the service refuses any other
    (a ratio written another way, such as 16x9 or 1.78, included)."""
    return f"aspect_ratio {show(error.value)} is not supported", f"use one of {', '.join(error.argument)}"


def duration_range(error: SchemaError, contract: Contract) -> Words:
    """duration is not a whole number of seconds from {duration:minimum} to {duration:maximum}.

    A numeric string counts by its value: "20" is out of range.

    Why it matters: the models make videos of these lengths only; the service refuses any other
    length rather than round or cut it, so the job is never made."""
    limits = _range(contract, error.path)
    unquoted = ", without quotes" if isinstance(error.value, str) else ""  # one edit for duration-as-string too
    return f"duration must be a whole number of seconds {limits}, got {show(error.value)}", f"use a whole number of seconds {limits}{unquoted}"


def cfg_scale_range(error: SchemaError, contract: Contract) -> Words:
    """extra_body.cfg_scale is below {extra_body.cfg_scale:minimum} or above {extra_body.cfg_scale:maximum}.

    Why it matters: cfg_scale says how strictly the video follows the prompt, from loose to strict;
    the service refuses a value outside that range, so the job is never made."""
    scale = contract.field(error.path)
    low, high = number(scale.minimum), number(scale.maximum)
    return f"extra_body.cfg_scale must be from {low} to {high}, got {show(error.value)}", f"use a number from {low} (loose) to {high} (strict)"


def shot_type_unknown(error: SchemaError, contract: Contract) -> Words:
    """extra_body.shot_type is not {extra_body.shot_type:values}.

    A value spelt as Kling's own API spells it is named with this gateway's spelling.

    Why it matters: shot_type decides whether your shots are used or the model cuts its own; the
    gateway refuses any other value, Kling's own spelling included, which it does not translate."""
    spelling = error.schema.get("x-kling-spellings", {}).get(error.value) if isinstance(error.value, str) else None
    if spelling is not None:
        return (
            f'extra_body.shot_type {show(error.value)} is Kling\'s own spelling; this gateway takes "{spelling}"',
            f'write shot_type: "{spelling}"',
            Repair(REPAIR_VALUE, spelling, True, f'write "{spelling}"') if spelling in error.argument else None,
        )
    from .suggest import did_you_mean

    hint = did_you_mean(str(error.value), error.argument) or f"use {one_of(error.argument)}"
    return f"extra_body.shot_type {show(error.value)} is not {one_of(error.argument)}", hint


def negative_prompt_too_long(error: SchemaError, contract: Contract) -> Words:
    """extra_body.negative_prompt is longer than {extra_body.negative_prompt:maxLength} characters.

    Why it matters: the service refuses a longer negative prompt rather than shorten it for you, so
    the job is never made: name what the video must not show in fewer words."""
    return (
        f"extra_body.negative_prompt has {len(error.value)} characters, more than the {error.argument} allowed",
        "shorten the negative prompt",
    )


def multi_prompt_size(error: SchemaError, contract: Contract) -> Words:
    """extra_body.multi_prompt is empty or has more than {extra_body.multi_prompt:maxItems} shots.

    Why it matters: a multi-shot video has at least {extra_body.multi_prompt:minItems} shot and at
    most {extra_body.multi_prompt:maxItems}; the service refuses an empty list or more shots. Merge
    shots, or make two videos."""
    shots = contract.field(MULTI_PROMPT)
    if not error.value:
        return "extra_body.multi_prompt has no shots", f"give {shots.min_items} to {shots.max_items} shots, or remove multi_prompt and use prompt"
    most = shots.max_items
    return f"extra_body.multi_prompt has {len(error.value)} shots, more than {most}", f"merge shots until there are at most {most}"


def shot_prompt(error: SchemaError, contract: Contract) -> Words:
    """A shot's prompt is missing, blank, or longer than {extra_body.multi_prompt.*.prompt:maxLength} characters.

    Why it matters: each shot is made from its own prompt; a shot without one has nothing to show,
    and the service refuses a longer shot prompt rather than shorten it for you."""
    if error.keyword == "required":
        return f"{field(error.path)} has no prompt", "give every shot a prompt"
    if error.keyword == "maxLength":
        return f"{field(error.path)} has {len(error.value)} characters, more than the {error.argument} allowed", "shorten the shot's prompt"
    return f"{field(error.path)} is {_empty_or_blank(error.value)}", "describe what this shot shows"


def shot_duration(error: SchemaError, contract: Contract) -> Words:
    """A shot's duration is not a whole number of seconds, at least {extra_body.multi_prompt.*.duration:minimum}.

    Why it matters: the video is cut into shots of whole seconds; the service refuses a shot of no
    time, negative time or a fraction of a second, so the job is never made."""
    least = number(contract.field(error.path).minimum)
    unquoted = ", without quotes" if isinstance(error.value, str) else ""  # one edit for duration-as-string too
    return f"{field(error.path)} must be a whole number of seconds, at least {least}, got {show(error.value)}", f"use a whole number of seconds, at least {least}{unquoted}"


def element_list(error: SchemaError, contract: Contract) -> Words:
    """extra_body.element_list is empty, has more than {extra_body.element_list:maxItems} entries, or an entry is not {element_id: …}.

    element_id is a non-empty string or a positive integer.

    Why it matters: elements keep a subject the same across the video, each named by its id; the
    service refuses a list of another size or an entry of another shape."""
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

    Why it matters: multi_prompt replaces prompt; with both, it is unclear which the service uses."""
    return "prompt and extra_body.multi_prompt are both given; a request takes one or the other", "remove prompt for a multi-shot video, or remove multi_prompt"


def prompt_missing(error: SchemaError, contract: Contract) -> Words:
    """Neither prompt nor extra_body.multi_prompt is given.

    Why it matters: the prompt, or the shots' prompts, say what the video shows; without either
    there is nothing to make, and the service refuses the request."""
    return "the request has no prompt", "add prompt, or extra_body.multi_prompt for a multi-shot video"


def last_image_without_image(error: SchemaError, contract: Contract) -> Words:
    """last_image is given without image.

    Why it matters: an end frame needs a start frame (the video moves from image to last_image),
    and the service refuses last_image alone."""
    if isinstance(error.value, dict) and isinstance(_get(error.value, *MULTI_PROMPT), list):  # image would not do: multi-prompt-last-image
        return "last_image is given without image; an end frame needs a start frame", "remove last_image: a multi-shot video takes a first frame only"
    return "last_image is given without image; an end frame needs a start frame", "add image (the first frame), or remove last_image"


def multi_prompt_last_image(error: SchemaError, contract: Contract) -> Words:
    """last_image is given with extra_body.multi_prompt.

    Why it matters: a multi-shot video takes a first frame only, and the service refuses an end
    frame with shots."""
    return "last_image cannot be used with extra_body.multi_prompt; multi-shot takes a first frame only", "remove last_image, or use a single prompt"


# ---------------------------------------------------------------- code rules

_WHOLE_NUMBER_STRING = re.compile(r"[0-9]+")
# A long run of base64 characters: for the message only (the schema's pattern decides validity).
_BASE64_LIKE = re.compile(r"[A-Za-z0-9+/=]{64,}")
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

    Why it matters: Kling accepts raw base64 (no data: prefix, at most 10 MB), but this gateway documents URLs
    only, so the request may not pass through every gateway."""
    for place, test in contract.matching(ids.IMAGE_BASE64):
        for path, value in _values_at(request, place):
            if image_rules.may_be_base64(value) and test(value):  # a URL never runs the schema's test
                name = field(path)
                yield Problem(ids.IMAGE_BASE64, path, f"{name} is raw base64 image data, which this gateway does not document", "host the image and give its https URL")


def aspect_ratio_ignored(request: Any, contract: Contract) -> Iterator[Problem]:
    """aspect_ratio is given with image: the image's own ratio wins.

    Why it matters: with a start frame the video takes the image's ratio, so the aspect_ratio you
    wrote has no effect and the video may come out in a ratio you did not expect."""
    if isinstance(request, dict) and "aspect_ratio" in request and "image" in request:
        yield Problem(ids.ASPECT_RATIO_IGNORED, ("aspect_ratio",), "aspect_ratio has no effect with image: the video takes the image's ratio", "remove aspect_ratio, or crop the image to the ratio you want")


def shot_index(request: Any, contract: Contract) -> Iterator[Problem]:
    """A shot's index is not its 1-based position in extra_body.multi_prompt.

    Why it matters: the shots are made in the list's order; an index that says another order leaves
    it unclear which one you meant. Leave index out, or number the shots from 1 in order."""
    for position, shot in enumerate(_shots(request) or [], start=1):
        index = _whole_number(_get(shot, "index"))
        if index is not None and index != position:
            path = MULTI_PROMPT + (position - 1, "index")
            yield Problem(ids.SHOT_INDEX, path, f"{field(path)} is {index}, but this is shot {position}", f"set index to {position}, or leave index out",
                          repair=Repair(REPAIR_VALUE, position, True, f"set index to {position}"))


def shot_durations_sum(request: Any, contract: Contract) -> Iterator[Problem]:
    """Every shot has a duration, and they do not add up to duration ({duration:default} when omitted).

    Why it matters: the shots are cut from one video of duration seconds; shots that last longer or
    shorter cannot be made as written, so the service refuses the request or changes your shots."""
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

    Why it matters: how the remaining time is shared is then up to the service."""
    shots = [shot for shot in _shots(request) or [] if isinstance(shot, dict)]
    timed = sum("duration" in shot for shot in shots)
    if 0 < timed < len(shots):
        yield Problem(ids.SHOT_DURATIONS_PARTIAL, MULTI_PROMPT, f"only {timed} of the {len(shots)} shots {'has' if timed == 1 else 'have'} a duration",
                      "give every shot a duration, or none", at_key=True)


def multi_prompt_shot_type(request: Any, contract: Contract) -> Iterator[Problem]:
    """extra_body.multi_prompt with a shot_type other than {extra_body.shot_type:x-kling-keeps-shots}, or with no shot_type.

    Why it matters: with any other shot_type the model cuts shots itself and would ignore yours."""
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

    Why it matters: the gateway's examples send a number; a string is accepted but may not be everywhere."""
    places: list[tuple[Path, Any]] = [(DURATION, _get(request, "duration"))]
    for index, shot in enumerate(_shots(request) or []):
        places.append((MULTI_PROMPT + (index, "duration"), _get(shot, "duration")))
    for path, value in places:
        if isinstance(value, str) and _NUMERIC_STRING.fullmatch(value):
            whole = seconds(value)
            repair = None  # the number itself, when it is one the contract takes: one meaning, a safe fix
            if whole is not None and _in_range(contract, DURATION if path == DURATION else MULTI_PROMPT + ("*", "duration"), whole):
                repair = Repair(REPAIR_VALUE, whole, True, f"write {field(path)} as the number {whole}")
            yield Problem(ids.DURATION_AS_STRING, path, f"{field(path)} is the string {show(value)}, not a number", _unquote_hint(path, value, contract),
                          repair=repair)


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

    The finding points at the token; kling-lint never prints it in full, and the token is found
    also where it is written with escapes.

    Why it matters: tokens belong in the Authorization header, taken from the environment, never
    in a request file that is committed: a comment or a key leaks a token as surely as a value."""
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
    Rule(ids.IMAGE_FORMAT, ERROR, image_rules.image_format, "code", applies=image_rules.has_base64_frame),
    Rule(ids.IMAGE_TRUNCATED, ERROR, image_rules.image_truncated, "code", applies=image_rules.has_base64_frame),
    Rule(ids.IMAGE_TOO_LARGE, ERROR, image_rules.image_too_large, "code", applies=image_rules.has_base64_frame),
    Rule(ids.IMAGE_TOO_SMALL, ERROR, image_rules.image_too_small, "code", applies=image_rules.has_base64_frame),
    Rule(ids.IMAGE_ASPECT_RATIO, ERROR, image_rules.image_aspect_ratio, "code", applies=image_rules.has_base64_frame),
    Rule(ids.IMAGE_RATIOS_DIFFER, WARNING, image_rules.image_ratios_differ, "code", applies=image_rules.has_base64_frame),
    Rule(ids.IMAGE_UNREACHABLE, ERROR, None, "fetch", image_rules.UNREACHABLE_DOC),
    Rule(ids.IMAGE_CONTENT_TYPE, ERROR, None, "fetch", image_rules.CONTENT_TYPE_DOC),
    Rule(ids.INTERNAL_CONSISTENCY, ERROR, None, "internal", INTERNAL_DOC),
    Rule(ids.UNUSED_SUPPRESSION, WARNING, None, "reader", UNUSED_SUPPRESSION_DOC),
)
