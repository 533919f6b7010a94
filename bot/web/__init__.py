"""The web side of the GitHub App: FastAPI, receiving webhooks and putting their jobs on RQ.

`create_app` is imported on first use, so that the small modules here (`headers`, `signature`)
can be used, by `planbot receive` for one, without loading FastAPI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> object:
    if name == "create_app":
        from bot.web.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
