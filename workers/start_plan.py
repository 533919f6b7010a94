"""The `start_plan` job: from a labelled issue to a feature branch and one comment per decision.

Every step looks for what it would create before creating it, so a redelivery, a second label
or a worker killed half-way creates nothing twice.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

from bot.github.client import Installation
from bot.github.comments import Marker, OwnComment, find_own_comments, marked_data, neutralise_untrusted, upsert_comment
from bot.github.issues import IssueInfo, add_labels, get_issue, react_to_comment, react_to_issue
from bot.github.repo_config import RepoConfig, RepoConfigError, load_repo_config
from bot.github.workspace import GitHubWorkspace
from bot.jobs import JobRequest
from bot.plan_state import PlanPhase, PlanState, PostedDecision
from bot.planning import engine
from bot.planning.decisions import TechnicalDecision
from bot.planning.engine import PlanRequest, Prepared
from bot.planning.intake import ThinSpecError
from bot.planning.render import render_template
from bot.planning.writer import render_branch_files
from bot.voting import ACKNOWLEDGE, OBJECT, OPTION_REACTIONS, SUPPORT, seeded_reactions
from workers.runtime import Runtime

log = logging.getLogger(__name__)

STATUS = Marker(kind="status")
NEEDS_DETAIL = Marker(kind="needs-detail")
CONFIG_ERROR = Marker(kind="config-error")
CONFIG_PATH = ".github/planbot.yml"


def decision_marker(decision_id: str) -> Marker:
    return Marker(kind="td", key=decision_id)


def state_marker(state: PlanState) -> Marker:
    return Marker(kind="state", data=state.model_dump(mode="json"))


def linked_spec(body: str, specs_dir: str) -> str | None:
    """A spec-kit feature spec the issue links to (`specs/NNN-name/spec.md`, as a path or a link)."""
    folder = re.escape(specs_dir.strip("/"))
    found = re.search(rf"(?<![\w.-])({folder}/\d{{3,}}-[A-Za-z0-9._-]+/spec\.md)\b", body)
    return found.group(1) if found else None


def repository_url(issue: IssueInfo) -> str:
    """The repository's web address, from the issue's `html_url` (works on GitHub Enterprise Server)."""
    return issue.html_url.rsplit("/issues/", 1)[0].rsplit("/pull/", 1)[0]


class StartPlan:
    def __init__(self, runtime: Runtime, request: JobRequest, now: datetime | None = None) -> None:
        self.rt = runtime
        self.request = request
        self.issue = request.issue
        self.now = now or datetime.now(UTC)
        self.inst: Installation = runtime.app.installation(self.issue.installation_id)
        self.comments: list[OwnComment] = []
        self.text = ""  # the spec text planned from: the issue body or the spec file it links
        self.spec_path: str | None = None

    # -- state -------------------------------------------------------------------------------

    def resume(self) -> PlanState:
        """List the app's own comments on the issue and load the plan's state."""
        self.comments = find_own_comments(self.inst, self.issue)
        return self.load_state()

    def load_state(self) -> PlanState:
        """Redis first; else the hidden state in the app's own status comment; else a new plan."""
        state = self.rt.states.load(self.issue)
        if state is not None:
            return state
        data = marked_data(self.comments, Marker(kind="state"))
        if data is not None:
            try:
                return PlanState.model_validate(data)
            except ValueError:
                log.warning("status comment holds an unreadable state; starting afresh")
        return PlanState(issue=self.issue)

    def save(self, state: PlanState, info: IssueInfo, decisions: list[TechnicalDecision], next_step: str) -> None:
        state.updated_at = self.now
        deadline = max((p.deadline for p in state.posted.values()), default=None)
        text = render_template(
            "comments/status.md.j2",
            phases=state.checklist(),
            feature=state.feature,
            branch_url=f"{repository_url(info)}/tree/{state.feature.branch}" if state.feature else None,
            decisions=decisions,
            deadline=deadline if state.phase is PlanPhase.VOTING else None,
            next_step=next_step,
            failure=state.failure,
        )
        own = self.upsert(STATUS, text, extra_markers=[state_marker(state)])
        state.status_comment_id = own.id
        self.rt.states.save(state)

    def upsert(self, marker: Marker, text: str, extra_markers: list[Marker] | None = None) -> OwnComment:
        """Edit the app's comment with this marker, or create it once; remembered for the rest of the job."""
        own = upsert_comment(self.inst, self.issue, marker, text, extra_markers=extra_markers or [], known=self.comments)
        self.comments = [c for c in self.comments if c.id != own.id] + [own]
        return own

    # -- the job -------------------------------------------------------------------------------

    def run(self) -> PlanState:
        react_to_issue(self.inst, self.issue, ACKNOWLEDGE.content)
        state = self.resume()
        info = get_issue(self.inst, self.issue)
        if state.phase in (PlanPhase.GENERATION, PlanPhase.REVIEW, PlanPhase.DONE):
            return state  # past voting: a redelivery or a second label changes nothing
        if state.phase is PlanPhase.CANCELLED:  # labelled again: resume where it stopped
            state.phase = PlanPhase.VOTING if state.posted else PlanPhase.INTAKE
            state.cancelled_from = None
        resuming = state.phase is PlanPhase.VOTING  # a re-run finishes what a killed worker left
        if not resuming:
            state.phase, state.failure = PlanPhase.INTAKE, None
            self.save(state, info, [], "Reading the issue.")

        try:
            config = load_repo_config(self.inst, self.issue.owner, self.issue.repo).config
        except RepoConfigError as exc:
            problem = neutralise_untrusted(str(exc))
            self.upsert(CONFIG_ERROR, render_template("comments/config-error.md.j2", path=CONFIG_PATH, problem=problem))
            state.phase, state.failure = PlanPhase.FAILED, f"`{CONFIG_PATH}` is invalid: {problem}"
            self.save(state, info, [], "Fix the configuration, then comment `/plan restart`.")
            return state

        prepared = self.prepare(state, info, config)
        if prepared is None:
            return self.rt.states.load(self.issue) or state
        return self.start_voting(state, info, config, prepared)

    def prepare(self, state: PlanState, info: IssueInfo, config: RepoConfig) -> Prepared | None:
        # A plan reads the default branch as it was when it started, so a re-run sees the same repository.
        workspace = GitHubWorkspace(self.inst, self.issue.owner, self.issue.repo, ref=state.base_sha)
        spec_path = linked_spec(info.body, config.specs_dir)
        text = info.body
        if spec_path is not None:
            linked = workspace.read_text(spec_path)
            if linked is not None:
                text = linked
            else:
                spec_path = None
        request = PlanRequest(
            text=text,
            title=info.title,
            spec_path=spec_path,
            spec_source=spec_path or f"issue #{self.issue.number}",
            specs_dir=config.specs_dir,
        )
        if state.phase is not PlanPhase.VOTING:
            state.phase = PlanPhase.ANALYSIS
        try:
            prepared = engine.prepare(request, workspace, workspace.branches())
        except ThinSpecError as exc:
            self.upsert(NEEDS_DETAIL, exc.message)
            add_labels(self.inst, self.issue, [config.labels.needs_detail], config.labels.specs())
            state.phase = PlanPhase.NEEDS_DETAIL
            self.save(state, info, [], "Add the missing details to the issue; planning resumes when it is edited.")
            return None
        feature = state.feature or prepared.context.feature
        if state.feature is None and config.branch_prefix:
            feature = feature.model_copy(update={"branch": f"{config.branch_prefix}{feature.branch}"})
        state.feature = feature
        state.base_sha = state.base_sha or workspace.head()
        state.started_at = state.started_at or self.now
        self.text, self.spec_path = text, spec_path
        return prepared.model_copy(update={"context": prepared.context.model_copy(update={"feature": feature})})

    def start_voting(self, state: PlanState, info: IssueInfo, config: RepoConfig, prepared: Prepared) -> PlanState:
        assert state.feature is not None
        if state.phase is not PlanPhase.VOTING:
            state.phase = PlanPhase.BRANCH
            self.save(state, info, prepared.analysis.decisions, "Creating the feature branch.")
        # rendered as of the plan's start, so a re-run produces the very same files (and commit)
        plan = engine.build_plan(prepared.context, prepared.analysis, state.started_at or self.now)
        in_folder = self.spec_path == state.feature.path("spec.md")
        files = render_branch_files(plan, include_spec=not in_folder, original_spec_text=None if in_folder else self.text)
        workspace = GitHubWorkspace(self.inst, self.issue.owner, self.issue.repo)
        if state.branch_sha is None or workspace.branch_head(state.feature.branch) is None:
            # once the branch holds the plan's first commit, a re-run never rewrites it (an edited
            # issue body changes nothing during voting; `/plan restart` plans again)
            message = f"Plan {state.feature.branch}: spec and technical decisions (PENDING)\n\nRefs #{self.issue.number}"
            state.branch_sha = workspace.commit(state.feature.branch, files, message)
        state.phase = PlanPhase.VOTING
        return self.post_decisions(state, info, config, prepared.analysis.decisions)

    def post_decisions(
        self, state: PlanState, info: IssueInfo, config: RepoConfig, decisions: list[TechnicalDecision]
    ) -> PlanState:
        """One comment per decision whose dependencies are settled, highest impact first."""
        window = timedelta(hours=config.voting.window_hours)
        decided = set(state.outcomes)
        for td in decisions:
            if td.id in state.posted or any(dep not in decided for dep in td.depends_on):
                continue
            deadline = self.now + window
            text = render_template(
                "comments/decision.md.j2",
                td=td,
                reactions=OPTION_REACTIONS,
                support=SUPPORT,
                object=OBJECT,
                deadline=deadline,
            )
            own = self.upsert(decision_marker(td.id), neutralise_untrusted(text))
            if config.voting.seed_reactions:
                for reaction in seeded_reactions([o.key for o in td.options]):
                    react_to_comment(self.inst, self.issue, own.id, reaction.content)  # type: ignore[arg-type]
            state.posted[td.id] = PostedDecision(decision_id=td.id, comment_id=own.id, posted_at=self.now,
                                                 deadline=deadline)
            self.rt.states.save(state)  # a worker killed now finds the comment by its marker anyway
        waiting = [td.id for td in decisions if td.id not in state.posted]
        next_step = (
            "Vote on each decision with reactions, or reply `/decide TD001 B <why>`."
            + (f" {', '.join(waiting)} will be posted once the decisions they depend on are taken." if waiting else "")
        )
        self.save(state, info, decisions, next_step)
        return state
