"""secret-in-request and masking: a token anywhere in a file is found, at the token, and never printed.

Issue 13.2 (a token outside a value: a comment, a key, a URL's user-info), 19.5 (a token written
with escapes) and 19.6 (KLING_API_KEY shortened before it was masked), each with its test, and
the properties: a token placed anywhere in a file, in any escape, is found and never printed.
"""

from __future__ import annotations

import io
import json
import os
import string
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import kling_lint
from kling_lint.contract import RULES
from kling_lint.findings import SHOWN_CHARACTERS, Finding, Summary, brief
from kling_lint.redact import ENV_ANYWHERE, ENV_FLOOR, TOKEN_VARIABLE, redact
from kling_lint.report import FORMATS, reporter

from strategies import tokens

RULE = "secret-in-request"
TOKEN = "sk-live-9f8e7d6c5b4a39281706ffee"
BEARER = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJrbGluZyJ9"
HEAD = "model: kling-v3-std-silent\nprompt: A red kite over the dunes.\n"
VALID = {"model": "kling-v3-std-silent", "prompt": "A red kite over the dunes."}


def rendered(findings: list[Finding], name: str) -> dict[str, str]:
    """Every output format's text for one file's findings."""
    out = {}
    for fmt in FORMATS:
        stream = io.StringIO()
        report = reporter(fmt, stream, False, rules=RULES, version=kling_lint.__version__)
        report.file(name, findings)
        report.finish(Summary(files=1, errors=len(findings)))
        out[fmt] = stream.getvalue()
    return out


def windows(secret: str, size: int = 10) -> set[str]:
    """Every piece of ``secret`` long enough to give part of it away (its kind prefix aside)."""
    body = secret[3:]
    return {body[i:i + size] for i in range(max(1, len(body) - size + 1))}


def assert_never_printed(findings: list[Finding], name: str, *secrets: str, size: int = 10) -> None:
    for fmt, output in rendered(findings, name).items():
        for secret in secrets:
            for piece in windows(secret, size):
                assert piece not in output, (fmt, piece, output[:2000])


def at(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of ``needle`` in ``text``."""
    offset = text.index(needle)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def secret_places(findings: list[Finding]) -> set[tuple[int | None, int | None]]:
    return {(f.line, f.column) for f in findings if f.rule == RULE}


def covers(finding: Finding, place: tuple[int, int]) -> bool:
    """Whether ``finding``'s region starts at ``place`` or runs over it (a token right after
    "Bearer " is found as the one "Bearer …" token it is part of)."""
    start, end = (finding.line, finding.column), (finding.end_line, finding.end_column)
    return None not in start + end and start <= place < end  # type: ignore[operator]


@contextmanager
def environment_key(value: str) -> Iterator[None]:
    old = os.environ.get(TOKEN_VARIABLE)
    os.environ[TOKEN_VARIABLE] = value
    try:
        yield
    finally:
        if old is None:
            del os.environ[TOKEN_VARIABLE]
        else:
            os.environ[TOKEN_VARIABLE] = old


# ---------------------------------------------------------------- 13.2: a token outside a value


def test_a_token_in_a_yaml_comment_fails_the_run_at_the_token(tmp_path) -> None:
    from click.testing import CliRunner

    from kling_lint.cli import main

    text = HEAD + f'# curl -H "Authorization: {BEARER}"\n'
    path = tmp_path / "kite.yaml"
    path.write_text(text)
    for fmt in FORMATS:
        result = CliRunner().invoke(main, ["check", "--strict", "--format", fmt, str(path)])
        assert result.exit_code == 1, (fmt, result.output)
        assert BEARER[7:20] not in result.output
    findings = kling_lint.lint_file(str(path))
    assert [(f.rule, f.line, f.column) for f in findings] == [(RULE, *at(text, BEARER))]
    assert "comment" in findings[0].message and findings[0].json_path == "$"
    assert_never_printed(findings, str(path), BEARER)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_a_token_used_as_a_key_is_a_secret_at_the_key(fmt: str) -> None:
    text = json.dumps({**VALID, TOKEN: 1}) if fmt == "json" else HEAD + f"{TOKEN}: 1\n"
    findings = kling_lint.lint_text(text, filename=f"r.{fmt}")
    assert {f.rule for f in findings} == {"unknown-key", RULE}
    secret = next(f for f in findings if f.rule == RULE)
    assert (secret.line, secret.column) == at(text, TOKEN)
    assert secret.message == "the key sk-**** looks like an API token"
    assert secret.json_path == "$['sk-****']"
    assert_never_printed(findings, "r", TOKEN)


def test_a_token_in_a_url_user_info_is_found_at_the_token() -> None:
    text = json.dumps({**VALID, "image": f"https://user:{TOKEN}@cdn.example.com/x.png"})
    findings = kling_lint.lint_text(text, filename="r.json")
    assert [(f.rule, f.line, f.column, f.json_path) for f in findings] == [(RULE, *at(text, TOKEN), "$.image")]
    assert_never_printed(findings, "r.json", TOKEN)


def test_a_token_in_a_file_that_cannot_be_read_is_still_found() -> None:
    text = '{"model": "kling-v3-std-silent", "api_key": "' + TOKEN + '" "prompt": "a"}'
    findings = kling_lint.lint_text(text, filename="r.json")
    assert {(f.rule, f.line, f.column) for f in findings} >= {(RULE, *at(text, TOKEN))}
    assert "syntax" in {f.rule for f in findings}
    assert_never_printed(findings, "r.json", TOKEN)


def test_each_token_is_one_finding_at_its_place() -> None:
    text = HEAD + f"# {TOKEN}\nextra_body:\n  negative_prompt: {BEARER} and {TOKEN}\n---\n# {BEARER}\n" + HEAD
    findings = kling_lint.lint_text(text, filename="r.yaml")
    lines = text.split("\n")
    expected = {(3, 3), (5, 20), (5, 20 + len(BEARER) + 5), (7, 3)}
    assert secret_places(findings) == expected, (findings, lines)
    by_place = {(f.line, f.column): f for f in findings}
    assert by_place[(5, 20)].json_path == "$.extra_body.negative_prompt"
    assert by_place[(7, 3)].json_path == "$" and by_place[(7, 3)].message == "the file holds what looks like an API token"


def test_a_bearer_token_over_two_lines_is_masked_on_both() -> None:
    text = HEAD + "extra_body:\n  negative_prompt: >-\n    Bearer\n    eyJhbGciOiJIUzI1NiJ9xyzw\n  cfg: 1\n"
    findings = kling_lint.lint_text(text, filename="r.yaml")
    assert {f.rule for f in findings} == {RULE, "unknown-key"}
    for finding in findings:
        assert "eyJhbGci" not in (finding.snippet or "")
    assert_never_printed(findings, "r.yaml", "Bearer eyJhbGciOiJIUzI1NiJ9xyzw", size=8)


def test_the_python_api_still_finds_tokens_in_values_and_keys() -> None:
    findings = kling_lint.lint({**VALID, "extra_body": {"negative_prompt": f"no {TOKEN}"}, BEARER: 1})
    assert {(f.rule, f.json_path) for f in findings if f.rule == RULE} == {
        (RULE, "$.extra_body.negative_prompt"), (RULE, "$['Bearer ****']")}
    assert all(f.line is None for f in findings)
    assert_never_printed(findings, "<request>", TOKEN, BEARER)


# ---------------------------------------------------------------- 19.5: escapes


@pytest.mark.parametrize(
    ("name", "text", "secret"),
    [
        ("r.json", '{"model": "kling-v3-std-silent", "prompt": "a", "extra_body": {"negative_prompt": '
                   '"sk-proj\\u002dZx81QmT4vLr2Nc7Wp0Ks9Hd3", "bogus": 1}}', "sk-proj-Zx81QmT4vLr2Nc7Wp0Ks9Hd3"),
        ("r.yaml", HEAD.replace("A red kite over the dunes.", '"Bearer\\x20eyJhbGciOiJIUzI1NiJ9abc"'),
         "Bearer eyJhbGciOiJIUzI1NiJ9abc"),
        ("r.yaml", HEAD + 'extra_body:\n  negative_prompt: "sk-proj-Zx81\\\n    QmT4vLr2Nc7Wp0Ks9Hd3"\n',
         "sk-proj-Zx81QmT4vLr2Nc7Wp0Ks9Hd3"),
    ],
)
def test_a_token_written_with_escapes_is_found_and_masked_in_snippet_and_sarif(name: str, text: str, secret: str) -> None:
    findings = kling_lint.lint_text(text, filename=name)
    assert RULE in {f.rule for f in findings}
    source = text[text.index(secret[:6]):]
    for finding in findings:
        assert "Zx81QmT4" not in (finding.snippet or "") and "eyJhbGci" not in (finding.snippet or "")
    sarif = rendered(findings, name)["sarif"]
    assert '"contextRegion"' in sarif or "\\\n" in text  # a span over two lines has no context region
    for piece in ("QmT4vLr2", "eyJhbGci", source[7:17]):
        assert piece not in sarif
    assert_never_printed(findings, name, secret)


# ---------------------------------------------------------------- 19.6: KLING_API_KEY, masked before any cut


KEY = "kl-live-5f1d0c9a7e3b48d2a61c5f1d0c9a7e3b48d2a61c"  # longer than a message shows


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("dup.json", '{"model": "kling-v3-std-silent", "prompt": "a", "' + KEY + '": 1, "' + KEY + '": 2}'),
        ("dup.yaml", HEAD + f"{KEY}: 1\n{KEY}: 2\n"),
        ("tag.yaml", HEAD + f"duration: !!int {KEY}\n"),
        ("esc.json", json.dumps({**VALID, "x": 1}).replace('"x"', '"' + KEY.replace("-", "\\u002d") + '"')),
        ("long.json", json.dumps({**VALID, "prompt": "b " * 100 + KEY + " c" * 100, "x": 1})),
    ],
)
def test_the_environment_key_is_never_printed_in_part(name: str, text: str) -> None:
    with environment_key(KEY):
        findings = kling_lint.lint_text(text, filename=name)
        assert findings
        assert_never_printed(findings, name, "---" + KEY, size=8)


def test_brief_masks_before_it_shortens() -> None:
    with environment_key(KEY):
        assert brief(KEY * 2) == "****" * 2
        assert brief("x" * 30 + KEY) == "x" * 30 + "****"
    long_token = "sk-" + "a1" * 40
    assert brief(long_token) == "sk-****" and len(brief("y" * 100)) == SHOWN_CHARACTERS + 1


def test_the_floor_for_the_environment_key() -> None:
    with environment_key("abc"):  # below the floor: letters of ordinary text
        assert redact("abc abcd") == "abc abcd"
    with environment_key("test"):  # short: a whole word only
        assert ENV_FLOOR <= 4 < ENV_ANYWHERE
        assert redact("a test video, the latest test-1") == "a **** video, the latest ****-1"
        assert redact("test", keep_length=True) == "****"
    with environment_key("k9x2p7q4"):  # from ENV_ANYWHERE on: wherever it appears
        assert redact("abck9x2p7q4def") == "abc****def"


# ---------------------------------------------------------------- properties


_ALNUM = string.ascii_letters + string.digits
_words = st.text(st.sampled_from(_ALNUM + " "), max_size=12).map(lambda s: s.strip(" "))


def _yaml_placements(token: str, words: str) -> list[str]:
    """Texts holding ``token`` once, each in another place of a YAML request file."""
    places = [
        HEAD + f"# {words} {token}\n",
        f"# curl -H \"Authorization: {token}\"\n" + HEAD,
        HEAD.replace("\n", f"  # {token}\n", 1),
        HEAD + f"extra_body:\n  # {token}\n  cfg_scale: 0.5\n",
        HEAD + f"extra_body:\n  negative_prompt: {words} {token} {words}\n",
        HEAD + f"{token}: 1\n",
        HEAD + f"extra_body:\n  element_list:\n    - element_id: '{token}'\n",
        HEAD + "---\n" + HEAD + f"# {token}\n",
        f"{{model: kling-v3-std-silent, prompt: \"{words} {token}\"}}\n",
    ]
    if token.startswith("sk-"):
        places.append(HEAD + f"image: https://user:{token}@cdn.example.com/frame.png\n")
        places.append(HEAD + f"image: https://{token}@cdn.example.com/frame.png\n")
    return places


def _json_placements(token: str, words: str) -> list[str]:
    places = [
        json.dumps({**VALID, "prompt": f"{words} {token} {words}"}, indent=2),
        json.dumps({**VALID, token: 1}),
        json.dumps({**VALID, "extra_body": {"element_list": [{"element_id": token}]}}, indent=1),
        '{"model": "kling-v3-std-silent", "prompt": "' + token + '" "x": 1}',  # not readable as JSON
    ]
    if token.startswith("sk-"):
        places.append(json.dumps({**VALID, "image": f"https://user:{token}@cdn.example.com/frame.png"}))
    return places


def _vocabulary() -> str:
    """What kling-lint prints for these files anyway: a token sharing a piece of it proves nothing."""
    shown = []
    for token in ("sk-" + "Q" * 20, "Bearer " + "Q" * 20):
        for fmt, place in (("yaml", _yaml_placements), ("json", _json_placements)):
            # and a finding with a fix: SARIF words its edits ("insertedContent", "deletedRegion")
            fixable = HEAD + "x: 1\nx: 2\nextra_body:\n  cfg: 1\n" if fmt == "yaml" else '{"x": 1, "x": 2, "extra_body": {"cfg": 1}}'
            for text in place(token, "Q") + [fixable]:
                shown.append(text)
                shown.extend(rendered(kling_lint.lint_text(text, filename=f"r.{fmt}"), f"r.{fmt}").values())
    return "\n".join(shown)


def assume_unshown(secret: str, text: str, size: int = 10) -> None:
    """Skip a secret that shares a piece with what is printed anyway, or that the file shows twice."""
    assume(not any(piece in text.replace(secret, "") or piece in VOCABULARY for piece in windows(secret, size)))


# ... and the contract's own words: rule ids and every name the schema holds ("duration").
VOCABULARY = _vocabulary() + "\n" + "\n".join(RULES) + "\n" + json.dumps(kling_lint.Contract().schema)


@given(token=tokens, words=_words, data=st.data())
def test_property_a_token_anywhere_in_a_file_is_found_at_it_and_never_printed(token: str, words: str, data) -> None:
    assume("\t" not in token)  # a tab is no white space for a YAML flow scalar's neighbours; kept simple
    fmt = data.draw(st.sampled_from(["yaml", "json"]))
    texts = _yaml_placements(token, words) if fmt == "yaml" else _json_placements(token, words)
    text = data.draw(st.sampled_from(texts))
    assume_unshown(token, text)
    findings = kling_lint.lint_text(text, filename=f"r.{fmt}")
    assert any(covers(f, at(text, token)) for f in findings if f.rule == RULE), (text, findings)
    assert_never_printed(findings, f"r.{fmt}", token)


def _escaped_json(token: str, escape: list[bool]) -> str:
    return "".join(f"\\u{ord(c):04x}" if e else ("\\/" if c == "/" else c) for c, e in zip(token, escape))


def _escaped_yaml(token: str, escape: list[int], cut: int) -> str:
    forms = [lambda c: c, lambda c: f"\\x{ord(c):02x}", lambda c: f"\\u{ord(c):04X}", lambda c: f"\\U{ord(c):08x}"]
    chars = [(forms[e](c) if c != " " or e else "\\ ") for c, e in zip(token, escape)]
    if 0 < cut < len(chars):
        chars.insert(cut, "\\\n    ")  # an escaped line break: the lines join, the indentation dropped
    return "".join(chars)


@given(token=tokens, data=st.data())
def test_property_a_token_in_any_escape_is_found_and_never_printed(token: str, data) -> None:
    token = token.replace("\t", " ")
    fmt = data.draw(st.sampled_from(["json", "yaml"]))
    if fmt == "json":
        written = _escaped_json(token, data.draw(st.lists(st.booleans(), min_size=len(token), max_size=len(token))))
        text = '{"model": "kling-v3-std-silent", "prompt": "a", "extra_body": {"negative_prompt": "' + written + '", "cfg": 1}}'
    else:
        escape = data.draw(st.lists(st.integers(0, 3), min_size=len(token), max_size=len(token)))
        written = _escaped_yaml(token, escape, data.draw(st.integers(0, len(token))))
        text = HEAD + 'extra_body:\n  negative_prompt: "' + written + '"\n  cfg: 1\n'
    assume_unshown(token, text)
    findings = kling_lint.lint_text(text, filename=f"r.{fmt}")
    assert RULE in {f.rule for f in findings}, (text, findings)
    assert_never_printed(findings, f"r.{fmt}", token, "---" + written.replace("\\\n    ", ""))


_keys = st.text(st.sampled_from(_ALNUM + "-_"), min_size=ENV_ANYWHERE, max_size=60).filter(lambda k: k[0] in _ALNUM)


@given(key=_keys, data=st.data())
def test_property_the_environment_key_anywhere_in_any_escape_is_never_printed(key: str, data) -> None:
    escaped = "".join(f"\\u{ord(c):04x}" if data.draw(st.booleans()) else c for c in key)
    texts = [
        '{"model": "kling-v3-std-silent", "prompt": "a", "' + key + '": 1, "' + key + '": 2}',
        HEAD + f"{key}: 1\n{key}: 2\n",
        HEAD + f"duration: !!int {key}\n",
        HEAD + f'x: "{escaped}"\n',
        json.dumps({**VALID, "prompt": "b " * 30 + key, "x": 1}),
        HEAD + f"# {key}\nx: [\n",
    ]
    text = data.draw(st.sampled_from(texts))
    name = "r.json" if text.startswith("{") else "r.yaml"
    assume(not any(piece in VOCABULARY for piece in windows("---" + key, 8)))  # the file shows it several times
    with environment_key(key):
        findings = kling_lint.lint_text(text, filename=name)
        assert findings
        assert_never_printed(findings, name, "---" + key, size=8)


# Strings that hold a token, or only part of one, among characters repr escapes or quotes.
_pieces = st.one_of(tokens, st.sampled_from(["sk", "sk-", "Bear", "Bearer", "Bearer\n", "'", '"', "\\", "\n", "\x00", "é", "\ud800"]),
                    st.text(max_size=8))
_strings = st.lists(_pieces, max_size=4).map("".join)
_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), _strings),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_strings, inner, max_size=4)),
    max_leaves=12,
)


@given(value=_values)
def test_property_the_quick_look_never_hides_a_token_the_walk_finds(value) -> None:
    from kling_lint.contract import secrets

    found = list(secrets.in_request(value))
    walked = secrets._walk(value)  # the walk alone, without the look first
    assert [(p.path, p.at_key) for p in found] == walked, value


# ---------------------------------------------------------------- a token in a file's name


NAMED = "sk-proj-abcdefghijklmnop1234"  # a key pasted as a file name
FOLDER = "sk-live-qrstuvwxyzabcdef5678"


def test_a_token_in_a_file_or_folder_name_is_masked_in_every_format(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from kling_lint.cli import main

    monkeypatch.chdir(tmp_path)
    bad = '{"model": "kling-v3-std-silent", "prompt": "A red kite over the dunes.", "duration": 99}'
    (tmp_path / f"{NAMED}.json").write_text(bad)
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / "kite.json").write_text(bad)
    (tmp_path / f"broken.{NAMED}.json").write_text("{")
    names = [f"{NAMED}.json", FOLDER, f"broken.{NAMED}.json", f"missing.{NAMED}.json"]
    for fmt in FORMATS:
        result = CliRunner().invoke(main, ["check", "--format", fmt, *names])
        assert result.exit_code == 2, (fmt, result.output)  # the missing file: unreadable
        for secret in (NAMED, FOLDER):
            for piece in windows(secret):
                assert piece not in result.output, (fmt, piece, result.output[:2000])
        if fmt != "statistics":
            for shown in ("sk-****.json", "sk-****/kite.json", "broken.sk-****.json", "missing.sk-****.json"):
                if fmt == "sarif":  # a URI reference: the mask's "*" percent-encoded
                    shown = shown.replace("*", "%2A")
                assert shown in result.output, (fmt, shown, result.output[:2000])
    stdin = CliRunner().invoke(main, ["check", "--stdin-filename", f"{NAMED}.json", "-"], input=bad)
    assert stdin.exit_code == 1 and "sk-****.json:1:" in stdin.output and NAMED[3:] not in stdin.output


def test_the_python_api_masks_a_token_in_a_name() -> None:
    from kling_lint.engine import lint_value

    for findings in (lint_value({"model": "kling-v3-std-silent"}, name=NAMED),
                     kling_lint.lint_text('{"model": "kling-v3-std-silent"}', filename=f"{NAMED}.json"),
                     kling_lint.lint_file(f"/nonexistent/{NAMED}.json")):
        assert findings and {f.file for f in findings} <= {"sk-****", "sk-****.json", "/nonexistent/sk-****.json"}, findings


def test_a_token_in_a_name_is_masked_in_error_messages_and_dry_run_json(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from kling_lint.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / f"{NAMED}.json").write_text(json.dumps(VALID))
    runs = [
        ["check", "--output-file", f"missing/{NAMED}/report.txt", f"{NAMED}.json"],  # cannot write the report
        ["check", "--config", f"missing.{NAMED}.toml", f"{NAMED}.json"],  # cannot read the configuration
        ["dry-run", "--format", "json", f"{NAMED}.json", f"missing.{NAMED}.json"],
    ]
    for args in runs:
        result = CliRunner().invoke(main, args)
        assert result.exit_code != 0 and "sk-****" in result.output, (args, result.output)
        for piece in windows(NAMED):
            assert piece not in result.output, (args, piece, result.output[:2000])


def test_a_fix_is_shown_with_the_environment_key_masked() -> None:
    """A key that is $KLING_API_KEY and a near miss of a known key gets a rename fix, whose
    message names it: JSON and SARIF print that message, masked as every other text."""
    key = "durationx"  # long enough to be masked anywhere, and "duration" misspelt
    text = '{"model": "kling-v3-std-silent", "prompt": "a fox", "' + key + '": 5}'
    with environment_key(key):
        findings = kling_lint.lint_text(text, filename="r.json")
        fixes = [f.fix for f in findings if f.fix is not None]
        assert fixes and key in fixes[0].message  # --fix keeps the real words, to apply them
        shown = rendered(findings, "r.json")
    for fmt in ("json", "sarif"):
        assert "rename" in shown[fmt] and key not in shown[fmt], shown[fmt]
