"""The garbage collector's pace for one command's process.

CPython starts a collection of its youngest objects every 700 container objects
allocated (and not freed) and, every few of those, of older ones, which walks the
objects that have lived through them. A command builds a snapshot and a graph of
millions of objects that live to its end, then makes and drops a few objects per
evaluated request, hundreds of thousands of times: at the default pace a warm
who-can over a 10,000-role organization spent about 3 of its 20 seconds of CPU
collecting, and almost nothing was garbage in a cycle (docs/performance.md).
"""

from __future__ import annotations

import gc

# containers allocated between two collections of the youngest: the few megabytes
# they hold at most are nothing beside the command's snapshot
YOUNGEST_THRESHOLD = 50_000


def pace_for_one_command() -> None:
    """Collect less often, for the rest of this process: `perimeter`'s entry point,
    and the benchmarks that measure what a command does."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNGEST_THRESHOLD, middle, oldest)
