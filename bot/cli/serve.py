"""`planbot serve`: run the GitHub App's web process (webhooks and health checks)."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.settings import SettingsError, load_settings


def serve(
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")] = 3000,
) -> None:
    """Receive GitHub webhooks on /api/github/webhooks and queue their jobs in Redis."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        typer.echo(f"planbot: {exc}", err=True)
        raise typer.Exit(2) from None

    import uvicorn

    from bot.logs import configure_logging
    from bot.web import create_app

    try:
        configure_logging(settings.log_level, secrets=[settings.webhook_secret.get_secret_value()])
    except ValueError as exc:
        typer.echo(f"planbot: PLANBOT_LOG_LEVEL: {exc}", err=True)
        raise typer.Exit(2) from None
    uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False)
