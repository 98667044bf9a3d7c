"""--fetch-images against a local HTTP server this file starts on 127.0.0.1 (never another address).

The server serves images made here, and misbehaves on purpose: a slow answer, a 404, a redirect
loop, a web page, a lying Content-Length, a connection closed mid-body, a body without end. It
counts what it is asked and what it sends, so that the tests can say "fetched once", "nothing
sent without --fetch-images" and "the body was not downloaded". Every loop in it is bounded, and
it stops with its test.
"""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

import kling_lint
from kling_lint import run
from kling_lint.cli import main
from kling_lint.fetch import DEFAULT_TIMEOUT, MAX_REDIRECTS, ImageFetcher
from kling_lint.images import ImageInfo

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "invalid" / "fetch"
PROMPT = "The lighthouse keeper opens the door and looks out to sea."
MB = 1024 * 1024


def encoded(fmt: str, width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(out, fmt)
    return out.getvalue()


FRAME = encoded("PNG", 1280, 720)
SQUARE = encoded("PNG", 800, 800)
THUMBNAIL = encoded("JPEG", 200, 200)
WEBP = encoded("WEBP", 640, 480)


class Handler(BaseHTTPRequestHandler):
    server: ImageServer

    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        path = self.path.split("?", 1)[0]
        self.server.record(self.path, self.headers)
        with self.server.flight():
            route = getattr(self, "route_" + path.strip("/").replace("-", "_").replace(".", "_"), None)
            try:
                route() if route else self.answer(404, "text/plain", b"no such image")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client left, as it should when it has read enough

    def answer(self, status: int, content_type: str | None, body: bytes, length: int | None = -1, **headers: str) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if length is not None:
            self.send_header("Content-Length", str(len(body) if length == -1 else length))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.send(body)

    def send(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()
        self.server.sent[self.path] += len(data)

    def route_ok_png(self) -> None:
        self.answer(200, "image/png", FRAME)

    route_day_png = route_ok_png

    def route_square_png(self) -> None:
        self.answer(200, "image/png", SQUARE)

    def route_thumbnail_jpg(self) -> None:
        self.answer(200, "image/jpeg", THUMBNAIL)

    def route_frame_webp(self) -> None:
        self.answer(200, "image/webp", WEBP)

    def route_frame_html(self) -> None:
        self.answer(200, "text/html; charset=utf-8", b"<html><body><img src='/ok.png'></body></html>" * 100)

    def route_loop(self) -> None:
        self.answer(302, None, b"", Location="/loop")

    def route_to_ftp(self) -> None:
        self.answer(302, None, b"", Location="ftp://127.0.0.1/frame.png")

    def route_moved(self) -> None:
        self.answer(301, None, b"", Location="/ok.png")

    def route_slow_png(self) -> None:
        """Headers at once, then a byte every 50 ms: each read succeeds, the whole never ends in time."""
        self.answer(200, "image/png", FRAME[:8], length=len(FRAME))
        for byte in FRAME[8:208]:  # at most 10 s
            time.sleep(0.05)
            self.send(bytes([byte]))

    def route_slow_start_png(self) -> None:
        """No answer at all for a while."""
        time.sleep(3)
        self.answer(200, "image/png", FRAME)

    def route_lying_png(self) -> None:
        """Content-Length says 200 bytes; the whole PNG follows. A client reads 200 bytes: a cut-short image."""
        self.answer(200, "image/png", FRAME, length=200)

    def route_closed_png(self) -> None:
        """Content-Length says the whole PNG; half of it comes, then the connection closes."""
        self.answer(200, "image/png", FRAME[: len(FRAME) // 2], length=len(FRAME))

    def route_huge_png(self) -> None:
        """11 MB announced and sent at about 12 MB/s (a client reading it all takes a second)."""
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(11 * MB))
        self.end_headers()
        block = FRAME[:8] + bytes(64 * 1024 - 8)
        for _ in range(11 * MB // len(block)):
            self.send(block)
            block = bytes(64 * 1024)
            time.sleep(0.005)

    route_night_full_resolution_png = route_huge_png

    def route_endless_png(self) -> None:
        """No Content-Length: up to 40 MB, until the client stops reading."""
        self.answer(200, "image/png", FRAME[:8], length=None)
        for _ in range(40 * MB // (256 * 1024)):
            self.send(bytes(256 * 1024))

    def route_wait_png(self) -> None:
        time.sleep(0.3)
        self.answer(200, "image/png", FRAME)


class ImageServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()
        self.headers: list[dict[str, str]] = []
        self.in_flight = self.most_in_flight = 0
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, path: str, headers: object) -> None:
        with self.lock:
            self.requests[path] += 1
            self.headers.append(dict(headers.items()))  # type: ignore[attr-defined]

    def flight(self) -> _Flight:
        return _Flight(self)


class _Flight:
    def __init__(self, server: ImageServer) -> None:
        self.server = server

    def __enter__(self) -> None:
        with self.server.lock:
            self.server.in_flight += 1
            self.server.most_in_flight = max(self.server.most_in_flight, self.server.in_flight)

    def __exit__(self, *exc: object) -> None:
        with self.server.lock:
            self.server.in_flight -= 1


@pytest.fixture
def server() -> Iterator[ImageServer]:
    httpd = ImageServer()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def request_file(tmp_path: Path, image: str, last_image: str | None = None, name: str = "r.yaml") -> Path:
    text = f"model: kling-v3-std-silent\nprompt: {PROMPT}\nimage: {image}\n"
    if last_image is not None:
        text += f"last_image: {last_image}\n"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def check(*arguments: str | Path, timeout: float = 5) -> tuple[int, list[dict]]:
    """Run ``check --fetch-images --format json``; the exit status and the diagnostics."""
    args = ["check", "--format", "json", "--fetch-images", "--fetch-timeout", str(timeout), *map(str, arguments)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, json.loads(result.output)["diagnostics"]


def found(diagnostics: list[dict]) -> set[tuple[int, int, str, str]]:
    return {(d["line"], d["column"], d["rule"], d["json_path"]) for d in diagnostics}


# ---------------------------------------------------------------- each answer, its rule, at the value


@pytest.mark.parametrize("route, rule, words", [
    ("/thumbnail.jpg", "image-too-small", "200x200 px"),
    ("/frame.webp", "image-format", "a WebP image"),
    ("/missing.png", "image-unreachable", "answered 404"),
    ("/loop", "image-unreachable", f"more than {MAX_REDIRECTS} redirects"),
    ("/to-ftp", "image-unreachable", "only http and https"),
    ("/frame.html", "image-content-type", "text/html"),
    ("/lying.png", "image-truncated", "cut short"),
    ("/closed.png", "image-unreachable", "connection closed after"),
    ("/huge.png", "image-too-large", "by its Content-Length"),
    ("/endless.png", "image-too-large", "the download stopped there"),
])
def test_each_bad_answer_gives_its_rule_at_the_image_value(server: ImageServer, tmp_path: Path, route: str, rule: str, words: str) -> None:
    path = request_file(tmp_path, server.base + route)
    status, diagnostics = check(path)
    assert status == 1
    assert found(diagnostics) == {(3, 8, rule, "$.image")}
    assert words in diagnostics[0]["message"], diagnostics[0]["message"]
    assert diagnostics[0]["hint"]


def test_good_images_pass_and_a_redirect_is_followed(server: ImageServer, tmp_path: Path) -> None:
    status, diagnostics = check(request_file(tmp_path, server.base + "/moved", server.base + "/ok.png?second"))
    assert (status, diagnostics) == (0, [])
    assert server.requests == Counter({"/moved": 1, "/ok.png": 1, "/ok.png?second": 1})


def test_frames_fetched_with_different_ratios_warn(server: ImageServer, tmp_path: Path) -> None:
    status, diagnostics = check(request_file(tmp_path, server.base + "/ok.png", server.base + "/square.png"))
    assert status == 0
    assert found(diagnostics) == {(4, 13, "image-ratios-differ", "$.last_image")}


def test_a_refused_connection_is_unreachable(tmp_path: Path) -> None:
    with socket.socket() as closed:  # a port of our own that nobody listens on once closed
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    status, diagnostics = check(request_file(tmp_path, f"http://127.0.0.1:{port}/frame.png"))
    assert found(diagnostics) == {(3, 8, "image-unreachable", "$.image")}
    assert "refused" in diagnostics[0]["message"]


def test_findings_point_at_the_value_in_json_too(server: ImageServer, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"model": "kling-v3-std-silent", "prompt": PROMPT, "image": server.base + "/frame.webp"}, indent=2))
    assert found(check(path)[1]) == {(4, 12, "image-format", "$.image")}


# ---------------------------------------------------------------- time and size bounds


@pytest.mark.parametrize("route", ["/slow.png", "/slow-start.png"])
def test_a_slow_server_ends_at_the_timeout(server: ImageServer, tmp_path: Path, route: str) -> None:
    started = time.monotonic()
    status, diagnostics = check(request_file(tmp_path, server.base + route), timeout=0.5)
    elapsed = time.monotonic() - started
    assert found(diagnostics) == {(3, 8, "image-unreachable", "$.image")}
    assert "0.5 s" in diagnostics[0]["message"]
    assert elapsed < 2.5, f"the run took {elapsed:.1f} s with --fetch-timeout 0.5"  # a hang, not a speed goal


def test_a_content_length_over_the_limit_is_refused_without_the_body(server: ImageServer, tmp_path: Path) -> None:
    check(request_file(tmp_path, server.base + "/huge.png"))
    assert server.sent["/huge.png"] < 2 * MB, server.sent  # of 11 MB offered


def test_without_a_content_length_the_download_stops_past_the_limit(server: ImageServer, tmp_path: Path) -> None:
    check(request_file(tmp_path, server.base + "/endless.png"))
    # 10 MB read, plus what the two sockets' buffers hold; of 40 MB offered.
    assert 10 * MB < server.sent["/endless.png"] < 25 * MB, server.sent


# ---------------------------------------------------------------- once, several at a time, never unasked


def test_the_same_url_in_many_files_is_fetched_once(server: ImageServer, tmp_path: Path) -> None:
    paths = [request_file(tmp_path, server.base + "/ok.png", server.base + "/thumbnail.jpg", f"r{n:03d}.yaml") for n in range(60)]
    status, diagnostics = check(*paths)
    assert server.requests == Counter({"/ok.png": 1, "/thumbnail.jpg": 1})
    assert len(diagnostics) == 120 and {d["rule"] for d in diagnostics} == {"image-too-small", "image-ratios-differ"}
    assert {d["file"] for d in diagnostics} == set(map(str, paths))


def test_images_are_fetched_several_at_a_time(server: ImageServer, tmp_path: Path) -> None:
    paths = [request_file(tmp_path, f"{server.base}/wait.png?n={n}", name=f"r{n}.yaml") for n in range(8)]
    status, diagnostics = check(*paths)
    assert (status, diagnostics) == (0, [])
    assert sum(server.requests.values()) == 8
    assert server.most_in_flight > 1


def test_without_fetch_images_the_server_receives_nothing(server: ImageServer, tmp_path: Path) -> None:
    path = request_file(tmp_path, server.base + "/thumbnail.jpg", server.base + "/frame.webp")
    CliRunner().invoke(main, ["check", "--format", "json", str(path)], catch_exceptions=False)
    assert run.run_check([str(path)]) == 0
    kling_lint.lint_file(str(path))
    list(kling_lint.lint_paths([str(tmp_path)]))
    time.sleep(0.2)  # long enough for a request in flight to arrive
    assert sum(server.requests.values()) == 0


def test_what_is_sent_names_kling_lint_and_carries_no_credentials(server: ImageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLING_API_KEY", "sk-test-0123456789abcdef0123")
    user_url = server.base.replace("http://", "http://someone:secret@") + "/ok.png"
    check(request_file(tmp_path, user_url))
    [headers] = server.headers
    assert headers["User-Agent"].startswith("kling-lint/")
    assert "Authorization" not in headers and "Cookie" not in headers
    assert "sk-test" not in json.dumps(headers) and "secret" not in json.dumps(headers)


# ---------------------------------------------------------------- the fetch examples, their host played by the server


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_fetch_examples_give_what_they_expect(server: ImageServer, tmp_path: Path, example: Path) -> None:
    from test_examples import expected

    text = example.read_text(encoding="utf-8")
    assert "https://frames.example.com/" in text
    copy = tmp_path / example.name
    copy.write_text(text.replace("https://frames.example.com/", server.base + "/"), encoding="utf-8")
    # The examples' paths name what the server plays: frame.html a page, missing-frame.png a 404, ...
    assert found(check(copy)[1]) == expected(example)


# ---------------------------------------------------------------- for dry-run: what an image URL is


def test_the_fetcher_describes_an_image_url(server: ImageServer) -> None:
    fetcher = ImageFetcher(timeout=DEFAULT_TIMEOUT)
    assert fetcher.info(server.base + "/ok.png") == ImageInfo("PNG", len(FRAME), 1280, 720, True)
    assert fetcher.info(server.base + "/missing.png") is None
    assert fetcher.info(server.base + "/ok.png") is not None and server.requests["/ok.png"] == 1


def test_the_timeout_default_is_one_value() -> None:
    assert run.DEFAULT_FETCH_TIMEOUT == DEFAULT_TIMEOUT


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1e9", "nan"])
def test_a_bad_fetch_timeout_is_a_clear_error(tmp_path: Path, value: str) -> None:
    path = request_file(tmp_path, "https://example.com/frame.png")
    result = CliRunner().invoke(main, ["check", "--fetch-images", "--fetch-timeout", value, str(path)])
    assert result.exit_code == 2 and "--fetch-timeout" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_standard_input_and_several_documents_are_fetched_and_placed(server: ImageServer, tmp_path: Path) -> None:
    text = (f"model: kling-v3-std-silent\nprompt: {PROMPT}\nimage: {server.base}/ok.png\n---\n"
            f"model: kling-v3-std-silent\nprompt: {PROMPT}\nimage: {server.base}/frame.webp\n")
    args = ["check", "--format", "json", "--fetch-images", "-"]
    result = CliRunner().invoke(main, args, input=text, catch_exceptions=False)
    assert result.exit_code == 1
    assert found(json.loads(result.output)["diagnostics"]) == {(7, 8, "image-format", "$.image")}
    assert server.requests == Counter({"/ok.png": 1, "/frame.webp": 1})
