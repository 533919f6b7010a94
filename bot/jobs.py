"""What the web app asks the workers to do: one pydantic model per job, shared by both sides.

The web process enqueues by the job function's dotted path, so it never imports worker code.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


class JobKind(StrEnum):
    START_PLAN = "start_plan"  # the trigger label was added: intake, branch, decision comments
    CANCEL_PLAN = "cancel_plan"  # the label was removed by a person, or the issue closed
    COMMAND = "command"  # `/plan status|restart|cancel` in a comment
    TALLY = "tally"  # count the votes, take what they decide; on a schedule and on every new comment
    REPLAN = "replan"  # `/replan`, `/decide` or a review requesting changes on the plan pull request
    FINISH = "finish"  # the plan pull request was merged or closed


# The RQ job function for each kind (in `workers/jobs.py`).
JOB_FUNCTIONS: dict[JobKind, str] = {kind: f"workers.jobs.{kind.value}" for kind in JobKind}


class IssueRef(BaseModel):
    installation_id: int
    owner: str
    repo: str
    number: int

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.repo}"

    @property
    def plan_key(self) -> str:
        """The identity of one plan: one issue of one repository."""
        return f"{self.owner.lower()}/{self.repo.lower()}#{self.number}"


class JobRequest(BaseModel):
    kind: JobKind
    issue: IssueRef
    delivery_id: str
    sender: str  # the login that caused the event
    comment_id: int | None = None  # for commands: the comment that holds it
    command: str | None = None  # for commands: the command line, e.g. "/plan status"
    pull_number: int | None = None  # for pull request events: the plan pull request
    review_id: int | None = None  # for a review requesting changes
    merged: bool | None = None  # for FINISH: whether the pull request was merged
    label: str | None = None  # for a label added or removed: its name (the job checks it is the repository's trigger)
    edited: bool = False  # START_PLAN from an edited issue: only an issue waiting for detail is planned again

    @property
    def job_id(self) -> str:
        """One job per delivery and kind: a redelivery maps to the same id.

        RQ 3 accepts only letters, digits, `_` and `-` in a job id, hence the `-` separator.
        """
        return f"{self.kind.value}-{self.delivery_id}"
