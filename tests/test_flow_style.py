"""Flow style is YAML too: any request written in block style reads the same written in flow
style, wholly or from some depth down, on one line or several (issue 13, item 1).

Strings are written plain wherever YAML 1.2 reads them back as the same string (URLs,
``9:16``, words with colons), quoted elsewhere, the same way in both styles: so the two files
differ in style only, and must give the same value and the same findings (rule, path, message,
severity). libyaml refuses a ':' inside a plain scalar in a flow collection, which YAML 1.2
allows: this is where the slower YAML 1.2 reader must decide.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st

from kling_lint import lint_text
from kling_lint.load import load
from kling_lint.load.yaml_format import resolve_plain

from strategies import broken_requests, strict, valid_requests, yaml_scalar, yaml_string

# What cannot start a plain scalar, and what cannot appear in one inside a flow collection.
_PLAIN_START = set("-?:,[]{}#&*!|>'\"%@` ")
_FLOW_INDICATORS = set(",[]{}")
_URLISH = re.compile(r"[0-9A-Za-z][0-9A-Za-z .:/_?=&-]*")


def plain_ok(text: str) -> bool:
    """Whether ``text`` written plain reads back as the string ``text``, in block and flow alike."""
    return (
        bool(text)
        and text[0] not in _PLAIN_START
        and text == text.strip(" ")
        and text.isprintable()
        and not (set(text) & _FLOW_INDICATORS)
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and resolve_plain(text) == text
        and type(resolve_plain(text)) is str
        and bool(_URLISH.fullmatch(text))
    )


def scalar(value: Any, plain: bool) -> str:
    if isinstance(value, str):
        return value if plain and plain_ok(value) else yaml_string(value)
    return yaml_scalar(value)


def flow(value: Any, plain: bool, wrap: bool, indent: int) -> str:
    """``value`` in flow style; with ``wrap``, one entry a line, indented past ``indent``."""
    if isinstance(value, dict) and value:
        entries = [f"{scalar(key, plain)}: {flow(item, plain, wrap, indent + 2)}" for key, item in value.items()]
        opener, closer = "{", "}"
    elif isinstance(value, list) and value:
        entries = [flow(item, plain, wrap, indent + 2) for item in value]
        opener, closer = "[", "]"
    else:
        return scalar(value, plain)
    if not wrap:
        return opener + ", ".join(entries) + closer
    pad = "\n" + " " * (indent + 2)
    return opener + pad + ("," + pad).join(entries) + "\n" + " " * indent + closer


def block(value: Any, plain: bool, flow_at: int, wrap: bool, indent: int = 0, depth: int = 0) -> list[str]:
    """``value`` in block style down to depth ``flow_at``, in flow style from there."""
    pad = " " * indent
    lines: list[str] = []
    for key, item in (value.items() if isinstance(value, dict) else enumerate(value)):
        head = f"{pad}{scalar(key, plain)}:" if isinstance(value, dict) else f"{pad}-"
        nested = isinstance(item, (dict, list)) and item
        if not nested or depth + 1 >= flow_at:
            lines.append(f"{head} {flow(item, plain, wrap, indent)}")
        else:
            lines.append(head)
            lines.extend(block(item, plain, flow_at, wrap, indent + 2, depth + 1))
    return lines


def yaml_in(request: dict[str, Any], plain: bool, flow_at: int, wrap: bool) -> str:
    if flow_at == 0:
        return flow(request, plain, wrap, 0) + "\n"
    return "\n".join(block(request, plain, flow_at, wrap)) + "\n"


def findings(text: str) -> list[tuple[str, str, str, str]]:
    return sorted((f.rule, f.json_path, f.message, str(f.severity)) for f in lint_text(text, "r.yaml"))


# Objects: a request broken into a scalar or a list is not written in block style as a mapping.
REQUESTS = st.one_of(valid_requests(), broken_requests().map(lambda broken: broken.request)).filter(
    lambda request: isinstance(request, dict) and bool(request))


@given(REQUESTS, st.booleans(), st.integers(0, 3), st.booleans())
def test_a_request_reads_the_same_in_flow_style(request: dict[str, Any], plain: bool, flow_at: int, wrap: bool) -> None:
    written_block = yaml_in(request, plain, 99, False)
    written_flow = yaml_in(request, plain, flow_at, wrap)
    event(f"a plain scalar with ':' in flow style: {plain and flow_at < 99 and bool(re.search(r'[^ ]:[^ ]', written_flow))}")
    [block_document] = load(written_block.encode(), "yaml").documents
    [flow_document] = load(written_flow.encode(), "yaml").documents
    assert strict(flow_document.value) == strict(block_document.value) == strict(request)
    assert findings(written_flow) == findings(written_block)


# ---------------------------------------------------------------- whatever YAML 1.2 reads

from hypothesis import assume  # noqa: E402

from kling_lint.load.yaml_format import YamlError, read_yaml  # noqa: E402

PIECES = ["{", "}", "[", "]", ", ", ",", ": ", ":", "a", "b:c", "https://x.example/k.png", "9:16", "- ", "? ",
          "\n", "\n  ", "  ", " #c\n", "'q'", '"d"', "&a ", "*a", "\n---\n", "\n...\n", "x y", "-1", ".5", "~", "!!str "]


@given(st.lists(st.sampled_from(PIECES), max_size=16).map("".join))
def test_what_the_yaml_12_parser_reads_is_read(text: str) -> None:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        for _ in YAML(typ="safe", pure=True).parse(text):
            pass
    except YAMLError:
        assume(False)
    event(f"the C parser refuses it: {_c_refuses(text)}")
    try:
        documents = read_yaml(text)
    except YamlError as error:
        assert error.refused, f"{text!r}: {error}"  # kling-lint's own refusals (an alias without anchor, ...)
        return
    assert all(doc.error is None or doc.error.refused for doc in documents), [str(doc.error) for doc in documents]


def _c_refuses(text: str) -> bool:
    from _ruamel_yaml import CParser
    from ruamel.yaml.error import YAMLError

    parser = CParser(text)
    try:
        while type(parser.get_event()).__name__ != "StreamEndEvent":
            pass
    except YAMLError:
        return True
    finally:
        parser.dispose()
    return False
