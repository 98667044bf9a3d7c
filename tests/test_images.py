"""The image rules offline: base64 frames read from their own bytes, against Kling's limits.

Images are made here: by Pillow (PNG, JPEG, WebP, GIF, as a real encoder writes them) and by
strategies.png (a PNG of any size in microseconds). Pillow is also the reference the header
reader is held to: the same format and dimensions, without decoding a pixel.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

import kling_lint
from kling_lint.contract import Contract, default_contract, image_rules
from kling_lint.contract.schema import load_schema
from kling_lint.images import ImageInfo, describe_image, megabytes, read_image
from strategies import png

PROMPT = "The lighthouse keeper opens the door and looks out to sea."
LIMITS = load_schema()["$defs"]["imageReference"]["x-kling-image"]
LIMIT = image_rules.limits(default_contract())


def encoded(fmt: str, width: int, height: int, **options) -> bytes:
    """An image as Pillow writes it, with a little texture so that encoders have work to do."""
    image = Image.new("RGB", (width, height), (40, 90, 160))
    for x in range(0, width, 7):
        image.putpixel((x, (x * 3) % height), (250, 200, 10))
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def request(image: bytes | str, last_image: bytes | str | None = None) -> dict:
    out = {"model": "kling-v3-std-silent", "prompt": PROMPT,
           "image": b64(image) if isinstance(image, bytes) else image}
    if last_image is not None:
        out["last_image"] = b64(last_image) if isinstance(last_image, bytes) else last_image
    return out


def errors(value: dict) -> set[tuple[str, str]]:
    """(rule, json_path) of every finding but the image-base64 warning every base64 frame gets."""
    return {(f.rule, f.json_path) for f in kling_lint.lint(value) if f.rule != "image-base64"}


def message(value: dict, rule: str) -> str:
    [finding] = [f for f in kling_lint.lint(value) if f.rule == rule]
    return finding.message


# ---------------------------------------------------------------- the header reader


@pytest.mark.parametrize("fmt, name, options", [
    ("PNG", "PNG", {}), ("JPEG", "JPEG", {}), ("JPEG", "JPEG", {"progressive": True}),
    ("WEBP", "WebP", {}), ("WEBP", "WebP", {"lossless": True}), ("GIF", "GIF", {}), ("BMP", "BMP", {}),
])
def test_the_reader_names_the_format_and_size_pillow_reads(fmt: str, name: str, options: dict) -> None:
    data = encoded(fmt, 640, 360, **options)
    assert read_image(data) == ImageInfo(name, len(data), 640, 360, True)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (640, 360)


@given(width=st.integers(1, 1500), height=st.integers(1, 1500), fmt=st.sampled_from(["PNG", "JPEG"]),
       progressive=st.booleans())
def test_the_reader_agrees_with_pillow_on_any_jpeg_or_png(width: int, height: int, fmt: str, progressive: bool) -> None:
    data = encoded(fmt, width, height, **({"progressive": progressive} if fmt == "JPEG" else {}))
    info = read_image(data)
    with Image.open(io.BytesIO(data)) as image:
        assert (info.format, info.width, info.height) == (image.format, *image.size)
    assert info.complete and info.size == len(data)


@given(data=st.data(), fmt=st.sampled_from(["PNG", "JPEG"]))
def test_every_cut_of_a_jpeg_or_png_is_cut_short(data: st.DataObject, fmt: str) -> None:
    whole = encoded(fmt, data.draw(st.integers(300, 700)), data.draw(st.integers(300, 700)))
    cut = data.draw(st.integers(3 if fmt == "JPEG" else 8, len(whole) - 1))
    info = read_image(whole[:cut])
    assert info.format == fmt and not info.complete


def test_bytes_after_the_end_marker_do_not_make_an_image_incomplete() -> None:
    for fmt in ("PNG", "JPEG"):
        assert read_image(encoded(fmt, 400, 400) + b"\x00trailing").complete


@pytest.mark.parametrize("data, name", [
    (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(40), "HEIC"),
    (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1" + bytes(40), "AVIF"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG"),
    (b"%PDF-1.7\n" + bytes(60), "PDF"),
    (b"<!DOCTYPE html><html><body>a page</body></html>", "HTML"),
    (b"just some text, no image at all" * 3, None),
])
def test_other_formats_are_named_or_said_to_be_no_image(data: bytes, name: str | None) -> None:
    assert read_image(data).format == name


def test_describe_image_reads_base64_and_leaves_urls_alone() -> None:
    data = encoded("PNG", 1280, 720)
    info = describe_image(b64(data))
    assert info == ImageInfo("PNG", len(data), 1280, 720, True)
    assert info.shown == f"PNG, 1280x720 px, {megabytes(len(data))}"
    for value in ("https://example.com/frame.png", "data:image/png;base64," + b64(data), "not base64!" * 8, "", 5, None):
        assert describe_image(value) is None, value


def test_megabytes_reads_as_people_do() -> None:
    assert [megabytes(n) for n in (812, 340 * 1024, 10 * 1024 * 1024, 11 * 1024 * 1024 + 1)] == ["812 bytes", "340 KB", "10 MB", "11 MB"]


# ---------------------------------------------------------------- each rule, from real images


def test_jpeg_and_png_within_the_limits_pass() -> None:
    assert errors(request(encoded("JPEG", 1280, 720), encoded("PNG", 1280, 720))) == set()


@pytest.mark.parametrize("fmt, name", [("WEBP", "WebP"), ("GIF", "GIF")])
def test_webp_and_gif_are_named(fmt: str, name: str) -> None:
    value = request(encoded(fmt, 640, 480))
    assert errors(value) == {("image-format", "$.image")}
    assert f"a {name} image" in message(value, "image-format")
    assert "JPEG or PNG" in message(value, "image-format")


def test_bytes_that_are_no_image_say_so() -> None:
    value = request(b"This is a text file that someone encoded as base64 by mistake.")
    assert errors(value) == {("image-format", "$.image")}
    assert "not an image" in message(value, "image-format")


@pytest.mark.parametrize("fmt, end", [("PNG", "IEND"), ("JPEG", "end-of-image")])
def test_a_truncated_image_is_an_error(fmt: str, end: str) -> None:
    whole = encoded(fmt, 800, 600)
    value = request(encoded("PNG", 800, 600), whole[: len(whole) * 2 // 3])
    assert errors(value) == {("image-truncated", "$.last_image")}
    assert end in message(value, "image-truncated")


def test_an_image_over_10_mb_is_an_error() -> None:
    # 2000x1800 RGB stored without compression: a real PNG of about 10.3 MB.
    import struct
    import zlib

    width, height = 2000, 1800
    rows = (b"\x00" + bytes(width * 3)) * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 0)) + chunk(b"IEND", b""))
    assert len(data) > LIMITS["maxBytes"]
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (width, height)
    findings = image_rules.frame_problems("image", read_image(data), LIMIT)
    assert [(p.rule, p.path) for p in findings] == [("image-too-large", ("image",))]
    assert f"{len(data):,} bytes" in findings[0].message and "more than the 10 MB allowed" in findings[0].message


def test_the_size_limit_is_inclusive() -> None:
    most = LIMITS["maxBytes"]
    rules = [p.rule for p in image_rules.frame_problems("image", ImageInfo("PNG", most, 1000, 1000), LIMIT)]
    assert rules == []
    rules = [p.rule for p in image_rules.frame_problems("image", ImageInfo("PNG", most + 1, 1000, 1000), LIMIT)]
    assert rules == ["image-too-large"]


def test_too_small_and_ratio_name_the_figures_and_the_limits() -> None:
    value = request(encoded("PNG", 299, 600))
    assert errors(value) == {("image-too-small", "$.image")}
    assert "299x600 px" in message(value, "image-too-small") and "300 px" in message(value, "image-too-small")
    value = request(encoded("JPEG", 1600, 600))
    assert errors(value) == {("image-aspect-ratio", "$.image")}
    assert "2.67:1" in message(value, "image-aspect-ratio") and "1:2.5 to 2.5:1" in message(value, "image-aspect-ratio")


def test_frames_with_noticeably_different_ratios_warn() -> None:
    findings = kling_lint.lint(request(encoded("JPEG", 1280, 720), encoded("JPEG", 800, 800)))
    [warning] = [f for f in findings if f.rule == "image-ratios-differ"]
    assert warning.severity is kling_lint.Severity.WARNING and warning.json_path == "$.last_image"
    assert "1.78:1" in warning.message and "1.00:1" in warning.message
    # 1920x1080 and 1920x1088 differ by 0.7%: no warning
    assert errors(request(png(1920, 1080), png(1920, 1088))) == set()


@given(width=st.integers(300, 2000), height=st.integers(300, 2000), other_width=st.integers(300, 2000))
def test_the_ratio_warning_follows_the_tolerance_exactly(width: int, height: int, other_width: int) -> None:
    from fractions import Fraction

    first, last = Fraction(width, height), Fraction(other_width, height)
    differ = max(first, last) / min(first, last) - 1 > Fraction(str(LIMITS["framesRatioTolerance"]))
    infos = ImageInfo("PNG", 1000, width, height), ImageInfo("PNG", 1000, other_width, height)
    assert bool(image_rules.ratio_problems(*infos, LIMIT)) == differ


@st.composite
def boundary_sizes(draw: st.DrawFn) -> tuple[int, int]:
    """Sizes at the limits: sides of 299, 300, 301 and ratios of 2.5 and just above."""
    side = LIMITS["minSide"]
    short = draw(st.one_of(st.sampled_from([side - 1, side, side + 1]), st.integers(1, 1000)))
    exact = short * 5 // 2  # the longest side within 2.5:1 for this short side
    long = draw(st.one_of(st.sampled_from([short, exact, exact + 1]), st.integers(short, 3 * short)))
    return (long, short) if draw(st.booleans()) else (short, long)


@given(size=boundary_sizes(), fmt=st.sampled_from(["strategies-png", "PNG", "JPEG"]))
def test_the_verdict_matches_the_stated_limits_at_the_boundaries(size: tuple[int, int], fmt: str) -> None:
    width, height = size
    data = png(width, height) if fmt == "strategies-png" else encoded(fmt, width, height)
    found = {rule for rule, _ in errors(request(data))}
    short, long = min(size), max(size)
    assert ("image-too-small" in found) == (short < LIMITS["minSide"])
    assert ("image-aspect-ratio" in found) == (long * 10 > short * int(LIMITS["maxAspectRatio"] * 10))
    assert found <= {"image-too-small", "image-aspect-ratio"}


def test_the_limits_are_read_from_the_contracts_schema() -> None:
    schema = json.loads(json.dumps(load_schema()))
    said = schema["$defs"]["imageReference"]["x-kling-image"]
    said.update(minSide=400, maxAspectRatio=2, formats=["PNG"])
    contract = Contract(schema)

    def found(value: dict) -> list[kling_lint.Finding]:
        return [f for f in kling_lint.lint(value, contract) if f.rule != "image-base64"]

    value = request(encoded("PNG", 390, 790))
    assert {(f.rule, f.json_path) for f in found(value)} == {("image-too-small", "$.image"), ("image-aspect-ratio", "$.image")}
    words = {f.rule: f.message for f in found(value)}
    assert "400 px" in words["image-too-small"] and "1:2 to 2:1" in words["image-aspect-ratio"]
    assert [f.rule for f in found(request(encoded("JPEG", 500, 500)))] == ["image-format"]
    assert "PNG only" in found(request(encoded("JPEG", 500, 500)))[0].message
    assert errors(request(encoded("PNG", 390, 790))) == set()  # the packaged contract is untouched


def test_the_rule_docs_state_the_schema_limits() -> None:
    rules = kling_lint.RULES
    assert f"{LIMITS['maxBytes'] // (1024 * 1024)} MB" in rules["image-too-large"].summary
    assert f"{LIMITS['minSide']} pixels" in rules["image-too-small"].summary
    ratio = f"{LIMITS['maxAspectRatio']:g}"
    assert f"1:{ratio} to {ratio}:1" in rules["image-aspect-ratio"].summary
    assert " or ".join(LIMITS["formats"]) in rules["image-format"].summary


def test_the_annotation_keeps_the_schema_valid_and_changes_no_verdict() -> None:
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(load_schema())
    validator = jsonschema.Draft202012Validator(load_schema())
    assert validator.is_valid(request(encoded("GIF", 100, 100)))  # the schema states the form, not the content


# ---------------------------------------------------------------- in files: positions


def test_findings_point_at_the_image_value_in_yaml_and_json() -> None:
    small, webp = b64(encoded("PNG", 200, 200)), b64(encoded("WEBP", 400, 400))
    text = f"model: kling-v3-std-silent\nprompt: {PROMPT}\nimage: {small}\nlast_image:   {webp}\n"
    places = {(f.line, f.column, f.rule) for f in kling_lint.lint_text(text, "r.yaml") if f.rule != "image-base64"}
    assert places == {(3, 8, "image-too-small"), (4, 15, "image-format")}
    text = json.dumps({"model": "kling-v3-std-silent", "prompt": PROMPT, "image": small}, indent=1)
    places = {(f.line, f.column, f.rule) for f in kling_lint.lint_text(text, "r.json") if f.rule != "image-base64"}
    assert places == {(4, 11, "image-too-small")}


def test_each_request_of_a_batch_is_checked_with_its_own_positions() -> None:
    lines = [json.dumps(request(encoded("PNG", 640, 640))), json.dumps(request(encoded("GIF", 640, 640)))]
    findings = [f for f in kling_lint.lint_text("\n".join(lines) + "\n", "r.jsonl") if f.rule != "image-base64"]
    assert [(f.line, f.rule) for f in findings] == [(2, "image-format")]


# ---------------------------------------------------------------- what a check imports


def _loaded_modules(tmp_path: Path, text: str, name: str = "r.yaml") -> set[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code = (f"import sys\nfrom kling_lint.run import run_check\nrun_check([{str(path)!r}])\n"
            "print(' '.join(sys.modules), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stderr.split())


HEAVY = {"kling_lint.images", "kling_lint.fetch", "http.client", "urllib.request", "fractions", "ssl", "PIL"}


def test_a_check_without_base64_images_imports_no_image_or_network_code(tmp_path: Path) -> None:
    text = f"model: kling-v3-std-silent\nprompt: {PROMPT}\nimage: https://example.com/frame.png\n"
    assert not _loaded_modules(tmp_path, text) & HEAVY


def test_a_check_with_a_base64_image_imports_the_header_reader_and_no_network_code(tmp_path: Path) -> None:
    text = f"model: kling-v3-std-silent\nprompt: {PROMPT}\nimage: {b64(png(640, 640))}\n"
    loaded = _loaded_modules(tmp_path, text)
    assert "kling_lint.images" in loaded
    assert not loaded & (HEAVY - {"kling_lint.images", "fractions"})


@pytest.mark.parametrize("cut", [1, 2, 3, 0])
def test_base64_cut_short_is_an_error_that_says_so(cut: int) -> None:
    """Base64 text cut inside a group of 4 (or with '=' inside) does not decode: image-url says why."""
    text = b64(encoded("PNG", 640, 640))
    text = text[: len(text) // 4 * 4 - 4 - cut] if cut else text[:40] + "=" + text[41:]
    findings = kling_lint.lint(request(text))
    assert [(f.rule, f.json_path) for f in findings] == [("image-url", "$.image")]
    assert "not valid base64" in findings[0].message and "cut short" in findings[0].message


def test_a_web_page_given_as_base64_is_called_one() -> None:
    value = request(b"<!DOCTYPE html><html><body>" + b"<p>a page</p>" * 10 + b"</body></html>")
    assert errors(value) == {("image-format", "$.image")}
    assert "an HTML page, not an image" in message(value, "image-format")
