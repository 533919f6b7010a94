"""The fake's small HTTP vocabulary: a parsed call, a reply, an error, and a regex router."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from tests.fakegithub.shapes import error
from tests.fakegithub.state import App, Installation, User


@dataclass
class Caller:
    """Who a request authenticates as."""

    app: App | None = None  # set for JWT (app) requests and for installation tokens
    installation: Installation | None = None  # set for installation tokens
    actor: User | None = None  # the bot user for installation tokens


@dataclass
class Call:
    method: str
    path: str  # below the API root, still percent-encoded
    params: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: Any
    args: dict[str, str] = field(default_factory=dict)  # decoded path parameters
    caller: Caller = field(default_factory=Caller)

    def arg_int(self, name: str) -> int:
        return int(self.args[name])

    def json_object(self) -> dict[str, Any]:
        if not isinstance(self.body, dict):
            raise HttpError(400, "Problems parsing JSON")
        return self.body

    def param_int(self, name: str, default: int) -> int:
        raw = self.params.get(name)
        if raw is None or raw == "":
            return default
        try:
            return int(raw)
        except ValueError as exc:
            raise HttpError(422, f"Invalid value for {name}") from exc


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    # work done before the answer is sent, off the server's event loop and outside the world's
    # lock (a redelivery calls back into the test, which may call the fake in turn)
    after: Callable[[], None] | None = None


class HttpError(Exception):
    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra

    def reply(self) -> Reply:
        return Reply(self.status, error(self.message, self.status, **self.extra))


def not_found() -> HttpError:
    return HttpError(404, "Not Found")


def invalid(message: str = "Validation Failed", **extra: Any) -> HttpError:
    return HttpError(422, message, **extra)


Handler = Callable[[Call], Reply]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    auth: str  # "app" (JWT) or "installation" (token)


def compile_template(template: str) -> re.Pattern[str]:
    """`/repos/{owner}/{repo}/contents/{path:path}` -> a regex with named groups."""

    def group(match: re.Match[str]) -> str:
        name, _, kind = match.group(1).partition(":")
        body = {"": "[^/]+", "int": "[0-9]+", "path": ".*"}[kind]
        return f"(?P<{name}>{body})"

    return re.compile("^" + re.sub(r"\{([^}]+)\}", group, template) + "$")


class Router:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, template: str, handler: Handler, auth: str = "installation") -> None:
        self.routes.append(Route(method, compile_template(template), handler, auth))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        """The first route for this method and path; GitHub answers 404 for anything else."""
        for route in self.routes:
            if route.method != method:
                continue
            found = route.pattern.match(path)
            if found is not None:
                return route, {k: unquote(v) for k, v in found.groupdict().items()}
        raise not_found()
