"""Guesses at what the author meant: the key or model closest to a wrong one."""

from __future__ import annotations

import difflib

# Where each key of the contract lives. A shot's keys are under multi_prompt[i].
KEYS_AT = {
    "top": ("model", "prompt", "image", "last_image", "aspect_ratio", "duration", "extra_body"),
    "extra_body": ("cfg_scale", "shot_type", "negative_prompt", "multi_prompt", "element_list"),
    "shot": ("prompt", "duration", "index"),
}

# Keys of Kling's own API that this gateway says another way.
KLING_KEYS = {
    "sound": "sound comes with the model here: pick an -audio model such as kling-v3-std-audio",
    "generate_audio": "sound comes with the model here: pick an -audio model such as kling-v3-std-audio",
    "mode": "the quality tier is part of the model here: pick a -pro or -std model",
    "model_name": "this gateway calls it model",
    "image_tail": "this gateway calls the end frame last_image",
    "camera_control": "this endpoint does not offer camera_control; describe the camera in the prompt",
}


def _normal(key: str) -> str:
    return key.strip().lower().replace("-", "_").replace(" ", "_")


def suggest_key(key: str, where: str) -> str | None:
    """A hint for an unknown ``key`` found at ``where`` ("top", "extra_body" or "shot")."""
    normal = _normal(key)
    if normal in KLING_KEYS:
        return KLING_KEYS[normal]
    # A shot's keys are only proposed inside a shot; the others anywhere (a key put one level off).
    candidates = [
        (place, name)
        for place, names in KEYS_AT.items()
        for name in names
        if place == where or place != "shot"
    ]
    candidates.sort(key=lambda pair: pair[0] != where)  # the same object first
    exact = [pair for pair in candidates if pair[1] == normal]
    prefix = [pair for pair in candidates if len(normal) >= 3 and pair[1].startswith(normal)]
    close = difflib.get_close_matches(normal, [name for _, name in candidates], n=1, cutoff=0.75)
    similar = [pair for pair in candidates if pair[1] in close]
    for place, name in (exact or prefix or similar)[:1]:
        return f"did you mean {_name_at(place, name, where)}?"
    return None


def _name_at(place: str, name: str, where: str) -> str:
    if place == where:
        return name
    if place == "top":
        return f"{name} at the top level"
    return f"extra_body.{name}" if place == "extra_body" else name


def closest(word: str, choices: tuple[str, ...] | list[str], cutoff: float = 0.5) -> str | None:
    """The choice most like ``word``, if any is alike enough."""
    found = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    if found:
        return found[0]
    lowered = word.lower()
    prefixed = [choice for choice in choices if lowered and choice.startswith(lowered)]
    return prefixed[0] if prefixed else None
