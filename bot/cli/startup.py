"""Start-up of the long-running commands: settings and logging, or one clear line and exit 2."""

from __future__ import annotations

import typer

from bot.settings import Settings, SettingsError, load_settings


def settings_and_logging() -> Settings:
    """The settings, with JSON logging configured (the webhook secret and key never logged)."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        typer.echo(f"planbot: {exc}", err=True)
        raise typer.Exit(2) from None
    from bot.logs import configure_logging

    try:
        configure_logging(
            settings.log_level,
            secrets=[settings.webhook_secret.get_secret_value(), settings.private_key_pem().strip()],
        )
    except ValueError as exc:
        typer.echo(f"planbot: PLANBOT_LOG_LEVEL: {exc}", err=True)
        raise typer.Exit(2) from None
    return settings
