"""The ``curl`` and ``dry-run`` commands without their command lines: paths in, commands or a
dry run out, an exit status back.

Both read files as ``check`` does (files.discover and files.read: the same refusals, the same
messages, exit 2 for a file that cannot be read) and find what ``check`` finds (engine), but
keep each request of a file apart, with the line it starts on, so that a command or a dry run
can be given per request. Findings print through the text reporter, as ``check`` prints them.
"""

from __future__ import annotations

import sys
from collections import namedtuple
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

from .findings import Finding, Severity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_INTERRUPTED = 0, 1, 2, 130


class Entry(namedtuple("Entry", "index line request readable findings")):
    """One request of a file: its 1-based ``index`` there, the line it starts on, its findings.

    ``index`` (int)
    ``line`` (int)
    ``request`` (Any)
    ``readable`` (bool): False for a request the file could not give (a JSONL line that is not JSON)
    ``findings`` (list[Finding])
    """

    __slots__ = ()

    @property
    def has_errors(self) -> bool:
        return not self.readable or any(f.severity is Severity.ERROR for f in self.findings)


class FileRequests(namedtuple("FileRequests", "name entries findings readable", defaults=(True,))):
    """The requests of one file, or (``findings``) why the file gave none.

    ``name`` (str)
    ``entries`` (list[Entry])
    ``findings`` (list[Finding])
    ``readable`` (bool)
    """

    __slots__ = ()


def requests_in(paths: Sequence[str], max_bytes: int, lint: bool = True, fetcher: Any = None) -> Iterator[FileRequests]:
    """Each file named by ``paths`` (directories searched), read and split into its requests.

    ``lint=False`` skips the check (``curl --no-check``); a file that cannot be read or parsed
    is still reported. With a ``fetcher`` (fetch.ImageFetcher, --fetch-images) every file is
    read first and its image URLs fetched, several at a time, and checked with the rest.
    """
    from .engine import unreadable

    read_files: Iterable[tuple[str, bytes | str]] = _read_each(paths, max_bytes)
    if fetcher is not None:
        read_files = list(read_files)
        for name, data in read_files:
            if isinstance(data, bytes):
                try:
                    fetcher.prefetch_file(data, name)
                except Exception:  # noqa: BLE001 - a file kling-lint fails on: _split reports it below
                    pass
    images = fetcher.problems if fetcher is not None else None
    for name, data in read_files:
        if not isinstance(data, bytes):
            yield FileRequests(name, [], [unreadable(name, data)], readable=False)
            continue
        try:
            yield _split(name, data, lint, images)
        except Exception as error:  # noqa: BLE001 - a bug of ours must not stop the other files
            reason = f"kling-lint failed on this file ({type(error).__name__}: {error}); please report it"
            yield FileRequests(name, [], [unreadable(name, reason)], readable=False)


def _read_each(paths: Sequence[str], max_bytes: int) -> Iterator[tuple[str, bytes | str]]:
    """(name, its bytes, or why it cannot be read) of each file ``paths`` names."""
    from .files import Unreadable, discover, read

    for item in discover(list(paths)):
        if isinstance(item, Unreadable):
            yield item.name, str(item)
            continue
        try:
            yield item.name, read(item, max_bytes)
        except Unreadable as error:
            yield item.name, str(error)


def _split(name: str, data: bytes, lint: bool, images: Any = None) -> FileRequests:
    from .engine import lint_loaded
    from .load import LoadedFile, format_of, load

    loaded = load(data, format_of(name, data))
    if loaded.failure is not None:
        return FileRequests(name, [], lint_loaded(loaded, name))
    entries = []
    for index, document in enumerate(loaded.documents, start=1):
        alone = LoadedFile(loaded.text, [document])
        findings = lint_loaded(alone, name, images=images) if lint or not document.checkable else []
        entries.append(Entry(index, _start_line(document, findings), document.value, document.checkable, findings))
    return FileRequests(name, entries, [])


def _start_line(document: Any, findings: list[Finding]) -> int:
    span = document.positions().get(()) if document.checkable else None
    if span is not None:
        return span.value[0]
    return findings[0].line or 1 if findings else 1


def _status(file: FileRequests) -> int:
    """``check``'s exit status for one file: 2 unreadable, 1 errors, else 0."""
    if not file.readable:
        return EXIT_UNREADABLE
    errors = any(f.severity is Severity.ERROR for f in file.findings) or any(e.has_errors for e in file.entries)
    return EXIT_FINDINGS if errors else EXIT_CLEAN


def run_curl(paths: Sequence[str], base_url: str | None = None, pretty: bool = False, markdown: bool = False,
             check: bool = True, max_bytes: int | None = None, color: str = "auto") -> int:
    """Print a curl command for each valid request of ``paths``; findings go to standard error.

    0: every request got its command; 1: a request has errors (it gets no command, unless
    ``check`` is False); 2: a file could not be read.
    """
    return _guarded(lambda out: _curl(paths, base_url, pretty, markdown, check, max_bytes, color, out))


def _curl(paths: Sequence[str], base_url: str | None, pretty: bool, markdown: bool, check: bool,
          max_bytes: int | None, color: str, out: TextIO) -> int:
    from .curl import command, comment, one_line
    from .curl import markdown as in_markdown
    from .dryrun import mode_of
    from .run import DEFAULT_MAX_BYTES, _use_color

    def make_reporter() -> Any:
        from .report import reporter

        return reporter("text", sys.stderr, _use_color(color, sys.stderr))

    report = _LazyReporter(make_reporter)
    status = EXIT_CLEAN
    written = 0
    for file in requests_in(paths, max_bytes or DEFAULT_MAX_BYTES, lint=check):
        report.file(file.name, file.findings)
        status = max(status, _status(file._replace(entries=[])))  # the entries are counted below
        for entry in file.entries:
            report.file(file.name, entry.findings)
            if not entry.readable or (check and entry.has_errors):
                status = max(status, EXIT_FINDINGS)
                continue
            try:
                text = command(entry.request, base_url, pretty)
            except ValueError as error:  # NaN or Infinity (YAML's .nan): JSON cannot say it
                print(f"{one_line(file.name)}:{entry.line}: cannot be sent as JSON: {error}", file=sys.stderr)
                status = max(status, EXIT_FINDINGS)
                continue
            mode = mode_of(entry.request)
            block = in_markdown(file.name, entry.line, mode, text) if markdown else f"{comment(file.name, entry.line, mode)}\n{text}"
            out.write(("\n" if written else "") + block + "\n")
            written += 1
    out.flush()
    return status


class _LazyReporter:
    """The text reporter, made at the first finding: a valid file never imports it."""

    def __init__(self, make: Any) -> None:
        self.make = make
        self.reporter: Any = None

    def file(self, name: str, findings: list[Finding]) -> None:
        if findings:
            self.reporter = self.reporter or self.make()
            self.reporter.file(name, findings)


def run_dry_run(paths: Sequence[str], output_format: str = "text", with_curl: bool = True, prices: Any = None,
                base_url: str | None = None, max_bytes: int | None = None, color: str = "auto", send: Any = None,
                fetch_images: bool = False, fetch_timeout: float | None = None) -> int:
    """Print what each request of ``paths`` would make, then a summary; the exit status is ``check``'s.

    ``prices`` is a prices.PriceTable (or None: no cost is estimated). ``send`` (a
    send.SendOptions, or None): a run without errors is then posted to the gateway, each answer
    shown; the exit status is then the worse of the check's and the send's (send.py says which).
    With ``fetch_images`` the image URLs are fetched (within ``fetch_timeout`` seconds each),
    checked, and described.
    """
    def body(out: TextIO) -> int:
        from .run import DEFAULT_FETCH_TIMEOUT, fetcher

        images = fetcher(fetch_timeout or DEFAULT_FETCH_TIMEOUT) if fetch_images else None
        return _dry_run(paths, output_format, with_curl, prices, base_url, max_bytes, color, out, send, images)

    return _guarded(body)


def _dry_run(paths: Sequence[str], output_format: str, with_curl: bool, prices: Any, base_url: str | None,
             max_bytes: int | None, color: str, out: TextIO, send: Any = None, fetcher: Any = None) -> int:
    from .curl import command, masked
    from .dryrun import plan, totals
    from .dryrun_report import Planned, renderer
    from .run import DEFAULT_MAX_BYTES, _use_color

    render = renderer(output_format, out, _use_color(color, out) if output_format == "text" else False)
    status = EXIT_CLEAN
    counted: list[tuple[Any, bool]] = []  # (plan, has errors): what the summary needs, no more
    outbound: list[tuple[str, int, int, Any]] = []  # (file, line, index, request) of each request without errors
    for file in requests_in(paths, max_bytes or DEFAULT_MAX_BYTES, fetcher=fetcher):
        status = max(status, _status(file))
        render.file_findings(file.name, file.findings)
        for entry in file.entries:
            text = None
            if with_curl and not entry.has_errors:
                try:
                    text = command(entry.request, base_url)
                except ValueError:  # NaN or Infinity: not JSON, and an error already
                    text = None
            shown = plan(masked(entry.request)) if entry.readable else None
            item = Planned(file.name, entry, shown, text, frame_images(entry.request, fetcher) if shown else {})
            counted.append((item.plan, entry.has_errors))
            if not entry.has_errors:
                outbound.append((file.name, entry.line, entry.index, entry.request))
            render.request(item)
    if send is not None:
        status = max(status, _send(send, outbound, len(counted) - len(outbound), status, render))
    render.finish(totals(counted, prices))
    out.flush()
    return status


def _send(options: Any, outbound: list[tuple[str, int, int, Any]], with_errors: int, status: int, render: Any) -> int:
    """Post a clean run's requests (send.py); a run with errors or unreadable files sends nothing."""
    from .send import Outbound, nothing_sent, send_all

    if status != EXIT_CLEAN:
        render.sent(nothing_sent(options.url, len(outbound), with_errors))
        return status
    sent_status, tally = send_all([Outbound(*item) for item in outbound], options, render)
    render.sent(tally)
    return sent_status


# The plan's frames (dryrun.Plan) and the request fields they come from.
_FRAMES = (("start_frame", "image"), ("end_frame", "last_image"))


def frame_images(request: Any, fetcher: Any = None) -> dict[str, Any]:
    """What is known of each frame's image (images.ImageInfo), by the plan's name for the frame:
    base64 data is read always, a URL only with a ``fetcher`` (--fetch-images). A frame whose
    image is not known is left out. The request is read unmasked: a masked URL is not the URL."""
    found: dict[str, Any] = {}
    if not isinstance(request, dict):
        return found
    for frame, name in _FRAMES:
        value = request.get(name)
        if not isinstance(value, str) or not value:
            continue
        if value[:8].lower().startswith(("http://", "https://")):
            info = fetcher.info(value) if fetcher is not None else None
        else:
            from .images import describe_image  # only for a request that holds image data

            info = describe_image(value)
        if info is not None:
            found[frame] = info
    return found


def _guarded(body: Any) -> int:
    """Run a command writing to standard output, as ``check`` does: quiet on a closed pipe, one
    line on Ctrl-C."""
    from .run import _silence

    out = sys.stdout
    try:
        return body(out)
    except BrokenPipeError:
        _silence(out)
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        print("kling-lint: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
