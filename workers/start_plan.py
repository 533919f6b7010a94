"""The `start_plan` job: from a labelled issue to a feature branch and one comment per decision.

Every step looks for what it would create before creating it, so a redelivery, a second label
or a worker killed half-way creates nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from redis.exceptions import LockError
from redis.lock import Lock

from bot.github.comments import Marker, neutralise_untrusted
from bot.events.models import same_label
from bot.github.issues import IssueInfo, add_labels, get_issue, react_to_issue
from bot.github.repo_config import RepoConfig, RepoConfigError, load_repo_config
from bot.github.workspace import BranchTaken, GitHubWorkspace, WorkspaceError
from bot.jobs import JobRequest
from bot.plan_state import PlanPhase, PlanState
from bot.planning import engine
from bot.planning.engine import PlanRequest, Prepared
from bot.planning.feature import Feature
from bot.planning.intake import SpecTooLargeError, ThinSpecError
from bot.planning.naming import number_taken, plan_feature
from bot.planning.render import render_template
from bot.planning.writer import render_branch_files
from bot.voting import ACKNOWLEDGE
from workers.plan_job import PlanJob

log = logging.getLogger(__name__)

NEEDS_DETAIL = Marker(kind="needs-detail")
CONFIG_ERROR = Marker(kind="config-error")
CONFIG_PATH = ".github/planbot.yml"
REPOSITORY_LOCK_SECONDS = 120  # numbering a feature and creating its branch takes seconds
RENUMBER_ATTEMPTS = 5  # other plans taking the number this often in a row is not a race any more


def asks_for_plan(request: JobRequest, info: IssueInfo, trigger: str, needs_detail: str) -> bool:
    """Whether the event behind `request` asks for a plan, given the repository's labels: a label
    added must be its trigger; an edit counts only on an issue carrying both the trigger and the
    needs-detail label. Jobs not caused by an issue event (the sweep, `/plan restart`) always do."""
    if request.label is not None:
        return same_label(request.label, trigger)
    if request.edited:
        return any(same_label(name, trigger) for name in info.labels) and \
            any(same_label(name, needs_detail) for name in info.labels)
    return True


class StartPlan(PlanJob):
    # -- the job -------------------------------------------------------------------------------

    def run(self) -> PlanState | None:
        """The plan carried as far as it goes now; None when the event that asked is not planbot's
        (a label other than the repository's trigger, an edit of an issue not waiting for detail)."""
        info = get_issue(self.inst, self.issue)
        config_error: RepoConfigError | None = None
        try:
            config: RepoConfig | None = load_repo_config(self.inst, self.issue.owner, self.issue.repo).config
        except RepoConfigError as exc:
            if not asks_for_plan(self.request, info, self.rt.settings.trigger_label, self.rt.settings.needs_detail_label):
                return None  # an unusable config, and nothing says this event was meant for planbot
            config, config_error = None, exc
        else:
            if not asks_for_plan(self.request, info, config.labels.trigger, config.labels.needs_detail):
                return None
        react_to_issue(self.inst, self.issue, ACKNOWLEDGE.content)
        state = self.resume()
        if state.phase in (PlanPhase.GENERATION, PlanPhase.REVIEW, PlanPhase.DONE, PlanPhase.REJECTED):
            self.rt.states.save(state)  # rebuilt from the status comment after a Redis loss: keep it
            return state  # past voting: a redelivery or a second label changes nothing
        if state.phase is PlanPhase.CANCELLED:  # labelled again: resume where it stopped
            state.phase = PlanPhase.VOTING if state.posted else PlanPhase.INTAKE
            state.cancelled_from = None
        resuming = state.phase is PlanPhase.VOTING  # a re-run finishes what a killed worker left
        if not resuming:
            state.phase, state.failure = PlanPhase.INTAKE, None
            self.save(state, info, [], "Reading the issue.")

        if config is None:
            assert config_error is not None
            problem = neutralise_untrusted(str(config_error))
            self.upsert(CONFIG_ERROR, render_template("comments/config-error.md.j2", path=CONFIG_PATH, problem=problem))
            state.phase, state.failure = PlanPhase.FAILED, f"`{CONFIG_PATH}` is invalid: {problem}"
            self.save(state, info, [], "Fix the configuration, then comment `/plan restart`.")
            return state

        # Plans of one repository started at the same moment take turns to number their feature and
        # create its branch, so two plans never pick the same number.
        with self.repository_lock():
            prepared = self.prepare(state, info, config)
            if prepared is None:
                return self.rt.states.load(self.issue) or state
            prepared = self.create_branch(state, info, config, prepared)
        return self.start_voting(state, info, config, prepared)

    @contextmanager
    def repository_lock(self) -> Iterator[None]:
        key = f"planbot:lock:repo:{self.issue.owner.lower()}/{self.issue.repo.lower()}"
        lock = Lock(self.rt.redis, key, timeout=REPOSITORY_LOCK_SECONDS, blocking_timeout=REPOSITORY_LOCK_SECONDS)
        if not lock.acquire():
            raise RuntimeError(f"{self.issue.owner}/{self.issue.repo} is busy numbering another plan")
        try:
            yield
        finally:
            try:
                lock.release()
            except LockError:
                log.warning("the repository lock expired while this plan numbered its feature")

    def prepare(self, state: PlanState, info: IssueInfo, config: RepoConfig) -> Prepared | None:
        # A plan reads the default branch as it was when it started, so a re-run sees the same repository.
        if state.phase is PlanPhase.VOTING and state.feature is not None:
            prepared = self.rebuild(state, info, config)  # the analysis the decision comments were written from
            return prepared
        workspace = GitHubWorkspace(self.inst, self.issue.owner, self.issue.repo, ref=state.base_sha)
        copy = self.rt.states.load_spec(self.issue) if state.phase is PlanPhase.VOTING else None
        copy = copy or self.spec_from_issue(info, config, state.base_sha)
        text, spec_path = copy.text, copy.spec_path
        state.private = workspace.private
        request = PlanRequest(
            text=text,
            title=info.title,
            spec_path=spec_path,
            spec_source=spec_path or f"issue #{self.issue.number}",
            specs_dir=config.specs_dir,
            private=state.private,
        )
        if state.phase is not PlanPhase.VOTING:
            state.phase = PlanPhase.ANALYSIS
        try:
            prepared = engine.prepare(request, workspace, workspace.branches(), analyst=self.analyst(config, workspace),
                                      researcher=self.rt.researcher)
        except ThinSpecError as exc:
            self.upsert(NEEDS_DETAIL, exc.message)
            add_labels(self.inst, self.issue, [config.labels.needs_detail], config.labels.specs())
            state.phase = PlanPhase.NEEDS_DETAIL
            self.save(state, info, [], "Add the missing details to the issue; planning resumes when it is edited.")
            return None
        except SpecTooLargeError as exc:
            state.phase, state.failure = PlanPhase.FAILED, str(exc)
            self.save(state, info, [], "Shorten the spec, then comment `/plan restart`.")
            return None
        feature = state.feature or self.with_prefix(config, prepared.context.feature)
        state.feature = feature
        state.base_sha = state.base_sha or workspace.head()
        state.started_at = state.started_at or self.now
        self.text, self.spec_path = text, spec_path
        self.rt.states.save_spec(self.issue, copy)
        prepared = prepared.model_copy(update={"context": prepared.context.model_copy(update={"feature": feature})})
        self.plan_request = request
        self.remember(state, request, prepared)
        return prepared

    def create_branch(self, state: PlanState, info: IssueInfo, config: RepoConfig, prepared: Prepared) -> Prepared:
        """The feature branch with spec.md and decisions.md, in ONE commit (once).

        A feature planbot numbered itself claims its branch: when another plan took the number
        meanwhile (the repository lock is lost with Redis), the feature is numbered again rather
        than two plans sharing a branch or a number."""
        assert state.feature is not None
        if state.phase is not PlanPhase.VOTING:
            state.phase = PlanPhase.BRANCH
            self.save(state, info, prepared.analysis.decisions, "Creating the feature branch.")
        workspace = GitHubWorkspace(self.inst, self.issue.owner, self.issue.repo)
        if state.branch_sha is not None and workspace.branch_head(state.feature.branch) is not None:
            # once the branch holds the plan's first commit, a re-run never rewrites it (an edited
            # issue body changes nothing during voting; `/plan restart` plans again)
            return prepared
        claim = f"Refs #{self.issue.number}"
        for _ in range(RENUMBER_ATTEMPTS):
            assert state.feature is not None
            in_folder = self.spec_path == state.feature.path("spec.md")
            own = in_folder or workspace.branch_head(state.feature.branch) is not None
            branches = [] if own else workspace.branches()
            if number_taken(state.feature, branches):
                prepared = self.renumber(state, config, prepared, branches)
                continue
            # rendered as of the plan's start, so a re-run produces the very same files (and commit)
            plan = engine.build_plan(prepared.context, prepared.analysis, state.started_at or self.now)
            files = render_branch_files(plan, include_spec=not in_folder,
                                        original_spec_text=None if in_folder else self.text)
            message = f"Plan {state.feature.branch}: spec and technical decisions (PENDING)\n\n{claim}"
            try:
                state.branch_sha = workspace.commit(state.feature.branch, files, message,
                                                    claim=None if in_folder else claim)
            except BranchTaken:
                prepared = self.renumber(state, config, prepared, workspace.branches())
                continue
            self.rt.states.save(state)
            return prepared
        raise WorkspaceError(f"{self.issue.owner}/{self.issue.repo}: other plans kept taking this plan's "
                             f"feature number; comment `/plan restart` to number it again")

    def renumber(self, state: PlanState, config: RepoConfig, prepared: Prepared, branches: list[str]) -> Prepared:
        """Number the feature again past every branch there is now, and keep the analysis under it."""
        assert self.plan_request is not None, "renumbered before the analysis was prepared"
        base = GitHubWorkspace(self.inst, self.issue.owner, self.issue.repo, ref=state.base_sha)
        taken = state.feature
        feature = self.with_prefix(config, plan_feature(prepared.context.spec.title, base, branches,
                                                        spec_path=self.spec_path, specs_dir=config.specs_dir))
        log.warning("feature %s was taken by another plan; numbering this one %s",
                    taken.branch if taken else "?", feature.branch)
        state.feature = feature
        prepared = prepared.model_copy(update={"context": prepared.context.model_copy(update={"feature": feature})})
        self.remember(state, self.plan_request, prepared)
        return prepared

    @staticmethod
    def with_prefix(config: RepoConfig, feature: Feature) -> Feature:
        """The feature with the repository's `branch_prefix` in front of its branch name."""
        if not config.branch_prefix:
            return feature
        return feature.model_copy(update={"branch": f"{config.branch_prefix}{feature.branch}"})

    def start_voting(self, state: PlanState, info: IssueInfo, config: RepoConfig, prepared: Prepared) -> PlanState:
        assert state.feature is not None
        state.phase = PlanPhase.VOTING
        state.config = state.config or config  # the settings votes are counted by, fixed from now on
        state = self.post_decisions(state, info, state.config, prepared.analysis.decisions)
        self.schedule_next(state)  # votes are counted from now on, and each window closes on time
        return state
