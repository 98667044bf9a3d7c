"""secret-in-request: an API token anywhere in a request file, worded for each place it can be.

Two searches, one rule. ``in_request`` looks at what a request holds, its string values and its
keys, decoded (so a token written with escapes is found too); it is all there is for a request
built in code. ``in_text`` looks at a file's text as written, comments included: two substring
searches, and a regular-expression search only where they find something (nearly never). The
engine places each token it finds at its own line and column and words it with ``at_token``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import rule_ids
from ..findings import Path, Problem
from ..redact import SECRET, tokens_in
from .words import field, key_name

RULE = rule_ids.SECRET_IN_REQUEST
HINT = "remove the token; send it in the Authorization header from an environment variable"
COMMENT_HINT = "remove the token (in a committed file a comment leaks it too); send it in the Authorization header from an environment variable"


def in_request(request: Any) -> Iterator[Problem]:
    """One problem for each string value or key of ``request`` that holds a token, in document order."""
    for path, at_key in _holding_token(request):
        yield _problem(path, at_key)


def in_text(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of every token ``text`` shows as written: [] for nearly every file."""
    return tokens_in(text)


def at_token(path: Path | None, at_key: bool, inside_string: bool,
             position: tuple[int, int, int, int]) -> Problem:
    """The problem for a token the file's text shows at ``position``.

    ``path`` is the innermost value or key whose source holds it (None: none does, as for a
    comment before the request or a file that could not be read); ``inside_string`` says
    whether that is a string value (or key) rather than an object or list around a comment.
    """
    if path is not None and (at_key or inside_string):
        return _problem(path, at_key)._replace(position=position)
    if path is None:
        message = "the file holds what looks like an API token"
    else:
        message = f"{field(path)} holds what looks like an API token outside any value (in a comment?)"
    return Problem(RULE, path or (), message, COMMENT_HINT, position=position)


def _problem(path: Path, at_key: bool) -> Problem:
    if at_key:
        return Problem(RULE, path, f"the key {key_name(str(path[-1]))} looks like an API token", HINT, at_key=True)
    return Problem(RULE, path, f"{field(path)} contains what looks like an API token", HINT)


def _holding_token(value: Any) -> list[tuple[Path, bool]]:
    """(path, at_key) of every string and key in ``value`` that holds a token, in document order.

    Paths are built only for a match and for containers: most requests have none, and building
    a path for every value was half the cost of all code rules together. The walk holds one
    iterator per level, never a copy of a list's items: a million-item list costs no more."""
    return _walk(value) if _may_hold_token(value) else []


def _may_hold_token(value: Any) -> bool:
    """False when no string or key of ``value`` can hold a token, found at C speed.

    ``repr`` writes every string and key with the characters of a token (letters, digits,
    "-", "_") as they are, so a token's literal start ("sk-", "Bearer") shows in it whenever a
    string holds one. One C call instead of a walk in Python: a third of the walk's cost, and
    the walk runs only for the rare request that shows one. The text is as long as the
    request's own strings: a file is at most --max-bytes, so this stays a copy of one file."""
    text = repr(value)
    return "sk-" in text or "Bearer" in text


def _walk(value: Any) -> list[tuple[Path, bool]]:
    search = SECRET.search
    found: list[tuple[Path, bool]] = []
    if type(value) is str:
        return [((), False)] if search(value) else []
    if type(value) is not dict and type(value) is not list:
        return found
    stack: list[tuple[Iterator[tuple[Any, Any]], Path]] = [(_children(value, (), found), ())]
    while stack:
        children, path = stack[-1]
        for key, child in children:
            if type(child) is str:
                if search(child):
                    found.append((path + (key,), False))
            elif type(child) is dict or type(child) is list:
                inner = path + (key,)
                stack.append((_children(child, inner, found), inner))
                break
        else:
            stack.pop()
    return found


def _children(item: dict[Any, Any] | list[Any], path: Path, found: list[tuple[Path, bool]]) -> Iterator[tuple[Any, Any]]:
    """(key, child) of a dict or list; a dict's keys that hold a token are noted first."""
    if type(item) is dict:
        found.extend((path + (name,), True) for name in item if type(name) is str and SECRET.search(name))
        return iter(item.items())
    return enumerate(item)
