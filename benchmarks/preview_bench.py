"""``curl`` and ``dry-run`` on one small file against ``check`` with an option (issue 14's goal:
they cost no more). Whole processes of the installed console script, alternating, after a
warm-up; medians of CPU time (user + system: steadier than wall time on a shared machine).

    python benchmarks/preview_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import pathlib
import resource
import shutil
import statistics
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
GOAL = 1.05  # the new command's time / check --format json's, allowing the machine's noise
FILES = ["examples/text-to-video.json", "examples/text-to-video.yaml"]
COMMANDS = {
    "check --format json": ["check", "--format", "json"],
    "curl": ["curl"],
    "dry-run": ["dry-run"],
    "dry-run --format json": ["dry-run", "--format", "json"],
}


def _cpu_ms(argv: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    script = shutil.which("kling-lint", path=str(pathlib.Path(sys.executable).parent))
    if script is None:
        sys.exit("install kling-lint in this Python's environment first")
    failed = False
    for name in FILES:
        times: dict[str, list[float]] = {label: [] for label in COMMANDS}
        for round_ in range(runs + 3):
            for label, args in COMMANDS.items():
                spent = _cpu_ms([script, *args, name])
                if round_ >= 3:  # the first rounds warm the caches
                    times[label].append(spent)
        base = statistics.median(times["check --format json"])
        print(f"{name} ({runs} runs, median CPU ms)")
        for label, values in times.items():
            ratio = statistics.median(values) / base
            goal = "" if label.startswith("check") else f"  goal <= {GOAL}x, {'met' if ratio <= GOAL else 'NOT met'}"
            failed |= ratio > GOAL and not label.startswith("check")
            print(f"  {label:24} {statistics.median(values):6.1f}  {ratio:5.2f}x{goal}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
