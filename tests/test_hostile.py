"""Hostile input: every odd, broken or malicious file gives one clear message naming the file.

Whatever a file holds, and whatever a path turns out to be, ``kling-lint check`` reports it,
still checks the other files, exits 1 (a finding) or 2 (a file it could not read), never
prints a traceback, never prints a secret, and never writes, renames or touches what it reads.
Each test runs the CLI in process, as a user would call it.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import stat
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kling_lint import cli
from kling_lint.cli import main
from kling_lint.report import FORMATS

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
VALID = b'{"model": "kling-v3-std-silent", "prompt": "a cat walks in the snow", "duration": 5}'
# Another file with one known finding: it must still be reported whatever the file beside it is.
OTHER = b'{"model": "kling-v3-std-silnt", "prompt": "a cat"}'
OTHER_MESSAGE = 'model "kling-v3-std-silnt" is not a Kling v3 model'


def _importable(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


OUTPUT_FORMATS = [name for name, module in FORMATS.items() if name in cli.FORMAT_NAMES and _importable(module)]


def run(*args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> Result:
    """``kling-lint *args`` in process; an exception escaping the CLI fails the test with it."""
    result = CliRunner().invoke(main, list(args), input=input, env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # the real CLI would have printed a traceback
    assert "Traceback" not in result.output
    return result


def diagnostics(result: Result) -> list[dict]:
    return json.loads(result.stdout)["diagnostics"]


def text_line(result: Result, path: Path | str, message: str) -> str:
    """The line of text output that names ``path`` and holds ``message``."""
    lines = [line for line in result.stdout.splitlines() if line.startswith(f"{path}:") and message in line]
    assert lines, f"no line for {path} with {message!r} in:\n{result.stdout[:3000]}"
    return lines[0]


def expect(path: Path | str, status: int, message: str, rule: str | None = None, *, formats: tuple[str, ...] = ("text", "json"), extra: tuple[str, ...] = ()) -> None:
    """Check ``path`` alone and between two other files, in text and JSON (and ``formats``).

    ``status`` is the exit status of ``path`` alone; ``message`` a part of its finding's message,
    ``rule`` that finding's rule ("unreadable" for a file that could not be read).
    """
    path = str(path)
    alone = run("check", *extra, path)
    assert alone.exit_code == status, alone.output[:3000]
    if status == 0:
        assert "no problems" in alone.stdout
    else:
        text_line(alone, path, message)

    as_json = run("check", "--format", "json", *extra, path)
    assert as_json.exit_code == status
    if status:
        found = [d for d in diagnostics(as_json) if d["file"] == path and message in d["message"]]
        assert found, diagnostics(as_json)
        if rule is not None:
            assert rule in {d["rule"] for d in found}
        assert all(d["line"] >= 1 and d["column"] >= 1 for d in diagnostics(as_json))

    folder = Path(path).parent
    before, after = folder / "aaa-other.json", folder / "zzz-valid.yaml"
    before.write_bytes(OTHER)
    after.write_bytes(b"model: kling-v3-pro-audio\nprompt: a dog\n")
    try:
        mixed = run("check", *extra, str(before), path, str(after))
        assert mixed.exit_code == max(status, 1)
        text_line(mixed, before, OTHER_MESSAGE)
        if status:
            text_line(mixed, path, message)
        mixed_json = run("check", "--format", "json", *extra, str(before), path, str(after))
        checked = json.loads(mixed_json.stdout)["summary"]["files"]
        assert checked == 3  # every file named counts, read or not
        assert any(d["file"] == str(before) and d["rule"] == "model-unknown" for d in diagnostics(mixed_json))
        for output_format in formats:
            if output_format in OUTPUT_FORMATS and output_format not in ("text", "json"):
                other = run("check", "--format", output_format, *extra, str(before), path, str(after))
                assert other.exit_code == max(status, 1)
    finally:
        before.unlink()
        after.unlink()


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ---------------------------------------------------------------- malformed JSON and YAML


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    status: int
    message: str
    rule: str


MALFORMED = [
    Case("unclosed-brace.json", b'{"model": "kling-v3-std-silent", "prompt": "a cat"', 1, "this { is never closed", "syntax"),
    Case("unclosed-bracket.json", b'{"model": "kling-v3-std-silent", "extra_body": {"multi_prompt": [', 1, "this [ is never closed", "syntax"),
    Case("unclosed-string.json", b'{"model": "kling-v3-std-silent', 1, "unterminated string", "syntax"),
    Case("trailing-comma.json", b'{"model": "kling-v3-std-silent", "prompt": "a cat",}', 1, "JSON allows no comma after the last item", "syntax"),
    Case("two-objects.json", b'{"model": "kling-v3-std-silent"} {"prompt": "a"}', 1, "unexpected text after the request", "syntax"),
    Case("comments-only.json", b"// a request will go here\n", 1, "JSON allows no comments", "syntax"),
    Case("unclosed-flow.yaml", b"model: kling-v3-std-silent\nextra_body: {multi_prompt: [a, b\n", 1, "this [ is never closed", "syntax"),
    Case("bad-indentation.yaml", b"model: kling-v3-std-silent\n  prompt: a cat\n", 1, "mapping values are not allowed", "syntax"),
    Case("bad-dedent.yaml", b"extra_body:\n    cfg_scale: 0.5\n  shot_type: customize\n", 1, "did not find expected key", "syntax"),
    Case("tabs.yaml", b"model: kling-v3-std-silent\n\tprompt: a cat\n", 1, "tab", "syntax"),
    Case("lone-document-marker.yaml", b"---\n", 1, "this document is empty", "syntax"),
    Case("list.json", b'[{"model": "kling-v3-std-silent", "prompt": "a cat"}]', 1, "the request must be an object, got a list", "type-mismatch"),
    Case("list.yaml", b"- model: kling-v3-std-silent\n  prompt: a cat\n", 1, "the request must be an object, got a list", "type-mismatch"),
    Case("string.json", b'"a cat walks in the snow"', 1, "the request must be an object, got a string", "type-mismatch"),
    Case("string.yaml", b"a cat walks in the snow\n", 1, "the request must be an object, got a string", "type-mismatch"),
    Case("null.json", b"null", 1, "the request must be an object, got null", "type-mismatch"),
    Case("null.yaml", b"~\n", 1, "the request must be an object, got null", "type-mismatch"),
    Case("number.json", b"5", 1, "the request must be an object, got a number", "type-mismatch"),
    Case("empty.json", b"", 1, "the file holds no request: it is empty", "syntax"),
    Case("empty.yaml", b"", 1, "the file holds no request: it is empty", "syntax"),
    Case("empty.jsonl", b"", 1, "the file holds no request", "syntax"),
    Case("comments-only.yaml", b"# model: kling-v3-std-silent\n# prompt: a cat\n", 1, "the file holds no request: it is empty or only comments", "syntax"),
    Case("white-space.json", b"  \n\t\r\n  \n", 1, "the file holds no request: it is empty or only white space", "syntax"),
    Case("white-space.yaml", b"   \n\n  \n", 1, "the file holds no request", "syntax"),
    Case("white-space.jsonl", b"\n  \n\n", 1, "the file holds no request", "syntax"),
    Case("bad-line.jsonl", b'{"model": "kling-v3-std-silent", "prompt": "a"}\n{"model": \n', 1, "this { is never closed: the line ends", "syntax"),
]


@pytest.mark.parametrize("case", MALFORMED, ids=[case.name for case in MALFORMED])
def test_malformed_files_and_top_levels_that_are_not_objects(tmp_path: Path, case: Case) -> None:
    expect(write(tmp_path, case.name, case.data), case.status, case.message, case.rule, formats=tuple(OUTPUT_FORMATS))


def test_a_bad_jsonl_line_leaves_the_other_lines_checked(tmp_path: Path) -> None:
    path = write(tmp_path, "batch.jsonl", b'{"model": "kling-v3-std-silent", "prompt": "a"}\n{"model": \n{"model": 5, "prompt": "b"}\n')
    result = run("check", "--format", "json", str(path))
    assert result.exit_code == 1
    assert {(d["line"], d["rule"]) for d in diagnostics(result)} == {(2, "syntax"), (3, "type-mismatch")}


# ---------------------------------------------------------------- bytes


ENCODINGS = [
    Case("latin-1.json", '{"model": "kling-v3-std-silent", "prompt": "crème brûlée"}'.encode("latin-1"), 1, "not valid UTF-8 (byte 0xe8)", "syntax"),
    Case("latin-1.yaml", "model: kling-v3-std-silent\nprompt: crème brûlée\n".encode("latin-1"), 1, "not valid UTF-8", "syntax"),
    Case("truncated-utf8.json", b'{"model": "kling-v3-std-silent", "prompt": "caf\xc3', 1, "not valid UTF-8", "syntax"),
    Case("utf-16.json", '{"model": "kling-v3-std-silent", "prompt": "a cat"}'.encode("utf-16"), 1, "UTF-16", "syntax"),
    Case("utf-16-be.yaml", b"\xfe\xff" + "model: kling-v3-std-silent\n".encode("utf-16-be"), 1, "UTF-16", "syntax"),
    Case("utf-16-no-bom.json", '{"model": "kling-v3-std-silent"}'.encode("utf-16-le"), 1, "NUL byte", "syntax"),
    Case("utf-32.json", '{"model": "kling-v3-std-silent"}'.encode("utf-32"), 1, "UTF-16 or UTF-32", "syntax"),
    Case("nul.json", b'{"model": "kling-v3-std-silent",\x00 "prompt": "a cat"}', 1, "NUL byte", "syntax"),
    Case("nul.yaml", b"model: kling-v3-std-silent\nprompt: a\x00cat\n", 1, "NUL byte", "syntax"),
    Case("image.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)), 1, "UTF-8", "syntax"),
    Case("archive.yaml", b"PK\x03\x04\x14\x00\x08\x08\x08\x00\xb7\x8aVW" + bytes(range(255, 0, -1)), 1, "UTF-8", "syntax"),
    Case("control-character.yaml", b"model: kling-v3-std-silent\nprompt: \"a\x01cat\"\n", 1, "control characters are not allowed", "syntax"),
    Case("control-character.json", b'{"model": "kling-v3-std-silent", "prompt": "a\x01cat"}', 1, "invalid control character", "syntax"),
    Case("bom.json", b"\xef\xbb\xbf" + VALID, 0, "", ""),
    Case("bom.yaml", b"\xef\xbb\xbfmodel: kling-v3-std-silent\nprompt: a cat\n", 0, "", ""),
    Case("bom.jsonl", b"\xef\xbb\xbf" + VALID + b"\n" + VALID + b"\n", 0, "", ""),
]


@pytest.mark.parametrize("case", ENCODINGS, ids=[case.name for case in ENCODINGS])
def test_bytes_that_are_not_a_utf8_request(tmp_path: Path, case: Case) -> None:
    expect(write(tmp_path, case.name, case.data), case.status, case.message, case.rule, formats=tuple(OUTPUT_FORMATS))


def test_a_bom_does_not_shift_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.json", b'\xef\xbb\xbf{"model": 5, "prompt": "a cat"}')
    (finding,) = diagnostics(run("check", "--format", "json", str(path)))
    assert (finding["line"], finding["column"], finding["rule"]) == (1, 11, "type-mismatch")


def test_a_lone_surrogate_escape_is_shown_as_its_escape(tmp_path: Path) -> None:
    # Valid JSON, but no UTF-8 stream can print the character itself.
    path = write(tmp_path, "surrogate.json", b'{"model": "kling-v3-std-silent\\ud800", "\\udfff": 1, "prompt": "a"}')
    for output_format in OUTPUT_FORMATS:
        result = run("check", "--format", output_format, str(path))
        assert result.exit_code == 1
    assert "\\ud800" in text_line(run("check", str(path)), path, "is not a Kling v3 model")
    assert "\"\\udfff\" is not a known key" in run("check", str(path)).stdout


def test_unusual_line_breaks_do_not_shift_positions(tmp_path: Path) -> None:
    # YAML also breaks lines at a lone CR, NEL and U+2028; positions count "\n" only, as the
    # snippet does, so that the line and column shown match the line printed.
    for name, data in [
        ("cr.yaml", b"model: kling-v3-std-silent\rprompt: a\rduration: 99\n"),
        ("u2028.yaml", "model: kling-v3-std-silent\u2028prompt: a\u2028duration: 99\n".encode("utf-8")),
    ]:
        path = write(tmp_path, name, data)
        (finding,) = diagnostics(run("check", "--format", "json", str(path)))
        assert (finding["rule"], finding["line"], finding["column"]) == ("duration-range", 1, 48)


def test_a_jsonl_string_may_hold_u2028(tmp_path: Path) -> None:
    # JSON allows U+2028 and NEL unescaped in a string: they do not end a JSONL line.
    line = '{"model": "kling-v3-std-silent", "prompt": "a\u2028cat\x85"}'
    expect(write(tmp_path, "u2028.jsonl", (line + "\n" + line + "\n").encode("utf-8")), 0, "")


def test_standard_input_with_binary_data(tmp_path: Path) -> None:
    result = run("check", "-", input=b"\x00\x01\x02\xff")
    assert result.exit_code == 1
    assert "<stdin>:1:1: error[syntax] the file contains a NUL byte" in result.stdout


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "requests"
    folder.mkdir()
    os.close(os.open(os.fsencode(folder) + b"/bad-\xff.json", os.O_CREAT | os.O_WRONLY, 0o644))
    for output_format in OUTPUT_FORMATS:
        result = run("check", "--format", output_format, str(folder))
        assert result.exit_code == 1


# ---------------------------------------------------------------- size and shape


def _bytes_read(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[int]:
    """Record the size of every os.read of ``path`` the run makes."""
    sizes: list[int] = []
    real_read = os.read
    inode = path.stat().st_ino

    def counting_read(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        if os.fstat(fd).st_ino == inode:
            sizes.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting_read)
    return sizes


def test_a_file_over_the_default_cap_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(16 * 1024 * 1024 + 1)  # sparse: no 16 MiB written
    sizes = _bytes_read(monkeypatch, path)
    expect(path, 2, "larger than the 16.0 MiB limit (raise it with --max-bytes)", "unreadable")
    assert sum(sizes) == 0


def test_max_bytes_sets_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "request.json", VALID)
    expect(path, 2, f"{len(VALID)} bytes, larger than the 50 bytes limit", "unreadable", extra=("--max-bytes", "50"))
    expect(path, 0, "", extra=("--max-bytes", str(len(VALID))))
    sizes = _bytes_read(monkeypatch, path)
    assert run("check", "--max-bytes", "50", str(path)).exit_code == 2
    assert sum(sizes) == 0


def test_standard_input_over_the_cap_is_not_read_whole() -> None:
    result = run("check", "--max-bytes", "100", "-", input=b"[" + b" " * 10_000 + b"]")
    assert result.exit_code == 2
    assert "larger than the 100 bytes limit" in result.stdout


def test_a_10_mb_single_line_prompt(tmp_path: Path) -> None:
    for name, data in [
        ("long.json", json.dumps({"model": "kling-v3-std-silent", "prompt": "x" * 10_000_000})),
        ("long.yaml", "model: kling-v3-std-silent\nprompt: " + "x" * 10_000_000 + "\n"),
    ]:
        path = write(tmp_path, name, data)
        result = run("check", str(path))
        assert result.exit_code == 1
        text_line(result, path, "prompt has 10000000 characters, more than the 2500 allowed")
        assert len(result.output) < 5_000  # the line is cut around the span, never printed whole
        assert len(run("check", "--format", "json", str(path)).output) < 5_000


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".jsonl"])
@pytest.mark.parametrize("opener", ["[", "{"])
def test_100000_deep_nesting(tmp_path: Path, suffix: str, opener: str) -> None:
    if opener == "[":
        data = "[" * 100_000 + "]" * 100_000
    else:
        data = '{"a": ' * 100_000 + "1" + "}" * 100_000
    expect(write(tmp_path, "deep" + suffix, data), 1, "nested more than 100 levels deep", "syntax")
    never_closed = "[" * 100_000 if opener == "[" else '{"a": ' * 100_000
    expect(write(tmp_path, "open" + suffix, never_closed), 1, "nested more than 100 levels deep", "syntax")


def test_deep_yaml_block_nesting(tmp_path: Path) -> None:
    data = "".join("  " * depth + f"k{depth}:\n" for depth in range(2_000))
    expect(write(tmp_path, "deep.yaml", data), 1, "nested more than 100 levels deep", "syntax")


def _laughs(levels: int = 10, width: int = 10) -> str:
    lines = ['l0: &l0 "lol"']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


BOMBS = {
    "billion-laughs.yaml": _laughs(),
    "billion-laughs-flow.yaml": "{a: &a [x, x, x, x, x, x, x, x, x, x], b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a], "
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b], d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c], "
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d], f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]}\n",
    # few aliases, each repeating a long string: few values, but gigabytes of text once expanded
    "long-string-laughs.yaml": 'model: kling-v3-std-silent\nprompt: &p "' + "x" * 1_000_000 + '"\n'
    "extra_body:\n  multi_prompt: [" + ", ".join(["*p"] * 5_000) + "]\n",
    "keys-laughs.yaml": "a: &a {" + ", ".join(f"k{i}: v" for i in range(2_000)) + "}\n"
    "b: [" + ", ".join(["*a"] * 2_000) + "]\n",
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_a_yaml_alias_bomb_is_refused_quickly_in_little_memory(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, BOMBS[name])
    run("check", str(write(tmp_path, "warm.yaml", b"a: [1]\n")))  # imports done before measuring
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = run("check", str(path))
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.exit_code == 1
    text_line(result, path, "(a 'billion laughs' file?)")
    assert elapsed < 2.0
    assert peak < 50 * 1024 * 1024
    expect(path, 1, "(a 'billion laughs' file?)", "syntax")


TAGS = [
    "!!python/object/apply:os.system [\"touch {sentinel}\"]",
    "!!python/object/new:os.system [\"touch {sentinel}\"]",
    "!!python/name:os.system",
    "!!python/object:__main__.Thing {{a: 1}}",
    "!!binary aGVsbG8=",
    "!!set {{a, b}}",
    "!!omap [a: 1]",
    "!!timestamp 2001-12-14",
    "!custom 5",
    "!<tag:example.com,2000:app/thing> x",
]


@pytest.mark.parametrize("tag", TAGS)
def test_yaml_tags_are_refused_never_constructed(tmp_path: Path, tag: str) -> None:
    sentinel = tmp_path / "constructed"
    value = tag.format(sentinel=sentinel)
    path = write(tmp_path, "tagged.yaml", f"model: kling-v3-std-silent\nprompt: a cat\nextra_body:\n  cfg_scale: {value}\n")
    expect(path, 1, "is not allowed: a request holds plain data", "syntax")
    assert not sentinel.exists()
    top = write(tmp_path, "tagged-top.yaml", f"--- {value}\n")
    expect(top, 1, "is not allowed: a request holds plain data", "syntax")
    assert not sentinel.exists()


def test_standard_tags_that_do_not_fit_their_value(tmp_path: Path) -> None:
    expect(write(tmp_path, "int.yaml", "model: kling-v3-std-silent\nprompt: a\nduration: !!int five\n"), 1, "'five' is not a valid !!int value", "syntax")


def test_anchors_and_aliases_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, "anchors.yaml", "model: &m kling-v3-std-silent\nprompt: &p a cat in the snow\nextra_body:\n  negative_prompt: *p\n")
    expect(path, 0, "")
    expect(write(tmp_path, "undefined.yaml", "model: *m\nprompt: a\n"), 1, "the alias *m names no anchor", "syntax")


def test_a_merge_key_is_not_merged_and_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, "merge.yaml", "base: &base {model: kling-v3-std-silent, prompt: a cat}\n<<: *base\n")
    expect(path, 1, "merge key in YAML 1.1", "yaml11-ambiguous")
    rules = {d["rule"] for d in diagnostics(run("check", "--format", "json", str(path)))}
    assert {"yaml11-ambiguous", "unknown-key"} <= rules
    quoted = write(tmp_path, "quoted.yaml", 'model: kling-v3-std-silent\nprompt: a\n"<<": 1\n')
    assert "yaml11-ambiguous" not in {d["rule"] for d in diagnostics(run("check", "--format", "json", str(quoted)))}


# ---------------------------------------------------------------- values and keys


WRONG_TYPES = [
    ("model-number.json", '{"model": 3, "prompt": "a cat"}', "model must be a string, got a number (3)", "type-mismatch"),
    ("model-number.yaml", "model: 3\nprompt: a cat\n", "model must be a string, got a number (3)", "type-mismatch"),
    ("prompt-object.json", '{"model": "kling-v3-std-silent", "prompt": {"text": "a cat"}}', "prompt must be a string, got an object", "type-mismatch"),
    ("prompt-list.yaml", "model: kling-v3-std-silent\nprompt: [a, cat]\n", "prompt must be a string, got a list", "type-mismatch"),
    ("duration-true.json", '{"model": "kling-v3-std-silent", "prompt": "a", "duration": true}', "duration must be a whole number of seconds, got a boolean (true)", "type-mismatch"),
    ("duration-yes.yaml", "model: kling-v3-std-silent\nprompt: a\nduration: true\n", "got a boolean (true)", "type-mismatch"),
    ("extra-body-list.json", '{"model": "kling-v3-std-silent", "prompt": "a", "extra_body": [1]}', "extra_body must be an object, got a list", "type-mismatch"),
    ("shot-prompt-number.json", '{"model": "kling-v3-std-silent", "extra_body": {"shot_type": "customize", "multi_prompt": [{"prompt": 7}]}}',
     "extra_body.multi_prompt[0].prompt must be a string, got a number (7)", "type-mismatch"),
    ("null-model.json", '{"model": null, "prompt": "a"}', "model must be a string, got null", "type-mismatch"),
    ("nan.json", '{"model": "kling-v3-std-silent", "prompt": "a", "extra_body": {"cfg_scale": NaN}}', "NaN is not valid JSON", "syntax"),
    ("infinity.json", '{"model": "kling-v3-std-silent", "prompt": "a", "duration": Infinity}', "Infinity is not valid JSON", "syntax"),
    ("minus-infinity.json", '{"model": "kling-v3-std-silent", "prompt": "a", "duration": -Infinity}', "-Infinity is not valid JSON", "syntax"),
    ("nan.yaml", "model: kling-v3-std-silent\nprompt: a\nextra_body:\n  cfg_scale: .nan\n", ".nan is NaN, which JSON cannot hold", "syntax"),
    ("infinity.yaml", "model: kling-v3-std-silent\nprompt: a\nduration: .inf\n", ".inf is infinity, which JSON cannot hold", "syntax"),
    ("1e400.json", '{"model": "kling-v3-std-silent", "prompt": "a", "extra_body": {"cfg_scale": 1e400}}', "1e400 is too large a number", "syntax"),
    ("1e400-duration.json", '{"model": "kling-v3-std-silent", "prompt": "a", "duration": -1e400}', "-1e400 is too large a number", "syntax"),
    ("minus-zero.json", '{"model": "kling-v3-std-silent", "prompt": "a", "duration": -0}', "from 3 to 15, got 0", "duration-range"),
    ("minus-zero.yaml", "model: kling-v3-std-silent\nprompt: a\nduration: -0\n", "from 3 to 15, got 0", "duration-range"),
    ("huge-int.json", '{"model": "kling-v3-std-silent", "prompt": "a", "duration": ' + "9" * 5_000 + "}", "the number has too many digits", "syntax"),
    ("huge-int.yaml", "model: kling-v3-std-silent\nprompt: a\nduration: " + "9" * 5_000 + "\n", "the number has too many digits", "syntax"),
    ("huge-hex.yaml", "model: kling-v3-std-silent\nprompt: a\nduration: 0x" + "f" * 5_000 + "\n", "the number has too many digits", "syntax"),
    ("big-int.json", '{"model": "kling-v3-std-silent", "prompt": "a", "duration": ' + "9" * 4_000 + "}", "duration must be a whole number of seconds from 3 to 15", "duration-range"),
]


@pytest.mark.parametrize("name, data, message, rule", WRONG_TYPES, ids=[case[0] for case in WRONG_TYPES])
def test_values_of_the_wrong_type(tmp_path: Path, name: str, data: str, message: str, rule: str) -> None:
    expect(write(tmp_path, name, data), 1, message, rule)


def test_minus_zero_cfg_scale_is_zero(tmp_path: Path) -> None:
    path = write(tmp_path, "minus-zero.json", '{"model": "kling-v3-std-silent", "prompt": "a", "extra_body": {"cfg_scale": -0.0}}')
    expect(path, 0, "")


KEYS = [
    ("int-key.yaml", "model: kling-v3-std-silent\nprompt: a\n1: x\n", "the key 1 is not a string", "type-mismatch"),
    ("list-key.yaml", "model: kling-v3-std-silent\nprompt: a\n? [a]\n: x\n", "the key […] is not a string", "type-mismatch"),
    ("map-key.yaml", "model: kling-v3-std-silent\nprompt: a\n? {a: b}\n: x\n", "the key {…} is not a string", "type-mismatch"),
    ("null-key.yaml", "model: kling-v3-std-silent\nprompt: a\n~: x\n", "the key null is not a string", "type-mismatch"),
    ("bool-key.yaml", "model: kling-v3-std-silent\nprompt: a\ntrue: x\n", "the key true is not a string", "type-mismatch"),
    ("float-key.yaml", "model: kling-v3-std-silent\nprompt: a\n1.5: x\n", "is not a string", "type-mismatch"),
    ("nested-key.yaml", "model: kling-v3-std-silent\nprompt: a\nextra_body:\n  5: customize\n", "the key 5 is not a string", "type-mismatch"),
    ("unicode-key.json", '{"model": "kling-v3-std-silent", "prömpt✨": "a cat"}', "prömpt✨ is not a known key", "unknown-key"),
    ("unicode-key.yaml", "model: kling-v3-std-silent\nprompt: a\n模型: kling\n", "模型 is not a known key", "unknown-key"),
    ("rtl-key.json", '{"model": "kling-v3-std-silent", "prompt": "a", "\u202edeppus": 1}', "is not a known key", "unknown-key"),
    ("empty-key.json", '{"model": "kling-v3-std-silent", "prompt": "a", "": 1}', "is not a known key", "unknown-key"),
    ("duplicate-long-key.yaml", "model: kling-v3-std-silent\nprompt: a\n" + ("? " + "k" * 100_000 + "\n: 1\n") * 2, "appears twice", "duplicate-key"),
    # YAML allows an implicit key of at most 1024 characters: a longer one is a syntax error
    ("long-implicit-key.yaml", "model: kling-v3-std-silent\nprompt: a\n" + "k" * 2_000 + ": 1\n", "could not find expected ':'", "syntax"),
]


@pytest.mark.parametrize("name, data, message, rule", KEYS, ids=[case[0] for case in KEYS])
def test_keys_that_are_not_plain_strings(tmp_path: Path, name: str, data: str, message: str, rule: str) -> None:
    expect(write(tmp_path, name, data), 1, message, rule)


def test_a_very_long_key(tmp_path: Path) -> None:
    for name, data in [
        ("long-key.json", json.dumps({"model": "kling-v3-std-silent", "prompt": "a", "k" * 100_000: 1})),
        ("long-key.yaml", "model: kling-v3-std-silent\nprompt: a\n? " + "k" * 100_000 + "\n: 1\n"),
    ]:
        expect(write(tmp_path, name, data), 1, "is not a known key at the top level", "unknown-key")


def test_a_very_long_key_is_not_printed_whole(tmp_path: Path) -> None:
    path = write(tmp_path, "long-key.json", json.dumps({"model": "kling-v3-std-silent", "prompt": "a", "k" * 100_000: 1}))
    assert len(run("check", str(path)).output) < 5_000


# ---------------------------------------------------------------- paths


def test_a_directory_with_no_request_files(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a request")
    (folder / ".hidden.json").write_bytes(VALID)
    expect(folder, 2, "no request files (*.json, *.jsonl, *.yaml, *.yml) in this directory", "unreadable")


def test_a_missing_file(tmp_path: Path) -> None:
    expect(tmp_path / "missing.json", 2, "no such file or directory", "unreadable")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_an_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.json", VALID)
    path.chmod(0)
    try:
        expect(path, 2, "permission denied", "unreadable")
    finally:
        path.chmod(0o644)


def test_an_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "locked.json", VALID)
    real_open = os.open

    def refusing_open(target, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(target) == str(path):
            raise PermissionError(13, "Permission denied", str(target))
        return real_open(target, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    expect(path, 2, "permission denied", "unreadable")


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "tree" / "locked"
    locked.mkdir(parents=True)
    write(locked, "request.json", VALID)
    write(tmp_path / "tree", "other.json", OTHER)
    real_scandir = os.scandir

    def refusing_scandir(target="."):  # type: ignore[no-untyped-def]
        if os.fspath(target) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(target))
        return real_scandir(target)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    result = run("check", str(tmp_path / "tree"))
    assert result.exit_code == 2
    text_line(result, locked, "permission denied")
    text_line(result, tmp_path / "tree" / "other.json", OTHER_MESSAGE)


def test_a_symlink_loop(tmp_path: Path) -> None:
    os.symlink(tmp_path / "b.json", tmp_path / "a.json")
    os.symlink(tmp_path / "a.json", tmp_path / "b.json")
    expect(tmp_path / "a.json", 2, "too many levels of symbolic links", "unreadable")
    result = run("check", str(tmp_path))  # found by walking the folder too
    assert result.exit_code == 2
    text_line(result, tmp_path / "a.json", "too many levels of symbolic links")
    text_line(result, tmp_path / "b.json", "too many levels of symbolic links")


def test_a_symlinked_folder_loop_is_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "tree"
    folder.mkdir()
    write(folder, "other.json", OTHER)
    os.symlink(folder, folder / "again.json")  # a link to its own folder, with a request's name
    result = run("check", str(folder))
    assert result.exit_code in (1, 2)
    text_line(result, folder / "other.json", OTHER_MESSAGE)


def _opened_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    opened: list[str] = []
    real_open = os.open

    def recording_open(target, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(os.fspath(target))
        return real_open(target, *args, **kwargs)

    monkeypatch.setattr(os, "open", recording_open)
    return opened


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    opened = _opened_paths(monkeypatch)
    expect(fifo, 2, "not a regular file (a FIFO, socket or device is not read)", "unreadable")
    result = run("check", str(tmp_path))
    assert result.exit_code == 2
    text_line(result, fifo, "not a regular file")
    assert str(fifo) not in opened


def test_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.json"
    os.symlink("/dev/zero", link)
    expect(link, 2, "not a regular file", "unreadable")


def test_a_file_that_disappears_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kling_lint import api

    path = write(tmp_path, "gone.json", VALID)
    write(tmp_path, "other.json", OTHER)
    real_read = api.read

    def read_after_delete(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        if source.path == str(path) and path.exists():
            path.unlink()
        return real_read(source, *args, **kwargs)

    monkeypatch.setattr(api, "read", read_after_delete)
    result = run("check", str(tmp_path))
    assert result.exit_code == 2
    text_line(result, path, "no such file or directory")
    text_line(result, tmp_path / "other.json", OTHER_MESSAGE)


def test_a_file_that_grows_past_the_cap_while_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "growing.json", VALID)
    real_read = os.read
    grown: list[bool] = []

    def read_while_growing(fd: int, n: int) -> bytes:
        if not grown and os.fstat(fd).st_ino == path.stat().st_ino:
            grown.append(True)
            with open(path, "ab") as handle:
                handle.write(b" " * 1_000)
        return real_read(fd, n)

    monkeypatch.setattr(os, "read", read_while_growing)
    result = run("check", "--max-bytes", "500", str(path))
    assert grown
    assert result.exit_code == 2
    text_line(result, path, "larger than the 500 bytes limit")


def test_a_file_replaced_by_a_fifo_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kling_lint import api

    path = write(tmp_path, "swapped.json", VALID)
    real_read = api.read

    def read_after_swap(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        if source.path == str(path) and path.is_file():
            path.unlink()
            os.mkfifo(path)
        return real_read(source, *args, **kwargs)

    monkeypatch.setattr(api, "read", read_after_swap)
    result = run("check", str(path))
    assert result.exit_code == 2
    text_line(result, path, "not a regular file")


def test_a_file_that_changes_between_reads_keeps_its_first_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The file is read once; rewriting it after that read changes nothing in the report.
    from kling_lint import api

    path = write(tmp_path, "changing.json", OTHER)
    real_read = api.read

    def read_then_rewrite(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        data = real_read(source, *args, **kwargs)
        path.write_bytes(b"{")
        return data

    monkeypatch.setattr(api, "read", read_then_rewrite)
    result = run("check", str(path))
    assert result.exit_code == 1
    line = text_line(result, path, OTHER_MESSAGE)
    assert line.startswith(f"{path}:1:11:")


# ---------------------------------------------------------------- secrets


TOKEN = "sk-proj-" + "Zx81QmT4vLr2Nc7Wp0Ks9Hd3" * 3
BEARER = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJrbGluZyJ9.c2lnbmF0dXJl"
SECRET_FILES = {
    "prompt.json": json.dumps({"model": "kling-v3-std-silent", "prompt": f"a cat {TOKEN}"}),
    "nested.yaml": f"model: kling-v3-std-silent\nprompt: a cat\nextra_body:\n  element_list:\n    - element_id: \"{BEARER}\"\n",
    "key.json": json.dumps({"model": "kling-v3-std-silent", "prompt": "a", TOKEN: 1}),
    "comment.yaml": f"model: kling-v3-std-silent  # {TOKEN}\nprompt: [a\n",
    "syntax.json": '{"model": "kling-v3-std-silent", "api_key": "' + TOKEN + '" "prompt": "a"}',
    "long-line.json": json.dumps({"model": "kling-v3-std-silent", "prompt": "a " * 80, "api_key": TOKEN * 3, "bogus": 1}),
    "jsonl.jsonl": json.dumps({"model": "kling-v3-std-silent", "prompt": "a"}) + "\n" + json.dumps({"authorization": BEARER}) + "\n",
    "image.json": json.dumps({"model": "kling-v3-std-silent", "prompt": "a", "image": TOKEN}),
}


@pytest.mark.parametrize("output_format", OUTPUT_FORMATS)
def test_a_token_is_flagged_and_never_printed(tmp_path: Path, output_format: str) -> None:
    for name, data in SECRET_FILES.items():
        write(tmp_path, name, data)
    result = run("check", "--format", output_format, str(tmp_path))
    assert result.exit_code == 1
    for secret in (TOKEN, BEARER, TOKEN[3:20], TOKEN[-20:], BEARER[7:27], BEARER[-20:]):
        assert secret not in result.output
    if output_format == "json":
        flagged = {Path(d["file"]).name for d in diagnostics(result) if d["rule"] == "secret-in-request"}
        # everywhere in the text: a value, a comment, a key, a file that cannot be read as a request
        assert flagged == set(SECRET_FILES)


def test_the_token_in_the_environment_is_never_printed(tmp_path: Path) -> None:
    key = "kl-live-5f1d0c9a7e3b48d2a61c"  # not shaped like sk-…: only the environment says it is secret
    (tmp_path / "tree").mkdir()
    write(tmp_path / "tree", "prompt.json", json.dumps({"model": "kling-v3-std-silent", "prompt": key, key: key}))
    write(tmp_path / "tree", "syntax.yaml", f"model: kling-v3-std-silent\nprompt: {key} [\n  - x: ]\n")
    write(tmp_path / "tree", "long.json", json.dumps({"model": "kling-v3-std-silent", "prompt": "b " * 100 + key + " c" * 100, "x": 1}))
    env = {"KLING_API_KEY": key}
    commands = [["check", "--format", name, str(tmp_path / "tree")] for name in OUTPUT_FORMATS]
    commands += [["--help"], ["--version"], ["check", "--help"], ["rules"], ["rules", "secret-in-request"]]
    for command in commands:
        result = run(*command, env=env)
        assert key not in result.output, command
        assert key[:12] not in result.output, command
        assert key[-12:] not in result.output, command


# ---------------------------------------------------------------- nothing read is ever touched


def _snapshot(root: Path) -> dict[str, tuple]:
    """For every path under root (links not followed): its stat and, for a regular file, its hash."""
    state: dict[str, tuple] = {}
    for folder, subfolders, names in os.walk(root):
        for name in [".", *subfolders, *names]:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            digest = None
            if stat.S_ISREG(info.st_mode) and info.st_mode & stat.S_IRUSR:
                with open(path, "rb") as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
            state[path] = (info.st_mtime_ns, info.st_size, info.st_mode, info.st_ino, info.st_nlink, digest)
    return state


def test_no_file_read_is_ever_written_renamed_or_touched(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "examples").mkdir(parents=True)
    for example in sorted(EXAMPLES.rglob("*")) if EXAMPLES.is_dir() else []:
        if example.is_file() and not example.name.startswith("."):
            target = tree / "examples" / example.relative_to(EXAMPLES)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(example.read_bytes())
    hostile = tree / "hostile"
    hostile.mkdir()
    write(hostile, "valid.json", VALID)
    write(hostile, "read-only.yaml", "model: kling-v3-std-silent\nprompt: a cat\n").chmod(0o444)
    write(hostile, "bom.json", b"\xef\xbb\xbf" + VALID)
    write(hostile, "binary.json", bytes(range(256)) * 4)
    write(hostile, "latin-1.yaml", "prompt: crème\n".encode("latin-1"))
    write(hostile, "bomb.yaml", _laughs())
    write(hostile, "deep.json", "[" * 100_000)
    write(hostile, "tag.yaml", "model: !!python/object/apply:os.system [\"echo\"]\n")
    write(hostile, "secret.json", SECRET_FILES["prompt.json"])
    write(hostile, "batch.jsonl", VALID + b"\n{\n" + OTHER + b"\n")
    write(hostile, "empty.yml", b"")
    os.symlink(hostile / "valid.json", hostile / "link.json")
    os.symlink(hostile / "loop-b.json", hostile / "loop-a.json")
    os.symlink(hostile / "loop-a.json", hostile / "loop-b.json")
    os.symlink(tree, hostile / "parent.json")
    os.mkfifo(hostile / "pipe.json")
    old = os.umask(0)
    try:
        write(hostile, "world-writable.json", OTHER).chmod(0o666)
    finally:
        os.umask(old)
    os.utime(hostile / "valid.json", ns=(1_000_000_000, 1_000_000_000))  # an old mtime, so a touch would show

    before = _snapshot(tree)
    arguments = [str(tree), str(hostile / "valid.json"), str(hostile / "link.json"), str(hostile / "pipe.json")]
    for output_format in OUTPUT_FORMATS:
        result = run("check", "--format", output_format, *arguments)
        assert result.exit_code == 2
        result = run("check", "--format", output_format, "--strict", "--max-bytes", "300", *arguments)
        assert result.exit_code == 2
    assert _snapshot(tree) == before
