"""From decided decisions to a reviewed plan: check the choices against each other, generate and
validate every artifact, commit them in ONE commit on the feature branch, open (or update) the
plan pull request, publish the `planbot/validate` check run and move the labels on.

Every step is idempotent: the generation time is kept in the state so a re-run renders the same
files; a commit of files the branch already holds writes nothing; the pull request and the check
run are looked up before they are created. Files a person changed on the branch since planbot's
last commit are left as they are, and the pull request says which.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import timedelta

from bot.events.reviews import PLAN_MARKER_KIND
from bot.github.checks import CheckAnnotation, CheckResult, publish_check_run
from bot.github.comments import Marker, compose_body, neutralise_mentions, neutralise_untrusted
from bot.github.issues import IssueInfo, add_labels
from bot.github.pulls import PullInfo, open_pull
from bot.github.repo_config import RepoConfig
from bot.github.workspace import GitHubWorkspace
from bot.plan_state import PlanPhase, PlanState
from bot.planning import artifacts, engine
from bot.planning.analysis import Analysis
from bot.planning.conflicts import find_conflicts
from bot.planning.decisions import Conflict, TechnicalDecision
from bot.planning.engine import GeneratedPlan, PlanInvalidError, Prepared
from bot.planning.outcomes import reopen
from bot.planning.render import render_template
from bot.planning.report import build_report
from bot.planning.validation import Finding
from workers.plan_job import PlanJob, decision_marker, decision_text, repository_url

log = logging.getLogger(__name__)

CHECK_NAME = "planbot/validate"
SUMMARY_LIMIT = 4000


def plan_marker(issue_number: int) -> Marker:
    return Marker(kind=PLAN_MARKER_KIND, data={"issue": issue_number})


def conflict_marker(conflict: Conflict) -> Marker:
    return Marker(kind="conflict", key="-".join(sorted(conflict.decisions)))


def summary_lead(text: str) -> str:
    """The executive summary's opening: its recommendation line and implementation approach."""
    body = text.split("\n# ", 1)[-1].split("\n", 1)[-1] if "\n# " in text else text
    sections = re.split(r"\n(?=## )", body.strip())
    lead = "\n".join(sections[:2]).strip()
    return lead if len(lead) <= SUMMARY_LIMIT else lead[:SUMMARY_LIMIT].rsplit("\n", 1)[0] + "\n\n…"


def check_result(findings: list[Finding], risks_to_escalate: int) -> CheckResult:
    """`success`, `neutral` with warnings or risks to escalate, `failure` with errors."""
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity != "error"]
    if errors:
        conclusion, title = "failure", f"{len(errors)} error(s) in the plan"
    elif warnings or risks_to_escalate:
        conclusion, title = "neutral", f"{len(warnings)} warning(s), {risks_to_escalate} risk(s) to escalate"
    else:
        conclusion, title = "success", "The plan is complete and consistent"
    summary = "\n".join(f"- `{f.format()}`" for f in findings[:200]) or "No findings."
    annotations = [
        CheckAnnotation(path=f.path, start_line=f.line, end_line=f.line, message=f.message, title=f.code,
                        level="failure" if f.severity == "error" else "warning")
        for f in findings
    ]
    return CheckResult(conclusion=conclusion, title=title, summary=summary, annotations=annotations)  # type: ignore[arg-type]


class PlanWriter(PlanJob):
    """A plan job that can publish the plan."""

    def edit_decision_comments(self, state: PlanState, decisions: list[TechnicalDecision]) -> None:
        """Bring each posted decision's comment up to date (no request when nothing changed)."""
        for td in decisions:
            if td.id in state.posted:
                self.upsert(decision_marker(td.id), neutralise_untrusted(decision_text(td, state)))

    def reopen_conflicts(self, state: PlanState, info: IssueInfo, config: RepoConfig,
                         analysis: Analysis) -> Analysis | None:
        """Send decisions whose chosen options clash back to a vote (once per decision); the
        analysis with them reopened, or None when there is nothing (more) to reopen."""
        clashes = [c for c in find_conflicts(analysis.decisions) if c.severity == "error"]
        ids = sorted({td for c in clashes for td in c.decisions if td in state.posted and td not in state.reopened})
        if not ids:
            return None
        window = timedelta(hours=config.voting.window_hours)
        for conflict in clashes:
            self.upsert(conflict_marker(conflict), render_template(
                "comments/conflict.md.j2", conflict=conflict, window_hours=config.voting.window_hours))
        for td_id in ids:
            state.outcomes.pop(td_id, None)
            state.posted[td_id] = state.posted[td_id].model_copy(update={"deadline": self.now + window})
            state.reopened.append(td_id)
        reopened = reopen(analysis, ids)
        state.phase = PlanPhase.VOTING
        self.edit_decision_comments(state, reopened.decisions)
        self.save(state, info, reopened.decisions,
                  f"{', '.join(ids)} went back to a vote: their chosen options conflict (see the comment above).")
        return reopened

    def publish(self, state: PlanState, info: IssueInfo, config: RepoConfig, prepared: Prepared,
                analysis: Analysis) -> PlanState:
        """Generate, commit, open the pull request, publish the check run; see the module docstring."""
        assert state.feature is not None
        state.phase = PlanPhase.GENERATION
        state.generated_at = state.generated_at or self.now
        self.save(state, info, analysis.decisions, "Generating and validating every artifact.")
        in_folder = self.spec_path == state.feature.path(artifacts.SPEC.name)
        try:
            generated = engine.generate(Prepared(context=prepared.context, analysis=analysis), state.generated_at,
                                        include_spec=not in_folder, original_spec_text=None if in_folder else self.text)
        except PlanInvalidError as exc:
            state.phase, state.failure = PlanPhase.FAILED, "the generated plan failed validation: " + "; ".join(
                f.format() for f in exc.findings if f.severity == "error")[:1500]
            self.save(state, info, analysis.decisions, "Fix the spec or the decisions, then comment `/plan restart`.")
            return state

        workspace = GitHubWorkspace(self.inst, self.issue.owner, self.issue.repo, ref=state.feature.branch)
        files, skipped = self.writable(workspace, state, generated.files)
        message = render_template("commit-message.txt.j2", plan=generated.plan).rstrip() + f"\n\nRefs #{self.issue.number}\n"
        state.plan_sha = workspace.commit(state.feature.branch, files, message)
        self.rt.states.save(state)

        pull = self.open_pull_request(state, info, workspace, generated, skipped)
        state.pull_number, state.pull_url = pull.number, pull.html_url
        escalate = sum(1 for r in generated.plan.risks if r.escalate)
        publish_check_run(self.inst, self.issue.owner, self.issue.repo, name=CHECK_NAME, head_sha=state.plan_sha,
                          result=check_result(generated.findings, escalate), details_url=pull.html_url)
        add_labels(self.inst, self.issue, [config.labels.in_review], config.labels.specs())
        state.phase, state.failure = PlanPhase.REVIEW, None
        self.save(state, info, analysis.decisions,
                  f"Review the plan in {pull.html_url}: ask for changes with `/replan <feedback>` there.")
        return state

    def writable(self, workspace: GitHubWorkspace, state: PlanState,
                 files: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
        """The files to commit, and those left alone because a person changed them on the branch
        since planbot's last commit there."""
        assert state.feature is not None
        ours = state.plan_sha or state.branch_sha
        head = workspace.branch_head(state.feature.branch)
        if ours is None or head is None or head == ours:
            return dict(files), []
        before, now = workspace.listing(ours), workspace.listing(head)
        skipped = sorted(path for path in files
                         if (before[path].sha if path in before else None) != (now[path].sha if path in now else None))
        return {path: text for path, text in files.items() if path not in skipped}, skipped

    def open_pull_request(self, state: PlanState, info: IssueInfo, workspace: GitHubWorkspace,
                          generated: GeneratedPlan, skipped: list[str]) -> PullInfo:
        assert state.feature is not None
        plan = generated.plan
        blob = f"{repository_url(info)}/blob/{state.feature.branch}"
        links = [(path.removeprefix(state.feature.directory + "/"), f"{blob}/{path}") for path in sorted(generated.files)]
        summary_path = state.feature.path(artifacts.SUMMARY.name)
        report = build_report(plan, branch=state.feature.branch, directory=state.feature.directory,
                              files=sorted(generated.files), findings=generated.findings, commit=state.plan_sha)
        text = render_template(
            "comments/pull-request.md.j2",
            report=report,
            summary=summary_lead(generated.files.get(summary_path, "")),
            decisions=plan.decisions,
            links=links,
            issue_number=self.issue.number,
            skipped=skipped,
            usage=plan.analysis.usage,
        )
        body = compose_body(neutralise_untrusted(text), [plan_marker(self.issue.number)])
        return open_pull(self.inst, self.issue.owner, self.issue.repo, head=state.feature.branch,
                         base=workspace.default_branch, title=neutralise_mentions(f"Plan: {plan.spec.title}"), body=body)
