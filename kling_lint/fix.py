"""``check --fix`` and ``--diff``: the fixes the engine attached to findings, applied and written.

Fixes are edits of a file's own text (``findings.Fix``). They are applied by offset, a fix that
overlaps one already taken waiting for the next round; after each round the new text is checked
again, and a round that would leave the file unreadable or add a finding is not taken (each of
its fixes is then tried alone). At most MAX_ROUNDS rounds, and never back to a text already
seen, so a file never flips between two states. Only then is anything written: to a temporary
file in the same folder, renamed over the original (its permissions kept), and only when the
file on disk is still the one that was read.

Imported only when ``--fix`` or ``--diff`` is given.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple, TextIO

from . import rule_ids
from .api import FileResult
from .contract import Contract, default_contract
from .engine import lint_bytes, unreadable
from .files import STDIN, STDIN_NAME, Exclude, Source, Unreadable, discover, read
from .findings import SAFE, Finding, Fix
from .load.text import UTF8_BOM

MAX_ROUNDS = 4
Keep = Callable[[list[Finding]], list[Finding]]  # config.Settings.switched_on
_UNREADABLE_RULES = {rule_ids.SYNTAX, rule_ids.UNREADABLE, rule_ids.INTERNAL_CONSISTENCY}


class Fixed(NamedTuple):
    """A file's bytes after its fixes, the findings left in them, and how many were mended."""

    data: bytes
    findings: list[Finding]
    fixed: int
    note: str | None = None  # why a fix was left out: kling-lint's own bug, worth reporting
    rounds: tuple[tuple[str, tuple[Fix, ...]], ...] = ()  # each round's text and the fixes applied to it


def fix_bytes(data: bytes, name: str, unsafe: bool = False, contract: Contract | None = None,
              fmt: str | None = None, keep: Keep | None = None) -> Fixed:
    """``data`` with every safe fix (and unsafe ones with ``unsafe``) applied, re-checked each round.

    ``keep``: the findings of the rules switched on (the configuration's select and ignore), so
    that a rule switched off is neither reported nor fixed."""
    contract = contract or default_contract()
    kept = keep or _all

    def check(text: str) -> list[Finding]:
        return kept(lint_bytes(bom + text.encode("utf-8"), name, fmt, contract=contract))

    bom = UTF8_BOM if data.startswith(UTF8_BOM) else b""
    findings = kept(lint_bytes(data, name, fmt, contract=contract))

    chosen = _chosen(findings, unsafe)
    if not chosen:
        return Fixed(data, findings, 0)
    text = data[len(bom):].decode("utf-8")
    seen, fixed, note, rounds = {text}, 0, None, []
    for _ in range(MAX_ROUNDS):
        chosen = _chosen(findings, unsafe)
        if not chosen:
            break
        step = _round(text, findings, chosen, check)
        if step is None:
            note = "a fix would have made the file unreadable or added a finding, so it was not applied; please report this file to kling-lint's maintainers"
            break
        if step[0] in seen:
            note = "the fixes did not settle (a text came back); please report this file to kling-lint's maintainers"
            break
        rounds.append((text, step[2]))
        text, findings = step[0], step[1]
        seen.add(text)
        fixed += len(step[2])
    else:
        if _chosen(findings, unsafe):
            note = f"the fixes did not settle in {MAX_ROUNDS} rounds; please report this file to kling-lint's maintainers"
    return Fixed(bom + text.encode("utf-8"), findings, fixed, note, tuple(rounds))


def _all(findings: list[Finding]) -> list[Finding]:
    return findings


def _chosen(findings: list[Finding], unsafe: bool) -> list[Fix]:
    return [f.fix for f in findings if f.fix is not None and (unsafe or f.fix.applicability == SAFE)]


def _round(text: str, findings: list[Finding], chosen: list[Fix], check: Callable[[str], list[Finding]]) -> tuple[str, list[Finding], tuple[Fix, ...]] | None:
    """One round: every fix that fits, or failing that the first fix that is fine alone."""
    for fixes in [chosen] + [[fix] for fix in chosen]:
        candidate, applied = apply_fixes(text, fixes)
        after = check(candidate)
        if _acceptable(findings, after):
            return candidate, after, applied
    return None


def _acceptable(before: list[Finding], after: list[Finding]) -> bool:
    """The fixed text reads, and has no finding the text before it did not have."""
    if any(finding.rule in _UNREADABLE_RULES for finding in after):
        return False
    had = Counter((f.rule, f.json_path) for f in before)
    has = Counter((f.rule, f.json_path) for f in after)
    return not (has - had)


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, tuple[Fix, ...]]:
    """``text`` with the fixes applied by first offset; a fix that overlaps (or touches) one
    already taken is left for the next round. Returns the new text and the fixes applied."""
    taken: list[Fix] = []
    end = -1
    for fix in sorted(fixes, key=lambda fix: (fix.edits[0].start, fix.edits[-1].end)):
        if not fix.edits or fix.edits[0].start <= end:
            continue
        taken.append(fix)
        end = max(edit.end for edit in fix.edits)
    out, at = [], 0
    for edit in sorted((edit for fix in taken for edit in fix.edits), key=lambda edit: (edit.start, edit.end)):
        out.append(text[at:edit.start])
        out.append(edit.text)
        at = edit.end
    out.append(text[at:])
    return "".join(out), tuple(taken)


# ---------------------------------------------------------------- writing


class NotWritten(Exception):
    """The fixed text was not written; the message says why, and the file is as it was."""


def write_fixed(path: str, original: bytes, fixed: bytes) -> None:
    """Put ``fixed`` in place of the file at ``path`` (a link's target), if it still holds ``original``.

    The text goes to a temporary file in the same folder, which is renamed over the file: a
    reader never sees half a file, and a failure leaves the original whole.
    """
    real = os.path.realpath(path)
    try:
        info = os.stat(real)
        if not os.access(real, os.W_OK) or not info.st_mode & 0o222:  # the mode, for root too
            raise NotWritten("the file is read-only; it was left as it is")
        with open(real, "rb") as handle:
            now = handle.read(len(original) + 1)
    except OSError as error:
        raise NotWritten(f"could not be read again before writing ({_reason(error)})") from None
    if now != original:
        raise NotWritten("the file changed on disk since it was read; it was left as it is")
    try:
        handle_fd, temporary = tempfile.mkstemp(dir=os.path.dirname(real), prefix="." + os.path.basename(real) + ".", suffix=".kling-fix")
    except OSError as error:
        raise NotWritten(f"could not be written ({_reason(error)}); it was left as it is") from None
    try:
        with os.fdopen(handle_fd, "wb") as handle:
            handle.write(fixed)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode))
            _keep_owner(handle.fileno(), info)
        os.replace(temporary, real)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise NotWritten(f"could not be written ({_reason(error)}); it was left as it is") from None


def _keep_owner(descriptor: int, info: os.stat_result) -> None:
    """The original's owner and group for the new file, where this process may give them."""
    if (info.st_uid, info.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.fchown(descriptor, info.st_uid, info.st_gid)
    except OSError:  # not ours to give: the file keeps this process's owner, as any editor's would
        pass


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


# ---------------------------------------------------------------- the command


class FixRun:
    """``check --fix`` over paths: a FileResult a file (what is left), with counts and notes."""

    def __init__(self, unsafe: bool, max_bytes: int, contract: Contract | None = None, stdout: TextIO | None = None,
                 keep: Keep | None = None) -> None:
        self.unsafe = unsafe
        self.keep = keep or _all
        self.max_bytes = max_bytes
        self.contract = contract or default_contract()
        self.stdout = stdout or sys.stdout
        self.fixed = 0
        self.not_written = 0

    def results(self, paths: Sequence[str], stdin_name: str | None = None, exclude: Exclude | None = None) -> Iterator[FileResult]:
        """``stdin_name`` and ``exclude`` as for api.lint_paths."""
        for item in discover(list(paths), stdin_name or STDIN_NAME, exclude):
            if isinstance(item, Unreadable):
                yield FileResult(item.name, [unreadable(item.name, str(item), self.contract)], readable=False)
                continue
            yield self.one(item)

    def one(self, source: Source) -> FileResult:
        try:
            data = read(source, self.max_bytes)
        except Unreadable as error:
            return FileResult(source.name, [unreadable(source.name, str(error), self.contract)], readable=False)
        outcome = fix_bytes(data, source.name, self.unsafe, self.contract, keep=self.keep)
        if outcome.note:
            print(f"kling-lint: {source.name}: {outcome.note}", file=sys.stderr)
        if source.path == STDIN:  # a filter: the text, fixed or not, goes to standard output
            self.stdout.buffer.write(outcome.data)
            self.stdout.flush()
            self.fixed += outcome.fixed
            return FileResult(source.name, outcome.findings)
        if outcome.data == data:
            return FileResult(source.name, outcome.findings)
        try:
            write_fixed(source.path, data, outcome.data)
        except NotWritten as error:
            self.not_written += 1
            print(f"kling-lint: {source.name}: not fixed: {error}", file=sys.stderr)
            return FileResult(source.name, self.keep(lint_bytes(data, source.name, contract=self.contract)))
        self.fixed += outcome.fixed
        return FileResult(source.name, outcome.findings)


def run_diff(paths: Sequence[str], unsafe: bool, max_bytes: int, out: TextIO, contract: Contract | None = None,
             keep: Keep | None = None, stdin_name: str | None = None, exclude: Exclude | None = None) -> int:
    """Print what ``--fix`` would change as a unified diff; write nothing. 1 when there is a change."""
    contract = contract or default_contract()
    changed = fixes = 0
    unreadable_files = False
    for item in discover(list(paths), stdin_name or STDIN_NAME, exclude):
        if isinstance(item, Unreadable):
            print(f"kling-lint: {item.name}: {item}", file=sys.stderr)
            unreadable_files = True
            continue
        try:
            data = read(item, max_bytes)
        except Unreadable as error:
            print(f"kling-lint: {item.name}: {error}", file=sys.stderr)
            unreadable_files = True
            continue
        outcome = fix_bytes(data, item.name, unsafe, contract, keep=keep)
        if outcome.note:
            print(f"kling-lint: {item.name}: {outcome.note}", file=sys.stderr)
        if outcome.data != data:
            changed += 1
            fixes += outcome.fixed
            out.write(unified_diff(data, outcome.data, item.name))
    out.flush()
    noun = "finding" if fixes == 1 else "findings"
    print(f"would fix {fixes} {noun} in {changed} file{'' if changed == 1 else 's'}", file=sys.stderr)
    if unreadable_files:
        return 2
    return 1 if changed else 0


def unified_diff(before: bytes, after: bytes, name: str) -> str:
    """A unified diff that ``patch`` applies byte for byte: line breaks kept as they are, and a
    last line without one marked ``\\ No newline at end of file``."""
    import difflib

    out = []
    for line in difflib.unified_diff(_lines(before), _lines(after), f"a/{name}", f"b/{name}", n=3):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _lines(data: bytes) -> list[str]:
    """Lines as ``patch`` counts them: each up to and including its "\\n" (a lone "\\r" is no break)."""
    text = data.decode("utf-8")
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out
