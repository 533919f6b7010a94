"""The `tally` job: count the votes, take what they decide, and publish the plan once every
decision is taken. It runs on every new comment on the issue and on a schedule while voting is
open.

Cheap when nothing happened: one conditional listing of the issue's comments (answered 304 when
nothing changed, which costs no rate limit). Reactions are listed only for decision comments whose
reaction counts changed; the analysis is rebuilt only when an outcome, a tally or a deadline
changes something people see.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.github.comments import Comment, Marker, own_comments, poll_comments
from bot.github.issues import IssueInfo, get_issue, react_to_comment
from bot.github.permissions import is_eligible
from bot.github.reactions import comment_reactions
from bot.github.repo_config import RepoConfig
from bot.plan_state import PlanPhase, PlanState
from bot.planning.decisions import DecisionChoice
from bot.planning.render import render_template
from bot.replies import Approve, Decide, intents
from bot.tally import Reactor, Tally, Verdict, at_deadline, count_reactions, on_approval
from workers.plan_job import settled
from workers.publish import PlanWriter

log = logging.getLogger(__name__)

ACCEPTED = "+1"  # planbot's reaction on a comment whose decision it took
REFUSED = "confused"  # … on a comment it could not act on (the reply says why)


def is_person(comment: Comment) -> bool:
    return comment.author is not None and comment.author_type != "Bot" and comment.app_id is None \
        and not comment.author.lower().endswith("[bot]")


def choice(decision_id: str, verdict: Verdict, tally: Tally | None, at: datetime) -> DecisionChoice:
    return DecisionChoice(decision_id=decision_id, option=verdict.option, rationale=verdict.rationale,
                          decided_by=verdict.decided_by, provisional=verdict.provisional,
                          votes=tally.counts if tally else {}, decided_at=at)


class CollectVotes(PlanWriter):
    def run(self) -> PlanState:
        previous = self.rt.states.load_comments(self.issue)
        snapshot = poll_comments(self.inst, self.issue, previous)
        self.rt.states.save_comments(self.issue, snapshot)
        self.comments = own_comments(snapshot.comments, self.inst.identity)
        state = self.load_state()
        config = state.config or RepoConfig()
        if state.phase is PlanPhase.GENERATION:  # a job died while publishing: finish it (every step is idempotent)
            self.config, self.permissions = config, self.rt.states.permissions(self.issue)
            self.apply(state, config)
            return state
        if state.phase is not PlanPhase.VOTING:
            return state
        self.permissions = self.rt.states.permissions(self.issue)
        self.config = config
        changed = self.count_votes(state, snapshot.comments)
        changed = self.read_replies(state, snapshot.comments, config) or changed
        changed = self.close_windows(state, config) or changed
        if changed:
            self.apply(state, config)
        else:
            self.rt.states.save(state)
        if state.phase is PlanPhase.VOTING:
            self.schedule_next(state)
        return state

    # -- reading -----------------------------------------------------------------------------

    def eligible(self, login: str) -> bool:
        return is_eligible(self.inst, self.issue.owner, self.issue.repo, login, self.config.voting.voters,
                           cache=self.permissions)

    def count_votes(self, state: PlanState, comments: list[Comment]) -> bool:
        """Recount the decisions whose reaction counts moved since the last listing."""
        by_id = {c.id: c for c in comments}
        changed = False
        for td_id, posted in state.posted.items():
            comment = by_id.get(posted.comment_id)
            if comment is None:
                continue
            counts = comment.reactions.model_dump()
            if state.seen_reactions.get(td_id) == counts:
                continue
            reactors = [Reactor(login=r.login, user_type=r.user_type, content=r.content)
                        for r in comment_reactions(self.inst, self.issue, comment.id)]
            tally = count_reactions(td_id, reactors, posted.recommendation, posted.options, self.eligible)
            state.seen_reactions[td_id] = counts
            if (state.tallies.get(td_id) or Tally(decision_id=td_id)) != tally:
                changed = True
            state.tallies[td_id] = tally
        return changed

    def read_replies(self, state: PlanState, comments: list[Comment], config: RepoConfig) -> bool:
        """Take the decisions people's new comments ask for: `/decide`, quote-replies, `/plan approve`."""
        changed = False
        fresh = [c for c in comments if c.id > state.last_comment_id and is_person(c)]
        for comment in sorted(fresh, key=lambda c: c.id):
            asked = [i for i in intents(comment.body) if isinstance(i, Decide | Approve)]
            if asked and comment.author is not None and self.eligible(comment.author):
                problems = [p for i in asked if (p := self.take(state, i, comment)) is not None]
                react_to_comment(self.inst, self.issue, comment.id, REFUSED if problems else ACCEPTED)  # type: ignore[arg-type]
                if problems:
                    self.upsert(Marker(kind="reply", key=str(comment.id)),
                                render_template("comments/reply.md.j2", problems=problems, url=comment.html_url))
                changed = changed or len(problems) < len(asked)
            state.last_comment_id = max(state.last_comment_id, comment.id)
        return changed

    def take(self, state: PlanState, intent: Decide | Approve, comment: Comment) -> str | None:
        """Apply one request; a sentence saying why it could not be, or None."""
        author = comment.author or "someone"
        if isinstance(intent, Approve):
            for td_id in state.open_decisions():
                tally = state.tallies.get(td_id) or Tally(decision_id=td_id)
                verdict = on_approval(tally, state.posted[td_id].recommendation, author)
                if verdict is not None:
                    state.outcomes[td_id] = choice(td_id, verdict, tally, comment.created_at)
            return None
        posted = state.posted.get(intent.decision_id)
        if posted is None:
            known = ", ".join(state.posted) or "none yet"
            return f"`{intent.decision_id}` is not an open decision of this plan (decisions: {known})."
        if posted.options and intent.option not in posted.options:
            return f"{intent.decision_id} has no option {intent.option} (options: {', '.join(posted.options)})."
        how = "quote-reply" if intent.quoted else "`/decide`"
        rationale = intent.rationale or "No reason given."
        tally = state.tallies.get(intent.decision_id)
        state.outcomes[intent.decision_id] = DecisionChoice(
            decision_id=intent.decision_id, option=intent.option, rationale=f"{rationale} (by {how})",
            decided_by=[author], votes=tally.counts if tally else {}, decided_at=comment.created_at)
        return None

    def close_windows(self, state: PlanState, config: RepoConfig) -> bool:
        """Settle the open decisions whose window has closed (a blocked one stays open)."""
        changed = False
        for td_id in state.open_decisions():
            posted = state.posted[td_id]
            if posted.deadline > self.now:
                continue
            tally = state.tallies.get(td_id) or Tally(decision_id=td_id)
            verdict = at_deadline(tally, posted.recommendation, config.voting.quorum)
            if verdict is not None:
                state.outcomes[td_id] = choice(td_id, verdict, tally, posted.deadline)
                changed = True
        return changed

    # -- acting --------------------------------------------------------------------------------

    def apply(self, state: PlanState, config: RepoConfig) -> None:
        """Show the new tallies and outcomes, post decisions that waited on these, and publish
        the plan when every decision is taken."""
        info: IssueInfo = get_issue(self.inst, self.issue)
        prepared = self.rebuild(state, info, config)
        analysis = settled(prepared.analysis, state, self.now)
        self.edit_decision_comments(state, analysis.decisions)
        if all(td.id in state.outcomes for td in analysis.decisions):
            reopened = self.reopen_conflicts(state, info, config, analysis) if state.phase is PlanPhase.VOTING else None
            if reopened is None:
                self.schedule_next(state)  # should publishing die half-way, this tally finishes it
                self.publish(state, info, config, prepared, analysis)
            return
        self.post_decisions(state, info, config, analysis.decisions)
