"""`planbot serve`: run the GitHub App's web process (webhooks and health checks)."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.startup import settings_and_logging


def serve(
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")] = 3000,
) -> None:
    """Receive GitHub webhooks on /api/github/webhooks and queue their jobs in Redis."""
    settings = settings_and_logging()
    import uvicorn

    from bot.web import create_app

    uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False)
