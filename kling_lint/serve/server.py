"""The HTTP server around the service: the standard library's threading server, made strict.

Why the standard library (http.server) rather than uvicorn with Starlette, or aiohttp: it adds
no dependency and nothing to import until ``serve`` runs (measured on the project's machine,
best of 5: importing uvicorn with Starlette took about twice as long as http.server, aiohttp.web
about three times); a thread per connection serves 200 concurrent clients with bounded memory
(``MAX_CONNECTIONS`` threads at most, the rest wait in the listen backlog); and the two things
a mock server must get right under hostile clients are done here in a few lines each: a whole
request (request line, headers and body) must arrive within ``--read-timeout`` of when it was
awaited, or the connection is closed (uvicorn has no such deadline: its keep-alive timeout is
reset by every byte, so a client trickling its headers holds the connection; uvicorn issue
#157 lists the request-start timeout as never done), and every refusal the parser makes,
malformed HTTP included, is rewritten into the gateway's JSON error shape and mapped to a 4xx
(http.server answers a bad HTTP version with 505 and an unknown method with 501, in HTML).
"""

from __future__ import annotations

import io
import ipaddress
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TextIO

from .. import __version__
from ..engine import lint_bytes
from ..redact import redact
from .media import aspect_ratios, video_bytes
from .service import Answer, Service, Settings, refusal

MAX_CONNECTIONS = 500  # connections served at once; more wait, unrefused, in the backlog
BACKLOG = 1024
MAX_REQUEST_LINE = 65536
HOST_HEADER = re.compile(r"^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$")
STOP_POLL_SECONDS = 0.1  # how often the accept loop looks for a stop request


class _DeadlineReader(io.RawIOBase):
    """The socket's bytes; each read may wait only for the time left before the deadline.

    A per-read timeout alone lets a client that sends a byte every few seconds hold a
    connection (and a thread) forever; a deadline for the whole request does not.
    """

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.deadline = float("inf")
        self.received = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive in time")
        self.sock.settimeout(left)
        count = self.sock.recv_into(buffer)
        self.received += count
        return count


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def version_string(self) -> str:
        return f"kling-lint-serve/{__version__}"

    def setup(self) -> None:
        super().setup()
        # Headers and body leave in two writes; without this, Nagle's algorithm holds the body
        # back until the client's delayed ACK (40 ms on Linux) for every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rfile.close()  # the plain reader, replaced by one that keeps the request's deadline
        self.reader = _DeadlineReader(self.connection)
        self.rfile = io.BufferedReader(self.reader)
        self.answered = False  # an answer was sent on this connection

    def handle_one_request(self) -> None:
        settings = self.server.service.settings
        self.reader.deadline = time.monotonic() + settings.read_timeout
        self.reader.received = 0
        self.started = time.perf_counter()
        self.command = self.path = ""
        self.continue_expected = False
        try:
            self.raw_requestline = self.rfile.readline(MAX_REQUEST_LINE + 1)
            if self.answered and self.raw_requestline in (b"\r\n", b"\n"):
                # RFC 9112 2.2: a line break a client sent after its last body is not a request
                self.raw_requestline = self.rfile.readline(MAX_REQUEST_LINE + 1)
            self.started = time.perf_counter()
            if len(self.raw_requestline) > MAX_REQUEST_LINE:
                self.requestline = self.request_version = ""
                self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            elif not self.raw_requestline:
                self.close_connection = True  # the client is done with this connection
            elif not self.raw_requestline.strip():  # parse_request would close without a word
                self.requestline = self.request_version = ""
                self.send_error(HTTPStatus.BAD_REQUEST, "empty request line")
            elif not self.parse_request():  # it has called send_error
                pass
            elif self.headers.defects:  # the email parser takes a line without a colon as the body
                self.send_error(HTTPStatus.BAD_REQUEST, f"malformed header ({type(self.headers.defects[0]).__name__})")
            else:
                self._answer()
        except TimeoutError:
            self.close_connection = True
            if self.reader.received:  # part of a request came, too slowly: say so, if it listens
                self._try(lambda: self._write(refusal(408, f"the request did not arrive within {settings.read_timeout:g} s", "request_timeout", close=True)))
        except OSError:  # the client went away
            self.close_connection = True

    def handle_expect_100(self) -> bool:
        """Say "100 Continue" only once the body is wanted: a body refused from its headers alone
        (413, 415, 401, ...) is then never sent at all."""
        self.continue_expected = True
        return True

    def _answer(self) -> None:
        self.body_read = False

        def read_body(length: int) -> bytes:
            self.body_read = True
            if self.continue_expected and length:
                self.send_response_only(HTTPStatus.CONTINUE)
                self.end_headers()
            data = self.rfile.read(length) if length else b""
            if len(data) < length:
                raise ConnectionError("the client closed the connection before its body ended")
            return data

        try:
            answer = self.server.service.answer(self.command, self.path, self.headers, read_body, self._base_url())  # type: ignore[arg-type]  # a Message looks names up as a Mapping does
        except OSError:
            raise
        except Exception as error:  # noqa: BLE001 - a bug of ours: one line and a 500, never a traceback
            answer = refusal(500, f"kling-lint serve failed ({type(error).__name__}); please report it", "internal_error", close=True)
        announced = self.headers.get("Content-Length", "0").strip()
        if not self.body_read and (announced not in ("", "0") or "Transfer-Encoding" in self.headers):
            answer = answer._replace(close=True)  # the unread body would be taken for the next request
        self._write(answer)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The parser's refusals (malformed request line or headers), in the gateway's error shape.

        A client's bad HTTP is never a 5xx: http.server's 505 (version) and 501 (method) become 400.
        """
        status = code if code < 500 else HTTPStatus.BAD_REQUEST
        phrase = HTTPStatus(code).phrase
        self._write(refusal(status, f"malformed HTTP request: {message or phrase}", "malformed_request", close=True))

    def _write(self, answer: Answer) -> None:
        settings = self.server.service.settings
        if settings.latency_ms:
            time.sleep(settings.latency_ms / 1000)
        if not self.request_version.startswith("HTTP/1."):
            self.request_version = "HTTP/1.1"  # an unreadable request line still gets a status line
        self.connection.settimeout(settings.read_timeout)  # a client that never reads its answer
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers:
            self.send_header(name, value)
        if answer.close or self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(answer.body)
        self.answered = True
        self._log(answer)

    def _log(self, answer: Answer) -> None:
        milliseconds = (time.perf_counter() - self.started) * 1000
        path = _printable(redact(self.path.split("?", 1)[0]))[:200] if self.path else "-"
        rules = ",".join(answer.rules) or "-"
        self.server.log(f"{_printable(self.command or '-')[:16]} {path} {answer.status} {rules} {milliseconds:.1f} ms")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Silenced: _log writes the one line a request gets, once the answer is sent."""

    def _base_url(self) -> str:
        """Where this client reaches the server, for the video URLs in its jobs."""
        host = self.headers.get("Host", "")
        if not HOST_HEADER.match(host):
            address, port = self.server.server_address[:2]
            host = f"[{address!s}]:{port}" if ":" in str(address) else f"{address!s}:{port}"
        return f"http://{host}"

    @staticmethod
    def _try(action: Callable[[], None]) -> None:
        try:
            action()
        except OSError:
            pass


def _printable(text: str) -> str:
    """A text for the log: one line, whatever a client put in its request line."""
    return "".join(character if character.isprintable() else "?" for character in text)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = BACKLOG

    def __init__(self, address: tuple[str, int], service: Service, log: Callable[[str], None]) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.service = service
        self.log = log
        self.stopping = False
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        while not self.slots.acquire(timeout=STOP_POLL_SECONDS):
            if self.stopping:
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection that failed outside any request: one line, no traceback."""
        error = sys.exc_info()[1]
        self.log(f"- - - connection error: {type(error).__name__}")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_server(settings: Settings, host: str, port: int, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Serve until Ctrl-C or SIGTERM; the exit status: 0, or 2 when the address cannot be used."""
    out = out or sys.stdout
    err = err or sys.stderr
    log = _line_writer(err)
    try:
        server = start_server(Service(settings), host, port, log)
    except (OSError, OverflowError) as error:
        print(f"kling-lint serve: cannot listen on {host}:{port}: {getattr(error, 'strerror', None) or error}", file=err)
        return 2
    if not is_loopback(host):
        log(f"warning: listening on {host}, reachable from other machines"
            + ("" if settings.require_token else " (no --require-token)"))
    print(banner(str(server.server_address[0]), int(server.server_address[1])), file=out, flush=True)
    _serve_until_stopped(server)
    log("kling-lint serve: stopped")
    return 0


def start_server(service: Service, host: str, port: int, log: Callable[[str], None]) -> _Server:
    """A server bound to (host, port), ready to serve; the schema compiled, the videos read."""
    lint_bytes(b"{}", "warm-up.json", "json")  # compile the schema now, not in the first request
    for ratio in aspect_ratios():
        video_bytes(ratio)
    return _Server((host, port), service, log)


def banner(host: str, port: int) -> str:
    """The line ``serve`` prints once it listens (tests and scripts read the port from it)."""
    shown = f"[{host}]" if ":" in host else host
    return f"kling-lint serve: listening on http://{shown}:{port} (POST /v1/video/generations); Ctrl-C stops"


def _serve_until_stopped(server: _Server) -> None:
    stop = threading.Event()
    previous = {number: signal.signal(number, lambda *_: stop.set()) for number in (signal.SIGINT, signal.SIGTERM)}
    thread = threading.Thread(target=server.serve_forever, args=(STOP_POLL_SECONDS,), name="accept", daemon=True)
    thread.start()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stopping = True
        server.shutdown()
        server.server_close()
        for number, handler in previous.items():
            signal.signal(number, handler)


def _line_writer(stream: TextIO) -> Callable[[str], None]:
    lock = threading.Lock()

    def write(line: str) -> None:
        with lock:
            try:
                stream.write(line + "\n")
                stream.flush()
            except (OSError, ValueError):  # standard error closed: keep serving
                pass

    return write
