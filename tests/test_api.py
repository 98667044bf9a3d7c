"""The public Python API: what apps that build requests in code rely on."""

from __future__ import annotations

import os
import pathlib

import pytest

import kling_lint
from kling_lint import Finding, Severity, api, parallel

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def test_lint_a_dict_gives_findings_without_positions() -> None:
    findings = kling_lint.lint({"model": "kling-v3-std-silent", "prompt": "a", "duration": 20})
    assert [(f.rule, f.severity, f.json_path, f.line) for f in findings] == [
        ("duration-range", Severity.ERROR, "$.duration", None)
    ]


def test_a_valid_dict_has_no_findings() -> None:
    assert kling_lint.lint({"model": "kling-v3-pro-audio", "prompt": "a lighthouse", "duration": 15}) == []


def test_findings_are_immutable_records() -> None:
    [finding] = kling_lint.lint({"model": "x", "prompt": "a"})
    assert isinstance(finding, Finding)
    with pytest.raises(AttributeError):
        finding.rule = "other"  # type: ignore[misc]


def test_lint_text_and_lint_file_place_findings(tmp_path: pathlib.Path) -> None:
    text = "model: kling-v3-std-silent\nprompt: a\nduration: 20\n"
    [from_text] = kling_lint.lint_text(text, "r.yaml")
    path = tmp_path / "r.yaml"
    path.write_text(text)
    [from_file] = kling_lint.lint_file(path)
    assert (from_text.line, from_text.column) == (from_file.line, from_file.column) == (3, 11)
    assert from_file.file == str(path)


def test_lint_file_on_a_missing_file_is_one_unreadable_finding(tmp_path: pathlib.Path) -> None:
    [finding] = kling_lint.lint_file(tmp_path / "nope.json")
    assert finding.rule == "unreadable" and "no such file" in finding.message


def _many_files(root: pathlib.Path) -> list[str]:
    """Copies of every example (and a missing file) until there are enough to fork workers."""
    examples = sorted(path for path in EXAMPLES.rglob("*") if path.is_file() and not path.name.endswith(".expect"))
    paths = []
    for number in range(api.PARALLEL_FROM + 2 * parallel.CHUNK):
        source = examples[number % len(examples)]
        copy = root / f"{number:04d}-{source.name}"
        copy.write_bytes(source.read_bytes())
        paths.append(str(copy))
    return paths + [str(root / "missing.json")]


def test_the_api_forks_nothing_unless_asked(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _many_files(tmp_path)

    def no_fork() -> int:
        raise AssertionError("lint_paths forked without being asked")

    monkeypatch.setattr(os, "fork", no_fork)
    assert len(list(kling_lint.lint_paths(paths))) == len(paths)


def test_workers_give_exactly_what_one_process_gives(tmp_path: pathlib.Path) -> None:
    paths = _many_files(tmp_path)
    serial = list(kling_lint.lint_paths(paths))
    assert any(result.findings for result in serial) and not serial[-1].readable
    for jobs in (None, 2, 3):
        assert list(kling_lint.lint_paths(paths, jobs=jobs)) == serial, jobs


def test_a_worker_that_dies_leaves_its_files_to_the_main_process(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _many_files(tmp_path)
    serial = list(kling_lint.lint_paths(paths, jobs=1))
    monkeypatch.setattr(parallel, "_work", lambda chunks, write_end, work: os._exit(3))
    assert list(kling_lint.lint_paths(paths, jobs=3)) == serial


def test_without_workers_the_main_process_checks_every_file(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _many_files(tmp_path)
    serial = list(kling_lint.lint_paths(paths, jobs=1))

    def no_fork() -> int:
        raise BlockingIOError("fork: Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert list(kling_lint.lint_paths(paths, jobs=3)) == serial


def test_stopping_early_ends_the_workers(tmp_path: pathlib.Path) -> None:
    results = kling_lint.lint_paths(_many_files(tmp_path), jobs=3)
    assert next(results).readable
    results.close()  # returns once the workers are gone: a hang here fails the run's time limit
    with pytest.raises(ChildProcessError):
        os.wait()


def test_rules_are_public() -> None:
    assert kling_lint.RULES["duration-range"].severity is Severity.ERROR
    with pytest.raises(AttributeError):
        kling_lint.no_such_name  # noqa: B018
