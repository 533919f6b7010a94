"""`planbot plan`: plan a spec or an issue on a local repository."""

from __future__ import annotations

import getpass
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.local.git import author_name, find_repository
from bot.local.planner import LocalPlanError, LocalPlanOptions, plan_locally
from bot.local.terminal import TerminalForum
from bot.planning import engine
from bot.planning.report import PlanReport


def plan(
    spec_file: Annotated[Path, typer.Argument(help="A spec-kit spec.md, an issue's text, or an issue saved as JSON.")],
    repo: Annotated[
        Path | None, typer.Option("--repo", help="The repository to plan in (default: the current folder).")
    ] = None,
    context: Annotated[
        str | None, typer.Option("--context", help="Extra technical context, carried into plan.md.")
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Ask nothing: open decisions take the recommendation as PROVISIONAL.")
    ] = False,
    decide: Annotated[
        list[str] | None, typer.Option("--decide", help="Settle a decision up front, e.g. --decide TD001=B.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the closing report as JSON.")] = False,
    model: Annotated[
        str | None, typer.Option("--model", help="A model to write the decision cards, e.g. openai:gpt-4.1-mini "
                                 "(default: PLANBOT_MODEL; none: offline).")
    ] = None,
) -> None:
    """Plan a feature: decisions, data model, contracts, tasks and the rest, committed on a new branch."""
    out = Console(stderr=as_json)
    interactive = not yes and not as_json and sys.stdin.isatty() and sys.stdout.isatty()
    root = find_repository((repo or Path.cwd()).resolve())
    person = (author_name(root) if root else None) or getpass.getuser()
    options = LocalPlanOptions(
        spec_file=spec_file,
        repo=repo,
        context=context,
        decide=decide or [],
        interactive=interactive,
        decided_by=person,
        model=model,
    )
    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=out, transient=True
    )
    phases = progress.add_task("Planning", total=len(engine.PHASES))
    forum = TerminalForum(out, person)

    def advance(phase: str) -> None:
        progress.update(phases, description=phase, completed=engine.PHASES.index(phase))
        if interactive and phase == engine.PHASES[3]:
            progress.stop()  # the prompts need the terminal
        elif not progress.live.is_started:
            progress.start()

    try:
        with progress:
            report = plan_locally(
                options,
                now=datetime.now(UTC),
                forum=forum,
                progress=advance,
                notify=lambda line: out.print(f"[yellow]{line}[/]"),
            )
    except LocalPlanError as exc:
        Console(stderr=True).print(f"[bold red]planbot: not planned.[/] {exc.message}", highlight=False)
        raise typer.Exit(exc.exit_code) from None
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        print_report(Console(), report)


def print_report(console: Console, report: PlanReport) -> None:
    where = f"branch [bold]{report.branch}[/]" if report.branch else "the folder below (not a git repository)"
    console.print(f"\n[bold green]Planned[/] {report.feature} on {where}.")
    console.print(f"Plan: [bold]{report.directory}[/]")
    if report.commit:
        console.print(f"Commit: {report.commit[:12]}")
    console.print(f"\nFiles written ({len(report.files)}):")
    for path in report.files:
        console.print(f"  {path}", highlight=False)
    if report.decisions:
        table = Table(title="Key decisions", title_justify="left")
        for column in ("TD", "Category", "Decision", "Option in force", "Status"):
            table.add_column(column)
        for d in report.decisions:
            status = "PROVISIONAL DECISION" if d.status == "PROVISIONAL" else d.status
            table.add_row(d.id, d.category, d.title, f"{d.option}: {d.option_title}", status)
        console.print(table)
    for line in report.settled:
        console.print(f"  settled already: {line}", highlight=False)
    if report.conflicts:
        console.print("\n[bold red]Conflicts[/]")
        for line in report.conflicts:
            console.print(f"  - {line}", highlight=False)
    if report.critical_risks:
        console.print("\n[bold]Critical risks[/]")
        for risk in report.critical_risks:
            flag = "[red]ESCALATE[/] " if risk.escalate else ""
            console.print(f"  - {flag}{risk.title}: {risk.mitigation}", highlight=False)
    if report.business_questions:
        console.print("\n[bold]Questions for business input[/]")
        for line in report.business_questions:
            console.print(f"  - {line}", highlight=False)
    for line in report.warnings:
        console.print(f"[yellow]{line}[/]", highlight=False)
    console.print(f"\nEstimated effort: {report.effort_days:g} engineer-days")
    console.print("\n[bold]Next steps[/]")
    for number, step in enumerate(report.next_steps, start=1):
        console.print(f"  {number}. {step}", highlight=False)
