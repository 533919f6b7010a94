"""Structured logs: one JSON object per line, carrying the context of the delivery or job at hand.

    configure_logging("INFO", secrets=[settings.webhook_secret.get_secret_value()])
    with bind(delivery_id=delivery_id, repository="octo/hello"):
        log.info("delivery enqueued", extra=fields(jobs=["start_plan-…"]))

Context set with `bind` (delivery id, installation, repository, issue, job id) lands on every line
logged inside the block, across `await`s and the threadpool (it lives in a contextvar). Anything
that looks like a token, an `Authorization` value, a private key or a registered secret is
replaced by `[redacted]` before a line is written.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from types import MappingProxyType
from typing import IO, Any

REDACTED = "[redacted]"
FIELDS_ATTRIBUTE = "planbot_fields"  # where `fields(...)` puts per-line fields on a record
CONTEXT_ATTRIBUTE = "planbot_context"  # where the context filter copies the bound fields
MIN_SECRET_LENGTH = 4  # shorter "secrets" would redact ordinary words

_EMPTY: Mapping[str, object] = MappingProxyType({})
_context: ContextVar[Mapping[str, object]] = ContextVar("planbot_log_context", default=_EMPTY)

# Shapes of credentials; each keeps its label (group 1) and hides the value.
_LABELLED_VALUE = re.compile(
    r"""(?ix)
    (\b(?:authorization|proxy-authorization|x-hub-signature(?:-256)?|webhook[_-]?secret|client[_-]?secret
        |private[_-]?key|access[_-]?token|refresh[_-]?token|password|secret|token)
     ["']?\s*[:=]\s*["']?
     (?:(?:bearer|token|basic)\s+)?)
    [^\s"',;}\]]+
    """
)
_BARE_TOKENS = re.compile(
    r"""(?x)
    \b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,}|v1\.[0-9a-f]{40})\b  # GitHub tokens
    | \beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}  # JWTs (the app's own)
    | \bsk-[A-Za-z0-9_-]{16,}  # model provider keys (OpenAI, Anthropic, OpenRouter: sk-…, sk-ant-…, sk-proj-…)
    | (?i:\b(?:bearer|token)\s+)[A-Za-z0-9._~+/=-]{16,}
    """
)
_PEM_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)", re.DOTALL)


class Redactor:
    """Hides credentials in text: known secrets verbatim, and anything shaped like one."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = sorted({s for s in secrets if len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        text = _PEM_KEY.sub(REDACTED, text)
        text = _LABELLED_VALUE.sub(lambda m: m.group(1) + REDACTED, text)
        return _BARE_TOKENS.sub(REDACTED, text)

    def redact_value(self, value: object) -> object:
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, Mapping):
            return {str(k): self.redact_value(v) for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self.redact_value(v) for v in value]
        if value is None or isinstance(value, bool | int | float):
            return value
        return self.redact(str(value))


@contextmanager
def bind(**values: object) -> Iterator[None]:
    """Add fields (delivery_id, installation_id, repository, issue, job_id, …) to every line
    logged inside the block; `None` values are left out."""
    merged = {**_context.get(), **{k: v for k, v in values.items() if v is not None}}
    token = _context.set(MappingProxyType(merged))
    try:
        yield
    finally:
        _context.reset(token)


def bound() -> dict[str, object]:
    """The fields bound at this point."""
    return dict(_context.get())


def fields(**values: object) -> dict[str, dict[str, object]]:
    """Per-line fields, for a logging call's `extra=`."""
    return {FIELDS_ATTRIBUTE: values}


class ContextFilter(logging.Filter):
    """Copies the bound fields onto the record, at the moment it is logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        setattr(record, CONTEXT_ATTRIBUTE, _context.get())
        return True


class RedactionFilter(logging.Filter):
    """Rewrites a record so that no credential reaches a handler: the message (with its
    arguments merged), the per-line and bound fields, and the exception text."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redactor.redact(record.getMessage())
        record.args = None
        for attribute in (FIELDS_ATTRIBUTE, CONTEXT_ATTRIBUTE):
            values = getattr(record, attribute, None)
            if isinstance(values, Mapping):
                setattr(record, attribute, self.redactor.redact_value(values))
        if record.exc_info:
            record.exc_text = self.redactor.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redactor.redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, bound fields, per-line fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for attribute in (CONTEXT_ATTRIBUTE, FIELDS_ATTRIBUTE):
            values = getattr(record, attribute, None)
            if isinstance(values, Mapping):
                entry.update(values)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, default=str, ensure_ascii=False)


class _PlanbotHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `configure_logging` installs (and replaces on a second call)."""


def configure_logging(
    level: str | int = "INFO", *, secrets: Iterable[str] = (), stream: IO[str] | None = None
) -> logging.Handler:
    """Send every log line (planbot's and the libraries') to `stream` (default stderr) as JSON.

    `secrets` are values that must never appear (the webhook secret, …). Calling it again
    replaces the handler installed before; other handlers on the root logger are left alone.
    An unknown level name raises `ValueError` naming the known ones.
    """
    resolved = _level(level)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _PlanbotHandler):
            root.removeHandler(handler)
    handler = _PlanbotHandler(stream if stream is not None else sys.stderr)
    handler.addFilter(ContextFilter())
    handler.addFilter(RedactionFilter(Redactor(secrets)))
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(resolved)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    return handler


LEVELS: tuple[str, ...] = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _level(level: str | int) -> int:
    if isinstance(level, int):
        return level
    name = level.strip().upper()
    if name not in LEVELS:
        raise ValueError(f"unknown log level {level!r} (one of {', '.join(LEVELS)})")
    return logging.getLevelNamesMapping()[name]
