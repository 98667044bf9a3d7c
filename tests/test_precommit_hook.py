"""The pre-commit hooks: their patterns pick request files by the README's convention, and the
README's snippet works as printed with the real pre-commit against a clone of this repository.

The clone is a fresh git repository holding this work tree's files (what `git ls-files` lists,
uncommitted changes included, as `pre-commit try-repo` does) on a branch `main`, so the snippet's
`rev: main` names a real ref. pre-commit installs the hook from it with pip, into its own
virtualenv: that install is also where the package's data (the schema, the rule docs' examples)
is checked to ship. Offline but for the package index pip installs the dependencies from.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from kling_lint.cli import main
from kling_lint.load import SUFFIXES

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SNIPPET = re.compile(r"<!-- pre-commit-snippet:start -->\n```yaml\n(.*?)```\n<!-- pre-commit-snippet:end -->", re.S)
URL_PLACEHOLDER = "<this repository's URL>"
REQUEST_FILES = ("requests/a.json", "requests/deep/b.jsonl", "kling/c.yaml", "x/kling/d.yml", "teaser.kling.json",
                 "api/batch.kling.jsonl", "shots.kling.yaml", "e.kling.yml")
OTHER_FILES = ("package.json", "docker-compose.yaml", ".github/workflows/ci.yml", "config/app.yml", "data.json.bak",
               "README.md", "requests.json", "mykling/a.json", "notrequests/b.yaml", "a.kling.json.orig")
BROKEN = '{"model": "kling-v3-std-silent", "prompt": "A lighthouse at dusk.", "duration": 20}\n'
VALID = '{"model": "kling-v3-std-silent", "prompt": "A lighthouse at dusk.", "duration": 5}\n'


def hooks() -> dict[str, dict]:
    return {hook["id"]: hook for hook in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}


def test_the_default_hook_takes_request_files_by_convention_only() -> None:
    hook = hooks()["kling-lint"]
    assert hook["language"] == "python" and hook["entry"] == "kling-lint check"
    files = re.compile(hook["files"])
    for name in REQUEST_FILES + tuple(f"requests/e{suffix}" for suffix in SUFFIXES) + tuple(f"f.kling{suffix}" for suffix in SUFFIXES):
        assert files.search(name), name
    for name in OTHER_FILES + tuple(f"e{suffix}" for suffix in SUFFIXES):
        assert not files.search(name), name


def test_the_second_hook_takes_every_json_and_yaml_file() -> None:
    hook = hooks()["kling-lint-all"]
    assert hook["entry"] == hooks()["kling-lint"]["entry"]
    files = re.compile(hook["files"])
    for name in REQUEST_FILES + ("package.json", "docker-compose.yaml", ".github/workflows/ci.yml") + tuple(f"e{suffix}" for suffix in SUFFIXES):
        assert files.search(name), name
    for name in ("README.md", "data.json.bak", "main.py"):
        assert not files.search(name), name


def test_the_readme_snippet_is_three_lines_with_a_rev_that_is_not_a_made_up_tag() -> None:
    [snippet] = SNIPPET.findall(README.read_text(encoding="utf-8"))
    [repo] = YAML(typ="safe").load(snippet)["repos"]
    assert repo["repo"] == URL_PLACEHOLDER and [hook["id"] for hook in repo["hooks"]] == ["kling-lint"]
    assert repo["rev"] == "main"  # a branch every clone has; a tag might not survive


# ---------------------------------------------------------------- the real pre-commit


def _git(cwd: pathlib.Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    try:
        listed = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    except subprocess.CalledProcessError:
        pytest.skip("the project is not a git work tree: nothing to clone")
    target = tmp_path_factory.mktemp("kling-lint-clone")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    _git(target, "init", "-q", "-b", "main")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "kling-lint as checked out")
    return target


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _user_repository(path: pathlib.Path, config: str) -> pathlib.Path:
    files = {".pre-commit-config.yaml": config, "requests/teaser.json": BROKEN, "shots.kling.json": VALID,
             "package.json": '{"name": "app", "version": "1.0.0"}\n', "docker-compose.yaml": "services:\n  web:\n    image: nginx\n",
             ".github/workflows/ci.yml": "on: push\njobs: {}\n"}
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text, encoding="utf-8")
    _git(path, "init", "-q", "-b", "main")
    _git(path, "add", "-A")
    return path


def _pre_commit(cwd: pathlib.Path, home: pathlib.Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    env.pop("KLING_API_KEY", None)
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def test_the_readme_snippet_as_printed_checks_request_files_only(clone: pathlib.Path, pre_commit_home: pathlib.Path, tmp_path: pathlib.Path) -> None:
    [snippet] = SNIPPET.findall(README.read_text(encoding="utf-8"))
    config = snippet.replace(URL_PLACEHOLDER, str(clone))  # the one word a reader fills in
    user = _user_repository(tmp_path, config)
    failed = _pre_commit(user, pre_commit_home, "run", "--all-files")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "requests/teaser.json:1:" in failed.stdout and "duration-range" in failed.stdout
    for other in ("package.json", "docker-compose.yaml", "ci.yml", "shots.kling.json"):
        assert other not in failed.stdout, other
    (user / "requests" / "teaser.json").write_text(VALID, encoding="utf-8")
    _git(user, "add", "-A")
    passed = _pre_commit(user, pre_commit_home, "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "kling-lint" in passed.stdout and "Passed" in passed.stdout


def _sections(output: str) -> dict[str, str]:
    """pre-commit's output by hook name: each hook's status line, then what the hook printed."""
    found: dict[str, str] = {}
    name = None
    for line in output.splitlines():
        header = re.match(r"^(kling-lint[^.]*?)\.{3,}(Passed|Failed)", line)
        if header:
            name = header[1]
            found[name] = ""
        elif name is not None:
            found[name] += line + "\n"
    return found


def test_try_repo_runs_both_hooks(clone: pathlib.Path, pre_commit_home: pathlib.Path, tmp_path: pathlib.Path) -> None:
    user = _user_repository(tmp_path, "repos: []\n")
    tried = _pre_commit(user, pre_commit_home, "try-repo", str(clone), "--ref", "main", "--all-files")  # every hook of the repo
    assert tried.returncode == 1, tried.stdout + tried.stderr
    sections = _sections(tried.stdout)
    names = {hook["id"]: hook["name"] for hook in hooks().values()}
    default, every = sections[names["kling-lint"]], sections[names["kling-lint-all"]]
    assert "requests/teaser.json:1:" in default and "package.json" not in default
    assert "package.json:1:1: error[model-missing]" in every  # what the convention keeps out


def test_the_installed_package_carries_the_schema_and_the_rule_docs(clone: pathlib.Path, pre_commit_home: pathlib.Path, tmp_path: pathlib.Path) -> None:
    """pre-commit's install is a plain `pip install` of the clone: its `rules` and `schema` print
    what this checkout's do, read from the package, not from a repository."""
    installed = sorted(pre_commit_home.glob("repo*/py_env-*/bin/kling-lint"))
    if not installed:  # this test ran alone: install the hook first
        test_the_readme_snippet_as_printed_checks_request_files_only(clone, pre_commit_home, tmp_path / "user")
        installed = sorted(pre_commit_home.glob("repo*/py_env-*/bin/kling-lint"))
    assert installed
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "KLING_API_KEY")}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def output(*args: str) -> str:
        return subprocess.run([str(installed[0]), *args], cwd=elsewhere, env=env, check=True, capture_output=True, text=True).stdout

    ours = CliRunner().invoke(main, ["rules", "--format", "json"], catch_exceptions=False).output
    assert json.loads(output("rules", "--format", "json")) == json.loads(ours)
    assert output("schema") == CliRunner().invoke(main, ["schema"]).output
    path = pathlib.Path(output("schema", "--path").strip())
    assert pre_commit_home in path.parents  # the installed copy, not the clone's schema/
