"""The schema's patterns: one verdict in every regex dialect, and an image URL has a host.

Issue 13.4: ``"\\S"`` meant different things in ECMA 262 (editors, check-jsonschema's default)
and in Python (jsonschema, kling-lint's compiled check). Every pattern is now written so that
both agree; regress (the ECMA 262 engine check-jsonschema uses) is held to Python's ``re`` on
generated strings, and check-jsonschema itself, run in each --regex-variant, to kling-lint.
Issue 13.3: an http(s) URL without a host (empty, an unclosed bracket, a port out of range) is
refused, by the schema and so by the compiled check built from it.
"""

from __future__ import annotations

import json
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kling_lint
from kling_lint.contract.schema import load_schema, schema_path

from strategies import WHITESPACE

regress = pytest.importorskip("regress", reason="regress comes with check-jsonschema (the test extra)")

VALID = {"model": "kling-v3-std-silent", "prompt": "A red kite over the dunes."}
VARIANTS = ("default", "nonunicode", "python")


def _patterns(schema: object) -> list[str]:
    if isinstance(schema, dict):
        found = [schema["pattern"]] if isinstance(schema.get("pattern"), str) else []
        return found + [p for key, sub in schema.items() if key != "examples" for p in _patterns(sub)]
    if isinstance(schema, list):
        return [p for sub in schema for p in _patterns(sub)]
    return []


PATTERNS = sorted(set(_patterns(load_schema())))


def test_every_pattern_is_found() -> None:
    assert len(PATTERNS) >= 5  # prompt/shot prompt, two image forms, two durations


# ---------------------------------------------------------------- 13.4: one verdict in every dialect

_PIECES = st.sampled_from([
    "http://", "https://", "HTTPS://", "user", ":", "@", "[", "]", "::1", "/", "?", "#", "80", "65535",
    "65536", "99999", "0", "example.com", "=", "==", "+", "\n", "\\", "AAAA", "x.png", "5", "15", "007",
])
_CHARS = st.one_of(
    st.sampled_from(WHITESPACE),
    st.characters(max_codepoint=0x7F),
    # astral characters too (ECMA 262 without the u flag sees two code units); no lone surrogate:
    # regress takes its text as UTF-8, which cannot hold one
    st.characters(exclude_categories=("Cs",)),
)
_STRINGS = st.lists(st.one_of(_PIECES, _CHARS.map(str)), max_size=12).map("".join)


@pytest.mark.parametrize("pattern", PATTERNS)
@given(text=_STRINGS)
def test_property_every_pattern_gives_one_verdict_in_ecma_262_and_python(pattern: str, text: str) -> None:
    python = re.search(pattern, text) is not None
    assert (regress.Regex(pattern, "u").find(text) is not None) == python, (pattern, text)
    assert (regress.Regex(pattern).find(text) is not None) == python, (pattern, text)


@pytest.mark.parametrize("character", list(WHITESPACE))
def test_a_prompt_of_any_white_space_is_blank_in_every_dialect(character: str) -> None:
    for pattern in (load_schema()["properties"]["prompt"]["pattern"], load_schema()["$defs"]["shot"]["properties"]["prompt"]["pattern"]):
        assert re.search(pattern, character * 3) is None
        assert regress.Regex(pattern, "u").find(character * 3) is None
        assert regress.Regex(pattern).find(character * 3) is None


def _check_jsonschema() -> str:
    found = Path(sys.executable).with_name("check-jsonschema")
    return str(found) if found.exists() else shutil.which("check-jsonschema") or pytest.skip("check-jsonschema is not installed (pip install '.[test]')")


# Files whose verdict depended on the dialect, and their neighbours; True: valid.
DIALECT_CASES = {
    "bom-prompt.json": ({**VALID, "prompt": "\ufeff"}, False),
    "nel-prompt.json": ({**VALID, "prompt": "\u0085"}, False),
    "separator-prompt.json": ({**VALID, "prompt": "\u001c\u001f"}, False),
    "ideographic-space.json": ({**VALID, "prompt": " \u3000\t"}, False),
    "zero-width-prompt.json": ({**VALID, "prompt": "\u200b"}, True),  # invisible, but no white space
    "plain-prompt.json": (VALID, True),
    "blank-shot.json": ({"model": "kling-v3-std-silent", "extra_body": {"multi_prompt": [{"prompt": "\u0085\ufeff"}]}}, False),
    "bom-in-url.json": ({**VALID, "image": "https://example.com/a\ufeff.png"}, False),
    "nel-in-url.json": ({**VALID, "image": "https://exa\u0085mple.com/a.png"}, False),
    "no-host.json": ({**VALID, "image": "https://:80/x.png"}, False),
    "user-no-host.json": ({**VALID, "image": "https://user@/x.png"}, False),
    "unclosed-bracket.json": ({**VALID, "image": "https://[::1/x.png"}, False),
    "port-out-of-range.json": ({**VALID, "image": "https://example.com:99999/x.png"}, False),
    "ipv6-host.json": ({**VALID, "image": "https://[::1]:8080/x.png"}, True),
    "user-info.json": ({**VALID, "image": "https://user:pw@cdn.example.com/x.png"}, True),
    "duration-newline.json": ({**VALID, "duration": "5\n"}, False),
}


def test_check_jsonschema_agrees_with_kling_lint_in_every_regex_variant(tmp_path: Path) -> None:
    tool = _check_jsonschema()
    for name, (request, valid) in DIALECT_CASES.items():
        (tmp_path / name).write_text(json.dumps(request), encoding="utf-8")
        errors = {f.rule for f in kling_lint.lint(request) if f.severity == "error"} - {"secret-in-request"}
        assert (not errors) == valid, (name, errors)
    expected_invalid = {name for name, (_, valid) in DIALECT_CASES.items() if not valid}
    for variant in VARIANTS:
        result = subprocess.run(
            [tool, "--schemafile", schema_path(), "--regex-variant", variant, "-o", "json", *sorted(DIALECT_CASES)],
            cwd=tmp_path, capture_output=True, text=True, timeout=120,
        )
        report = json.loads(result.stdout)
        assert not report["parse_errors"], report
        invalid = {Path(error["filename"]).name for error in report["errors"]}
        assert invalid == expected_invalid, (variant, invalid ^ expected_invalid)


# ---------------------------------------------------------------- 13.3: an http(s) URL has a host

_URL_TEXT = st.text(st.sampled_from(string.ascii_letters + string.digits + "-._~%!$&'()*+,;=:@/?#[]"), max_size=12)
_REST = st.one_of(st.just(""), st.tuples(st.sampled_from("/?#"), _URL_TEXT).map("".join))
_USER = st.one_of(st.just(""), st.text(st.sampled_from(string.ascii_letters + ":%"), max_size=8).map(lambda u: u + "@"))
_PORT = st.one_of(st.just(""), st.integers(0, 10**7).map(lambda p: f":{p}"))
_HOSTLESS = st.one_of(
    st.tuples(_USER, _PORT).map("".join),  # nothing where the host goes
    st.tuples(_USER, st.text(st.sampled_from("0123456789abcdef:."), max_size=8).map(lambda ip: "[" + ip), _PORT).map("".join),
    st.tuples(_USER, st.sampled_from(["example.com", "127.0.0.1", "[::1]"]),
              st.integers(65536, 10**9).map(lambda p: f":{p}")).map("".join),
)


@given(scheme=st.sampled_from(["http", "https", "HTTPS", "hTtP"]), authority=_HOSTLESS, rest=_REST)
def test_property_a_url_without_a_host_is_refused(scheme: str, authority: str, rest: str) -> None:
    url = f"{scheme}://{authority}{rest}"
    findings = kling_lint.lint({**VALID, "image": url})
    assert [(f.rule, f.json_path) for f in findings] == [("image-url", "$.image")], url
    assert findings[0].message.endswith("is not an http(s) URL with a host")


@given(
    scheme=st.sampled_from(["http", "https", "HTTPS"]),
    user=_USER.filter(lambda u: "@" not in u[:-1]),
    host=st.sampled_from(["example.com", "127.0.0.1", "[::1]", "[fe80::1%25eth0]", "xn--bcher-kva.example", "a"]),
    port=st.one_of(st.just(""), st.just(":"), st.integers(0, 65535).map(lambda p: f":{p}")),
    rest=_REST,
)
def test_property_a_url_with_a_host_is_accepted(scheme: str, user: str, host: str, port: str, rest: str) -> None:
    url = f"{scheme}://{user}{host}{port}{rest}"
    assert [f.rule for f in kling_lint.lint({**VALID, "image": url}) if f.rule == "image-url"] == [], url
