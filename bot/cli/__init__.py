"""The `planbot` command line."""

from __future__ import annotations

import typer

from bot import __version__
from bot.cli import jobs as jobs_command
from bot.cli import mcp as mcp_command
from bot.cli import plan as plan_command
from bot.cli import receive as receive_command
from bot.cli import serve as serve_command
from bot.cli import setup as setup_command
from bot.cli import validate as validate_command
from bot.cli import worker as worker_command

app = typer.Typer(
    name="planbot",
    help="Turn a feature spec into a reviewed implementation plan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("plan")(plan_command.plan)
app.command("validate")(validate_command.validate)
app.command("serve")(serve_command.serve)
app.command("receive")(receive_command.receive)
app.command("worker")(worker_command.worker)
app.command("mcp")(mcp_command.mcp)
app.command("setup")(setup_command.setup)
app.command("jobs")(jobs_command.jobs)


@app.command("version")
def version() -> None:
    """Print planbot's version."""
    typer.echo(__version__)


def main() -> None:
    app()
