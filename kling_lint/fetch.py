"""--fetch-images: fetch every http(s) image of the requests once, and check it as base64 data is.

Only this module touches the network, and only when --fetch-images is given. What it sends, to
the host named in each URL (and to the hosts its redirects name): one ``GET`` of the URL's path
and query with ``User-Agent: kling-lint/<version>``, ``Accept: image/png, image/jpeg, image/*``
and ``Accept-Encoding: identity``; no cookies, no credentials (user:password in a URL is not
sent), never the API token.

What it reads, no more than is needed to apply the image rules: the status and headers; then
the body only for a 2xx answer whose content type is an image (or not given), and only up to the
size limit: a ``Content-Length`` over it is refused without reading the body, and without one
the download stops as soon as the limit is passed. The whole body (at most the limit) is read
because a cut-short image can only be told by its end.

Each URL is fetched once per run, however many files name it; up to WORKERS at a time, in
daemon threads (a host that never resolves cannot keep the process from exiting). Each fetch
has its own deadline, --fetch-timeout seconds for everything (DNS, connecting, redirects,
headers, body): a watchdog shuts the socket down when it passes, so a server that answers a
byte at a time cannot hold a run. Redirects are followed up to MAX_REDIRECTS, http and https only.

The standard library's http.client does this: it lets one socket be shut down from a watchdog
and reads a body a buffer at a time (``read1``); httpx would add a dependency and 50 ms of
imports for per-operation timeouts that still do not bound a whole fetch.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterable
from typing import Any, NamedTuple

from . import rule_ids as ids
from .contract import Contract, default_contract
from .contract.image_rules import FRAMES, ImageLimits, base64_frames, frame_problems, limits, ratio_problems
from .findings import Problem
from .images import ImageInfo, is_url, megabytes, read_image

WORKERS = 8  # fetches at a time
MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 10.0  # seconds for one image, all included
_CHUNK = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)


class Fetched(NamedTuple):
    """What fetching one URL gave: the image read, or why not (rule, words after the frame's name, hint)."""

    info: ImageInfo | None
    failure: tuple[str, str, str] | None = None


class _Failed(Exception):
    def __init__(self, rule: str, words: str, hint: str) -> None:
        super().__init__(words)
        self.failure = (rule, words, hint)


def _unreachable(words: str, hint: str = "check that the URL opens in a browser without logging in") -> _Failed:
    return _Failed(ids.IMAGE_UNREACHABLE, f"cannot be fetched: {words}", hint)


class _Pending:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.started: float | None = None
        self.result: Fetched | None = None


class ImageFetcher:
    """Fetches image URLs for a run: ``prefetch`` starts them, ``problems(request)`` waits for them.

    One fetcher is one run's cache: each URL is requested once, whoever asks. ``info(url)`` is
    what a dry run shows of an image URL. The limits are ``contract``'s (the packaged one by default).
    """

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, workers: int = WORKERS, contract: Contract | None = None) -> None:
        self.contract = contract or default_contract()
        self.limits: ImageLimits = limits(self.contract)
        self.timeout = timeout
        self.workers = workers
        self._pending: dict[str, _Pending] = {}
        self._queue: queue.Queue[str] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    # ------------------------------------------------------------ what callers use

    def prefetch(self, requests: Iterable[Any]) -> None:
        """Start fetching every image URL of ``requests`` not started yet."""
        for request in requests:
            for url in image_urls(request):
                self._start(url)

    def prefetch_file(self, data: bytes, name: str) -> None:
        """Start fetching the image URLs of a file's requests."""
        from .load import format_of, load

        loaded = load(data, format_of(name, data))
        if loaded.failure is None:
            self.prefetch(document.value for document in loaded.documents if document.checkable)

    def fetched(self, url: str) -> Fetched:
        """The outcome for ``url``, fetching it (or waiting for its fetch) if need be."""
        pending = self._start(url)
        while not pending.done.wait(0.05):
            started = pending.started
            if started is not None and time.monotonic() > started + self.timeout + 1:
                # Stuck where no watchdog reaches (a DNS lookup): give up on it, the thread is a daemon.
                return Fetched(None, _unreachable(f"no answer within {self.timeout:g} s", "check the host name").failure)
        assert pending.result is not None
        return pending.result

    def info(self, url: str) -> ImageInfo | None:
        """The image at ``url`` (format, size, dimensions), or None when it could not be read."""
        return self.fetched(url).info

    def problems(self, request: Any) -> list[Problem]:
        """The image problems of ``request``'s URL frames: the same rules as for base64 data, and more."""
        if not isinstance(request, dict):
            return []
        problems: list[Problem] = []
        frames: dict[str, ImageInfo | None] = dict(base64_frames(request, self.contract))
        urls = set(image_urls(request))
        fetched_any = False
        for name in FRAMES:
            url = request.get(name)
            if url not in urls:
                continue
            fetched_any = True
            result = self.fetched(url)
            if result.failure is not None:
                rule, words, hint = result.failure
                problems.append(Problem(rule, (name,), f"{name} {words}", hint))
            if result.info is not None:
                problems.extend(frame_problems(name, result.info, self.limits))
            frames[name] = result.info
        if fetched_any:
            problems.extend(ratio_problems(frames.get(FRAMES[0]), frames.get(FRAMES[1]), self.limits))
        return problems

    # ------------------------------------------------------------ the workers

    def _start(self, url: str) -> _Pending:
        with self._lock:
            pending = self._pending.get(url)
            if pending is None:
                pending = self._pending[url] = _Pending()
                self._queue.put(url)
                if len(self._threads) < self.workers:
                    thread = threading.Thread(target=self._work, name="kling-lint-fetch", daemon=True)
                    self._threads.append(thread)
                    thread.start()
            return pending

    def _work(self) -> None:
        while True:
            url = self._queue.get()
            pending = self._pending[url]
            pending.started = time.monotonic()
            try:
                pending.result = fetch_image(url, self.timeout, self.limits.max_bytes)
            except Exception as error:  # noqa: BLE001 - a bug of ours must not hang the run
                pending.result = Fetched(None, _unreachable(f"kling-lint failed ({type(error).__name__}: {error}); please report it").failure)
            pending.done.set()


def image_urls(request: Any) -> Iterable[str]:
    """The http(s) URLs with a host among ``request``'s frames."""
    if not isinstance(request, dict):
        return
    from urllib.parse import urlsplit

    for name in FRAMES:
        value = request.get(name)
        if isinstance(value, str) and is_url(value) and not any(c.isspace() for c in value):
            try:
                if urlsplit(value).hostname:
                    yield value
            except ValueError:  # a malformed host ("http://[::1"): image-url says so
                continue


# ---------------------------------------------------------------- one URL


def fetch_image(url: str, timeout: float, max_bytes: int) -> Fetched:
    """Fetch ``url`` within ``timeout`` seconds in all, following redirects; never raises."""
    deadline = time.monotonic() + timeout
    try:
        for _ in range(MAX_REDIRECTS + 1):
            outcome = _get(url, deadline, timeout, max_bytes)
            if isinstance(outcome, Fetched):
                return outcome
            url = outcome  # a redirect
        raise _unreachable(f"more than {MAX_REDIRECTS} redirects (the last to {url})", "give the image's final URL")
    except _Failed as failed:
        return Fetched(None, failed.failure)


def _get(url: str, deadline: float, timeout: float, max_bytes: int) -> Fetched | str:
    """One request: the outcome, or the URL a redirect points to."""
    import http.client
    from urllib.parse import urljoin, urlsplit

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise _unreachable(f"it redirects to a {scheme or 'relative'}: URL; only http and https are fetched")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise _unreachable("its port is not a number") from None
    if not host:
        raise _unreachable("the URL has no host")
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _unreachable(f"no answer within {timeout:g} s")
    kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    connection = kind(host, port, timeout=remaining)
    watchdog = threading.Timer(remaining, _shut, (connection,))
    watchdog.daemon = True
    watchdog.start()
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", target, headers=_headers())
        response = connection.getresponse()
        location = response.getheader("Location")
        if response.status in _REDIRECTS and location:
            return urljoin(url, location.strip())
        return _body(response, deadline, timeout, max_bytes)
    except _Failed:
        raise
    except Exception as error:  # noqa: BLE001 - every network failure becomes a finding
        if time.monotonic() >= deadline - 0.01:
            raise _unreachable(f"no answer within {timeout:g} s") from None
        raise _unreachable(_reason(error, host, port)) from None
    finally:
        watchdog.cancel()
        connection.close()


def _shut(connection: Any) -> None:
    """The watchdog: end a fetch past its deadline, whatever it is waiting for."""
    import socket

    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _headers() -> dict[str, str]:
    from . import __version__

    return {"User-Agent": f"kling-lint/{__version__}", "Accept": "image/png, image/jpeg, image/*;q=0.8",
            "Accept-Encoding": "identity"}


def _body(response: Any, deadline: float, timeout: float, most: int) -> Fetched:
    if not 200 <= response.status < 300:
        if response.status in _REDIRECTS:
            raise _unreachable(f"the server answered {response.status} without a Location")
        raise _unreachable(f"the server answered {response.status} {response.reason}".rstrip())
    content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
    if content_type and not content_type.startswith("image/"):
        raise _Failed(ids.IMAGE_CONTENT_TYPE, f"is served as {content_type}, not as an image",
                      "give the direct link to the image file, not to a page that shows it")
    announced = _length(response.getheader("Content-Length"))
    if announced is not None and announced > most:
        raise _Failed(ids.IMAGE_TOO_LARGE,
                      f"is {megabytes(announced)} ({announced:,} bytes) by its Content-Length, more than the {megabytes(most)} allowed",
                      "compress it (JPEG) or scale it down")
    chunks = []
    received = 0
    while True:
        chunk = response.read1(_CHUNK)
        if time.monotonic() >= deadline:
            raise _unreachable(f"the image did not arrive within {timeout:g} s ({megabytes(received)} received)")
        if not chunk:
            break
        received += len(chunk)
        if received > most:
            raise _Failed(ids.IMAGE_TOO_LARGE, f"is more than {megabytes(most)}: the download stopped there",
                          "compress it (JPEG) or scale it down")
        chunks.append(chunk)
    if announced is not None and received < announced:
        raise _unreachable(f"the connection closed after {received:,} of the {announced:,} bytes announced")
    return Fetched(read_image(b"".join(chunks)))


def _length(header: str | None) -> int | None:
    if header is None or not header.strip().isdigit():
        return None
    return int(header.strip())


def _reason(error: BaseException, host: str, port: int | None) -> str:
    """A network error in words."""
    import http.client as client
    import socket
    import ssl

    if isinstance(error, socket.gaierror):
        return f"the host {host} cannot be resolved"
    if isinstance(error, ConnectionRefusedError):
        return f"{host}{f':{port}' if port else ''} refused the connection"
    if isinstance(error, TimeoutError):
        return "no answer in time"
    if isinstance(error, client.IncompleteRead):
        return f"the connection closed mid-body ({len(error.partial):,} bytes received)"
    if isinstance(error, client.HTTPException):
        return f"the answer is not valid HTTP ({type(error).__name__})"
    if isinstance(error, ssl.SSLError):
        return f"TLS failed ({error.reason or error})"
    if isinstance(error, OSError):
        return f"the connection failed ({error.strerror or error})"
    return f"{type(error).__name__}: {error}"
