"""Planning on a local repository: the engine with the git workspace and a forum."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

from bot.local.git import FolderSource, GitError, GitWorkspace, find_repository
from bot.planning import engine
from bot.planning.artifacts import FEATURE_STATE_PATH, SPEC
from bot.planning.conflicts import find_conflicts
from bot.planning.decisions import DecisionChoice
from bot.planning.engine import PlanInvalidError, PlanRequest, Prepared
from bot.planning.intake import SpecTooLargeError, ThinSpecError
from bot.planning.outcomes import ChoiceError, check_choice, parse_choice, reopen
from bot.planning.ports import Analyst, Forum, Researcher
from bot.planning.render import render_template
from bot.planning.report import PlanReport, build_report

MAX_CONFLICT_ROUNDS = 3


class LocalPlanError(Exception):
    """Planning stopped; `message` says why and what to do. Nothing was written."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class LocalPlanOptions(BaseModel):
    spec_file: Path
    repo: Path | None = None
    context: str | None = None
    decide: list[str] = Field(default_factory=list)
    interactive: bool = False
    decided_by: str = "planbot CLI"
    model: str | None = None  # a model to write the decision cards (PLANBOT_MODEL otherwise); None: offline


class IssueFile(BaseModel):
    """A GitHub issue saved as JSON (`gh issue view N --json title,body,number`)."""

    title: str
    body: str | None = ""
    number: int | None = None


def read_request_text(path: Path) -> tuple[str, str | None]:
    """The spec text and, for a saved issue, its title."""
    if not path.is_file():
        raise LocalPlanError(f"No such spec or issue file: {path}", exit_code=2)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise LocalPlanError(f"{path} is not UTF-8 text", exit_code=2) from None
    if path.suffix.lower() == ".json":
        try:
            issue = IssueFile.model_validate(json.loads(text))
        except (json.JSONDecodeError, ValueError) as exc:
            raise LocalPlanError(f"{path} is not an issue saved as JSON with a title and a body: {exc}", 2) from exc
        return issue.body or "", issue.title
    return text, None


def cli_choices(prepared: Prepared, pairs: Sequence[str], decided_by: str) -> list[DecisionChoice]:
    choices: list[DecisionChoice] = []
    for pair in pairs:
        decision_id, option = parse_choice(pair)
        choice = DecisionChoice(
            decision_id=decision_id,
            option=option,
            rationale="Decided on the command line (--decide).",
            decided_by=[decided_by],
        )
        check_choice(prepared.analysis, choice)
        choices.append(choice)
    return choices


def settle_decisions(
    prepared: Prepared, given: list[DecisionChoice], forum: Forum | None, now: datetime, notify: Callable[[str], None]
) -> Prepared:
    """Apply `--decide` choices, ask the forum for the rest, and take recommendations as
    PROVISIONAL for whatever is left. Conflicting choices are asked again (interactive only)."""
    choices = {c.decision_id: c for c in given}
    pending = [td for td in prepared.analysis.decisions if td.id not in choices]
    if forum is not None and pending:
        choices.update({c.decision_id: c for c in forum.collect(pending)})
    analysis = engine.decide(prepared.analysis, choices.values(), now)
    for _ in range(MAX_CONFLICT_ROUNDS):
        clashes = [c for c in find_conflicts(analysis.decisions) if c.severity == "error"]
        if not clashes or forum is None:
            break
        involved = sorted({d for c in clashes for d in c.decisions if d.startswith("TD")})
        for clash in clashes:
            notify(f"Conflict between {', '.join(clash.decisions)}: {clash.message}")
        analysis = reopen(analysis, involved)
        again = forum.collect([td for td in analysis.decisions if td.id in involved])
        choices.update({c.decision_id: c for c in again})
        analysis = engine.decide(analysis, choices.values(), now)
    return prepared.model_copy(update={"analysis": analysis})


def model_analyst(model: str | None) -> Analyst | None:
    """The model analyst when a model is named (`--model`, else `PLANBOT_MODEL`); None plans offline."""
    from bot.model.analyst import ModelAnalyst, ModelAnalystError  # pydantic-ai loads only when a model is used
    from bot.model.settings import ModelSettings

    settings = ModelSettings()
    if model:
        settings = settings.model_copy(update={"model": model})
    if not settings.enabled:
        return None
    try:
        return ModelAnalyst(settings)
    except ModelAnalystError as exc:
        raise LocalPlanError(str(exc), exit_code=2) from None


def mcp_researcher() -> Researcher | None:
    """Research tools when `PLANBOT_MCP_SERVERS` names some; None plans without them."""
    from bot.research.config import McpConfigError, servers_from_env  # the MCP client loads only when used
    from bot.research.researcher import McpResearcher

    try:
        servers = servers_from_env()
    except McpConfigError as exc:
        raise LocalPlanError(str(exc), exit_code=2) from None
    return McpResearcher(servers) if servers else None


def plan_locally(
    options: LocalPlanOptions,
    *,
    now: datetime,
    forum: Forum | None,
    progress: Callable[[str], None],
    notify: Callable[[str], None],
) -> PlanReport:
    text, title = read_request_text(options.spec_file)
    base = (options.repo or Path.cwd()).resolve()
    if not base.is_dir():
        raise LocalPlanError(f"No such repository folder: {base}", exit_code=2)
    root = find_repository(base)
    workspace: FolderSource = GitWorkspace(root) if root else FolderSource(base)
    try:
        return _plan(options, workspace, text, title, now=now, forum=forum, progress=progress, notify=notify)
    except ThinSpecError as exc:
        raise LocalPlanError(exc.message) from exc
    except SpecTooLargeError as exc:
        raise LocalPlanError(str(exc), exit_code=2) from exc
    except (ChoiceError, GitError) as exc:
        raise LocalPlanError(str(exc)) from exc
    except PlanInvalidError as exc:
        raise LocalPlanError(str(exc)) from exc


def _plan(
    options: LocalPlanOptions,
    workspace: FolderSource,
    text: str,
    title: str | None,
    *,
    now: datetime,
    forum: Forum | None,
    progress: Callable[[str], None],
    notify: Callable[[str], None],
) -> PlanReport:
    git = workspace if isinstance(workspace, GitWorkspace) else None
    if git is not None:
        dirty = git.dirty_paths()
        if dirty:
            shown = ", ".join(dirty[:5]) + (" …" if len(dirty) > 5 else "")
            raise LocalPlanError(
                f"The work tree has uncommitted changes ({shown}). Commit or stash them first: "
                "planbot commits the plan and must not sweep your changes into it."
            )
    spec_file = options.spec_file.resolve()
    in_repo = spec_file.is_relative_to(workspace.root)
    spec_path = spec_file.relative_to(workspace.root).as_posix() if in_repo else None
    request = PlanRequest(
        text=text,
        title=title,
        spec_path=spec_path,
        spec_source=spec_path or options.spec_file.name,
        user_context=options.context,
    )

    progress(engine.PHASES[0])
    branches = git.branches() if git else []
    progress(engine.PHASES[1])
    prepared = engine.prepare(request, workspace, branches, analyst=model_analyst(options.model),
                              researcher=mcp_researcher())
    feature = prepared.context.feature
    if git is not None and git.current_branch() != feature.branch and feature.branch in branches:
        raise LocalPlanError(
            f"Branch {feature.branch} already exists. Check it out to plan on it, or delete it to start over."
        )
    progress(engine.PHASES[2])
    given = cli_choices(prepared, options.decide, options.decided_by)
    progress(engine.PHASES[3])
    prepared = settle_decisions(prepared, given, forum if options.interactive else None, now, notify)

    progress(engine.PHASES[4])
    spec_in_folder = spec_path == feature.path(SPEC.name)
    generated = engine.generate(
        prepared, now, include_spec=not spec_in_folder, original_spec_text=None if spec_in_folder else text
    )
    progress(engine.PHASES[5])
    files = dict(generated.files)
    state = json.dumps({"feature_directory": feature.directory}, indent=2) + "\n"

    progress(engine.PHASES[6])
    commit: str | None = None
    if git is not None:
        if git.is_tracked(FEATURE_STATE_PATH):
            files[FEATURE_STATE_PATH] = state
        message = render_template("commit-message.txt.j2", plan=generated.plan)
        commit = git.commit(feature.branch, files, message)
        if FEATURE_STATE_PATH not in files:
            workspace.write({FEATURE_STATE_PATH: state})
    else:
        workspace.write({**files, FEATURE_STATE_PATH: state})
    return build_report(
        generated.plan,
        branch=feature.branch if git else None,
        directory=str(workspace.root / feature.directory),
        files=sorted(files),
        findings=generated.findings,
        commit=commit,
    )
