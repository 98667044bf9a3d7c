"""``kling-lint curl``: the commands it prints deliver exactly the request, in bash and dash.

The law: for any valid request (every mode, every optional field, prompts of hostile text), the
command ``kling-lint curl`` prints, compact and ``--pretty``, run by an interactive bash with
history expansion on (as a person pastes it into a terminal) and by dash, with the real curl,
against a capture server on 127.0.0.1 that this module starts, makes exactly one POST to
/v1/video/generations whose body parses to the request (types kept), with the token of the
shell's environment; and no command hidden in the request ever runs.
"""

from __future__ import annotations

import copy
import json
import os
import pathlib
import re
import secrets
import shutil
import stat
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kling_lint.cli import main
from kling_lint.load import format_of, load
from strategies import NEGATIVE_PROMPT_LIMIT, PROMPT_LIMIT, SHOT_PROMPT_LIMIT, no_secret, nonblank, strict, texts, valid_requests

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
VALID_EXAMPLES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".json", ".jsonl", ".yaml"))
ENDPOINT = "/v1/video/generations"

SHELLS = [name for name in ("bash", "dash", "curl") if shutil.which(name) is None]
pytestmark = pytest.mark.skipif(bool(SHELLS), reason=f"needs {', '.join(SHELLS)} (.ci/run installs them)")

# A command hidden in a prompt would create this file. It is made in a folder of its own so that
# no other test can create or remove it.
WORK = pathlib.Path(tempfile.mkdtemp(prefix="kling-lint-curl-"))
MARKER = WORK / "injected"
HOME = WORK / "home"  # an empty home: no ~/.curlrc, no ~/.bashrc
HOME.mkdir()


# ---------------------------------------------------------------- the capture server


class Capture(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # so that curl's "Expect: 100-continue" is answered at once
    seen: list[tuple[str, str, dict[str, str], bytes]] = []

    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        Capture.seen.append((self.command, self.path, dict(self.headers.items()), body))
        answer = b'{"id": "job-1", "status": "queued"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(answer)

    do_POST = do_GET = do_PUT = _record

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Any:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Capture)
    httpd.timeout = 5
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


# ---------------------------------------------------------------- running a command as a person would


def _environment(base_url: str, token: str) -> dict[str, str]:
    """A clean environment: no proxy, no rc files, history kept nowhere."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(HOME),
        "LANG": "C.UTF-8",
        "KLING_BASE_URL": base_url,
        "KLING_API_KEY": token,
        "HISTFILE": "/dev/null",
        "NO_PROXY": "*",
    }


def run_in(shell: str, command: str, base_url: str, token: str) -> subprocess.CompletedProcess[bytes]:
    """``command`` run by ``shell``: "bash" is interactive (-i), with history expansion on
    (set -H), reading the command as typed lines; "dash" runs it with -c."""
    env = _environment(base_url, token)
    if shell == "bash":
        argv = ["bash", "--norc", "--noprofile", "-i"]
        typed = ("set -H\n" + command + "\n").encode("utf-8")
        return subprocess.run(argv, input=typed, env=env, capture_output=True, timeout=30, cwd=WORK)
    return subprocess.run(["dash", "-c", command], stdin=subprocess.DEVNULL, env=env, capture_output=True, timeout=30, cwd=WORK)


def delivered(shell: str, command: str, base_url: str, token: str) -> list[tuple[str, str, dict[str, str], bytes]]:
    Capture.seen.clear()
    result = run_in(shell, command, base_url, token)
    assert result.returncode == 0, (shell, result.stderr.decode("utf-8", "replace")[-2000:])
    return list(Capture.seen)


def assert_delivers(command: str, request: Any, base_url: str, shells: tuple[str, ...] = ("bash", "dash")) -> None:
    expected = {k: v for k, v in request.items() if k != "$schema"} if isinstance(request, dict) else request
    for shell in shells:
        token = "tok-" + secrets.token_urlsafe(12) + "!$`'\"\\(x);"
        seen = delivered(shell, command, base_url, token)
        assert len(seen) == 1, (shell, seen)
        method, path, headers, body = seen[0]
        assert (method, path) == ("POST", ENDPOINT), shell
        assert headers["Authorization"] == f"Bearer {token}", shell
        assert headers["Content-Type"] == "application/json", shell
        assert strict(json.loads(body.decode("utf-8"))) == strict(expected), (shell, body[:500])
        assert not MARKER.exists(), f"{shell} ran a command hidden in the request"


def curl_output(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["curl", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def commands_of(output: str) -> list[str]:
    """The commands of curl's output: each starts after its comment line."""
    return [block.split("\n", 1)[1].rstrip("\n") for block in re.split(r"\n(?=# )", output) if block.strip()]


# ---------------------------------------------------------------- hostile text

_INJECTIONS = [f"$(touch {MARKER})", f"`touch {MARKER}`", f"; touch {MARKER}", f"' ; touch {MARKER} ; '",
               f"'\"$(touch {MARKER})\"'", f"\ntouch {MARKER}\n", f"\nJSON\ntouch {MARKER}\n", f"'\\''; touch {MARKER} #"]
_PIECES = [
    "'", '"', "''", "'\\''", "\\", "\\\\", "\\'", "\\n", "$HOME", "${HOME}", "$KLING_API_KEY", "$1", "$$",
    "!!", "!$", "!-1", "!#", "!touch", "!?set?", "^set^x^", "!", "%", "%s", "%n", "%%", "%0A",
    "\n", "\r\n", "\r", "\t", "\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\u2066", "\ufeff",
    "视频生成", "東京の夜", "🎬", "👨‍👩‍👧", "🏳️‍🌈", "مرحبا بالعالم", "שלום", "JSON", "EOF", "<<", "*", "~", "{a,b}", "[!a]", "#", "&", "|", ";",
    *_INJECTIONS,
]
_hostile_pieces = st.lists(st.one_of(st.sampled_from(_PIECES), texts(0, 12)), min_size=1, max_size=12).map("".join)


def _fit(text: str, limit: int, tail: str) -> str:
    return text[: limit - len(tail)] + tail


@st.composite
def hostile(draw: Any, limit: int) -> str:
    """A valid prompt of at most ``limit`` characters, made of what breaks naive quoting."""
    text = draw(_hostile_pieces)
    if draw(st.integers(0, 5)) == 0:  # the longest prompt the field takes
        text = (text * (limit // max(1, len(text)) + 1))[:limit]
    tail = draw(st.sampled_from(["", "", "\\", "\\\\\\", "'", "!"]))  # a trailing backslash, quote, bang
    text = _fit(text, limit, tail)
    if not nonblank(text) or not no_secret(text):
        text = _fit("a " + text, limit, tail)
    return text if nonblank(text) and no_secret(text) else "a"


@st.composite
def hostile_requests(draw: Any) -> dict[str, Any]:
    """A valid request of any mode and optional fields, its free text replaced by hostile text."""
    request = copy.deepcopy(draw(valid_requests()))
    if "prompt" in request:
        request["prompt"] = draw(hostile(PROMPT_LIMIT))
    extra = request.get("extra_body", {})
    for shot in extra.get("multi_prompt", []):
        shot["prompt"] = draw(hostile(SHOT_PROMPT_LIMIT))
    if "negative_prompt" in extra:
        extra["negative_prompt"] = draw(hostile(NEGATIVE_PROMPT_LIMIT))
    for element in extra.get("element_list", []):
        if isinstance(element["element_id"], str):
            element["element_id"] = draw(hostile(40))
    return request


# ---------------------------------------------------------------- the law


# Each example spawns four shells and four curls (about 0.3 s), so this property runs 40
# examples whatever the profile (the ci profile's 150 would take some 45 s of CI).
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(request=hostile_requests(), with_base_url=st.booleans())
def test_the_command_delivers_exactly_the_request_in_bash_and_dash(server: str, request: dict[str, Any], with_base_url: bool) -> None:
    path = WORK / "request.json"
    path.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
    base = ["--base-url", server + "/"] if with_base_url else []
    for style in ([], ["--pretty"]):
        status, out, err = curl_output(*base, *style, str(path))
        assert status == 0, err
        [command] = commands_of(out)
        assert "$KLING_API_KEY" in command
        if style:
            assert "!" not in command.split("<<", 1)[1]  # history expansion never sees a "!" in the body
        assert_delivers(command, request, server)


def test_the_bash_runner_really_expands_history(server: str) -> None:
    """The runner is a shell where "!" matters: a naive double-quoted body is changed by it,
    and the same command in dash, which has no history, is not."""
    naive = f'curl -X POST "$KLING_BASE_URL{ENDPOINT}" --data-binary "{{\\"prompt\\": \\"Wow!! again\\"}}"'
    in_dash = delivered("dash", naive, server, "t")
    assert json.loads(in_dash[0][3]) == {"prompt": "Wow!! again"}
    in_bash = delivered("bash", naive, server, "t")
    assert in_bash and in_bash[0][3] != in_dash[0][3]  # "!!" became the previous line
    assert b"set -H" in in_bash[0][3]


@pytest.mark.parametrize("path", VALID_EXAMPLES, ids=lambda p: p.name)
def test_every_example_gets_commands_that_deliver_its_bodies(server: str, path: pathlib.Path) -> None:
    data = path.read_bytes()
    requests = [document.value for document in load(data, format_of(path.name, data)).documents]
    for style in ([], ["--pretty"]):
        status, out, err = curl_output(*style, str(path))
        assert status == 0, err
        commands = commands_of(out)
        assert len(commands) == len(requests)
        for command, request in zip(commands, requests):
            assert_delivers(command, request, server)


# ---------------------------------------------------------------- what curl prints


def test_comment_line_names_file_line_and_mode() -> None:
    status, out, _ = curl_output(str(EXAMPLES / "batch.yaml"))
    comments = [line for line in out.splitlines() if line.startswith("#")]
    assert comments == [
        f"# {EXAMPLES / 'batch.yaml'}:2 (text-to-video)",
        f"# {EXAMPLES / 'batch.yaml'}:7 (text-to-video)",
        f"# {EXAMPLES / 'batch.yaml'}:15 (multi-shot)",
    ]
    assert status == 0


def test_compact_body_is_one_line_and_the_url_is_left_to_the_reader() -> None:
    _, out, _ = curl_output(str(EXAMPLES / "text-to-video.yaml"))
    lines = out.splitlines()
    assert lines[1] == 'curl -X POST "$KLING_BASE_URL/v1/video/generations" \\'
    assert '-H "Authorization: Bearer $KLING_API_KEY" \\' in lines[2]
    assert lines[-1].startswith("  --data-binary '{") and lines[-1].endswith("}'")
    assert json.loads(lines[-1].split("'", 1)[1][:-1])["aspect_ratio"] == "16:9"  # YAML's 16:9, a string


def test_markdown_puts_each_command_in_a_fenced_block_under_a_heading() -> None:
    status, out, _ = curl_output("--markdown", "--pretty", str(EXAMPLES / "batch.jsonl"))
    assert status == 0
    assert out.count("```sh\n") == 3 and out.count("\n```\n") == 3
    assert f"### {EXAMPLES / 'batch.jsonl'}:3 (first-and-last-frame)\n\n```sh\ncurl -X POST" in out
    assert "<<'JSON'\n{\n" in out and "\n}\nJSON\n```" in out


def test_an_invalid_request_gets_its_findings_on_stderr_and_no_command() -> None:
    status, out, err = curl_output(str(EXAMPLES / "invalid" / "duration-range.json"), str(EXAMPLES / "text-to-video.json"))
    assert status == 1
    assert "error[duration-range]" in err and "duration-range.json:5:15" in err
    assert out.count("curl -X POST") == 1 and "duration-range.json" not in out  # the valid one only


def test_no_check_prints_the_command_anyway(server: str) -> None:
    path = EXAMPLES / "invalid" / "duration-range.json"
    status, out, err = curl_output("--no-check", str(path))
    assert status == 0 and err == ""
    [command] = commands_of(out)
    assert_delivers(command, json.loads(path.read_text()), server, shells=("dash",))


def test_warnings_go_to_stderr_and_the_command_is_still_given() -> None:
    status, out, err = curl_output(str(EXAMPLES / "image-to-video.yaml"))
    assert status == 0 and "warning[aspect-ratio-ignored]" in err and "curl -X POST" in out


TOKEN = "sk-" + "A1b2C3d4E5f6G7h8I9j0" * 2


def test_a_token_in_a_request_is_masked_in_every_line(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "leak.json"
    path.write_text(json.dumps({"model": "kling-v3-std-silent", "prompt": f"use {TOKEN} please",
                                "extra_body": {"negative_prompt": "Bearer abcdefghijklmnopqrstuvwxyz"}}))
    status, out, err = curl_output(str(path))
    assert status == 1 and out == "" and "secret-in-request" in err and TOKEN not in err
    for style in ([], ["--pretty"], ["--markdown"]):
        status, out, err = curl_output("--no-check", *style, str(path))
        assert status == 0 and TOKEN not in out and "abcdefghijklmnop" not in out
        assert "sk-****" in out and "Bearer ****" in out


def test_the_token_in_the_environment_is_never_printed(tmp_path: pathlib.Path) -> None:
    token = "live-token-" + secrets.token_hex(8)
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"model": "kling-v3-std-silent", "prompt": f"say {token}"}))
    result = CliRunner().invoke(main, ["curl", str(path)], env={"KLING_API_KEY": token})
    assert result.exit_code == 0 and token not in result.output and "$KLING_API_KEY" in result.output


def test_a_file_name_cannot_end_the_comment_line(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "evil\ntouch injected\n.json"
    path.write_text(json.dumps({"model": "kling-v3-std-silent", "prompt": "a cat"}))
    status, out, _ = curl_output(str(path))
    assert status == 0
    assert out.splitlines()[0].startswith("# ") and "\\ntouch" in out.splitlines()[0]
    assert not any(line.startswith("touch") for line in out.splitlines())


def test_a_base_url_is_quoted_and_its_trailing_slash_dropped() -> None:
    _, out, _ = curl_output("--base-url", "https://gw.example.com/it's!/", str(EXAMPLES / "text-to-video.json"))
    assert "curl -X POST 'https://gw.example.com/it'\\''s!/v1/video/generations' \\" in out


def test_nan_cannot_be_sent_and_says_so(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "nan.yaml"
    path.write_text("model: kling-v3-std-silent\nprompt: a cat\nextra_body:\n  cfg_scale: .nan\n")
    status, out, err = curl_output("--no-check", str(path))
    assert status == 1 and out == "" and "error[syntax]" in err and "JSON cannot hold" in err  # the reader refuses NaN before curl sees it


def _finding_lines(text: str, name: str) -> list[str]:
    """The first line of each finding (``file:line:column: severity[rule] message``)."""
    return [line for line in text.splitlines() if re.match(re.escape(name) + r":\d+:\d+: ", line)]


HOSTILE_FILES = {
    "malformed.json": b'{"model": "kling-v3-std-silent", "prompt": ',
    "binary.json": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "utf16.json": '{"model": "x"}'.encode("utf-16"),
    "deep.json": b"[" * 5000 + b"]" * 5000,
    "bomb.yaml": b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n".encode() for i in range(8)),
    "empty.yaml": b"# only a comment\n",
    "huge-number.json": b'{"duration": 1' + b"0" * 5000 + b"}",
    "bad-line.jsonl": b'{"model": "kling-v3-std-silent", "prompt": "a"}\n{oops\n',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_files_get_checks_messages_and_status(tmp_path: pathlib.Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(HOSTILE_FILES[name])
    _assert_same_as_check(str(path))


def test_missing_files_fifos_and_empty_folders_get_checks_messages(tmp_path: pathlib.Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    (tmp_path / "empty").mkdir()
    for path in (tmp_path / "missing.json", fifo, tmp_path / "empty"):
        _assert_same_as_check(str(path))
    large = tmp_path / "large.json"
    large.write_text(json.dumps({"model": "kling-v3-std-silent", "prompt": "x" * 100}))
    _assert_same_as_check(str(large), "--max-bytes", "50")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def _assert_same_as_check(path: str, *options: str) -> None:
    checked = CliRunner().invoke(main, ["check", "--color", "never", *options, path])
    expected = _finding_lines(checked.stdout, path)
    assert expected, checked.stdout
    for command in (["curl", "--color", "never"], ["dry-run", "--color", "never"]):
        result = CliRunner().invoke(main, [*command, *options, path])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        shown = result.stderr if command[0] == "curl" else result.stdout
        assert _finding_lines(shown, path) == expected, (command, shown)
        assert result.exit_code == checked.exit_code, (command, result.output)
        assert "Traceback" not in result.output
