"""How values and places are named in messages: short, plain, never a dump of the request."""

from __future__ import annotations

from typing import Any

from ..findings import SHOWN_CHARACTERS, Path, brief

TYPE_WORDS = {
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "object": "an object",
    "array": "a list",
    "boolean": "true or false",
    "null": "null",
}


def field(path: Path) -> str:
    """("extra_body", "multi_prompt", 1, "prompt") -> "extra_body.multi_prompt[1].prompt"."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "the request"


def key_name(key: str) -> str:
    """A key as a message names it: as written when short and printable, else shortened and quoted."""
    return key if len(key) <= SHOWN_CHARACTERS and key.isprintable() else show(key)


def kind(value: Any) -> str:
    """The JSON type of a value, in words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def show(value: Any) -> str:
    """A short rendering of a scalar value; containers are named, not printed."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return {True: "NaN"}.get(value != value, "Infinity" if value > 0 else "-Infinity")
    if isinstance(value, (int, float)):
        return brief(repr(value))
    if isinstance(value, str):
        text = brief(value)  # masks, then shortens
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def expected_types(names: str | list[str]) -> str:
    names = [names] if isinstance(names, str) else names
    return " or ".join(TYPE_WORDS.get(name, name) for name in names)


def number(value: Any) -> str:
    """A schema value as words show it: 1.0 as 1, a string as it is."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def one_of(values: tuple[Any, ...] | list[Any]) -> str:
    """("a", "b", "c") -> "a, b or c"."""
    names = [number(value) for value in values]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


# Characters of white space that unicodedata has no name for (they are control characters).
_CONTROL_NAMES = {
    "\t": "tab", "\n": "line break", "\v": "vertical tab", "\f": "form feed", "\r": "carriage return",
    "\x1c": "file separator", "\x1d": "group separator", "\x1e": "record separator", "\x1f": "unit separator",
    "\x85": "next line",
}
_PLAIN = {" ": "space", "\t": "tab", "\n": "line break"}


def blank(text: str) -> str:
    """What a text of only white space holds, each character named once: "3 spaces", "a tab and
    a space", "U+0085 (next line), an invisible character"."""
    import unicodedata  # only for a blank value

    counts: dict[str, int] = {}
    for character in text:
        counts[character] = counts.get(character, 0) + 1
    parts = []
    for character, count in counts.items():
        if character in _PLAIN:
            word = _PLAIN[character]
            parts.append(f"a {word}" if count == 1 else f"{count:,} {word}s")
        else:
            name = _CONTROL_NAMES.get(character) or unicodedata.name(character, "white space").lower()
            parts.append(("" if count == 1 else f"{count:,} × ") + f"U+{ord(character):04X} ({name})")
    said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    unusual = len(counts.keys() - _PLAIN.keys())
    if unusual:
        said += ", an invisible character" if len(counts) == 1 and sum(counts.values()) == 1 else ", invisible characters"
    return said
