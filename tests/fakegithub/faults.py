"""Faults a test arms on the fake: the next N requests matching a method and path go wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from tests.fakegithub.routing import Reply
from tests.fakegithub.shapes import error

FaultKind = Literal["server_error", "secondary_rate_limit", "slow"]

SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID."
)
SERVER_MESSAGES = {500: "Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


@dataclass
class Fault:
    kind: FaultKind
    method: str  # "*" for any
    pattern: re.Pattern[str]  # matched against the whole path below the API root
    remaining: int
    status: int = 502
    retry_after: int | None = None
    after: bool = False  # server errors: perform the request, then answer with the error
    seconds: float = 0.0  # slow: answer this late (the request is performed first)

    def matches(self, method: str, path: str) -> bool:
        return self.remaining > 0 and self.method in ("*", method) and self.pattern.fullmatch(path) is not None

    def reply(self) -> Reply:
        if self.kind == "secondary_rate_limit":
            headers = {} if self.retry_after is None else {"retry-after": str(self.retry_after)}
            return Reply(self.status, error(SECONDARY_MESSAGE, self.status), headers)
        return Reply(self.status, error(SERVER_MESSAGES.get(self.status, "Server Error"), self.status))


class Faults:
    def __init__(self) -> None:
        self.armed: list[Fault] = []

    def arm(self, fault: Fault) -> None:
        self.armed.append(fault)

    def take(self, method: str, path: str) -> Fault | None:
        """The first armed fault for this request, used up by one."""
        for fault in self.armed:
            if fault.matches(method, path):
                fault.remaining -= 1
                return fault
        return None

    def pending(self) -> int:
        return sum(f.remaining for f in self.armed)
