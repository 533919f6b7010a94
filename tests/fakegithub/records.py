"""What the fake saw: every request with its answer, for assertions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
HEADERS_OF_INTEREST = ("if-none-match", "content-type", "accept", "x-github-api-version", "user-agent")

# POSTs that create something people see: issues, comments, pull requests, reactions
CONTENT_CREATING = re.compile(
    r"^/repos/[^/]+/[^/]+/(issues|pulls|issues/[0-9]+/comments|issues/[0-9]+/reactions"
    r"|issues/comments/[0-9]+/reactions)$"
)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # below the API root, percent-encoded as sent
    query: dict[str, str]
    headers: dict[str, str]  # the headers of interest, lower-cased names
    auth: str | None  # "token" (installation), "bearer" (app JWT) or None
    body: Any  # the parsed JSON body, or None
    status: int
    started: float  # time.monotonic() when the request arrived
    finished: float  # time.monotonic() when the answer was ready
    at: datetime  # wall-clock arrival time (UTC)

    @property
    def is_write(self) -> bool:
        """A mutating request on a repository (the app's own token requests are not counted)."""
        return self.method not in READ_METHODS and self.path.startswith("/repos/")

    @property
    def is_content_creating(self) -> bool:
        return self.method == "POST" and CONTENT_CREATING.match(self.path) is not None

    def matches(self, method: str | None = None, path: str | None = None) -> bool:
        """`path` is a regular expression matched against the whole path."""
        if method is not None and method.upper() != self.method:
            return False
        return path is None or re.fullmatch(path, self.path) is not None
