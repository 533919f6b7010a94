"""The plan pull request's review loop and its end.

`replan`: `/replan <feedback>`, `/decide TD002 B <why>` in a pull request comment, or a review that
requests changes (its body and line comments are the feedback), from an eligible person: the
artifacts are generated again with that feedback, as a new commit on the same branch, and planbot
answers on the pull request with what changed. Requests are taken one at a time (the plan lock)
and each only once.

`finish`: merged, the issue is labelled `planned` and loses the trigger label; closed unmerged, it
is labelled `plan-rejected`. The status comment says so.
"""

from __future__ import annotations

import logging

from bot.github.comments import Marker, neutralise_untrusted, upsert_comment
from bot.github.issues import add_labels, get_issue, remove_label
from bot.github.permissions import is_eligible
from bot.github.pulls import PullInfo, get_pull, review_feedback
from bot.github.repo_config import RepoConfig
from bot.github.workspace import GitHubWorkspace
from bot.plan_state import PlanPhase, PlanState
from bot.planning.decisions import DecisionChoice
from bot.planning.render import render_template
from bot.replies import Decide, Replan, intents
from workers.plan_job import PlanJob, settled
from workers.publish import PlanWriter

log = logging.getLogger(__name__)


def opened_by_app(pull: PullInfo, job: PlanJob) -> bool:
    return (pull.author or "").lower() == job.inst.identity.bot_login.lower()


class ReplanPlan(PlanWriter):
    def run(self) -> str:
        state = self.resume()
        number = self.request.pull_number
        key = f"review:{self.request.review_id}" if self.request.review_id else f"comment:{self.request.comment_id}"
        if state.pull_number is None or state.pull_number != number or state.phase is not PlanPhase.REVIEW:
            return "ignored: not this plan's open pull request"
        if key in state.handled:
            return "ignored: already handled"
        pull = get_pull(self.inst, self.issue.owner, self.issue.repo, number)
        if not opened_by_app(pull, self) or pull.state != "open":
            return "ignored: not an open pull request planbot opened"
        config = state.config or RepoConfig()
        if not is_eligible(self.inst, self.issue.owner, self.issue.repo, self.request.sender, config.voting.voters,
                           cache=self.rt.states.permissions(self.issue)):
            return "ignored: not eligible"
        feedback, decided = self.read_request(state)
        if not feedback and not decided:
            state.handled.append(key)
            self.rt.states.save(state)
            return "ignored: nothing asked"
        if feedback:
            state.feedback.append(feedback)
        return self.regenerate(state, config, key, feedback, decided)

    def read_request(self, state: PlanState) -> tuple[str, list[str]]:
        """The feedback text and the decisions the request changes (applied to the state)."""
        if self.request.review_id is not None:
            review = review_feedback(self.inst, self.issue.owner, self.issue.repo, state.pull_number or 0,
                                     self.request.review_id)
            lines = [review.body.strip()] if review.body.strip() else []
            lines += [f"{c.path}{f':{c.line}' if c.line else ''}: {c.body.strip()}" for c in review.comments]
            return "\n".join(lines), []
        data = self.inst.gh.rest.issues.get_comment(self.issue.owner, self.issue.repo,
                                                    self.request.comment_id or 0).parsed_data
        feedback: list[str] = []
        decided: list[str] = []
        for intent in intents(data.body or ""):
            if isinstance(intent, Replan) and intent.feedback:
                feedback.append(intent.feedback)
            elif isinstance(intent, Decide):
                posted = state.posted.get(intent.decision_id)
                if posted is None or (posted.options and intent.option not in posted.options):
                    continue
                state.outcomes[intent.decision_id] = DecisionChoice(
                    decision_id=intent.decision_id, option=intent.option,
                    rationale=(intent.rationale or "No reason given.") + " (by `/decide` on the plan pull request)",
                    decided_by=[self.request.sender], decided_at=data.created_at)
                decided.append(f"{intent.decision_id} → Option {intent.option}")
        return "\n".join(feedback), decided

    def regenerate(self, state: PlanState, config: RepoConfig, key: str, feedback: str, decided: list[str]) -> str:
        assert state.feature is not None
        info = get_issue(self.inst, self.issue)
        before_sha = state.plan_sha
        prepared = self.rebuild(state, info, config)
        analysis = settled(prepared.analysis, state, self.now)
        self.edit_decision_comments(state, analysis.decisions)
        state.generated_at = self.now  # a new generation
        state = self.publish(state, info, config, prepared, analysis)
        changed = self.changed_files(before_sha, state)
        pull_ref = self.issue.model_copy(update={"number": state.pull_number})
        text = render_template("comments/replan.md.j2", feedback=neutralise_untrusted(feedback), decided=decided,
                               changed=changed, commit=state.plan_sha, unchanged=state.plan_sha == before_sha)
        upsert_comment(self.inst, pull_ref, Marker(kind="replan", key=key.replace(":", "-")), text)
        state.handled.append(key)
        self.rt.states.save(state)
        return "replanned"

    def changed_files(self, before: str | None, state: PlanState) -> list[str]:
        """Paths whose content differs between planbot's previous and new commit."""
        if before is None or state.plan_sha is None or before == state.plan_sha:
            return []
        workspace = GitHubWorkspace(self.inst, self.issue.owner, self.issue.repo)
        old, new = workspace.listing(before), workspace.listing(state.plan_sha)
        blobs = {path for listing in (old, new) for path, item in listing.items() if item.type == "blob"}
        return sorted(path for path in blobs
                      if (old[path].sha if path in old else None) != (new[path].sha if path in new else None))


class FinishPlan(PlanJob):
    def run(self) -> str:
        state = self.resume()
        if state.pull_number is None or state.pull_number != self.request.pull_number:
            return "ignored: not this plan's pull request"
        if state.phase in (PlanPhase.DONE, PlanPhase.REJECTED):
            return state.phase.value
        pull = get_pull(self.inst, self.issue.owner, self.issue.repo, state.pull_number)
        if not opened_by_app(pull, self) or pull.state != "closed":
            return "ignored: the pull request is not closed"
        labels = (state.config or RepoConfig()).labels
        info = get_issue(self.inst, self.issue)
        remove_label(self.inst, self.issue, labels.in_review)
        if pull.merged:
            add_labels(self.inst, self.issue, [labels.planned], labels.specs())
            remove_label(self.inst, self.issue, labels.trigger)
            state.phase = PlanPhase.DONE
            next_step = f"Done: the plan was merged in {pull.html_url}."
        else:
            add_labels(self.inst, self.issue, [labels.rejected], labels.specs())
            state.phase = PlanPhase.REJECTED
            next_step = (f"The plan pull request {pull.html_url} was closed without merging. "
                         "Comment `/plan restart` to plan again.")
        self.save(state, info, [], next_step)
        return state.phase.value
