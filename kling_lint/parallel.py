"""The check command's worker pool: a list of items checked by forked processes, results in order.

It knows nothing of requests: ``in_order(items, work, processes)`` runs ``work`` on every item
and yields the results in the items' order. Whatever ``work`` needs (the Contract, built with
its compiled check before the fork) is inherited by each worker, so each has it built once.
Only a caller that asks gets workers (``api.lint_paths(jobs=...)``, which ``kling-lint check``
does); a threaded host process that calls the API is never forked behind its back.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Items are dealt out in chunks of this many, round robin: results stream in order while the
# other processes work ahead, and no process holds more than a chunk of results.
CHUNK = 128


def processes(jobs: int | None, items: int) -> int:
    """How many processes (this one included) ``items`` are worth: ``jobs``, default one a core."""
    wanted = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    return max(1, min(wanted, items // CHUNK + 1))


def in_order(items: list[Item], work: Callable[[Item], Result], processes: int) -> Iterator[Result]:
    """Chunk i is worked by process i % processes; this process is number 0 and reports all.

    A worker writes one pickled list of results per chunk to its pipe. Should a worker fail,
    or not start, this process works that worker's chunks itself.
    """
    import pickle
    import signal

    chunks = [items[start:start + CHUNK] for start in range(0, len(items), CHUNK)]
    readers: dict[int, Any] = {}
    pids = []
    finished = False
    try:
        for number in range(1, processes):
            read_end, write_end = os.pipe()
            # Ctrl-C is held back over the fork: a worker must never see it as a Python
            # exception (it would run on into this function's cleanup); it gets the default
            # action, to die at once, before it can be delivered. Here it arrives after the fork.
            held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                pid = os.fork()
            except OSError:  # no more processes allowed: this one works the rest
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
                os.close(read_end)
                os.close(write_end)
                break
            if pid == 0:  # the worker
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
                os.close(read_end)
                for reader in readers.values():
                    reader.close()
                _work(chunks[number::processes], write_end, work)
                os._exit(1)  # not reached: a worker never runs on into its parent's code
            pids.append(pid)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            os.close(write_end)
            readers[number] = os.fdopen(read_end, "rb")
        for index, chunk in enumerate(chunks):
            reader = readers.get(index % processes)
            results = None
            if reader is not None:
                try:
                    results = pickle.load(reader)
                except Exception:  # noqa: BLE001 - the worker died: work its chunks here
                    readers.pop(index % processes).close()
            yield from results if results is not None else (work(item) for item in chunk)
        finished = True
    finally:
        # A second Ctrl-C must not cut the cleanup short: no worker is left behind.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            for reader in readers.values():
                reader.close()
            for pid in pids:
                if not finished:  # the caller stopped early: the workers' results are not wanted
                    try:
                        os.kill(pid, signal.SIGTERM)
                    except ProcessLookupError:
                        pass
                try:
                    os.waitpid(pid, 0)
                except ChildProcessError:  # already reaped
                    pass
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _work(chunks: list[list[Any]], write_end: int, work: Callable[[Any], Any]) -> None:
    """A worker's life: work its chunks, write their results, and leave without cleanup.

    ``os._exit`` skips what belongs to the parent: its buffered output, its atexit handlers.
    """
    import pickle

    status = 0
    try:
        with os.fdopen(write_end, "wb") as out:
            for chunk in chunks:
                pickle.dump([work(item) for item in chunk], out, pickle.HIGHEST_PROTOCOL)
                out.flush()
    except BaseException:  # noqa: BLE001 - the parent left, or Ctrl-C: nothing to report
        status = 1
    os._exit(status)
