"""The dry run's output: text for a person, or one JSON object.

Renders what preview.py worked out (a Plan per request, its findings, its curl command, and the
run's Totals); nothing is worked out again here. Findings print through report/ as ``check``
prints them. Every text shown comes from a masked request and passes through curl.one_line or
curl.json_text, so no control character or token reaches the terminal.
"""

from __future__ import annotations

import math
from collections import namedtuple
from typing import TYPE_CHECKING, Any, TextIO

from .curl import json_text, masked, one_line
from .dryrun import Plan, Totals
from .findings import Finding, Severity

if TYPE_CHECKING:
    from decimal import Decimal


class Planned(namedtuple("Planned", "file entry plan curl images", defaults=(None,))):
    """One request of the run: its file, its entry (preview.Entry), its plan and its command.

    ``file`` (str)
    ``entry`` (Any)
    ``plan`` (Plan | None): None for a request the file could not give
    ``curl`` (str | None): None: left out (--no-curl) or not made (the request has errors)
    ``images`` (dict[str, images.ImageInfo] | None): "start_frame" / "end_frame" -> what is known
    of the frame's image (base64 data: always; a URL: with --fetch-images)
    """

    __slots__ = ()


def renderer(output_format: str, stream: TextIO, color: bool = False) -> Any:
    return (JsonRenderer if output_format == "json" else TextRenderer)(stream, color)


# ---------------------------------------------------------------- text


class TextRenderer:
    def __init__(self, stream: TextIO, color: bool = False) -> None:
        from .report import reporter

        self.stream = stream
        self.findings = reporter("text", stream, color)
        self.shown = 0
        self.problem_shown = False  # --send: the problem that stopped sending is on an answer's line

    def file_findings(self, name: str, findings: list[Finding]) -> None:
        if findings:
            self._separate()
            self.findings.file(name, findings)

    def request(self, item: Planned) -> None:
        self._separate()
        entry, plan = item.entry, item.plan
        write = self.stream.write
        write(self.findings.paint(f"{one_line(item.file)}:{entry.line}", "bold") + f" (request {entry.index})\n")
        if plan is not None:
            for label, value in _rows(plan, item.images or {}):
                write(f"  {label:<14}{value}\n")
            write("  body (what the gateway works from; # default: filled in from the schema)\n")
            write("".join(f"    {line}\n" for line in _body_lines(plan.body, plan.defaults)))
        write(f"  findings      {_count(entry.findings)}\n")
        if entry.findings:
            self.findings.file(item.file, entry.findings)
        if item.curl is not None:
            write(f"  curl\n{item.curl}\n")
        elif entry.has_errors:
            write("  curl          none: the request has errors\n")

    def _separate(self) -> None:
        if self.shown:
            self.stream.write("\n")
        self.shown += 1

    def finish(self, totals: Totals) -> None:
        self._separate()
        write = self.stream.write
        refused = f", {totals.refused} with errors (left out below: the gateway would refuse them)" if totals.refused else ""
        write(f"{_plural(totals.requests, 'request')}{refused}\n")
        write(f"seconds of video: {totals.seconds}\n")
        width = max((len(model) for model in totals.seconds_by_model), default=0)
        for model, seconds in totals.seconds_by_model.items():
            line = f"  {model:<{width}}  {seconds:>4} s"
            if totals.cost is not None:
                amount = totals.cost.by_model[model]
                line += f"  {_money(amount)} {one_line(totals.cost.currency)}" if amount is not None else "  cost unknown: not in the price table"
            write(line + "\n")
        if totals.cost is not None:
            unknown = [model for model, amount in totals.cost.by_model.items() if amount is None]
            partial = f" (without {', '.join(unknown)}, which the table does not price)" if unknown else ""
            write(f"estimated cost: {_money(totals.cost.total)} {one_line(totals.cost.currency)}{partial}; "
                  f"an estimate from {one_line(totals.cost.source)}: prices differ by gateway and change\n")

    # ---- --send: each answer and each job's state as it comes, then what became of the run

    def sending(self, url: str, count: int) -> None:
        self._separate()
        self.stream.write(f"sending {_plural(count, 'request')} to {one_line(url)}\n")

    def answered(self, sent: Any) -> None:
        self.problem_shown = self.problem_shown or sent.problem is not None
        self.stream.write(f"  {one_line(sent.file)}:{sent.line} (request {sent.index})  {_answer_text(sent)}\n")
        self.stream.flush()

    def waiting(self, count: int) -> None:
        self.stream.write(f"waiting for {_plural(count, 'job')}\n")

    def state(self, sent: Any, job: dict[str, Any]) -> None:
        self.stream.write(f"  {one_line(str(sent.job_id))}  {_job_text(job)}\n")
        self.stream.flush()

    def sent(self, tally: Any) -> None:
        if tally.held:
            self._separate()
        elif tally.problem and not self.problem_shown:
            self.stream.write(f"  no answer: {one_line(tally.problem)}\n")
        self.stream.write(_tally_text(tally) + "\n")


def _answer_text(sent: Any) -> str:
    """One answer: its status, and the job it made or why the gateway refused the request."""
    if sent.status is None:
        return f"no answer: {one_line(str(sent.problem))}"
    from http import HTTPStatus

    try:
        phrase = f"{sent.status} {HTTPStatus(sent.status).phrase}"
    except ValueError:
        phrase = str(sent.status)
    answer = sent.answer if isinstance(sent.answer, dict) else {}
    if sent.job_id is not None:
        return f"{phrase}  job {one_line(sent.job_id)}  {one_line(str(answer.get('status')))}"
    error = _dict(answer.get("error"))
    code = f"{error['code']}: " if error.get("code") else ""
    hint = " (is $KLING_API_KEY set?)" if sent.status == 401 else ""
    return f"{phrase}  refused: {one_line(code + str(error.get('message') or json_text(answer)))}{hint}"


def _job_text(job: dict[str, Any]) -> str:
    status = one_line(str(job.get("status")))
    if job.get("status") == "completed":
        result = _dict(job.get("result"))
        return f"{status}  {one_line(str(job.get('video_url') or result.get('video_url') or 'no video_url'))}"
    if job.get("status") == "failed":
        error = _dict(job.get("error"))
        return f"{status}  {one_line(str(error.get('code') or 'error'))}: {one_line(str(error.get('message') or 'no message'))}"
    progress = job.get("progress")
    return f"{status}  {progress}%" if job.get("status") == "in_progress" and isinstance(progress, int) else status


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _tally_text(tally: Any) -> str:
    if tally.held:
        return f"{tally.problem}; {one_line(tally.url)} received nothing"
    line = f"sent {tally.sent} of {_plural(tally.requests, 'request')}: {tally.accepted} accepted, {tally.refused} refused"
    if tally.completed or tally.failed:
        line += f"; {tally.completed} completed, {tally.failed} failed"
    return line + (" (stopped at the problem above)" if tally.problem else "")


def _rows(plan: Plan, images: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [("mode", plan.mode or "none: not a request object")]
    if plan.mode is None:
        return rows
    rows.append(("model", _model(plan)))
    seconds = "unknown: duration is not a whole number of seconds" if plan.seconds is None else str(plan.seconds)
    rows.append(("seconds", seconds + (" (default)" if "duration" in plan.defaults else "")))
    aspect = plan.aspect_ratio if plan.aspect_ratio is not None else "unknown"
    rows.append(("aspect ratio", one_line(aspect) + (" (default)" if "aspect_ratio" in plan.defaults else "")))
    rows.append(("start frame", _frame(plan.start_frame, images.get("start_frame"))))
    rows.append(("end frame", _frame(plan.end_frame, images.get("end_frame"))))
    rows.append(("elements", ", ".join(one_line(json_text(i)) for i in plan.element_ids) or "none"))
    for shot in plan.shots:
        start = "?" if shot.start is None else str(shot.start)
        end = "?" if shot.end is None else str(shot.end)
        rows.append(("shots" if shot.number == 1 else "", f"{shot.number}  {start + '-' + end:>5} s  {one_line(shot.prompt)}"))
    if any(shot.end is None for shot in plan.shots):
        rows.append(("", "?: a shot without a duration; the model divides the time left between such shots"))
    return rows


def _model(plan: Plan) -> str:
    if plan.model is None:
        return "none given"
    if plan.tier is None:
        return f"{one_line(plan.model)} (not a Kling v3 model)"
    return f"{plan.model}: {plan.tier} tier, {'with sound' if plan.sound else 'silent'}"


def _frame(image: str | None, info: Any = None) -> str:
    """The frame's URL or "image data", and what its image is when known: "(PNG, 1280x720 px, 40 KB)"."""
    if image is None:
        return "none"
    shown = one_line(image) if "://" in image[:12] else f"image data, {len(image):,} characters"
    return shown if info is None else f"{shown} ({info.shown})"


def _body_lines(body: Any, defaults: list[str]) -> list[str]:
    """The body as indented JSON, each top-level field filled in from a default marked."""
    if not isinstance(body, dict) or not body:
        return json_text(body, 2, allow_nan=True).split("\n")
    lines = ["{"]
    for number, (key, value) in enumerate(body.items(), start=1):
        chunk = json_text(value, 2, allow_nan=True).split("\n")
        chunk = [f"  {json_text(key)}: {chunk[0]}", *(f"  {line}" for line in chunk[1:])]
        chunk[-1] += ("," if number < len(body) else "") + ("  # default" if key in defaults else "")
        lines.extend(chunk)
    lines.append("}")
    return lines


def _count(findings: list[Finding]) -> str:
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    if not findings:
        return "none"
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _money(amount: Decimal) -> str:
    """At least two decimals (0.42), more when the price has them (0.588)."""
    text = format(amount.normalize(), "f")
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction:0<2}"


# ---------------------------------------------------------------- JSON


class JsonRenderer:
    """One object: {"requests": [...], "summary": {...}}, written at the end."""

    def __init__(self, stream: TextIO, color: bool = False) -> None:
        self.stream = stream
        self.requests: list[dict[str, Any]] = []
        self.send: dict[str, Any] | None = None  # with --send: what became of the run

    def file_findings(self, name: str, findings: list[Finding]) -> None:
        """A file that gave no request: an entry without a request, so that its findings are kept."""
        if findings:
            line = findings[0].line or 1
            self.requests.append({"file": name, "line": line, "index": None, "mode": None, "findings": _diagnostics(findings)})

    def request(self, item: Planned) -> None:
        plan, entry = item.plan, item.entry
        record: dict[str, Any] = {"file": item.file, "line": entry.line, "index": entry.index}
        if plan is not None:
            record.update(
                mode=plan.mode, model=plan.model, tier=plan.tier, sound=plan.sound, seconds=plan.seconds,
                aspect_ratio=plan.aspect_ratio, start_frame=plan.start_frame, end_frame=plan.end_frame,
                element_ids=plan.element_ids,
                start_frame_image=_image((item.images or {}).get("start_frame")),
                end_frame_image=_image((item.images or {}).get("end_frame")),
                shots=[shot._asdict() for shot in plan.shots],
                body=_finite(plan.body), defaults=plan.defaults,
            )
        else:
            record["mode"] = None
        record["findings"] = _diagnostics(entry.findings)
        record["curl"] = item.curl
        self.requests.append(record)

    # ---- --send: the answers join their requests' records; the tally joins the summary

    def sending(self, url: str, count: int) -> None:
        pass

    def answered(self, sent: Any) -> None:
        record = next(r for r in self.requests if (r["file"], r["index"]) == (sent.file, sent.index))
        record["sent"] = {"status": sent.status, "answer": sent.answer, "states": sent.states, "error": masked(sent.problem)}

    def waiting(self, count: int) -> None:
        pass

    def state(self, sent: Any, job: dict[str, Any]) -> None:
        pass  # sent.states is the record's list: already there

    def sent(self, tally: Any) -> None:
        for record in self.requests:
            if record["index"] is not None:
                record.setdefault("sent", None)
        self.send = masked(tally._asdict())

    def finish(self, totals: Totals) -> None:
        for record in self.requests:  # masked only now: answered() finds a record by its file's own name
            record["file"] = masked(record["file"])
        summary: dict[str, Any] = {
            "requests": totals.requests,
            "with_errors": totals.refused,
            "seconds": totals.seconds,
            "seconds_by_model": totals.seconds_by_model,
        }
        if totals.cost is not None:
            cost = totals.cost
            summary["cost"] = {
                "estimate": True,
                "currency": cost.currency,
                "by_model": {model: None if amount is None else float(amount) for model, amount in cost.by_model.items()},
                "total": float(cost.total),
                "unpriced_models": [model for model, amount in cost.by_model.items() if amount is None],
                "prices": cost.source,
            }
        if self.send is not None:
            summary["send"] = self.send
        from .report.json_format import shows_unicode

        document = {"requests": self.requests, "summary": summary}
        self.stream.write(json_text(document, 2, ascii_only=not shows_unicode(self.stream)) + "\n")


def _image(info: Any) -> dict[str, Any] | None:
    """A frame's image as JSON: null when not known (a URL without --fetch-images, or unreadable)."""
    if info is None:
        return None
    return {"format": info.format, "bytes": info.size, "width": info.width, "height": info.height, "complete": info.complete}


def _diagnostics(findings: list[Finding]) -> list[dict[str, object]]:
    from .report.json_format import diagnostic

    return [diagnostic(finding) for finding in findings]


def _finite(value: Any) -> Any:
    """``value`` with NaN and the infinities (YAML's .nan, .inf) as the strings "NaN", "Infinity":
    JSON has no such numbers, and the request's errors say so already."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value
