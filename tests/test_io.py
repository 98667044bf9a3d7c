"""Input and output of ``check``: streams that are closed, full or leave early, encodings that
cannot show a character, files named twice, the findings cap, and the options that say where
the report goes and what it holds (issues 13, 16 and 19).

Whole processes where the case is about the process's own streams; the CLI in process otherwise.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import kling_lint
from kling_lint import api, engine
from kling_lint.cli import main
from kling_lint.load.text import LineIndex

VALID = b'{"model": "kling-v3-std-silent", "prompt": "a cat walks in the snow", "duration": 5}\n'
ERROR = b'{"model": "kling-v3-std-silnt", "prompt": "a cat"}\n'
ERROR_MESSAGE = 'model "kling-v3-std-silnt" is not a Kling v3 model'
# One warning (aspect-ratio-ignored) and no error.
WARNING = b'{"model": "kling-v3-std-silent", "prompt": "a cat", "image": "https://example.com/a.png", "aspect_ratio": "1:1"}\n'


def cli(*args: str, input: bytes | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def process(*args: str, shell_redirect: str = "", env: dict[str, str] | None = None, **options: object) -> subprocess.CompletedProcess[str]:
    """``kling-lint *args`` as its own process; ``shell_redirect`` is applied by sh (``>&-``, ``<&-``)."""
    command = ["sh", "-c", f'exec "$@" {shell_redirect}', "sh", sys.executable, "-m", "kling_lint", *args]
    options.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run(command, capture_output="stdout" not in options, text=True, timeout=120,
                          env={**os.environ, **(env or {})}, **options)  # type: ignore[call-overload]


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


# ---------------------------------------------------------------- 19.1: the report cannot be written


def test_standard_output_closed_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, "ok.json", VALID)
    for args in (["check", str(path)], ["check", "--format", "json", str(path)]):
        done = process(*args, shell_redirect=">&-")
        assert done.returncode == 2
        assert one_line(done.stderr) == "kling-lint: cannot write the report: standard output is closed"


def test_with_standard_output_closed_an_output_file_still_gets_the_report(tmp_path: Path) -> None:
    path = write(tmp_path, "ok.json", VALID)
    target = tmp_path / "report.txt"
    done = process("check", "--output-file", str(target), str(path), shell_redirect=">&-")
    assert (done.returncode, done.stderr) == (0, "")
    assert target.read_text("utf-8") == "no problems in 1 file\n"
    both_closed = process("check", str(path), shell_redirect=">&- 2>&-", stdout=subprocess.DEVNULL)
    assert both_closed.returncode == 2  # nowhere to say why: the status says it


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_a_full_disk_is_one_line_and_exit_2(tmp_path: Path, output_format: str) -> None:
    path = write(tmp_path, "bad.json", ERROR)
    with open("/dev/full", "w") as full:
        done = process("check", "--format", output_format, str(path), stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2
    assert one_line(done.stderr) == "kling-lint: cannot write the report: standard output: no space left on device"


def _leave_after_one_line(*args: str) -> tuple[int, str]:
    """Run kling-lint, read one line of its output and close the pipe, as ``| head -1`` does."""
    with subprocess.Popen([sys.executable, "-m", "kling_lint", *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL) as child:
        assert child.stdout is not None and child.stderr is not None
        child.stdout.readline()
        child.stdout.close()
        errors = child.stderr.read().decode()
        return child.wait(timeout=120), errors


@pytest.mark.parametrize("data, extra, status", [(WARNING, (), 0), (WARNING, ("--strict",), 1), (ERROR, (), 1), (VALID, (), 0)])
def test_a_reader_that_leaves_early_gets_the_status_the_run_would_have_had(tmp_path: Path, data: bytes, extra: tuple[str, ...], status: int) -> None:
    # Enough output to fill the pipe, so that writing after the reader left does fail.
    paths = [str(write(tmp_path, f"r{number:03}.json", data)) for number in range(400)]
    code, errors = _leave_after_one_line("check", "--jobs", "1", *extra, *paths)
    assert code == status
    assert errors == ""


def test_an_output_file_that_cannot_be_written_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, "ok.json", VALID)
    target = tmp_path / "no-such-folder" / "report.json"
    result = cli("check", "--output-file", str(target), str(path))
    assert result.exit_code == 2
    assert one_line(result.stderr) == f"kling-lint: cannot write the report: {target}: no such file or directory"
    assert result.stdout == ""


# ---------------------------------------------------------------- 19.2: standard input closed


def test_closed_standard_input_is_unreadable_and_the_other_files_are_checked(tmp_path: Path) -> None:
    first, last = write(tmp_path, "a.json", ERROR), write(tmp_path, "b.json", WARNING)
    done = process("check", str(first), "-", str(last), shell_redirect="<&-")
    assert done.returncode == 2
    assert "<stdin>:1:1: error[unreadable] standard input is closed" in done.stdout
    assert f"{first}:1:11: error[model-unknown]" in done.stdout
    assert f"{last}:1:" in done.stdout and "warning[aspect-ratio-ignored]" in done.stdout
    assert done.stdout.endswith("2 errors, 1 warning in 3 files\n1 more with --fix --unsafe-fixes\n")  # the fix line after the summary
    assert done.stderr == ""


# ---------------------------------------------------------------- 19.3: an encoding that cannot show a character


def test_characters_the_output_encoding_cannot_show_are_escaped_and_no_file_is_lost(tmp_path: Path) -> None:
    cat = write(tmp_path, "cat.json", '{"model": "kling-v3-std-silent", "prompt": "x", "猫": 1, "🐈": 2}\n'.encode())
    later = write(tmp_path, "later.json", ERROR)
    latin = {"PYTHONIOENCODING": "latin-1"}
    text = process("check", str(cat), str(later), env=latin)
    assert text.returncode == 1 and text.stderr == ""
    assert "\\u732b is not a known key" in text.stdout and "\\U0001f408 is not a known key" in text.stdout
    assert ERROR_MESSAGE in text.stdout
    assert text.stdout.endswith("3 errors, 0 warnings in 2 files\n1 more with --fix --unsafe-fixes\n")
    for output_format in ("json", "sarif"):
        as_json = process("check", "--format", output_format, str(cat), str(later), env=latin)
        assert as_json.returncode == 1 and as_json.stderr == ""
        assert as_json.stdout.isascii()
        document = json.loads(as_json.stdout)  # escapes a JSON reader decodes to the characters
        shown = json.dumps(document, ensure_ascii=False)
        assert "猫 is not a known key at the top level" in shown and "🐈 is not a known key at the top level" in shown


# ---------------------------------------------------------------- 19.12: findings capped, cost bounded


def _many(count: int) -> bytes:
    """A request whose element_list has ``count`` bad entries: one finding each."""
    return json.dumps({"model": "kling-v3-std-silent", "prompt": "x", "extra_body": {"element_list": [1] * count}}).encode()


def test_findings_are_capped_and_the_last_one_says_how_many_more(tmp_path: Path) -> None:
    path = write(tmp_path, "many.json", _many(12))
    result = cli("check", "--format", "json", "--max-findings", "5", str(path))
    assert result.exit_code == 1
    found = json.loads(result.stdout)["diagnostics"]
    assert [d["rule"] for d in found] == ["element-list"] * 5 + ["too-many-findings"]
    # 13 findings: the list's size, then each of its 12 entries
    assert [d["json_path"] for d in found[:5]] == ["$.extra_body.element_list"] + [f"$.extra_body.element_list[{n}]" for n in range(4)]
    last = found[-1]
    assert last["message"] == "8 more findings in this file are not shown (8 errors, 0 warnings)"
    assert last["severity"] == "error" and last["hint"] == "fix the 5 shown first, or raise --max-findings"
    assert (last["line"], last["column"]) == (found[4]["line"], found[4]["column"] + 3)  # at the first left out: entry [4]
    assert json.loads(result.stdout)["summary"]["errors"] == 6
    assert len(json.loads(cli("check", "--format", "json", str(path)).stdout)["diagnostics"]) == 13  # under the default cap


def test_a_cap_over_warnings_only_is_a_warning(tmp_path: Path) -> None:
    lines = b"".join([WARNING] * 4)
    path = write(tmp_path, "batch.jsonl", lines)
    result = cli("check", "--max-findings", "1", str(path))
    assert result.exit_code == 0
    assert "warning[too-many-findings] 3 more findings in this file are not shown (0 errors, 3 warnings)" in result.stdout


def test_the_default_cap_is_documented_and_bounds_a_huge_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert f"default: {engine.DEFAULT_MAX_FINDINGS}" in cli("check", "--help").stdout
    placed = []
    original = engine._place
    monkeypatch.setattr(engine, "_place", lambda *args: placed.append(1) or original(*args))
    count = 30_000
    started = time.perf_counter()
    findings = kling_lint.lint_text(_many(count), "big.json")
    assert time.perf_counter() - started < 60  # generous: a shared CI machine; it takes about a second
    assert len(findings) == engine.DEFAULT_MAX_FINDINGS + 1
    assert len(placed) == engine.DEFAULT_MAX_FINDINGS + 1  # the others are counted, never placed
    more = count + 1 - engine.DEFAULT_MAX_FINDINGS  # a finding for each entry, and one for the list's size
    assert findings[-1].message == f"{more:,} more findings in this file are not shown ({more:,} errors, 0 warnings)"


def test_sixteen_megabytes_of_newlines_cost_little(tmp_path: Path) -> None:
    import tracemalloc

    data = b"\n" * (16 * 1024 * 1024 - 1)
    tracemalloc.start()
    try:
        started = time.perf_counter()
        findings = kling_lint.lint_text(data, "blank.json")
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(f.rule, f.line) for f in findings] == [("syntax", len(data) + 1)]
    assert "empty or only white space" in findings[0].message
    assert elapsed < 30  # generous: about half a second
    assert peak < 4 * len(data)  # the bytes and the text; no offset a line (that was 40 times the input)


@pytest.mark.parametrize("block", [1, 3, 4096])
def test_line_index_places_every_offset_as_counting_would(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    from kling_lint.load import text as text_module

    monkeypatch.setattr(text_module, "_BLOCK", block)
    generator = random.Random(block)
    for _ in range(300):
        text = "".join(generator.choice("ab\n\r") for _ in range(generator.randrange(40)))
        index = LineIndex(text)
        for offset in range(len(text) + 1):
            before = text[:offset]
            assert index.position(offset) == (before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)
        lines = text.split("\n")
        for line in range(len(lines) + 2):
            wanted = lines[line - 1].rstrip("\r") if 1 <= line <= len(lines) else ""
            assert index.line_text(line) == wanted


def test_the_cap_reaches_worker_processes(tmp_path: Path) -> None:
    paths = [str(write(tmp_path, f"r{number:03}.json", _many(3))) for number in range(260)]
    results = list(api.lint_paths(paths, jobs=2, max_findings=1))
    assert len(results) == 260
    assert all([f.rule for f in result.findings] == ["element-list", "too-many-findings"] for result in results)


# ---------------------------------------------------------------- 13.9: each file once, every file counted


def test_every_named_file_is_counted_read_or_not(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.truncate(17 * 1024 * 1024)
    for path, message in [(huge, "larger than the 16.0 MiB limit"), (tmp_path / "missing.json", "no such file or directory")]:
        text = cli("check", str(path))
        assert text.exit_code == 2
        assert message in text.stdout
        assert text.stdout.endswith("1 error, 0 warnings in 1 file\n")
        as_json = json.loads(cli("check", "--format", "json", str(path)).stdout)
        assert as_json["summary"] == {"files": 1, "errors": 1, "warnings": 0}


def _checked(*args: str) -> list[str]:
    result = cli("check", "--format", "json", *args)
    return [d["file"] for d in json.loads(result.stdout)["diagnostics"] if d["rule"] == "model-unknown"]


def test_a_file_named_twice_or_also_reached_through_its_folder_is_checked_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "requests/a.json", ERROR)
    write(tmp_path, "requests/sub/b.json", ERROR)
    assert _checked("requests/a.json", "requests/a.json", "./requests/a.json", str(tmp_path / "requests" / "a.json"),
                    f"../{tmp_path.name}/requests/a.json", "requests//sub/../a.json") == ["requests/a.json"]
    assert _checked("requests/a.json", "requests") == ["requests/a.json", "requests/sub/b.json"]
    assert _checked("requests", "requests/a.json", "requests/sub/b.json") == ["requests/a.json", "requests/sub/b.json"]
    assert _checked("requests/sub", "requests") == ["requests/sub/b.json", "requests/a.json"]
    assert _checked("requests", "requests/sub", "requests/", ".") == ["requests/a.json", "requests/sub/b.json"]
    summary = json.loads(cli("check", "--format", "json", "requests/sub", "requests").stdout)["summary"]
    assert summary == {"files": 2, "errors": 2, "warnings": 0}


def test_what_a_folder_walk_leaves_out_is_still_checked_when_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "requests/a.json", ERROR)
    write(tmp_path, "requests/.hidden/h.json", ERROR)
    write(tmp_path, "requests/notes.txt", ERROR)
    os.symlink(tmp_path / "requests" / ".hidden", tmp_path / "requests" / "linked")
    assert _checked("requests", "requests/.hidden") == ["requests/a.json", "requests/.hidden/h.json"]
    assert _checked("requests", "requests/notes.txt") == ["requests/a.json", "requests/notes.txt"]
    assert _checked("requests", "requests/linked") == ["requests/a.json", "requests/linked/h.json"]
    assert _checked("requests", "requests/linked/h.json") == ["requests/a.json", "requests/linked/h.json"]


def test_standard_input_named_twice_is_refused_unread() -> None:
    result = cli("check", "-", "-", input=VALID)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert one_line(result.stderr) == 'kling-lint: standard input can be read only once: name "-" once'
    assert [r.name for r in api.lint_paths(["-", "-"])] == ["<stdin>"]  # from Python: first mention wins


# ---------------------------------------------------------------- 13.10 and 13.19: the Python API


def test_lint_file_on_a_folder_says_it_is_one_and_names_lint_paths(tmp_path: Path) -> None:
    [finding] = kling_lint.lint_file(str(tmp_path))
    assert finding.rule == "unreadable"
    assert finding.message.startswith("a folder, not a file")
    assert "kling_lint.lint_paths" in finding.message


def test_dir_lists_the_public_api_without_importing_it() -> None:
    code = ("import sys, kling_lint\nnames = dir(kling_lint)\n"
            "print(all(n in names for n in kling_lint.__all__), 'kling_lint.api' in sys.modules, 'kling_lint.findings' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False", "False"]
    assert set(kling_lint.__all__) <= set(dir(kling_lint))


# ---------------------------------------------------------------- 16.5: output and input options


def test_quiet_prints_the_findings_without_the_summary(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", ERROR)
    loud, quiet = cli("check", str(path)), cli("check", "--quiet", str(path))
    assert quiet.exit_code == loud.exit_code == 1
    assert loud.stdout == quiet.stdout + "1 error, 0 warnings in 1 file\n1 more with --fix --unsafe-fixes\n"
    assert cli("check", "-q", str(write(tmp_path, "ok.json", VALID))).stdout == ""
    github = cli("check", "--quiet", "--format", "github", str(path)).stdout
    assert github.startswith("::error ") and len(github.splitlines()) == 1


def test_statistics_count_each_rule_most_first(tmp_path: Path) -> None:
    paths = [str(write(tmp_path, "many.json", _many(3))), str(write(tmp_path, "warn.json", WARNING)),
             str(write(tmp_path, "bad.json", ERROR)), str(write(tmp_path, "bad2.json", ERROR))]
    result = cli("check", "--statistics", *paths)
    assert result.exit_code == 1
    assert result.stdout == ("3  error    element-list\n2  error    model-unknown\n1  warning  aspect-ratio-ignored\n"
                             "5 errors, 1 warning in 4 files\n")
    assert cli("check", "--statistics", "--quiet", *paths).stdout.count("\n") == 3
    as_json = json.loads(cli("check", "--statistics", "--format", "json", *paths).stdout)
    assert as_json["statistics"][0] == {"rule": "element-list", "severity": "error", "count": 3}
    assert as_json["summary"] == {"files": 4, "errors": 5, "warnings": 1}
    refused = cli("check", "--statistics", "--format", "sarif", *paths)
    assert refused.exit_code == 2 and "--statistics prints text or json, not sarif" in refused.stderr


def test_output_file_gets_the_whole_report_and_standard_output_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", ERROR)
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    target.write_text("previous")
    result = cli("check", "--format", "json", "--output-file", str(target), str(path))
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(target.read_text("utf-8"))["diagnostics"][0]["message"] == ERROR_MESSAGE
    assert sorted(os.listdir(target.parent)) == ["report.json"]  # no temporary file left


def test_output_file_is_not_written_when_the_run_is_interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "bad.json", ERROR)
    target = write(tmp_path, "report.txt", b"previous")

    def interrupted(*args: object, **kwargs: object) -> object:
        yield api.FileResult(str(path), [])
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "lint_paths", interrupted)
    result = cli("check", "--output-file", str(target), str(path))
    assert result.exit_code == 130
    assert target.read_bytes() == b"previous"
    assert sorted(os.listdir(tmp_path)) == ["bad.json", "report.txt"]


def test_output_file_never_overwrites_a_file_it_checks(tmp_path: Path) -> None:
    path = write(tmp_path, "requests/bad.json", ERROR)
    for args in ([str(path)], [str(tmp_path / "requests")]):
        result = cli("check", "--output-file", str(path), *args)
        assert result.exit_code == 2
        assert one_line(result.stderr).endswith("is one of the files checked; kling-lint never writes a file it checks")
        assert path.read_bytes() == ERROR


def test_stdin_filename_names_standard_input_and_sets_its_format() -> None:
    named = cli("check", "--stdin-filename", "requests/teaser.json", "-", input=ERROR)
    assert named.exit_code == 1
    assert f"requests/teaser.json:1:11: error[model-unknown] {ERROR_MESSAGE}" in named.stdout
    batch = cli("check", "--format", "json", "--stdin-filename", "batch.jsonl", "-", input=VALID + ERROR + WARNING)
    found = json.loads(batch.stdout)["diagnostics"]
    assert [(d["file"], d["line"], d["rule"]) for d in found] == [("batch.jsonl", 2, "model-unknown"), ("batch.jsonl", 3, "aspect-ratio-ignored")]
    as_yaml = cli("check", "--stdin-filename", "r.yaml", "-", input=b"model: kling-v3-std-silent\nprompt: a cat\naspect_ratio: 4:3\n")
    assert "r.yaml:3:15: error[aspect-ratio-unknown]" in as_yaml.stdout


def test_exit_zero_exits_0_with_findings_and_2_when_a_file_cannot_be_read(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", ERROR)
    result = cli("check", "--exit-zero", str(path))
    assert result.exit_code == 0 and ERROR_MESSAGE in result.stdout
    assert cli("check", "--exit-zero", "--strict", str(write(tmp_path, "warn.json", WARNING))).exit_code == 0
    assert cli("check", "--exit-zero", str(tmp_path / "missing.json")).exit_code == 2


def test_short_version_option() -> None:
    assert cli("-V").stdout == cli("--version").stdout == f"kling-lint, version {kling_lint.__version__}\n"


def test_json_diagnostics_carry_the_end_of_the_span(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", ERROR)
    [found] = json.loads(cli("check", "--format", "json", str(path)).stdout)["diagnostics"]
    assert (found["line"], found["column"], found["end_line"], found["end_column"]) == (1, 11, 1, 31)


def test_the_cap_keeps_exactly_what_sorting_everything_would() -> None:
    import random

    generator = random.Random(7)
    for _ in range(500):
        items = [((generator.randrange(5), generator.randrange(5), 0, 0), engine.Problem(generator.choice("ab"), (n,), "")) for n in range(generator.randrange(30))]
        count = generator.randrange(1, 8)
        assert engine._first(count, iter(items)) == sorted(items, key=engine._order)[:count]


def test_a_plain_check_loads_nothing_the_new_options_need(tmp_path: Path) -> None:
    path = write(tmp_path, "ok.json", VALID)
    code = ("import sys\nfrom kling_lint.entry import main\nsys.argv = ['kling-lint', 'check', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(m for m in sys.modules if m in ('heapq', 'tempfile', 'kling_lint.report.statistics', 'kling_lint.report.to_file'))), file=sys.stderr)")
    loaded = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert loaded.stdout == "no problems in 1 file\n"
    assert loaded.stderr.split() == []
