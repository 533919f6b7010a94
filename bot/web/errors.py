"""A delivery refused with a status code and a one-line reason."""

from __future__ import annotations

from bot.logs import bound


class WebhookRejected(Exception):
    def __init__(self, status_code: int, reason: str) -> None:
        super().__init__(reason)
        self.status_code = status_code
        self.reason = reason
        self.context = bound()  # what was known about the delivery where it was refused
