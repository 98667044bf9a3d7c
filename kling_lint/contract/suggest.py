"""Guesses at what the author meant: the key or value closest to a wrong one.

The known keys of every object are the Contract's (read from the schema); the keys of Kling's
own API that this gateway says another way are the schema's ``x-kling-foreign-keys``; the keys
of the HTTP request put in its body by mistake (a token, the URL) its ``x-kling-transport-keys``.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from ..findings import REPAIR_MOVE, REPAIR_RENAME, Path, Repair
from .words import field

if TYPE_CHECKING:
    from .contract import Contract

# Keys of Kling's own API that this gateway says another way; keys of the HTTP request (token,
# URL, headers) that people put in the body.
FOREIGN_KEYS = "x-kling-foreign-keys"
TRANSPORT_KEYS = "x-kling-transport-keys"
Place = tuple[str, ...]  # an object's path in the schema, "*" for list items


def _normal(key: str) -> str:
    return key.strip().lower().replace("-", "_").replace(" ", "_")


def suggest_key(key: str, parent: Path, contract: Contract) -> str | None:
    """A hint for an unknown ``key`` found in the object at ``parent``."""
    normal = _normal(key)
    for table in (FOREIGN_KEYS, TRANSPORT_KEYS):  # keys that belong elsewhere: say where
        elsewhere = contract.schema.get(table, {})
        if normal in elsewhere:
            return str(elsewhere[normal])
    where: Place = tuple("*" if isinstance(part, int) else part for part in parent)
    meant = meant_keys(key, parent, contract)
    if not meant:
        return None
    return "did you mean " + either([_name_at(place, name, where) for place, name in meant]) + "?"


def meant_keys(key: str, parent: Path, contract: Contract) -> list[tuple[Place, str]]:
    """(object's place, key) of the known keys ``key`` most likely stands for, nearest first."""
    normal = _normal(key)
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
    names = list(dict.fromkeys(name for _, name in candidates))
    exact = [name for name in names if name == normal]
    prefix = [name for name in names if len(normal) >= 3 and name.startswith(normal)]
    suffix = [name for name in names if normal and name.endswith("_" + normal)]  # id: element_id
    meant = exact or prefix or suffix or _most_alike(normal, names, 0.75)
    place_of: dict[str, Place] = {}
    for place, name in candidates:
        place_of.setdefault(name, place)
    return [(place_of[name], name) for name in meant]


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


def closest(word: str, choices: tuple[str, ...] | list[str], cutoff: float = 0.5) -> list[str]:
    """The choices most like ``word``, all of them when equally close; [] when none is alike enough.

    Alike enough: difflib's ratio at least ``cutoff``, or ``word`` starts the choice. Of those,
    the closest have the most characters of ``word`` in order: a word that starts two choices
    alike (a model id without its last part) is as close to one as to the other, and both are named."""
    lowered = word.lower()
    found = _most_alike(lowered, list(choices), cutoff)
    return found or [choice for choice in choices if lowered and choice.lower().startswith(lowered)]


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    """'did you mean "a"?' or 'did you mean "a" or "b"?'; None when nothing is alike."""
    found = closest(word, choices)
    if not found or (len(found) > 1 and len(found) == len(choices)):
        return None  # all equally far: a list of every choice says more
    return "did you mean " + either([f'"{choice}"' for choice in found]) + "?"


def either(names: list[str]) -> str:
    """["a"] -> "a"; ["a", "b", "c"] -> "a, b or c"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _most_alike(word: str, choices: list[str], cutoff: float) -> list[str]:
    scored = []
    for choice in choices:
        matcher = difflib.SequenceMatcher(None, word, choice.lower())
        if matcher.ratio() >= cutoff:
            scored.append((sum(block.size for block in matcher.get_matching_blocks()), choice))
    if not scored:
        return []
    most = max(common for common, _ in scored)
    return [choice for common, choice in scored if common == most]  # in the schema's order
