"""What a request will make: its mode, the model's tier and sound, the seconds of video, the
frames, elements and shots, and the body the gateway works from once defaults are applied.

Pure functions over one request value (any value: an invalid request still gets what can be
said about it). The contract's facts (the models, the defaults) come from the schema through
``contract_facts`` alone.

A model's tier and sound are read from its id, by the convention the schema's description of
``model`` and SPEC.md state: ``kling-v3-<std|pro>-<silent|audio>``. The id is what the gateway
itself goes by, so no second table can fall out of step with it; a test holds every model of the
schema's enum to a known tier and sound, so a model named another way fails there, not here.
"""

from __future__ import annotations

from collections import namedtuple
from functools import cache
from typing import TYPE_CHECKING, Any

from .curl import NOT_SENT
from .findings import brief

if TYPE_CHECKING:  # decimal is imported by the cost estimate only: curl never needs it
    pass

TEXT_TO_VIDEO = "text-to-video"
IMAGE_TO_VIDEO = "image-to-video"
FIRST_AND_LAST_FRAME = "first-and-last-frame"
MULTI_SHOT = "multi-shot"
MODES = (TEXT_TO_VIDEO, IMAGE_TO_VIDEO, FIRST_AND_LAST_FRAME, MULTI_SHOT)

FROM_THE_IMAGE = "from the image"
# The parts of a model id that name its tier and its sound (kling-v3-<tier>-<sound>).
_TIER_PARTS = {"std": "standard", "pro": "pro"}
_SOUND_PARTS = {"silent": False, "audio": True}


# Records here and in preview.py are collections.namedtuple rather than typing.NamedTuple, which
# compiles each field's annotation at import (about 0.25 ms a field): a cost every curl would pay.
class ContractFacts(namedtuple("ContractFacts", "models defaults")):
    """What this module takes from the contract.

    ``models`` (tuple[str, ...]): the schema's enum for model
    ``defaults`` (dict[str, Any]): top-level field -> the schema's default
    """

    __slots__ = ()


@cache
def contract_facts() -> ContractFacts:
    """The only place this module asks the contract anything: the model enum and the top-level defaults."""
    from .contract import default_contract

    contract = default_contract()
    defaults = {path[0]: value for path, value in contract.defaults().items() if len(path) == 1}
    return ContractFacts(contract.allowed(("model",)), defaults)


class Shot(namedtuple("Shot", "number start end prompt")):
    """One shot of a multi-shot request, on the video's timeline.

    ``number`` (int): 1-based position in multi_prompt
    ``start`` (int | None): seconds from the start of the video; None when an earlier shot has no duration
    ``end`` (int | None)
    ``prompt`` (str): the start of the shot's prompt
    """

    __slots__ = ()


class Plan(namedtuple("Plan", "mode model tier sound seconds aspect_ratio start_frame end_frame element_ids shots body defaults")):
    """What one request will make.

    ``mode`` (str | None): None: not a request object
    ``model`` (str | None)
    ``tier`` (str | None): "standard" / "pro"; None for a model that is not one of the schema's
    ``sound`` (bool | None)
    ``seconds`` (int | None): None when duration is not a whole number of seconds
    ``aspect_ratio`` (str | None): "from the image" when an image sets it
    ``start_frame`` (str | None)
    ``end_frame`` (str | None)
    ``element_ids`` (list[Any])
    ``shots`` (list[Shot])
    ``body`` (Any): the normalized body
    ``defaults`` (list[str]): the top-level fields of body that were filled in from the schema
    """

    __slots__ = ()


def mode_of(request: Any) -> str | None:
    """The mode SPEC.md names: multi-shot, first-and-last-frame, image-to-video or text-to-video."""
    if not isinstance(request, dict):
        return None
    extra = request.get("extra_body")
    if isinstance(extra, dict) and "multi_prompt" in extra:
        return MULTI_SHOT
    if "image" in request:
        return FIRST_AND_LAST_FRAME if "last_image" in request else IMAGE_TO_VIDEO
    return TEXT_TO_VIDEO


def tier_and_sound(model: Any) -> tuple[str | None, bool | None]:
    """("standard" or "pro", whether the video has sound) for a model of the schema's enum."""
    if model not in contract_facts().models:
        return None, None
    parts = model.split("-")
    tier = next((_TIER_PARTS[part] for part in parts if part in _TIER_PARTS), None)
    sound = next((_SOUND_PARTS[part] for part in parts if part in _SOUND_PARTS), None)
    return tier, sound


def whole_seconds(value: Any) -> int | None:
    """A duration as whole seconds: an integer, an integral float, or a numeric string ("5")."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


def normalized(request: Any) -> tuple[Any, list[str]]:
    """The body the gateway works from, and the fields filled in from the schema's defaults.

    Defaults are added after the given fields; aspect_ratio is not, when an image is given (the
    video takes the image's ratio). Numeric strings in duration and in a shot's duration become
    numbers. Nothing else changes; ``request`` itself is not modified.
    """
    if not isinstance(request, dict):
        return request, []
    body = {key: value for key, value in request.items() if key not in NOT_SENT}
    filled = []
    for name, default in contract_facts().defaults.items():
        if name in body or (name == "aspect_ratio" and "image" in body):
            continue
        body[name] = default
        filled.append(name)
    if isinstance(body.get("duration"), str) and whole_seconds(body["duration"]) is not None:
        body["duration"] = whole_seconds(body["duration"])
    shots = _shots(body)
    if shots:
        body["extra_body"] = dict(body["extra_body"], multi_prompt=[_normal_shot(shot) for shot in shots])
    return body, filled


def _normal_shot(shot: Any) -> Any:
    if isinstance(shot, dict) and isinstance(shot.get("duration"), str) and whole_seconds(shot["duration"]) is not None:
        return dict(shot, duration=whole_seconds(shot["duration"]))
    return shot


def _shots(request: dict[str, Any]) -> list[Any]:
    extra = request.get("extra_body")
    shots = extra.get("multi_prompt") if isinstance(extra, dict) else None
    return shots if isinstance(shots, list) else []


def timeline(request: Any) -> list[Shot]:
    """Each shot's number, start and end second, and the start of its prompt.

    Times are known up to the first shot without a whole-number duration (the model then splits
    the rest itself).
    """
    if not isinstance(request, dict):
        return []
    out = []
    start: int | None = 0
    for number, shot in enumerate(_shots(request), start=1):
        fields = shot if isinstance(shot, dict) else {}
        seconds = whole_seconds(fields.get("duration"))
        end = start + seconds if start is not None and seconds is not None else None
        prompt = fields.get("prompt")
        out.append(Shot(number, start, end, brief(prompt) if isinstance(prompt, str) else ""))
        start = end
    return out


def plan(request: Any) -> Plan:
    """Everything the dry run says about one request."""
    body, filled = normalized(request)
    if not isinstance(body, dict):
        return Plan(None, None, None, None, None, None, None, None, [], [], body, [])
    model = body.get("model")
    tier, sound = tier_and_sound(model)
    image = body.get("image")
    extra = body.get("extra_body")
    elements = extra.get("element_list") if isinstance(extra, dict) else None
    return Plan(
        mode=mode_of(body),
        model=model if isinstance(model, str) else None,
        tier=tier,
        sound=sound,
        seconds=whole_seconds(body.get("duration")),
        aspect_ratio=FROM_THE_IMAGE if "image" in body else _text(body.get("aspect_ratio")),
        start_frame=_text(image),
        end_frame=_text(body.get("last_image")),
        element_ids=[e.get("element_id") for e in elements if isinstance(e, dict)] if isinstance(elements, list) else [],
        shots=timeline(body),
        body=body,
        defaults=filled,
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# ---------------------------------------------------------------- the whole run


class Cost(namedtuple("Cost", "currency by_model total source")):
    """The estimated cost of the run.

    ``currency`` (str)
    ``by_model`` (dict[str, Decimal | None]): None: the model is not in the price table
    ``total`` (Decimal): of the models that have a price
    ``source`` (str)
    """

    __slots__ = ()


class Totals(namedtuple("Totals", "requests refused seconds seconds_by_model cost")):
    """The run's summary.

    ``requests`` (int)
    ``refused`` (int): requests with errors: the gateway would refuse them, so they are not counted
    ``seconds`` (int)
    ``seconds_by_model`` (dict[str, int])
    ``cost`` (Cost | None)
    """

    __slots__ = ()


def totals(plans: list[tuple[Plan | None, bool]], prices: Any = None) -> Totals:
    """The run's summary over (plan, has errors) pairs, a plan None for a request the file could
    not give; ``prices`` a prices.PriceTable or None.

    Only requests without errors count towards seconds and cost: the others would not be made.
    """
    by_model: dict[str, int] = {}
    refused = 0
    for planned, has_errors in plans:
        if has_errors or planned is None or planned.seconds is None or planned.model is None:
            refused += has_errors or planned is None
            continue
        by_model[planned.model] = by_model.get(planned.model, 0) + planned.seconds
    cost = None
    if prices is not None:
        from decimal import Decimal

        priced = {model: (prices.per_second[model] * seconds if model in prices.per_second else None)
                  for model, seconds in by_model.items()}
        total = sum((amount for amount in priced.values() if amount is not None), Decimal(0))
        cost = Cost(prices.currency, priced, total, prices.source)
    return Totals(len(plans), refused, sum(by_model.values()), by_model, cost)
