"""Deciding edges on a Dask distributed cluster (`--cluster ADDRESS`).

The independent decisions go to the cluster in batches (a task per batch, so the
scheduler's overhead per task stays small against solve time); a batch whose worker
dies is run again elsewhere (the scheduler's own retries, `allowed-failures`), and a
batch that still cannot be run comes back as one UNKNOWN per decision naming what
was lost, never as a gap. Every decision is the same as a local run's: the budget is
a count of solver work and each query is solved in a z3 context of its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Answer = TypeVar("Answer")

BATCHES_PER_WORKER = 4  # enough batches to balance uneven solve times across workers
MAX_BATCH = 64
RETRIES = 2  # a batch that raises is run again this many times (worker deaths are the scheduler's)
CONNECT_TIMEOUT_S = 30


def batches_of(items: Sequence[Item], workers: int) -> list[list[Item]]:
    """`items` in order, cut into batches: about `BATCHES_PER_WORKER` per worker,
    at most `MAX_BATCH` items each."""
    if not items:
        return []
    size = max(1, min(MAX_BATCH, math.ceil(len(items) / (max(1, workers) * BATCHES_PER_WORKER))))
    return [list(items[start:start + size]) for start in range(0, len(items), size)]


def run_batches(address: str, items: Sequence[Item], decide: Callable[[list[Item]], list[Answer]],
                lost: Callable[[Item, str], Answer],
                record: Callable[[Item, Answer], None]) -> None:
    """`decide` every batch of `items` on the cluster at `address`; `record` each
    item's answer as its batch comes back (an item of a batch that could not be run:
    `lost(item, why)`)."""
    from distributed import Client, as_completed

    with Client(address, timeout=CONNECT_TIMEOUT_S) as client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        batches = batches_of(items, workers)
        futures = client.map(decide, batches, retries=RETRIES, pure=False)
        index = {future.key: batch for future, batch in zip(futures, batches, strict=True)}
        for future in as_completed(futures):
            batch = index[future.key]
            try:
                answers = future.result()
            except Exception as error:  # a lost batch is reported, never dropped
                why = f"lost on the cluster ({type(error).__name__}: {error})"
                for item in batch:
                    record(item, lost(item, why))
                continue
            for item, answer in zip(batch, answers, strict=True):
                record(item, answer)
