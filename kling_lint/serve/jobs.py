"""Jobs in memory: created from an accepted request, advanced by the clock, bounded in number.

A job's state is never stored as it changes: it is read off the time since the job was created,
so that a job needs no thread and no timer. Whether a job will fail is drawn when it is created,
from one random generator seeded by ``--seed``, so the same seed gives the same ids and the same
outcomes in the same order.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, NamedTuple

# The first fifth of a job's time it is "queued", then "in_progress" until it ends.
QUEUED_SHARE = 0.2
FAILURE = {"code": "generation_failed", "message": "the video could not be generated (a failure simulated by --fail-rate)"}


def schema_default(field: str) -> Any:
    """The default the schema states for a top-level field (duration, aspect_ratio).

    The one place the server reads defaults from; they are said once, in the schema.
    """
    from ..contract import default_contract

    return default_contract().field((field,)).default


class Job(NamedTuple):
    id: str
    model: str
    prompt: str | None
    duration: int
    aspect_ratio: str
    warnings: list[dict[str, object]]
    started: float  # on the monotonic clock
    created_at: int  # unix seconds
    fails: bool


class Jobs:
    """Every job the server has accepted, the oldest forgotten past ``limit``."""

    def __init__(self, job_seconds: float, fail_rate: float, seed: int | None, limit: int,
                 clock: Callable[[], float] = time.monotonic, wall: Callable[[], float] = time.time) -> None:
        self.job_seconds = job_seconds
        self.fail_rate = fail_rate
        self.limit = limit
        self.clock = clock
        self.wall = wall
        self._random = random.Random(seed)
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def create(self, request: dict[str, Any], warnings: list[dict[str, object]]) -> Job:
        """A new job for an accepted request (one that has no error finding)."""
        multi_shot = "multi_prompt" in (request.get("extra_body") or {})
        with self._lock:
            job_id = f"video_{self._random.getrandbits(64):016x}"
            fails = self._random.random() < self.fail_rate
            job = Job(
                id=job_id,
                model=request["model"],
                prompt=None if multi_shot else request.get("prompt"),
                duration=int(request.get("duration", schema_default("duration"))),  # "5" is accepted, with a warning
                aspect_ratio=request.get("aspect_ratio", schema_default("aspect_ratio")),
                warnings=warnings,
                started=self.clock(),
                created_at=int(self.wall()),
                fails=fails,
            )
            self._jobs[job_id] = job
            while len(self._jobs) > self.limit:
                self._jobs.popitem(last=False)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def __len__(self) -> int:
        return len(self._jobs)

    def status(self, job: Job) -> tuple[str, int]:
        """The job's status and progress (0-100) now."""
        elapsed = self.clock() - job.started
        if elapsed >= self.job_seconds:
            return ("failed" if job.fails else "completed"), 100
        if elapsed < self.job_seconds * QUEUED_SHARE:
            return "queued", 0
        return "in_progress", min(99, max(1, int(100 * elapsed / self.job_seconds)))

    def view(self, job: Job, video_url: str, new: bool = False) -> dict[str, Any]:
        """The job object the service answers with; ``new``: as the POST that created it sees it."""
        status, progress = ("queued", 0) if new else self.status(job)
        completed = status == "completed"
        return {
            "id": job.id,
            "task_id": job.id,
            "object": "video.generation.job",
            "model": job.model,
            "prompt": job.prompt,
            "status": status,
            "progress": progress,
            "duration": job.duration,
            "video_url": video_url if completed else None,
            "result": {"video_url": video_url, "outputs": [video_url]} if completed else None,
            "error": FAILURE if status == "failed" else None,
            "warnings": job.warnings,
            "created_at": job.created_at,
            "completed_at": job.created_at + math.ceil(self.job_seconds) if status in ("completed", "failed") else None,
            "metadata": {},
        }
