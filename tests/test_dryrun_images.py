"""dry-run shows what each frame's image is: base64 data always, a URL with --fetch-images.

URLs are served by test_images_fetch's server on 127.0.0.1, started per test.
"""

from __future__ import annotations

import base64
import json
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_images_fetch import FRAME, SQUARE, THUMBNAIL, ImageServer, encoded, request_file, server  # noqa: F401 - server: the fixture

from kling_lint.cli import main
from kling_lint.images import megabytes


def dry_run(*arguments: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["dry-run", "--no-curl", *map(str, arguments)], catch_exceptions=False)
    return result.exit_code, result.output


def as_json(*arguments: str | Path) -> tuple[int, list[dict]]:
    status, output = dry_run("--format", "json", *arguments)
    return status, json.loads(output)["requests"]


def row(output: str, label: str) -> str:
    [line] = [line for line in output.splitlines() if line.startswith(f"  {label}")]
    return line[len(label) + 2:].strip()


def test_base64_frames_are_described_without_fetching(tmp_path: Path) -> None:
    jpeg = encoded("JPEG", 640, 360)
    path = request_file(tmp_path, base64.b64encode(jpeg).decode(), base64.b64encode(SQUARE).decode())
    status, output = dry_run(path)
    assert row(output, "start frame").endswith(f"(JPEG, 640x360 px, {megabytes(len(jpeg))})")
    assert row(output, "end frame").endswith(f"(PNG, 800x800 px, {megabytes(len(SQUARE))})")
    assert status == 0  # image-ratios-differ and image-base64 are warnings
    [record] = as_json(path)[1]
    assert record["start_frame_image"] == {"format": "JPEG", "bytes": len(jpeg), "width": 640, "height": 360, "complete": True}
    assert record["end_frame_image"]["width"] == 800 and record["end_frame_image"]["format"] == "PNG"
    assert "image-ratios-differ" in {finding["rule"] for finding in record["findings"]}


def test_base64_that_is_no_image_says_so(tmp_path: Path) -> None:
    path = request_file(tmp_path, base64.b64encode(b"GIF89a" + bytes(80)).decode())
    status, output = dry_run(path)
    assert "(GIF" in row(output, "start frame") and status == 1  # image-format


def test_a_url_is_described_only_with_fetch_images(server: ImageServer, tmp_path: Path) -> None:  # noqa: F811
    path = request_file(tmp_path, server.base + "/ok.png", server.base + "/thumbnail.jpg")
    status, output = dry_run(path)
    assert row(output, "start frame") == server.base + "/ok.png" and status == 0
    [record] = as_json(path)[1]
    assert record["start_frame_image"] is None and record["end_frame_image"] is None
    time.sleep(0.2)  # long enough for a request in flight to arrive
    assert sum(server.requests.values()) == 0

    status, output = dry_run("--fetch-images", "--fetch-timeout", "5", path)
    assert row(output, "start frame") == f"{server.base}/ok.png (PNG, 1280x720 px, {megabytes(len(FRAME))})"
    assert row(output, "end frame") == f"{server.base}/thumbnail.jpg (JPEG, 200x200 px, {megabytes(len(THUMBNAIL))})"
    assert status == 1 and "error[image-too-small] last_image is 200x200 px" in output  # the fetched image's findings, as check's
    status, records = as_json("--fetch-images", path)
    assert records[0]["end_frame_image"] == {"format": "JPEG", "bytes": len(THUMBNAIL), "width": 200, "height": 200, "complete": True}
    assert {f["rule"] for f in records[0]["findings"]} == {"image-too-small", "image-ratios-differ"}
    assert server.requests == Counter({"/ok.png": 2, "/thumbnail.jpg": 2})  # once a run, and there were two runs


def test_a_url_that_cannot_be_fetched_is_shown_as_given_with_its_finding(server: ImageServer, tmp_path: Path) -> None:  # noqa: F811
    path = request_file(tmp_path, server.base + "/missing.png")
    status, output = dry_run("--fetch-images", path)
    assert row(output, "start frame") == server.base + "/missing.png"
    assert status == 1 and "error[image-unreachable]" in output


def test_the_same_url_in_many_files_is_fetched_once_per_dry_run(server: ImageServer, tmp_path: Path) -> None:  # noqa: F811
    paths = [request_file(tmp_path, server.base + "/ok.png", name=f"r{n}.yaml") for n in range(20)]
    status, records = as_json("--fetch-images", *paths)
    assert status == 0 and len(records) == 20
    assert all(record["start_frame_image"]["width"] == 1280 for record in records)
    assert server.requests == Counter({"/ok.png": 1})


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1e9", "nan"])
def test_a_bad_fetch_timeout_is_a_clear_error_on_dry_run(tmp_path: Path, value: str) -> None:
    path = request_file(tmp_path, "https://example.com/frame.png")
    result = CliRunner().invoke(main, ["dry-run", "--fetch-images", "--fetch-timeout", value, str(path)])
    assert result.exit_code == 2 and "--fetch-timeout" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
