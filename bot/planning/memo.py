"""Memoising derivations of one plan: several artifacts read the same derived facts."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

T = TypeVar("T")
P = TypeVar("P")

_KEEP = 4  # plans remembered per function: rendering works on one plan at a time


def per_plan(function: Callable[[P], T]) -> Callable[[P], T]:
    """Compute `function(plan)` once per plan object (by identity) while it is being rendered.

    The plan itself is kept beside the result, so a recycled `id()` can never return another
    plan's result. Callers must treat the result as read-only.
    """
    cache: OrderedDict[int, tuple[P, T]] = OrderedDict()

    @wraps(function)
    def wrapper(plan: P) -> T:
        entry = cache.get(id(plan))
        if entry is not None and entry[0] is plan:
            cache.move_to_end(id(plan))
            return entry[1]
        result = function(plan)
        cache[id(plan)] = (plan, result)
        while len(cache) > _KEEP:
            cache.popitem(last=False)
        return result

    return wrapper
