#!/usr/bin/env python3
"""Benchmark kling-lint against check-jsonschema on the same files, as whole processes.

What it does (standard library only):

1. Builds a deterministic corpus (``--seed``; ``--files`` files, half JSON, half YAML, every mode:
   text-to-video, image-to-video, first-and-last-frame, multi-shot). One file in five carries
   exactly one error, drawn from a varied list (unknown model, duration 20, cfg_scale 1.5, a
   misspelt key, prompt together with multi_prompt, a duplicate key, a syntax error, ...). The
   corpus is checked once with ``kling-lint check --format json`` (not timed): the files with
   errors must be exactly the ones given one, each with exactly one error of the expected rule.
2. Times ``kling-lint check FILE...`` and ``check-jsonschema --schemafile schema/... FILE...`` on
   the whole corpus, passing the same file list in one argv to each (as pre-commit does), and on
   one small valid JSON file and one small valid YAML file. One warm-up run of each tool first
   (not counted), then ``--runs`` runs each, alternating A, B, A, B, ... Output is discarded;
   exit codes are recorded (kling-lint must exit 1 on the corpus, 0 on a valid file). Both
   tools get a private bytecode cache (PYTHONPYCACHEPREFIX, filled by the warm-up), so that a
   PYTHONDONTWRITEBYTECODE in the environment does not make either recompile its modules on
   every run (an editable install has no .pyc files of its own); --no-bytecode-cache turns it off.
3. Measures kling-lint's peak RSS on ``--files`` files and on ten times as many (the same
   generator, so the small corpus is a prefix of the large one), each in a fresh wrapper process
   that reads ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` after the run: with the paths in
   argv, with two directory arguments (argv of constant size), and, for reference, a bare
   ``python -c pass`` given the same argv (the interpreter's own cost of a long argv); the last
   row is the first minus that reference: what kling-lint itself holds.

Usage: python benchmarks/bench.py [--runs 7] [--files 2000] [--seed 20240611] [--keep DIR]
       [--kling-lint PATH] [--check-jsonschema PATH] [--skip-memory] [--markdown]
       [--no-bytecode-cache]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "kling-v3-video-request.schema.json"

GOAL_ONE_FILE = 0.25  # kling-lint time / check-jsonschema time, one small valid file
GOAL_CORPUS = 0.20  # the same, the whole corpus
GOAL_MEMORY = 1.5  # kling-lint peak RSS, 10x the files / the files
WARNING_SHARE = 1.0  # of the files without an error (4 in 5), in the corpus where most carry a warning
MEMORY_FACTOR = 10
MEMORY_RUNS = 3

MODELS = ["kling-v3-std-silent", "kling-v3-std-audio", "kling-v3-pro-silent", "kling-v3-pro-audio"]
MODES = ["text-to-video", "image-to-video", "first-and-last-frame", "multi-shot"]

# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------

SUBJECTS = [
    "a red fox", "an old lighthouse keeper", "a paper boat", "a hummingbird", "two astronauts",
    "a vintage tram", "a golden retriever puppy", "a street musician", "a koi carp", "a hot-air balloon",
    "a glass of iced coffee", "a samurai in the rain", "a toy robot", "a ballet dancer", "a steam locomotive",
]
ACTIONS = [
    "walking slowly through", "drifting across", "hovering above", "running along", "turning to face",
    "dancing in", "floating over", "crossing", "resting beside", "circling",
]
PLACES = [
    "a snowy pine forest", "a neon-lit alley at night", "a quiet harbour at dusk", "a field of sunflowers",
    "the surface of the moon", "a rainy city street", "a misty mountain lake", "a busy night market",
    "an empty desert highway", "a sunlit kitchen",
]
CAMERA = [
    "slow dolly-in", "wide establishing shot", "handheld tracking shot", "low-angle close-up",
    "aerial drone shot", "static tripod shot", "smooth orbit around the subject", "rack focus",
]
STYLE = [
    "cinematic lighting", "shallow depth of field", "35mm film grain", "soft golden-hour light",
    "high contrast", "pastel colours", "photorealistic", "anamorphic lens flare",
]
NEGATIVE = [
    "blur, artifacts", "low quality, watermark, text", "distorted hands, extra limbs",
    "flicker, jitter", "oversaturated colours", "cartoon, illustration",
]
SHOT_LINES = [
    "The camera rises over the city.", "A close-up of the clock tower.", "The subject looks up at the sky.",
    "Wide shot of the crowd dispersing.", "Slow pan across the empty room.", "The door swings open.",
    "Cut to the reflection in the window.", "Pull back to reveal the whole valley.",
]


def _prompt(rng: random.Random) -> str:
    text = f"{rng.choice(CAMERA).capitalize()} of {rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} {rng.choice(PLACES)}"
    for _ in range(rng.randint(0, 3)):
        text += f", {rng.choice(STYLE)}"
    return text + "."


def _image_url(rng: random.Random, what: str = "start") -> str:
    host = rng.choice(["cdn.example.com", "images.example.org", "assets.example.net"])
    return f"https://{host}/frames/{rng.getrandbits(48):012x}-{what}.{rng.choice(['png', 'jpg', 'jpeg'])}"


def _extra_body(rng: random.Random, multi: bool) -> dict:
    extra: dict = {}
    if rng.random() < 0.6:
        extra["cfg_scale"] = round(rng.uniform(0, 1), 2)
    if multi:
        extra["shot_type"] = "customize"
    elif rng.random() < 0.3:
        extra["shot_type"] = rng.choice(["customize", "intelligent"])
    if rng.random() < 0.5:
        extra["negative_prompt"] = rng.choice(NEGATIVE)
    if rng.random() < 0.1:
        extra["element_list"] = [{"element_id": rng.choice([f"el_{rng.randint(1000, 99999)}", rng.randint(1, 9999)])}
                                 for _ in range(rng.randint(1, 3))]
    return extra


def _shots(rng: random.Random, duration: int) -> list[dict]:
    count = rng.randint(2, min(5, duration))
    lines = rng.sample(SHOT_LINES, count)
    with_durations = rng.random() < 0.6
    with_index = rng.random() < 0.3
    if with_durations:  # split duration into count positive parts
        cuts = sorted(rng.sample(range(1, duration), count - 1))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, duration])]
    shots = []
    for i, line in enumerate(lines):
        shot: dict = {"prompt": line}
        if with_durations:
            shot["duration"] = parts[i]
        if with_index:
            shot["index"] = i + 1
        shots.append(shot)
    return shots


def make_request(rng: random.Random, mode: str) -> dict:
    """A valid request (no error, no warning) of the given mode."""
    request: dict = {"model": rng.choice(MODELS)}
    duration = rng.choice([5, 5, 10, rng.randint(3, 15)])
    if mode == "multi-shot":
        if rng.random() < 0.4:
            request["image"] = _image_url(rng)
        elif rng.random() < 0.5:
            request["aspect_ratio"] = rng.choice(["16:9", "9:16", "1:1"])
        request["duration"] = duration
        extra = _extra_body(rng, multi=True)
        extra["multi_prompt"] = _shots(rng, duration)
        request["extra_body"] = extra
        return request
    request["prompt"] = _prompt(rng)
    if mode == "text-to-video":
        if rng.random() < 0.7:
            request["aspect_ratio"] = rng.choice(["16:9", "9:16", "1:1"])
    else:
        request["image"] = _image_url(rng)
        if mode == "first-and-last-frame":
            request["last_image"] = _image_url(rng, "end")
    if rng.random() < 0.85:
        request["duration"] = duration
    extra = _extra_body(rng, multi=False)
    if extra:
        request["extra_body"] = extra
    return request


# Each error: (name, rule kling-lint must report, mutation). A mutation changes the request in
# place, or returns a function that changes the rendered text (for errors a dict cannot hold).

def _extra(request: dict) -> dict:
    return request.setdefault("extra_body", {})


def _to_multi(rng: random.Random, request: dict) -> list[dict]:
    """Make the request multi-shot (if it is not) and return its shots."""
    request.pop("prompt", None)
    request.pop("last_image", None)
    extra = _extra(request)
    extra["shot_type"] = "customize"
    if "multi_prompt" not in extra:
        extra["multi_prompt"] = _shots(rng, request.setdefault("duration", 5))
    return extra["multi_prompt"]


def _to_single(rng: random.Random, request: dict) -> None:
    """Make the request single-prompt (if it is not)."""
    extra = request.get("extra_body", {})
    if "multi_prompt" in extra:
        del extra["multi_prompt"]
        request["prompt"] = _prompt(rng)


def _err_model_unknown(rng, r):
    r["model"] = rng.choice(["kling-v3-standard", "kling-v2-master", "kling-v3-pro", "kling-v3-std-silnet"])


def _err_model_missing(rng, r):
    del r["model"]


def _err_duration_range(rng, r):
    _to_single(rng, r)
    r["duration"] = rng.choice([20, 2, 16, 60])


def _err_duration_type(rng, r):
    _to_single(rng, r)
    r["duration"] = True


def _err_cfg_scale(rng, r):
    _extra(r)["cfg_scale"] = rng.choice([1.5, -0.2, 2])


def _err_cfg_key(rng, r):
    extra = _extra(r)
    extra.pop("cfg_scale", None)
    extra["cfg"] = round(rng.uniform(0, 1), 2)


def _err_prompt_and_multi(rng, r):
    _to_multi(rng, r)
    r["prompt"] = _prompt(rng)


def _err_last_without_image(rng, r):
    _to_single(rng, r)
    r.pop("image", None)
    r["last_image"] = _image_url(rng, "end")


def _err_multi_last_image(rng, r):
    _to_multi(rng, r)
    r.pop("aspect_ratio", None)
    r.setdefault("image", _image_url(rng))
    r["last_image"] = _image_url(rng, "end")


def _err_shot_type(rng, r):
    _extra(r)["shot_type"] = "intelligence"
    _to_single(rng, r)


def _err_prompt_empty(rng, r):
    _to_single(rng, r)
    r["prompt"] = rng.choice(["", "   "])


def _err_prompt_too_long(rng, r):
    _to_single(rng, r)
    r["prompt"] = (_prompt(rng) + " ") * 40 + "x" * 2600


def _err_negative_top(rng, r):
    extra = _extra(r)
    r["negative_prompt"] = extra.pop("negative_prompt", rng.choice(NEGATIVE))
    if not extra:
        del r["extra_body"]


def _err_image_url(rng, r):
    r.pop("aspect_ratio", None)
    r["image"] = rng.choice(["ftp://example.com/frame.png", "example.com/frame.png",
                             "data:image/png;base64,iVBORw0KGgo=", "https:///frame.png", "frame.png"])


def _err_seven_shots(rng, r):
    shots = _to_multi(rng, r)
    shots[:] = [{"prompt": SHOT_LINES[i % len(SHOT_LINES)]} for i in range(7)]


def _err_shot_prompt(rng, r):
    shots = _to_multi(rng, r)
    shots[rng.randrange(len(shots))]["prompt"] = " "


def _err_shot_index(rng, r):
    shots = _to_multi(rng, r)
    for i, shot in enumerate(shots):
        shot["index"] = i + 1
    shots[-1]["index"] = len(shots) + rng.randint(1, 3)
    # (index 0 is left out: kling-lint reports it as rule "schema", not "shot-index")


def _err_shot_sum(rng, r):
    shots = _to_multi(rng, r)
    for shot in shots:
        shot["duration"] = 2
    r["duration"] = 2 * len(shots) + 1


def _err_aspect_ratio(rng, r):
    r.pop("image", None)
    r.pop("last_image", None)
    r["aspect_ratio"] = rng.choice(["4:3", "21:9", "16x9"])


def _err_element_list(rng, r):
    _extra(r)["element_list"] = rng.choice([[], [{"element_id": ""}], [{"element_id": 0}],
                                            [{"element_id": f"el_{k}"} for k in range(4)]])


def _err_kling_key(rng, r):
    key, value = rng.choice([("mode", "pro"), ("image_tail", _image_url(rng, "end")), ("sound", "on"),
                             ("model_name", "kling-v3"), ("aspect-ratio", "16:9")])
    r[key] = value


def _err_secret(rng, r):
    _extra(r)["negative_prompt"] = "sk-" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(40))


def _err_duplicate_key(rng, r):
    other = rng.choice(MODELS)

    def edit(text: str, fmt: str) -> str:
        if fmt == "json":  # a second "model" right after the opening brace
            return text.replace("{\n", '{\n  "model": "%s",\n' % other, 1)
        return f"model: {other}\n" + text

    return edit


def _err_syntax(rng, r):
    def edit(text: str, fmt: str) -> str:
        if fmt == "json":
            return text.rstrip().rstrip("}") + (",\n" if rng.random() < 0.5 else "\n")
        return text + "extra_body: [unclosed\n"

    return edit


ERRORS = [
    ("model unknown", "model-unknown", _err_model_unknown),
    ("model missing", "model-missing", _err_model_missing),
    ("duration out of range", "duration-range", _err_duration_range),
    ("duration true", "type-mismatch", _err_duration_type),
    ("cfg_scale out of range", "cfg-scale-range", _err_cfg_scale),
    ("misspelt key cfg", "unknown-key", _err_cfg_key),
    ("prompt + multi_prompt", "prompt-and-multi-prompt", _err_prompt_and_multi),
    ("last_image without image", "last-image-without-image", _err_last_without_image),
    ("multi_prompt + last_image", "multi-prompt-last-image", _err_multi_last_image),
    ("shot_type intelligence", "shot-type-unknown", _err_shot_type),
    ("empty prompt", "prompt-empty", _err_prompt_empty),
    ("prompt too long", "prompt-too-long", _err_prompt_too_long),
    ("negative_prompt at top level", "unknown-key", _err_negative_top),
    ("bad image URL", "image-url", _err_image_url),
    ("7 shots", "multi-prompt-size", _err_seven_shots),
    ("blank shot prompt", "shot-prompt", _err_shot_prompt),
    ("wrong shot index", "shot-index", _err_shot_index),
    ("shot durations sum", "shot-durations-sum", _err_shot_sum),
    ("aspect ratio 4:3", "aspect-ratio-unknown", _err_aspect_ratio),
    ("bad element_list", "element-list", _err_element_list),
    ("Kling-only key", "unknown-key", _err_kling_key),
    ("token in request", "secret-in-request", _err_secret),
    ("duplicate key", "duplicate-key", _err_duplicate_key),
    ("syntax error", "syntax", _err_syntax),
]

# --- YAML output: block style, strings quoted where a reader could take them for something else

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _,.'()/-]*|https?://[A-Za-z0-9._~/?&=%-]+")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _yaml_scalar(value: object, quote: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if (quote or not _PLAIN.fullmatch(text) or text.lower() in _YAML_WORDS or text != text.strip()):
        return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    return text


def _yaml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", key) else json.dumps(key)


def to_yaml(value: object, indent: int = 0) -> str:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            head = f"{pad}{_yaml_key(key)}:"
            if isinstance(item, (dict, list)) and item:
                lines.append(head + "\n" + to_yaml(item, indent + 2))
            elif isinstance(item, (dict, list)):
                lines.append(f"{head} {'{}' if isinstance(item, dict) else '[]'}\n")
            else:
                lines.append(f"{head} {_yaml_scalar(item, quote=key == 'aspect_ratio')}\n")
    else:  # a list: items of dicts as "- key: value" blocks
        for item in value:  # type: ignore[union-attr]
            if isinstance(item, dict) and item:
                block = to_yaml(item, indent + 2)
                lines.append(f"{pad}- {block[indent + 2:]}")
            else:
                lines.append(f"{pad}- {_yaml_scalar(item)}\n")
    return "".join(lines)


@dataclass
class Corpus:
    root: Path
    files: list[str] = field(default_factory=list)  # relative to root
    expected: dict[str, str] = field(default_factory=dict)  # file -> the rule of its one error
    modes: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    warned: int = 0  # files given a warning (and no error)


# Warnings a valid request often carries; the first is the seed's own image-to-video example
# (aspect_ratio sent with an image). Each returns the rule it provokes.

def _warn_aspect_ratio_ignored(rng, r):
    _to_single(rng, r)
    r.setdefault("image", _image_url(rng))
    r["aspect_ratio"] = rng.choice(["16:9", "9:16", "1:1"])
    return "aspect-ratio-ignored"


def _warn_duration_as_string(rng, r):
    _to_single(rng, r)
    r["duration"] = str(rng.randint(3, 15))
    return "duration-as-string"


def _warn_shot_type_missing(rng, r):
    _to_multi(rng, r)
    del _extra(r)["shot_type"]
    return "multi-prompt-shot-type"


WARNINGS = [_warn_aspect_ratio_ignored] * 3 + [_warn_duration_as_string, _warn_shot_type_missing]


def build_corpus(root: Path, count: int, seed: int, warning_share: float = 0.0) -> Corpus:
    """``count`` files under ``root``; file i is the same for every ``count`` > i (same seed).

    Even files are JSON, odd files YAML; in every block of ten files two carry one error.
    With ``warning_share``, that share of the other files carries a warning (most often
    aspect_ratio with an image), so that most files go down the path that places findings.
    """
    rng = random.Random(seed)
    corpus = Corpus(root)
    (root / "json").mkdir(parents=True, exist_ok=True)
    (root / "yaml").mkdir(parents=True, exist_ok=True)
    broken: set[int] = set()
    for i in range(count):
        if i % 10 == 0:
            broken = {i + k for k in rng.sample(range(10), 2)}
        fmt = "json" if i % 2 == 0 else "yaml"
        mode = rng.choice(MODES)
        request = make_request(rng, mode)
        edit = None
        if warning_share and i not in broken and rng.random() < warning_share:
            rng.choice(WARNINGS)(rng, request)
            corpus.warned += 1
        if i in broken:
            kind, rule, mutate = rng.choice(ERRORS)
            edit = mutate(rng, request)
            corpus.kinds[kind] = corpus.kinds.get(kind, 0) + 1
        text = json.dumps(request, indent=2, ensure_ascii=False) + "\n" if fmt == "json" else to_yaml(request)
        if edit is not None:
            text = edit(text, fmt)
        name = f"{fmt}/r{i:05d}.{fmt}"
        (root / name).write_text(text, encoding="utf-8")
        corpus.files.append(name)
        corpus.modes[mode] = corpus.modes.get(mode, 0) + 1
        if i in broken:
            corpus.expected[name] = rule
    return corpus


VALID_ONE = {
    "model": "kling-v3-std-silent",
    "prompt": "A paper boat drifting down a rainy street, slow dolly-in, cinematic lighting.",
    "aspect_ratio": "16:9",
    "duration": 5,
    "extra_body": {"cfg_scale": 0.5, "negative_prompt": "blur, artifacts"},
}


def write_single(root: Path) -> tuple[str, str]:
    (root / "single").mkdir(parents=True, exist_ok=True)
    (root / "single/request.json").write_text(json.dumps(VALID_ONE, indent=2) + "\n", encoding="utf-8")
    (root / "single/request.yaml").write_text(to_yaml(VALID_ONE), encoding="utf-8")
    return "single/request.json", "single/request.yaml"


def verify_corpus(kling_lint: str, corpus: Corpus) -> str:
    """Check (untimed) that exactly the broken files have errors: one each, of the expected rule."""
    proc = subprocess.run([kling_lint, "check", "--format", "json", *corpus.files], cwd=corpus.root,
                          env=CHILD_ENV, capture_output=True, text=True)
    errors: dict[str, list[str]] = {}
    for d in json.loads(proc.stdout)["diagnostics"]:
        if d["severity"] == "error":
            errors.setdefault(d["file"], []).append(d["rule"])
    problems = []
    for name in sorted(set(errors) | set(corpus.expected)):
        want, got = corpus.expected.get(name), errors.get(name, [])
        if want is None or got != [want]:
            problems.append(f"  {name}: expected {[want] if want else []}, kling-lint reported {got}")
    if problems:
        sys.exit("corpus check failed:\n" + "\n".join(problems[:20]))
    rules = {rule for rules in errors.values() for rule in rules}
    return f"verified: {len(errors)} files with exactly one error each, {len(rules)} distinct rules"


# ---------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------

@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


# The environment both tools run in; set by main() (see --no-bytecode-cache).
CHILD_ENV: dict[str, str] | None = None


def run_once(argv: list[str], cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    code = subprocess.run(argv, cwd=cwd, env=CHILD_ENV, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode
    return time.perf_counter() - start, code


def compare(a: list[str], b: list[str], cwd: Path, runs: int) -> tuple[Timing, Timing]:
    """One warm-up of each, then ``runs`` of each, alternating A, B."""
    run_once(a, cwd)
    run_once(b, cwd)
    ta, tb = Timing(), Timing()
    for _ in range(runs):
        for argv, timing in ((a, ta), (b, tb)):
            seconds, code = run_once(argv, cwd)
            timing.seconds.append(seconds)
            timing.codes.append(code)
    return ta, tb


_WRAPPER = """\
import resource, subprocess, sys
code = subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdin=subprocess.DEVNULL,
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(rss * (1 if sys.platform == "darwin" else 1024), code)
"""


def peak_rss(argv: list[str], cwd: Path) -> tuple[int, int]:
    """Peak RSS in bytes of ``argv`` (the largest child of a fresh wrapper process) and its exit code."""
    out = subprocess.run([sys.executable, "-c", _WRAPPER, str(cwd), *argv], env=CHILD_ENV,
                         capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), int(out[1])


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:,.1f} ms"


def _spread(t: Timing) -> str:
    return f"{_ms(t.median)} ({_ms(min(t.seconds))}–{_ms(max(t.seconds))})"


def _mib(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB"


def render(header: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join("{:<%d}" % w for w in widths)
    return "\n".join([fmt.format(*header), fmt.format(*("-" * w for w in widths))] + [fmt.format(*r) for r in rows])


def _find_tool(name: str, given: str | None) -> str:
    if given:
        return given
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if not found:
        sys.exit(f"{name} not found next to {sys.executable} nor on PATH; pass --{name} PATH")
    return found


def _version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout.strip()
    except OSError as error:
        return f"? ({error})"
    return out.splitlines()[0] if out else "?"


def _git_state() -> str:
    """The commit of the checkout being measured, and whether kling_lint/ or schema/ differ from it."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True,
                              text=True, timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "kling_lint", "schema"],
                               capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "? (no git)"
    if not head:
        return "? (not a git checkout)"
    return head[:70] + (f" + uncommitted changes in {len(dirty.splitlines())} file(s)" if dirty else "")


def _loadavg() -> str:
    try:
        return "load average %.2f %.2f %.2f (1, 5, 15 min; other work on the machine skews the times)" % os.getloadavg()
    except (OSError, AttributeError):
        return "?"


def _nproc() -> str:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    return f"{usable} usable of {os.cpu_count()}"


def _check_argv_fits(corpus: Corpus) -> None:
    try:
        limit = os.sysconf("SC_ARG_MAX")
    except (ValueError, OSError, AttributeError):
        return
    size = sum(len(f) + 1 + 8 for f in corpus.files) + sum(len(k) + len(v) + 2 + 8 for k, v in os.environ.items())
    if size > limit * 0.9:
        sys.exit(f"the argv for {len(corpus.files)} files (~{size} bytes) does not fit ARG_MAX ({limit}); use fewer files")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each tool per case (default 7)")
    parser.add_argument("--files", type=int, default=2000, help="corpus size (default 2000)")
    parser.add_argument("--seed", type=int, default=20240611, help="corpus seed")
    parser.add_argument("--keep", metavar="DIR", help="write the corpus to DIR and keep it")
    parser.add_argument("--kling-lint", metavar="PATH", help="kling-lint executable")
    parser.add_argument("--check-jsonschema", metavar="PATH", help="check-jsonschema executable")
    parser.add_argument("--skip-memory", action="store_true", help=f"skip the peak-memory comparison (builds {MEMORY_FACTOR}x the files)")
    parser.add_argument("--markdown", action="store_true", help="print the result tables as Markdown too")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="run the tools in the environment as it is (by default they get a private "
                             "bytecode cache, PYTHONPYCACHEPREFIX, and PYTHONDONTWRITEBYTECODE is dropped, "
                             "so that neither recompiles its modules on every run)")
    args = parser.parse_args()
    if args.runs < 1 or args.files < 10:
        parser.error("--runs must be at least 1 and --files at least 10")

    kling_lint = _find_tool("kling-lint", args.kling_lint)
    cjs = _find_tool("check-jsonschema", args.check_jsonschema)

    print("kling-lint benchmark")
    print(f"  date:     {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"  machine:  {platform.platform()} ({platform.machine()}), nproc {_nproc()}")
    print(f"  python:   {platform.python_implementation()} {platform.python_version()} ({sys.executable})")
    print(f"  tools:    {_version([kling_lint, '--version'])} ({kling_lint})")
    print(f"            {_version([cjs, '--version'])} ({cjs})")
    print(f"  source:   {_git_state()}")
    print(f"  load:     {_loadavg()}")
    print(f"  settings: seed {args.seed}, {args.files} files, {args.runs} runs each after 1 warm-up, alternating")

    with tempfile.TemporaryDirectory(prefix="kling-bench-") as tmp:
        global CHILD_ENV
        if not args.no_bytecode_cache:
            CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
            print(f"  bytecode: private cache for both tools (PYTHONPYCACHEPREFIX), filled by the warm-up runs"
                  + ("; PYTHONDONTWRITEBYTECODE dropped" if "PYTHONDONTWRITEBYTECODE" in os.environ else ""))
        else:
            print("  bytecode: environment as it is" + (" (PYTHONDONTWRITEBYTECODE is set: modules without a "
                  ".pyc are compiled on every run)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""))
        base = Path(args.keep).resolve() if args.keep else Path(tmp)
        root = base / f"corpus-{args.files}"
        if root.exists():
            shutil.rmtree(root)
        corpus = build_corpus(root, args.files, args.seed)
        single_json, single_yaml = write_single(root)
        _check_argv_fits(corpus)
        warned = build_corpus(base / f"corpus-{args.files}-warnings", args.files, args.seed, WARNING_SHARE)
        n_json = sum(f.endswith(".json") for f in corpus.files)
        print(f"\ncorpus: {root}")
        print(f"  {len(corpus.files)} files ({n_json} JSON, {len(corpus.files) - n_json} YAML), "
              f"{sum(os.path.getsize(root / f) for f in corpus.files) / 1024:,.0f} KiB")
        print("  modes: " + ", ".join(f"{m} {corpus.modes.get(m, 0)}" for m in MODES))
        print(f"  {len(corpus.expected)} files with one error ({100 * len(corpus.expected) / len(corpus.files):.0f}%), "
              f"{len(corpus.kinds)} kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(corpus.kinds.items())))
        print("  " + verify_corpus(kling_lint, corpus))
        print(f"\ncorpus with warnings: {warned.root}")
        print(f"  the same generator; {warned.warned} files ({100 * warned.warned / len(warned.files):.0f}%) also carry "
              f"a warning (aspect_ratio with an image in 3 of 5, a duration string, multi_prompt without shot_type)")
        print("  " + verify_corpus(kling_lint, warned))

        schema = ["--schemafile", str(SCHEMA)]
        cases = [
            (f"{len(corpus.files)} files", corpus.files, 1, GOAL_CORPUS),
            (f"{len(warned.files)} files, most with a warning", warned.files, 1, GOAL_CORPUS),
            ("1 valid JSON file", [single_json], 0, GOAL_ONE_FILE),
            ("1 valid YAML file", [single_yaml], 0, GOAL_ONE_FILE),
        ]
        rows: list[list[str]] = []
        failures: list[str] = []
        print()
        for label, files, want, goal in cases:
            print(f"timing: {label} ...", flush=True)
            where = warned.root if files is warned.files else root
            kl, cj = compare([kling_lint, "check", *files], [cjs, *schema, *files], where, args.runs)
            if set(kl.codes) != {want}:
                failures.append(f"kling-lint exit codes on {label}: {sorted(set(kl.codes))}, expected {want}")
            ratio = kl.median / cj.median
            rows.append([label, _spread(kl), _spread(cj), f"{ratio:.3f}x", f"<= {goal:.2f}x",
                         "yes" if ratio <= goal else "NO",
                         f"{','.join(map(str, sorted(set(kl.codes))))} / {','.join(map(str, sorted(set(cj.codes))))}"])

        mem_rows: list[list[str]] = []
        if not args.skip_memory:
            big_count = args.files * MEMORY_FACTOR
            big_root = base / f"corpus-{big_count}"
            if big_root.exists():
                shutil.rmtree(big_root)
            print(f"memory: building {big_count} files ...", flush=True)
            big = build_corpus(big_root, big_count, args.seed)
            _check_argv_fits(big)
            variants = [  # (label, argv for a corpus, expected exit code, goal)
                ("kling-lint check FILE... (paths in argv)", lambda c: [kling_lint, "check", *c.files], 1, GOAL_MEMORY),
                ("kling-lint check json yaml (2 directories)", lambda c: [kling_lint, "check", "json", "yaml"], 1, GOAL_MEMORY),
                ("reference: python -c pass FILE... (same argv)", lambda c: [sys.executable, "-c", "pass", *c.files], 0, None),
            ]
            medians: list[list[float]] = []
            for label, make_argv, want, goal in variants:
                print(f"memory: {label} ...", flush=True)
                peaks, cells = [], []
                for c in (corpus, big):
                    samples = []
                    for _ in range(MEMORY_RUNS):
                        rss, code = peak_rss(make_argv(c), c.root)
                        if code != want:
                            failures.append(f"exit code {code} (expected {want}) from {label} on {len(c.files)} files")
                        samples.append(rss)
                    peaks.append(statistics.median(samples))
                    cells.append(f"{_mib(statistics.median(samples))} ({_mib(min(samples))}–{_mib(max(samples))})")
                medians.append(peaks)
                ratio = peaks[1] / peaks[0]
                mem_rows.append([label, *cells, f"{ratio:.3f}x", f"<= {goal:.2f}x" if goal else "-",
                                 ("yes" if ratio <= goal else "NO") if goal else "-"])
            # What kling-lint holds beyond what the interpreter holds for the same argv.
            own = [with_argv - bare for with_argv, bare in zip(medians[0], medians[2])]
            ratio = own[1] / own[0]
            mem_rows.append(["kling-lint's own: first row minus reference", _mib(own[0]), _mib(own[1]),
                             f"{ratio:.3f}x", f"<= {GOAL_MEMORY:.2f}x", "yes" if ratio <= GOAL_MEMORY else "NO"])
            if not args.keep:
                shutil.rmtree(big_root)

    time_header = ["case", "kling-lint median (min–max)", "check-jsonschema median (min–max)",
                   "ratio", "goal", "met", "exit kl / cjs"]
    mem_header = [f"peak RSS, median of {MEMORY_RUNS} (min–max)", f"{args.files} files",
                  f"{args.files * MEMORY_FACTOR} files", "ratio", "goal", "met"]
    print(f"\nresults (wall time of whole processes, {args.runs} runs each; ratio = kling-lint / check-jsonschema medians)\n")
    print(render(time_header, rows, markdown=False))
    if mem_rows:
        print("\npeak RSS: the largest single process (kling-lint's main process or one of its workers), "
              "from getrusage(RUSAGE_CHILDREN) in a fresh wrapper\n")
        print(render(mem_header, mem_rows, markdown=False))
    if args.markdown:
        print("\nMarkdown:\n")
        print(render(time_header, rows, markdown=True))
        if mem_rows:
            print()
            print(render(mem_header, mem_rows, markdown=True))
    print(f"\nload at the end: {_loadavg()}")
    if args.keep:
        print(f"corpus kept in {base}")
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
