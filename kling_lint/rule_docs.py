"""A rule's documentation, as ``kling-lint rules ID`` prints it, in four parts: what it finds,
why it matters, a failing example and its fixed version, and how to switch it off.

- The words are the rule's docstring (contract/rules.py), filled in from the schema by the
  Contract: its first line and the paragraphs up to "Why it matters:" say what the rule finds,
  the rest why it matters.
- The examples are files. ``examples/invalid/<rule>.<ext>`` breaks the rule and
  ``examples/fixed/<the same name>`` is the same request fixed; of the invalid files named after
  a rule, the one with a fixed twin is the documented one. A rule no request can show (a file
  that is missing, a findings cap, kling-lint's check on itself) has a worded example instead,
  ``<rule>.md``, in both folders. The folders are installed with the package
  (``kling_lint/examples``, mapped from the repository's ``examples/`` by pyproject.toml), so
  that ``rules`` works without the repository.
- Switching a rule off is said from two lists: the rules a configuration cannot switch off, and
  those a YAML comment cannot silence.
"""

from __future__ import annotations

import os
import textwrap
from typing import Any, NamedTuple

from . import rule_ids
from .contract import Rule
from .redact import redact

WHY = "Why it matters:"
EXAMPLES_PACKAGE = "examples"
# The order in which an example is preferred when a rule has several twins (one is the rule).
SUFFIXES = (".yaml", ".yml", ".json", ".jsonl", ".md")
WORDED = ".md"
EXPECT_COMMENT = "# expect:"  # tests/test_examples.py's expectations: not part of the example
LONGEST_LINE = 160  # an example line longer than this is shown cut, with its length
WIDTH = 92

# A file that cannot be read was not checked, and kling-lint's check on itself never passes in
# silence: a configuration cannot switch these off (the configuration branch names them too).
NOT_CONFIGURABLE = {
    rule_ids.SYNTAX: "a file that cannot be read was not checked: fix it, or leave it out of the paths checked",
    rule_ids.UNREADABLE: "a file that cannot be read was not checked: name files that exist, or leave this one out",
    rule_ids.INTERNAL_CONSISTENCY: "kling-lint's check on itself never passes in silence: report the request",
}
# What a suppression comment cannot silence in the file itself.
NOT_SILENCEABLE = {
    rule_ids.SECRET_IN_REQUEST: "a token cannot be silenced in the file: move it to the environment ($KLING_API_KEY)",
    rule_ids.SYNTAX: "a file that cannot be read is not checked, so its comments are not read",
    rule_ids.UNREADABLE: "a file that cannot be read is not checked, so its comments are not read",
}


class Example(NamedTuple):
    """One example: its path under the examples folder, and its text (secrets masked)."""

    path: str  # "invalid/duration-range.json"
    text: str
    worded: bool  # prose, for a rule no request can show


class SwitchOff(NamedTuple):
    config: str | None  # the configuration lines, or None when a configuration cannot
    config_why_not: str | None
    inline: str | None  # the YAML comment, or None when a comment cannot silence the rule
    inline_why_not: str | None


class RuleDoc(NamedTuple):
    id: str
    severity: str
    source: str
    summary: str
    what: str  # the summary and the paragraphs that say more about what the rule finds
    why: str
    failing: Example | None
    fixed: Example | None
    switch_off: SwitchOff


# ---------------------------------------------------------------- the parts


def split_doc(doc: str) -> tuple[str, str]:
    """(what it finds, why it matters) of a rule's docstring; why is "" when it says none."""
    paragraphs = [paragraph.strip() for paragraph in doc.split("\n\n") if paragraph.strip()]
    for number, paragraph in enumerate(paragraphs):
        if paragraph.startswith(WHY):
            first = paragraph[len(WHY):].strip()
            why = [first[:1].upper() + first[1:], *paragraphs[number + 1:]]
            return "\n\n".join(paragraphs[:number]), "\n\n".join(why)
    return "\n\n".join(paragraphs), ""


def examples_dir() -> str:
    """Where the examples are: inside the installed package, or examples/ of a source checkout."""
    package = os.path.dirname(os.path.abspath(__file__))
    installed = os.path.join(package, EXAMPLES_PACKAGE)
    if os.path.isdir(os.path.join(installed, "invalid")):
        return installed
    try:  # an editable install maps kling_lint.examples onto the repository's examples/
        import kling_lint.examples as mapped

        for folder in mapped.__path__:
            if os.path.isdir(os.path.join(folder, "invalid")):
                return str(folder)
    except ImportError:
        pass
    return os.path.join(os.path.dirname(package), EXAMPLES_PACKAGE)


def example_pair(rule_id: str, root: str | None = None) -> tuple[str, str] | None:
    """(failing, fixed) paths relative to the examples folder: the invalid file named after the
    rule that has a fixed twin (the first by SUFFIXES, subfolders after the folder itself)."""
    root = root or examples_dir()
    for folder, names in _folders(os.path.join(root, "invalid")):
        for suffix in SUFFIXES:
            name = rule_id + suffix
            if name in names:
                failing = os.path.relpath(os.path.join(folder, name), root)
                fixed = os.path.join("fixed", os.path.relpath(failing, "invalid"))
                if os.path.isfile(os.path.join(root, fixed)):
                    return failing.replace(os.sep, "/"), fixed.replace(os.sep, "/")
    return None


def _folders(top: str) -> list[tuple[str, set[str]]]:
    return sorted(((folder, set(names)) for folder, _dirs, names in os.walk(top)), key=lambda item: (item[0] != top, item[0]))


def read_example(relative: str, root: str | None = None) -> Example:
    with open(os.path.join(root or examples_dir(), relative), encoding="utf-8-sig") as handle:
        text = handle.read()
    worded = relative.endswith(WORDED)
    if relative.endswith((".yaml", ".yml")):
        text = "".join(line for line in text.splitlines(keepends=True) if not line.startswith(EXPECT_COMMENT))
    return Example(relative, redact(text), worded)


def switch_off(rule_id: str) -> SwitchOff:
    config = None if rule_id in NOT_CONFIGURABLE else f'[tool.kling-lint]\nignore = ["{rule_id}"]'
    inline = None if rule_id in NOT_SILENCEABLE else f"# kling-lint: disable={rule_id}"
    return SwitchOff(config, NOT_CONFIGURABLE.get(rule_id), inline, NOT_SILENCEABLE.get(rule_id))


def document(rule: Rule, root: str | None = None) -> RuleDoc:
    what, why = split_doc(rule.doc)
    pair = example_pair(rule.id, root)
    failing, fixed = (read_example(pair[0], root), read_example(pair[1], root)) if pair else (None, None)
    return RuleDoc(rule.id, rule.severity.value, rule.source, rule.summary, what, why, failing, fixed, switch_off(rule.id))


# ---------------------------------------------------------------- rendering


def render_text(doc: RuleDoc) -> str:
    """The rule's documentation for a terminal, in ruff's order of sections."""
    out = [f"{doc.id} ({doc.severity})", "", "What it finds", _prose(doc.what), "", "Why it matters", _prose(doc.why or "(not written yet)")]
    for title, example in (("Example", doc.failing), ("Fixed", doc.fixed)):
        out += ["", f"{title} (examples/{example.path})" if example else title]
        out.append(_prose(example.text) if example and example.worded else _listing(example.text) if example else "  (none yet)")
    out += ["", "Switch it off", _switch_off_text(doc)]
    return "\n".join(out) + "\n"


def _prose(text: str) -> str:
    paragraphs = [" ".join(paragraph.split()) for paragraph in text.split("\n\n") if paragraph.strip()]
    return "\n\n".join(textwrap.fill(paragraph, WIDTH, initial_indent="  ", subsequent_indent="  ") for paragraph in paragraphs)


def _listing(text: str) -> str:
    lines = []
    for line in text.rstrip("\n").splitlines():
        if len(line) > LONGEST_LINE:
            line = f"{line[:LONGEST_LINE - 40]}… ({len(line):,} characters in all)"
        lines.append("    " + line if line else "")
    return "\n".join(lines)


def _switch_off_text(doc: RuleDoc) -> str:
    switch = doc.switch_off
    lines = []
    if switch.config is not None:
        lines += ["  In pyproject.toml (in a .kling-lint.toml, the same without the table line):", textwrap.indent(switch.config, "      ")]
    else:
        lines.append(_prose(f"A configuration cannot switch it off: {switch.config_why_not}."))
    if switch.inline is not None:
        lines += ["  In a YAML file, at the end of the line (alone on a line: for the next line):", f"      {switch.inline}",
                  f"  For a whole YAML file: # kling-lint: disable-file={doc.id}",
                  "  JSON has no comments: use the configuration."]
    else:
        lines.append(_prose(f"A comment in the file cannot silence it: {switch.inline_why_not}."))
    return "\n".join(lines)


def as_json(doc: RuleDoc) -> dict[str, Any]:
    """The documentation as one JSON object, for tools (``rules --format json``)."""

    def example(found: Example | None) -> dict[str, Any] | None:
        return None if found is None else {"file": f"examples/{found.path}", "text": found.text, "worded": found.worded}

    switch = doc.switch_off
    return {
        "id": doc.id,
        "severity": doc.severity,
        "source": doc.source,
        "summary": doc.summary,
        "what": _unwrapped(doc.what),
        "why": _unwrapped(doc.why),
        "example": {"failing": example(doc.failing), "fixed": example(doc.fixed)},
        "switch_off": {
            "config": switch.config,
            "config_why_not": switch.config_why_not,
            "inline": switch.inline,
            "inline_why_not": switch.inline_why_not,
        },
    }


def _unwrapped(text: str) -> str:
    """Each paragraph on one line, paragraphs apart by a blank line."""
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in text.split("\n\n") if paragraph.strip())
