"""Garbage collection while a plan is built.

Planning allocates many small objects that live until the plan is written: parsed statements,
models, rendered fragments, the parsed OpenAPI document. With CPython's default thresholds the
collector keeps walking that growing heap, and on large specs those walks cost more than the
planning itself. Nearly everything is freed by reference counting, so while a plan is built
the young generation is collected far less often (the approach mypy takes for the same reason),
and the previous thresholds come back afterwards.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 100_000  # allocations between young collections (CPython's default is 700)

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect less often inside the block; nesting and threads restore the thresholds once,
    when the last block ends. Thresholds a caller has already raised are left alone."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            young, *older = _saved
            if 0 < young < YOUNG_THRESHOLD:
                gc.set_threshold(YOUNG_THRESHOLD, *older)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
