"""Laws of ``check --fix``, for request files with fixable mistakes written in every style the
loaders read: JSON (indented or not), JSONL, block YAML (comments, plain and quoted scalars,
several documents) and flow YAML, each with LF or CRLF line breaks, with or without a BOM.

(a) the bytes outside each round's edits are the bytes of the file before it;
(b) the fixed rules no longer fire, nothing fixable is left, and no new finding appears;
(c) a second --fix changes nothing;
(d) --diff, applied with patch(1), gives the bytes --fix writes.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from collections import Counter
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from strategies import DEFAULT_DURATION, valid_requests, yaml_string

from kling_lint import rule_ids
from kling_lint.engine import lint_bytes
from kling_lint.fix import fix_bytes, unified_diff

BOM = b"\xef\xbb\xbf"
STYLES = ("json", "json-compact", "jsonl", "yaml-block", "yaml-flow")
SUFFIX = {"json": ".json", "json-compact": ".json", "jsonl": ".jsonl", "yaml-block": ".yaml", "yaml-flow": ".yaml"}
# The mistakes injected here, each one with one right repair.
FIXED_RULES = {rule_ids.DURATION_AS_STRING, rule_ids.SHOT_TYPE_UNKNOWN, rule_ids.SHOT_INDEX, rule_ids.YAML11_AMBIGUOUS,
               rule_ids.MODEL_UNKNOWN, rule_ids.UNKNOWN_KEY}
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_YAML11 = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


# ---------------------------------------------------------------- mistakes


@st.composite
def mistaken_requests(draw: Any) -> dict[str, Any]:
    """A valid request with one or more fixable mistakes."""
    request = copy.deepcopy(draw(valid_requests()))
    request.pop("$schema", None)
    multi = isinstance(request.get("extra_body", {}).get("multi_prompt"), list)
    options = ["duration", "model", "prompt", "negative_prompt", "aspect_ratio"]
    if multi:
        options.append("index")
    else:
        options.append("shot_type")
    if "cfg_scale" in request.get("extra_body", {}):
        options.append("cfg")
    chosen = draw(st.lists(st.sampled_from(options), min_size=1, max_size=4, unique=True))
    for mistake in chosen:
        _MISTAKES[mistake](draw, request)
    return request


def _duration(draw: Any, request: dict[str, Any]) -> None:
    if "duration" not in request:
        request["duration"] = str(DEFAULT_DURATION)  # the default, so the shots still add up
    elif isinstance(request["duration"], int) and not isinstance(request["duration"], bool):
        request["duration"] = str(request["duration"])


def _model(draw: Any, request: dict[str, Any]) -> None:
    model = request["model"]
    request["model"] = model[:-2] + model[-1]  # "kling-v3-std-silet": one letter dropped


def _rename(request: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    return {(new if key == old else key): value for key, value in request.items()}


def _prompt(draw: Any, request: dict[str, Any]) -> None:
    if "prompt" not in request:
        _model(draw, request)
    else:
        renamed = _rename(request, "prompt", "promt")
        request.clear()
        request.update(renamed)


def _cfg(draw: Any, request: dict[str, Any]) -> None:
    renamed = _rename(request["extra_body"], "cfg_scale", "cfg")
    request["extra_body"] = renamed


def _negative_prompt(draw: Any, request: dict[str, Any]) -> None:
    extra = request.get("extra_body", {})
    text = extra.pop("negative_prompt", None) if "negative_prompt" in extra else draw(st.sampled_from(["blur", "low resolution, blur"]))
    items = list(request.items())
    items.insert(draw(st.integers(0, len(items))), ("negative_prompt", text))
    request.clear()
    request.update(items)


def _aspect_ratio(draw: Any, request: dict[str, Any]) -> None:
    request["aspect_ratio"] = "16:9"  # written plain in block YAML: a YAML 1.1 look-alike


def _index(draw: Any, request: dict[str, Any]) -> None:
    shots = request["extra_body"]["multi_prompt"]
    number = draw(st.integers(0, len(shots) - 1))
    if isinstance(shots[number], dict):
        shots[number]["index"] = draw(st.sampled_from([0, number + 2, len(shots) + 3]))


def _shot_type(draw: Any, request: dict[str, Any]) -> None:
    request.setdefault("extra_body", {})["shot_type"] = "intelligence"


_MISTAKES = {"duration": _duration, "model": _model, "prompt": _prompt, "cfg": _cfg, "negative_prompt": _negative_prompt,
             "aspect_ratio": _aspect_ratio, "index": _index, "shot_type": _shot_type}


# ---------------------------------------------------------------- writers


def _scalar(draw: Any, value: Any, key: Any, block: bool) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if key == "aspect_ratio" and value == "16:9" and block:
        return "16:9"
    if isinstance(value, str) and _PLAIN.fullmatch(value) and value.lower() not in _YAML11 and draw(st.booleans()):
        return value
    if isinstance(value, str) and value.isprintable() and "\\" not in value and draw(st.booleans()):
        return "'" + value.replace("'", "''") + "'"
    return yaml_string(value)


def _flow(draw: Any, value: Any, key: Any = None) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(draw, v, k)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(draw, v) for v in value) + "]"
    return _scalar(draw, value, key, block=False)


def _block(draw: Any, value: Any, indent: int, comments: bool) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if comments and draw(st.booleans()):
                lines.append(f"{pad}# about {key}")
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(_block(draw, item, indent + 2, comments))
            else:
                text = _flow(draw, item, key) if isinstance(item, (dict, list)) else _scalar(draw, item, key, block=True)
                note = "  # a note" if comments and draw(st.booleans()) else ""
                lines.append(f"{pad}{key}: {text}{note}")
    else:
        for item in value:
            inner = _block(draw, item, indent + 2, comments) if isinstance(item, dict) and item else [f"{pad}  {_flow(draw, item)}"]
            inner[0] = f"{pad}- {inner[0][indent + 2:]}"
            lines.extend(inner)
    return lines


@st.composite
def mistaken_files(draw: Any) -> tuple[str, bytes]:
    """(suffix, bytes) of a file holding one or more requests with fixable mistakes. Every
    mistake has its fix, but for a key moved from a line with a comment on it."""
    style = draw(st.sampled_from(STYLES))
    count = draw(st.integers(1, 3)) if style in ("jsonl", "yaml-block") else 1
    requests = [draw(mistaken_requests()) for _ in range(count)]
    if style == "json":
        text = json.dumps(requests[0], indent=2, ensure_ascii=False) + "\n"
    elif style == "json-compact":
        text = json.dumps(requests[0], ensure_ascii=False)
    elif style == "jsonl":
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in requests)
    elif style == "yaml-flow":
        text = _flow(draw, requests[0]) + "\n"
    else:
        comments = draw(st.booleans())
        head = "# requests with mistakes\n" if comments else ""
        text = head + "---\n".join("\n".join(_block(draw, r, 0, comments)) + "\n" for r in requests)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    event(f"style: {style}")
    return SUFFIX[style], (BOM + data if draw(st.booleans()) else data)


# ---------------------------------------------------------------- the laws


def _keys(findings: list[Any]) -> Counter[tuple[str, str]]:
    return Counter((f.rule, f.json_path) for f in findings)


def _unchanged_outside(before: str, after: str, fixes: tuple[Any, ...]) -> None:
    """Walk both texts: every character outside the edits is where the edits' lengths put it."""
    edits = sorted((edit for fix in fixes for edit in fix.edits), key=lambda edit: (edit.start, edit.end))
    shift = at = 0
    for edit in edits:
        assert edit.start >= at, "edits overlap"
        assert after[at + shift:edit.start + shift] == before[at:edit.start]
        assert after[edit.start + shift:edit.start + shift + len(edit.text)] == edit.text
        shift += len(edit.text) - (edit.end - edit.start)
        at = edit.end
    assert after[at + shift:] == before[at:]


@given(mistaken_files())
def test_fix_keeps_every_other_byte_and_mends_what_it_says(case: tuple[str, bytes]) -> None:
    suffix, data = case
    name = "request" + suffix
    before = lint_bytes(data, name)
    event("fixes: " + ", ".join(sorted({f.fix.message.split()[0] for f in before if f.fix})))
    outcome = fix_bytes(data, name, unsafe=True)
    assert outcome.note is None, outcome.note
    # (a) round by round, only the edits changed the text; a BOM, comments and line breaks stay
    bom = BOM if data.startswith(BOM) else b""
    assert outcome.data.startswith(bom) and not outcome.data[len(bom):].startswith(BOM)
    texts = [text for text, _ in outcome.rounds] + [outcome.data[len(bom):].decode("utf-8")]
    for (text, fixes), after in zip(outcome.rounds, texts[1:]):
        _unchanged_outside(text, after, fixes)
    original = data[len(bom):].decode("utf-8")
    if "\r\n" in original:
        assert texts[-1].count("\n") == texts[-1].count("\r\n")
    comments = re.findall(r"# (?:about [$\w]+|a note|requests with mistakes)", original)  # the writer's
    assert Counter(re.findall(r"# (?:about [$\w]+|a note|requests with mistakes)", texts[-1])) >= Counter(comments)
    # (b) every finding that had a fix is gone, nothing fixable is left, and nothing new appeared
    after = lint_bytes(outcome.data, name)
    assert after == outcome.findings
    assert not [f for f in after if f.fix is not None]
    fixable = _keys([f for f in before if f.fix is not None])
    assert not _keys(after) - (_keys(before) - fixable), after  # as multisets: documents may share paths
    unfixed = FIXED_RULES - {rule_ids.UNKNOWN_KEY} if b"# a note" in data else FIXED_RULES
    assert not [f for f in after if f.rule in unfixed], after  # every mistake injected has its fix
    # (c) a second --fix changes nothing
    again = fix_bytes(outcome.data, name, unsafe=True)
    assert again.data == outcome.data and again.fixed == 0


@pytest.mark.skipif(shutil.which("patch") is None, reason="patch(1) is not installed (.ci/run installs it)")
@given(mistaken_files(), st.booleans())
def test_diff_applied_with_patch_gives_what_fix_writes(tmp_path_factory: Any, case: tuple[str, bytes], unsafe: bool) -> None:
    suffix, data = case
    name = "request" + suffix
    outcome = fix_bytes(data, name, unsafe=unsafe)
    folder = tmp_path_factory.mktemp("patch")
    (folder / name).write_bytes(data)
    diff = unified_diff(data, outcome.data, name)
    assert bool(diff) == (outcome.data != data)
    if diff:
        subprocess.run(["patch", "-p1", "-s", "--no-backup-if-mismatch"], input=diff.encode("utf-8"), cwd=folder, check=True)
    assert (folder / name).read_bytes() == outcome.data
