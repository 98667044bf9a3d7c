"""Guesses at what the author meant: the key or value closest to a wrong one.

The known keys of every object are the Contract's (read from the schema); the keys of Kling's
own API that this gateway says another way are the schema's ``x-kling-foreign-keys``.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from ..findings import REPAIR_MOVE, REPAIR_RENAME, Path, Repair
from .words import field

if TYPE_CHECKING:
    from .contract import Contract

Place = tuple[str, ...]  # an object's path in the schema, "*" for list items


def _normal(key: str) -> str:
    return key.strip().lower().replace("-", "_").replace(" ", "_")


def suggest_key(key: str, parent: Path, contract: Contract) -> str | None:
    """A hint for an unknown ``key`` found in the object at ``parent``."""
    normal = _normal(key)
    foreign = contract.schema.get("x-kling-foreign-keys", {})
    if normal in foreign:
        return str(foreign[normal])
    where: Place = tuple("*" if isinstance(part, int) else part for part in parent)
    # Keys of an object inside a list (a shot's) are proposed only there; the others anywhere
    # (a key put one level off).
    candidates = [
        (place, name)
        for place, names in contract.objects()
        for name in names
        if not name.startswith("$") and (place == where or "*" not in place)
    ]
    candidates.sort(key=lambda pair: pair[0] != where)  # the same object first
    exact = [pair for pair in candidates if pair[1] == normal]
    prefix = [pair for pair in candidates if len(normal) >= 3 and pair[1].startswith(normal)]
    close = difflib.get_close_matches(normal, [name for _, name in candidates], n=1, cutoff=0.75)
    similar = [pair for pair in candidates if pair[1] in close]
    for place, name in (exact or prefix or similar)[:1]:
        return f"did you mean {_name_at(place, name, where)}?"
    return None


def key_repair(key: str, parent: Path, contract: Contract) -> Repair | None:
    """The unsafe repair of an unknown key: renamed to the one known key most like it in the same
    object, or moved, as it is, into the object that knows it. None for a foreign key, or when
    two known keys are equally likely."""
    normal = _normal(key)
    if normal in contract.schema.get("x-kling-foreign-keys", {}):
        return None
    where: Place = tuple("*" if isinstance(part, int) else part for part in parent)
    places = [place for place, names in contract.objects() if normal in names and "*" not in place]
    if normal == key and places:  # the key is right, the object is not
        if where in places or len(places) != 1:
            return None
        target = places[0]
        return Repair(REPAIR_MOVE, target, False, f"move {key} into {field(target) if target else 'the top level'}")
    names = [name for place, names in contract.objects() if place == where for name in names if not name.startswith("$")]
    guess = normal if normal in names else only_closest(normal, names, 0.75, prefix=len(normal) >= 3)
    if guess is None or guess == key:
        return None
    return Repair(REPAIR_RENAME, guess, False, f"rename {key} to {guess}")


def only_closest(word: str, choices: tuple[str, ...] | list[str], cutoff: float = 0.5, prefix: bool = True) -> str | None:
    """The choice most like ``word`` when no other is as alike; None on a tie or when none is alike."""
    if prefix:
        prefixed = [choice for choice in choices if word and choice.startswith(word.lower())]
        if prefixed:
            return prefixed[0] if len(set(prefixed)) == 1 else None
    scored = sorted({(difflib.SequenceMatcher(None, word, choice).ratio(), choice) for choice in choices}, reverse=True)
    if not scored or scored[0][0] < cutoff:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


def _name_at(place: Place, name: str, where: Place) -> str:
    if place == where:
        return name
    if not place:
        return f"{name} at the top level"
    return f"{field(place)}.{name}"


def closest(word: str, choices: tuple[str, ...] | list[str], cutoff: float = 0.5) -> str | None:
    """The choice most like ``word``, if any is alike enough."""
    found = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    if found:
        return found[0]
    lowered = word.lower()
    prefixed = [choice for choice in choices if lowered and choice.startswith(lowered)]
    return prefixed[0] if prefixed else None
