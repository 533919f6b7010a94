"""What every job on one plan shares: its state (Redis first, else the hidden copy in the status
comment), the app's own comments on the issue, the status comment, and the plan's analysis
rebuilt from the spec it started from (the engine is deterministic)."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import UTC, datetime, timedelta

import bot
from bot.github.client import Installation
from bot.model.analyst import ModelAnalyst, ModelAnalystError
from bot.github.comments import Marker, OwnComment, find_own_comments, marked_data, neutralise_untrusted, upsert_comment
from bot.github.issues import IssueInfo, react_to_comment
from bot.github.repo_config import RepoConfig
from bot.github.workspace import GitHubWorkspace
from bot.jobs import JobKind, JobRequest
from bot.plan_state import PlanPhase, PlanState, PostedDecision, SpecCopy
from bot.planning import engine
from bot.planning.analysis import Analysis
from bot.planning.decisions import DecisionStatus, TechnicalDecision
from bot.planning.engine import PlanRequest, Prepared
from bot.planning.ports import Analyst
from bot.planning.render import render_template
from bot.queue import job_retry, make_queue, schedule_job
from bot.voting import OBJECT, OPTION_REACTIONS, SUPPORT, seeded_reactions
from workers.runtime import Runtime

log = logging.getLogger(__name__)

STATUS = Marker(kind="status")


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


class PlanJob:
    """One job's view of one plan."""

    def __init__(self, runtime: Runtime, request: JobRequest, now: datetime | None = None) -> None:
        self.rt = runtime
        self.request = request
        self.issue = request.issue
        self.now = now or datetime.now(UTC)
        self.inst: Installation = runtime.app.installation(self.issue.installation_id)
        self.comments: list[OwnComment] = []
        self.text = ""  # the spec text planned from: the issue body or the spec file it links
        self.spec_path: str | None = None
        self.plan_request: PlanRequest | None = None  # what the analysis was asked, once prepared or rebuilt

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

    def save(self, state: PlanState, info: IssueInfo | None, decisions: list[TechnicalDecision], next_step: str) -> None:
        """Save the state in Redis and bring the status comment (with its hidden copy) up to date."""
        state.updated_at = self.now
        open_deadlines = [p.deadline for td, p in state.posted.items() if td not in state.outcomes]
        deadline = min(open_deadlines, default=None) if state.phase is PlanPhase.VOTING else None
        text = render_template(
            "comments/status.md.j2",
            phases=state.checklist(),
            feature=state.feature,
            branch_url=f"{repository_url(info)}/tree/{state.feature.branch}" if state.feature and info else None,
            decisions=decisions,
            tallies=state.tallies,
            blocked=state.blocked(),
            deadline=deadline,
            pull_url=state.pull_url,
            limitations=state.limitations,
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
            posting = PostedDecision(decision_id=td.id, comment_id=0, posted_at=self.now, deadline=deadline,
                                     options=[o.key for o in td.options], recommendation=td.recommendation)
            state.posted[td.id] = posting
            own = self.upsert(decision_marker(td.id), neutralise_untrusted(decision_text(td, state)))
            if config.voting.seed_reactions:
                for reaction in seeded_reactions([o.key for o in td.options]):
                    react_to_comment(self.inst, self.issue, own.id, reaction.content)  # type: ignore[arg-type]
            state.posted[td.id] = posting.model_copy(update={"comment_id": own.id})
            self.rt.states.save(state)  # a worker killed now finds the comment by its marker anyway
        waiting = [td.id for td in decisions if td.id not in state.posted]
        next_step = (
            "Vote on each decision with reactions, or reply `/decide TD001 B <why>`."
            + (f" {', '.join(waiting)} will be posted once the decisions they depend on are taken." if waiting else "")
        )
        self.save(state, info, decisions, next_step)
        return state

    def schedule_next(self, state: PlanState) -> None:
        """The next tally: at the next interval, or when the earliest window closes if sooner."""
        interval = timedelta(seconds=self.rt.settings.tally_interval_seconds)
        deadlines = [state.posted[td].deadline for td in state.open_decisions()]
        at = min([self.now + interval, *(d + timedelta(seconds=1) for d in deadlines if d > self.now)])
        pending = state.next_tally_at
        if pending is not None and self.now < pending <= at:
            return  # a tally is already scheduled, no later than this one would be
        state.next_tally_at = at
        self.rt.states.save(state)
        slot = int(at.timestamp())
        key = "".join(ch if ch.isalnum() else "_" for ch in self.issue.plan_key)
        request = JobRequest(kind=JobKind.TALLY, issue=self.issue, delivery_id=f"scheduled-{key}-{slot}",
                             sender=self.request.sender)
        schedule_job(make_queue(self.rt.redis, self.rt.settings), request, at, retry=job_retry(self.rt.settings))

    # -- the analysis --------------------------------------------------------------------------

    def rebuild(self, state: PlanState, info: IssueInfo, config: RepoConfig) -> Prepared:
        """The plan's analysis as it started: the spec text it read (kept in Redis, else the issue as
        it is now), the default branch at the commit it read, the feature it named."""
        copy = self.rt.states.load_spec(self.issue)
        if copy is None:
            copy = self.spec_from_issue(info, config, state.base_sha)
        self.text, self.spec_path = copy.text, copy.spec_path
        request = PlanRequest(
            text=copy.text,
            title=info.title,
            spec_path=copy.spec_path,
            spec_source=copy.spec_path or f"issue #{self.issue.number}",
            specs_dir=config.specs_dir,
            user_context="\n\n".join(state.feedback) or None,
            private=state.private,
        )
        self.plan_request = request
        fingerprint = analysis_fingerprint(state, request)
        cached = self.rt.states.load_analysis(self.issue, fingerprint)
        if cached is not None:
            try:
                return Prepared.model_validate_json(cached)
            except ValueError:
                log.warning("cached analysis unreadable; analysing again")
        workspace = GitHubWorkspace(self.inst, self.issue.owner, self.issue.repo, ref=state.base_sha)
        prepared = engine.prepare(request, workspace, workspace.branches(), analyst=self.analyst(config, workspace),
                                      researcher=self.rt.researcher)
        feature = state.feature or prepared.context.feature
        prepared = prepared.model_copy(update={"context": prepared.context.model_copy(update={"feature": feature})})
        self.remember(state, request, prepared)
        return prepared

    def remember(self, state: PlanState, request: PlanRequest, prepared: Prepared) -> None:
        """Keep the analysis (a model's words included) so every later job of the plan reads the same."""
        state.limitations = list(prepared.analysis.limitations)
        self.rt.states.save_analysis(self.issue, analysis_fingerprint(state, request), prepared.model_dump_json().encode())

    def analyst(self, config: RepoConfig, workspace: GitHubWorkspace) -> Analyst | None:
        """The app's model, when there is one and the repository lets it write (a private
        repository only with `model.allow_private`)."""
        if self.rt.analyst is None or not config.model.enabled:
            return None
        if workspace.private and not config.model.allow_private:
            return None
        if config.model.name and isinstance(self.rt.analyst, ModelAnalyst) and config.model.name != self.rt.analyst.name:
            try:
                return ModelAnalyst(self.rt.analyst.settings.model_copy(update={"model": config.model.name}))
            except ModelAnalystError as exc:
                log.warning("the repository's model cannot be used (%s); using the app's", exc)
        return self.rt.analyst

    def spec_from_issue(self, info: IssueInfo, config: RepoConfig, ref: str | None) -> SpecCopy:
        """The issue's body, or the spec-kit spec it links when that file exists at `ref`."""
        spec_path = linked_spec(info.body, config.specs_dir)
        if spec_path is not None:
            linked = GitHubWorkspace(self.inst, self.issue.owner, self.issue.repo, ref=ref).read_text(spec_path)
            if linked is not None:
                return SpecCopy(text=linked, spec_path=spec_path)
        return SpecCopy(text=info.body)


def analysis_fingerprint(state: PlanState, request: PlanRequest) -> str:
    """What an analysis depends on: planbot's version, the commit read, the feature and the request."""
    return hashlib.sha256(
        f"{bot.__version__}\n{state.base_sha}\n{state.feature!r}".encode() + request.model_dump_json().encode()
    ).hexdigest()


def settled(analysis: Analysis, state: PlanState, now: datetime) -> Analysis:
    """The analysis with the plan's outcomes applied and blocked decisions marked BLOCKED."""
    known = {td.id for td in analysis.decisions}
    choices = [choice for td_id, choice in state.outcomes.items() if td_id in known]
    decided = engine.decide(analysis, choices, now, close_window=False)
    blocked = state.blocked()
    return decided.model_copy(update={"decisions": [
        td.model_copy(update={"status": DecisionStatus.BLOCKED}) if td.id in blocked and not td.decided else td
        for td in decided.decisions
    ]})


def decision_text(td: TechnicalDecision, state: PlanState) -> str:
    """A decision's comment: the card, how to vote, the deadline, and the tally and outcome so far."""
    posted = state.posted.get(td.id)
    return render_template(
        "comments/decision.md.j2",
        td=td,
        reactions=OPTION_REACTIONS,
        support=SUPPORT,
        object=OBJECT,
        deadline=posted.deadline if posted is not None and not td.decided else None,
        tally=state.tallies.get(td.id),
        objectors=state.blocked().get(td.id, []),
    )
