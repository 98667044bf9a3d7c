"""Ctrl-C at any moment of a batch checked by worker processes (issue 19.4): exit 130 and one
line, no traceback, no file reported as kling-lint's failure, and no process left behind."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")

# A traceback that passes through entry.main: kling-lint's code was running, its handler in place.
IN_MAIN = re.compile(r'kling_lint[/\\]entry\.py", line \d+, in main')
GOOD = '{"model": "kling-v3-std-silent", "prompt": "A red kite over a beach.", "duration": 5}\n'


def _group_gone(group: int) -> bool:
    for _ in range(100):
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.02)
    return False


def test_ctrl_c_at_random_moments_of_a_batch_with_workers(tmp_path: Path) -> None:
    for number in range(300):  # enough for workers: more than two chunks
        (tmp_path / f"r{number:03}.json").write_text(GOOD, encoding="utf-8")
    moments = random.Random(19).sample(range(0, 700), 14)  # milliseconds, the first ones included
    for moment in sorted(moments) + [0, 1, 3]:
        process = subprocess.Popen(
            [sys.executable, "-m", "kling_lint", "check", "--jobs", "2", str(tmp_path)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        )
        time.sleep(moment / 1000)
        try:
            os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the whole group
        except ProcessLookupError:
            pass
        out, err = process.communicate(timeout=60)
        error = err.decode("utf-8", "replace")
        if "Traceback" in error and not IN_MAIN.search(error):
            # In the interpreter's own start-up (site, runpy finding the package, importing it),
            # before entry.main installs the handler: only Python can speak then.
            continue
        assert "Traceback" not in error and "failed on this file" not in out.decode("utf-8", "replace"), (moment, error)
        if process.returncode == 130:
            assert error == "kling-lint: interrupted\n", (moment, error)
        elif process.returncode == -signal.SIGINT:  # killed by the signal: a shell says 130 too
            assert error in ("", "kling-lint: interrupted\n"), (moment, error)
        else:  # done before the interrupt landed
            assert process.returncode == 0, (moment, process.returncode, error)
        assert _group_gone(process.pid), f"a process outlived the run interrupted at {moment} ms"
