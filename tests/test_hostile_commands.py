"""``curl``, ``dry-run`` and ``serve`` held to ``check``'s guarantees (issue 19, first paragraph;
issue 14, section 3): hostile files get check's messages and exit statuses, closed or failing
streams are one line and exit 2, Ctrl-C is one line and 130, a token is never printed, and
``serve`` answers every hostile request with a 4xx in the error shape.

Whole processes where the case is about the process's own streams or signals; the CLI in
process otherwise. Servers are started by the tests on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from serving import Served, serving
from test_io import one_line, process, write  # check's own process helpers: the same guarantees, the same probes

from kling_lint.cli import main

VALID = b'{"model": "kling-v3-std-silent", "prompt": "a cat walks in the snow", "duration": 5}\n'
WARNING = b'{"model": "kling-v3-std-silent", "prompt": "a cat", "image": "https://example.com/a.png", "aspect_ratio": "1:1"}\n'
TOKEN = "sk-proj-Zx81abcdefghijklmnopqrstuvwxyz0123456789"
ENV_KEY = "mysecretkey12345"
# (name, args after the command) for every way the two commands print
COMMANDS = [("curl",), ("curl", "--pretty", "--markdown"), ("dry-run",), ("dry-run", "--format", "json")]
IDS = [" ".join(c) for c in COMMANDS]


def cli(*args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=input, env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result




def _alias_bomb() -> bytes:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        previous, name = chr(96 + level), chr(97 + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return ("\n".join(lines) + "\n").encode()


# (file name, bytes, check's exit status, a phrase of check's message)
HOSTILE = [
    ("malformed.json", b'{"model": ', 1, "is never closed"),
    ("binary.json", bytes(range(256)) * 4, 1, "syntax"),
    ("utf16.json", '{"model": "kling-v3-std-silent"}'.encode("utf-16"), 1, "UTF-16"),
    ("deep.json", b"[" * 150 + b"]" * 150, 1, "nested more than 100 levels"),
    ("bomb.yaml", _alias_bomb(), 1, "aliases repeat more than"),
    ("token.json", VALID.replace(b"a cat", TOKEN.encode()), 1, "secret-in-request"),
]


# ---------------------------------------------------------------- the inputs check refuses


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
@pytest.mark.parametrize(("name", "data", "status", "phrase"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_get_checks_message_and_status(tmp_path: Path, command: tuple[str, ...], name: str, data: bytes, status: int, phrase: str) -> None:
    path = write(tmp_path, name, data)
    checked = cli("check", str(path))
    result = cli(*command, str(path))
    assert checked.exit_code == result.exit_code == status
    assert phrase in checked.output and phrase in result.output
    assert "Traceback" not in result.output and TOKEN not in result.output


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_what_cannot_be_read_is_unreadable_exit_2(tmp_path: Path, command: tuple[str, ...]) -> None:
    big = write(tmp_path, "big.json", VALID + b" " * 200)
    (tmp_path / "empty").mkdir()
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    (tmp_path / "loop1.json").symlink_to(tmp_path / "loop2.json")
    (tmp_path / "loop2.json").symlink_to(tmp_path / "loop1.json")
    cases = [(["--max-bytes", "100", str(big)], "larger than the 100 bytes limit"),
             ([str(tmp_path / "missing.json")], "no such file or directory"),
             ([str(tmp_path / "empty")], "no request files"),
             ([str(fifo)], "not a regular file"),
             ([str(tmp_path / "loop1.json")], "too many levels of symbolic links")]
    for args, phrase in cases:
        result = cli(*command, *args)
        assert result.exit_code == 2 and phrase in result.output, (args, result.output)
        assert "unreadable" in result.output


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_the_tokens_never_printed_in_any_line(tmp_path: Path, command: tuple[str, ...]) -> None:
    """A token in a value, a key, an escape, and KLING_API_KEY's value: never printed, --no-check
    commands included."""
    files = [write(tmp_path, "value.json", VALID.replace(b"a cat", TOKEN.encode())),
             write(tmp_path, "key.json", VALID.replace(b'"duration"', f'"{TOKEN}": 1, "duration"'.encode())),
             write(tmp_path, "escaped.json", VALID.replace(b"a cat", TOKEN.replace("-", "\\u002d", 1).encode())),
             write(tmp_path, "env.yaml", f"model: kling-v3-std-silent\nprompt: a {ENV_KEY} cat\n".encode())]
    extra = ("--no-check",) if command[0] == "curl" else ()
    result = cli(*command, *extra, "--base-url", f"https://u:{ENV_KEY}@gw.example.com", *map(str, files), env={"KLING_API_KEY": ENV_KEY})
    assert result.exit_code == (0 if extra else 1)  # --no-check: no finding, the commands still masked
    assert TOKEN not in result.output and "Zx81" not in result.output and ENV_KEY not in result.output


# ---------------------------------------------------------------- the process's own streams


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_standard_output_closed_or_full_is_one_line_and_exit_2(tmp_path: Path, command: tuple[str, ...]) -> None:
    path = write(tmp_path, "ok.json", VALID)
    closed = process(*command, str(path), shell_redirect=">&-")
    assert closed.returncode == 2
    assert one_line(closed.stderr) == "kling-lint: cannot write the report: standard output is closed"
    with open("/dev/full", "w") as full:
        failed = process(*command, str(path), stdout=full, stderr=subprocess.PIPE)
    assert failed.returncode == 2
    assert one_line(failed.stderr) == "kling-lint: cannot write the report: standard output: no space left on device"


def test_standard_error_closed_when_curl_has_findings_to_say_is_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", b'{"model": ')
    done = process("curl", str(path), shell_redirect="2>&-")
    assert done.returncode == 2 and done.stdout == ""


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_a_reader_that_leaves_early_does_not_change_the_status(tmp_path: Path, command: tuple[str, ...]) -> None:
    paths = [str(write(tmp_path, f"{n}.json", WARNING if n == 0 else VALID)) for n in range(40)]
    expected = cli(*command, *paths).exit_code
    assert expected == 0  # warnings only
    reader = subprocess.Popen([sys.executable, "-m", "kling_lint", *command, *paths], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.readline()
    reader.stdout.close()
    errors = reader.stderr.read().decode()
    assert reader.wait(60) == expected
    assert "Traceback" not in errors and "Error" not in errors, errors


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_closed_standard_input_is_unreadable_and_the_other_files_still_get_theirs(tmp_path: Path, command: tuple[str, ...]) -> None:
    path = write(tmp_path, "ok.json", VALID)
    done = process(*command, "-", str(path), shell_redirect="<&-")
    assert done.returncode == 2 and "Traceback" not in done.stderr + done.stdout
    assert "standard input is closed" in done.stderr + done.stdout
    assert "a cat walks in the snow" in done.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_an_encoding_that_cannot_show_a_character_escapes_it_and_bodies_stay_json(tmp_path: Path, command: tuple[str, ...]) -> None:
    path = write(tmp_path, "cat.json", VALID.replace(b"a cat", "\u732b \U0001f408".encode()))
    later = write(tmp_path, "later.json", VALID.replace(b"a cat", b"later"))
    done = process(*command, str(path), str(later), env={"PYTHONIOENCODING": "latin-1"})
    assert done.returncode == 0 and done.stderr == ""
    assert "\\u732b" in done.stdout and "later walks" in done.stdout
    if command[0] == "curl" and "--pretty" not in command:
        bodies = [line.split("--data-binary ", 1)[1] for line in done.stdout.splitlines() if "--data-binary" in line]
        assert json.loads(bodies[0].strip("'"))["prompt"].startswith("\u732b \U0001f408")  # \U0001f408 would not be JSON
    if command[-1] == "json":
        document = json.loads(done.stdout)
        assert document["requests"][0]["body"]["prompt"].startswith("\u732b \U0001f408")


# ---------------------------------------------------------------- Ctrl-C

START = "import os, sys; sys.argv[0] = 'kling-lint'; from kling_lint.entry import main; os.write(2, b'R'); main()"


def test_ctrl_c_at_random_moments_is_one_line_and_130(tmp_path: Path) -> None:
    """From the moment the console script's main runs: during imports, while click reads the
    options, during the run, and after it (then the run's own status is fine too)."""
    for number in range(150):
        write(tmp_path, f"many/r{number}.json", VALID)
    generator = random.Random(19)
    commands = [("check",), *COMMANDS]
    for _ in range(16):
        command = generator.choice(commands)
        child = subprocess.Popen([sys.executable, "-c", START, *command, str(tmp_path / "many")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert child.stderr is not None and child.stderr.read(1) == b"R"
        time.sleep(generator.uniform(0, 0.4))
        child.send_signal(signal.SIGINT)
        errors = child.stderr.read().decode()
        status = child.wait(60)
        assert status in (0, 130), (command, status, errors)
        assert errors == ("kling-lint: interrupted\n" if status == 130 else ""), (command, errors)


# ---------------------------------------------------------------- --prices


def test_a_price_table_that_is_a_fifo_is_refused_not_waited_for(tmp_path: Path) -> None:
    path = write(tmp_path, "ok.json", VALID)
    fifo = tmp_path / "prices.toml"
    os.mkfifo(fifo)
    done = process("dry-run", "--prices", str(fifo), str(path))  # used to wait for a writer forever
    assert done.returncode == 2 and "not a regular file" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(("data", "phrase"), [
    (b'currency = "USD"\nkling-v3-std-silent = "x"\n', "must be a number"),
    (b'{"currency": "USD", "kling-v3-std-silent": 1e999}', "got inf"),
    (bytes(range(256)), "not UTF-8"),
    (b"a = " + b"[" * 2000 + b"]" * 2000 + b"\n", "not valid TOML"),
    (b'{"currency": "USD", "a": ' + b"[" * 5000 + b"]" * 5000 + b"}", "not valid JSON"),
    (b'currency = "USD"\n"' + TOKEN.encode() + b'" = 1\n', "is not a Kling v3 model"),
    (b"currency = 'USD'\n" + b"#" * (1024 * 1024 + 10), "a price table is a few lines"),
], ids=["string", "infinite", "binary", "deep-toml", "deep-json", "token-key", "huge"])
def test_a_bad_price_table_is_one_clear_error_exit_2(tmp_path: Path, data: bytes, phrase: str) -> None:
    path = write(tmp_path, "ok.json", VALID)
    prices = write(tmp_path, "prices.toml" if not data.startswith(b"{") else "prices.json", data)
    result = cli("dry-run", "--prices", str(prices), str(path))
    assert result.exit_code == 2 and phrase in result.output, result.output
    assert TOKEN not in result.output and "--max-bytes" not in result.output


def test_a_currency_is_masked_and_cannot_write_to_the_terminal(tmp_path: Path) -> None:
    path = write(tmp_path, "ok.json", VALID)
    prices = write(tmp_path, "prices.toml", f'currency = "US\\u001b[31mD {ENV_KEY}"\nkling-v3-std-silent = 1\n'.encode())
    for command in (("dry-run",), ("dry-run", "--format", "json")):
        result = cli(*command, "--prices", str(prices), str(path), env={"KLING_API_KEY": ENV_KEY})
        assert result.exit_code == 0 and ENV_KEY not in result.output and "\x1b" not in result.output


# ---------------------------------------------------------------- arbitrary bytes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
       suffix=st.sampled_from([".json", ".jsonl", ".yaml"]), command=st.sampled_from(COMMANDS))
def test_arbitrary_bytes_as_a_file_give_0_1_or_2_and_no_traceback(tmp_path: Path, data: bytes, suffix: str, command: tuple[str, ...]) -> None:
    path = write(tmp_path, "any" + suffix, data)
    result = cli(*command, "--no-check" if command[0] == "curl" else "--no-curl", str(path))
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    assert result.exit_code == 2 or cli("check", str(path)).exit_code in (0, 1)


# ---------------------------------------------------------------- serve


@pytest.fixture(scope="module")
def server():
    with serving("--read-timeout", "1", "--max-body", "65536") as served:
        yield served


def _raw(served: Served, data: bytes, limit: float = 5.0) -> bytes:
    with socket.create_connection(served.host_port, timeout=limit) as connection:
        try:
            connection.sendall(data)
        except OSError:  # refused before the whole request was sent
            pass
        received = b""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                chunk = connection.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
    return received


def _post(body: bytes, content_type: bytes = b"application/json", length: int | None = None) -> bytes:
    size = len(body) if length is None else length
    return (b"POST /v1/video/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: " + content_type
            + b"\r\nContent-Length: " + str(size).encode() + b"\r\n\r\n" + body)


SERVE_CASES = [
    ("garbage", b"\x00\x01\x02 garbage\r\n\r\n"),
    ("huge header", b"GET /v1/videos/x HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 200_000 + b"\r\n\r\n"),
    ("many headers", b"GET /v1/videos/x HTTP/1.1\r\nHost: x\r\n" + b"X-A: a\r\n" * 500 + b"\r\n"),
    ("body shorter than its length", _post(b'{"a": 1}', length=100)),
    ("body longer than its length", _post(b'{"model": "kling-v3-std-silent", "prompt": "a"} and more', length=10)),
    ("negative length", _post(b"{}", length=-5)),
    ("non-utf8 body", _post(b'{"prompt": "\xff\xfe"}')),
    ("utf16 body", _post('{"model": "kling-v3-std-silent"}'.encode("utf-16"))),
    ("json 10000 deep", _post(b"[" * 10_000 + b"]" * 10_000)),
    ("object 10000 deep", _post(b'{"a":' * 10_000 + b"1" + b"}" * 10_000)),
    ("alias bomb", _post(_alias_bomb())),
    ("alias bomb as yaml", _post(_alias_bomb(), b"application/yaml")),
    ("http 2.0", b"GET /v1/videos/x HTTP/2.0\r\nHost: x\r\n\r\n"),
    ("unknown method", b"BREW /v1/video/generations HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("header without colon", b"GET /v1/videos/x HTTP/1.1\r\nHost: x\r\nnot a header\r\n\r\n"),
    ("token in the path", f"GET /v1/videos/{TOKEN}/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()),
]


@pytest.mark.parametrize(("name", "data"), SERVE_CASES, ids=[c[0] for c in SERVE_CASES])
def test_serve_answers_hostile_requests_with_a_4xx_in_the_error_shape(server: Served, name: str, data: bytes) -> None:
    started = time.monotonic()
    answer = _raw(server, data)
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    assert 400 <= status < 500, (name, answer[:300])
    error = json.loads(body)["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert TOKEN.encode() not in answer and "Zx81" not in error["message"]
    assert time.monotonic() - started < 4  # the read timeout is 1 s: no hang


def test_serve_logs_no_traceback_after_the_hostile_requests(server: Served) -> None:
    for _, data in SERVE_CASES:
        _raw(server, data)
    time.sleep(0.2)
    statuses = [line.split(" ")[2] for line in server.log if line.count(" ") >= 4 and line.split(" ")[2].isdigit()]
    assert len(statuses) >= len(SERVE_CASES) and all(status.startswith("4") for status in statuses), server.log
    assert not any("Traceback" in line for line in server.log)
    assert not any(TOKEN in line for line in server.log)
