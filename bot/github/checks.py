"""planbot's check run on a commit: one completed run per (name, commit), with every finding as an
annotation on the line it is about.

- GitHub takes at most 50 annotations per request and appends the annotations of each update to
  those already there (it never replaces them). So the first request (the create) carries the
  first 50, each further update the next 50, and only the last request completes the run with its
  conclusion: a run that is still `in_progress` was not fully published.
- Publishing again for the same name and commit reuses the run: nothing is sent when it already
  shows this result; a run left half-way is finished from where it stopped. A run holding other
  annotations cannot be cleaned, so a new run of the same name replaces it (GitHub shows the
  newest run of a name).
- Appending is not idempotent: an update repeated after a lost answer would show annotations
  twice. Updates that add annotations go through a client that never repeats a request after a
  5xx or a timeout, and `create_once` checks the run's annotation count before sending again.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from githubkit import GitHub
from githubkit.exception import GitHubException, RateLimitExceeded
from githubkit.retry import RetryOption
from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.github.client import Installation
from bot.github.retry import GitHubRetry, create_once, never_sent

ANNOTATIONS_PER_REQUEST = 50
PER_PAGE = 100  # check runs and annotations listed per request
MAX_OUTPUT_CHARS = 65_535  # summary and text
MAX_ANNOTATION_TITLE_CHARS = 255
# GitHub allows 64 KB for a message; 16,384 characters stay under it even when each takes 4 bytes
MAX_ANNOTATION_MESSAGE_CHARS = 16_384
ELLIPSIS = "…"

AnnotationLevel = Literal["notice", "warning", "failure"]
Conclusion = Literal["success", "neutral", "failure"]


class CheckRunError(RuntimeError):
    """The check run changed under planbot in a way it cannot make sense of."""


def fit(text: str, limit: int) -> str:
    """`text` within `limit` characters: cut at a line break when there is one, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) - 1]
    if "\n" in cut:
        cut = cut[: cut.rindex("\n")]
    return f"{cut.rstrip()}\n{ELLIPSIS}"


class CheckAnnotation(BaseModel):
    """One finding on lines `start_line`..`end_line` of a file (a path inside the repository)."""

    model_config = ConfigDict(frozen=True)

    path: str = Field(min_length=1)
    start_line: int = Field(ge=1)
    end_line: int = Field(ge=1)
    level: AnnotationLevel
    message: str = Field(min_length=1)
    title: str | None = None

    @model_validator(mode="after")
    def _lines_in_order(self) -> CheckAnnotation:
        if self.end_line < self.start_line:
            raise ValueError(f"end_line {self.end_line} is before start_line {self.start_line}")
        return self

    def payload(self) -> dict[str, Any]:
        """The annotation as the Checks API takes it, within GitHub's limits."""
        item: dict[str, Any] = {
            "path": self.path,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "annotation_level": self.level,
            "message": fit(self.message, MAX_ANNOTATION_MESSAGE_CHARS),
        }
        if self.title:
            item["title"] = fit(self.title, MAX_ANNOTATION_TITLE_CHARS)
        return item


class CheckResult(BaseModel):
    """What the check found: its conclusion, a title and Markdown summary (and optional longer
    `text`), and the annotations."""

    conclusion: Conclusion
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    text: str | None = None
    annotations: list[CheckAnnotation] = Field(default_factory=list)

    def output(self, annotations: list[dict[str, Any]]) -> dict[str, Any]:
        """The run's `output` for one request, carrying `annotations` (at most 50)."""
        output: dict[str, Any] = {"title": self.title, "summary": fit(self.summary, MAX_OUTPUT_CHARS)}
        if self.text is not None:
            output["text"] = fit(self.text, MAX_OUTPUT_CHARS)
        if annotations:
            output["annotations"] = annotations
        return output


def _batches(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [items[i : i + ANNOTATIONS_PER_REQUEST] for i in range(0, len(items), ANNOTATIONS_PER_REQUEST)]


def _same_annotation(stored: Any, wanted: dict[str, Any]) -> bool:
    return (
        stored.path == wanted["path"]
        and stored.start_line == wanted["start_line"]
        and stored.end_line == wanted["end_line"]
        and stored.annotation_level == wanted["annotation_level"]
        and stored.message == wanted["message"]
        and (stored.title or None) == wanted.get("title")
    )


def _without_blind_retries(inst: Installation) -> GitHub[Any]:
    """The installation's client (same pacer, token cache and hooks) that waits out rate limits
    and retries requests that never left, but never repeats one after a 5xx or a timeout."""
    policy = GitHubRetry(inst.retry)

    def decide(exc: GitHubException, retry_count: int) -> RetryOption:
        if isinstance(exc, RateLimitExceeded) or never_sent(exc):
            return policy(exc, retry_count)
        return RetryOption(False)

    return GitHub(inst.gh.auth, config=dataclasses.replace(inst.gh.config, auto_retry=decide))


class _Publisher:
    """One `publish_check_run` call: the run it writes and how many annotations it holds."""

    def __init__(self, inst: Installation, owner: str, repo: str, name: str, head_sha: str, result: CheckResult,
                 details_url: str | None) -> None:
        self.inst = inst
        self.owner = owner
        self.repo = repo
        self.name = name
        self.head_sha = head_sha
        self.result = result
        self.details_url = details_url
        self.wanted = [annotation.payload() for annotation in result.annotations]
        self.client = _without_blind_retries(inst)  # held: githubkit keeps only a weak reference

    # -- reading ---------------------------------------------------------------------------

    def latest_run(self) -> Any | None:
        """The newest run of this name on the commit made by this app, if any."""
        response = self.inst.gh.rest.checks.list_for_ref(
            self.owner, self.repo, self.head_sha, check_name=self.name, filter_="latest",
            app_id=self.inst.identity.id, per_page=PER_PAGE,
        )
        runs = [run for run in response.parsed_data.check_runs
                if run.name == self.name and run.app is not None and run.app.id == self.inst.identity.id]
        return max(runs, key=lambda run: run.id) if runs else None

    def published_prefix(self, run: Any) -> int | None:
        """How many of the wanted annotations `run` already holds, in order; None when it holds
        annotations that are not a prefix of them (it cannot be brought to this result)."""
        count = run.output.annotations_count
        if count == 0:
            return 0
        if count > len(self.wanted):
            return None
        stored = list(self.inst.gh.rest.paginate(self.inst.gh.rest.checks.list_annotations, owner=self.owner,
                                                 repo=self.repo, check_run_id=run.id, per_page=PER_PAGE))
        if len(stored) != count or not all(map(_same_annotation, stored, self.wanted)):
            return None
        return count

    def shows_result(self, run: Any) -> bool:
        output = self.result.output([])
        return (
            run.status == "completed"
            and run.conclusion == self.result.conclusion
            and run.output.title == output["title"]
            and run.output.summary == output["summary"]
            and ("text" not in output or run.output.text == output["text"])
            and (self.details_url is None or run.details_url == self.details_url)
        )

    # -- writing ---------------------------------------------------------------------------

    def completion(self) -> dict[str, Any]:
        """What the last request adds: the run is completed with the result's conclusion."""
        done: dict[str, Any] = {"status": "completed", "conclusion": self.result.conclusion}
        if self.details_url is not None:
            done["details_url"] = self.details_url
        return done

    def create(self, first: list[dict[str, Any]], *, last: bool, replacing: int | None) -> tuple[int, int]:
        """Create the run carrying the first batch (and its conclusion when nothing follows);
        returns its id and annotation count. `replacing`: the id of a run this one supersedes."""
        body: dict[str, Any] = {"name": self.name, "head_sha": self.head_sha, "output": self.result.output(first)}
        if last:
            body.update(self.completion())
        else:
            body["status"] = "in_progress"
            if self.details_url is not None:
                body["details_url"] = self.details_url

        def find_made() -> tuple[int, int] | None:
            run = self.latest_run()
            if run is None or (replacing is not None and run.id <= replacing):
                return None
            return run.id, run.output.annotations_count

        def send() -> tuple[int, int]:
            run = self.client.rest.checks.create(self.owner, self.repo, data=body).parsed_data  # type: ignore[call-overload]
            return run.id, run.output.annotations_count

        return create_once(find_made, send, policy=self.inst.retry)

    def update(self, run_id: int, held: int, batch: list[dict[str, Any]], *, last: bool) -> int:
        """Append `batch` to the run (completing it when `last`) exactly once; returns how many
        annotations the run holds afterwards."""
        body: dict[str, Any] = {"output": self.result.output(batch)}
        if last:
            body.update(self.completion())
        expected = held + len(batch)

        def find_made() -> int | None:
            count = self.inst.gh.rest.checks.get(self.owner, self.repo, run_id).parsed_data.output.annotations_count
            if count == expected and expected > held:
                return count
            if count == held:
                return None  # not made (or it added nothing): send it again
            raise CheckRunError(f"check run {run_id} holds {count} annotations, expected {held} or {expected}")

        def send() -> int:
            checks = self.client.rest.checks
            run = checks.update(self.owner, self.repo, run_id, data=body).parsed_data  # type: ignore[call-overload]
            return run.output.annotations_count

        return create_once(find_made, send, policy=self.inst.retry)

    def finish(self, run_id: int, held: int) -> int:
        """Send the annotations after the first `held`, the last request completing the run."""
        rest = _batches(self.wanted[held:]) or [[]]
        for index, batch in enumerate(rest):
            held = self.update(run_id, held, batch, last=index == len(rest) - 1)
        return run_id

    def publish(self) -> int:
        """Reuse the newest run when it can show this result, else create one; returns its id."""
        run = self.latest_run()
        if run is not None:
            held = self.published_prefix(run)
            if held is not None:
                if held == len(self.wanted) and self.shows_result(run):
                    return int(run.id)
                return self.finish(run.id, held)
        batches = _batches(self.wanted) or [[]]
        run_id, held = self.create(batches[0], last=len(batches) == 1, replacing=run.id if run is not None else None)
        if len(batches) == 1:
            return run_id
        return self.finish(run_id, held)


def publish_check_run(inst: Installation, owner: str, repo: str, *, name: str, head_sha: str, result: CheckResult,
                      details_url: str | None = None) -> int:
    """Show `result` as the completed check run `name` on commit `head_sha`; returns the run's id.

    One run per (name, commit): an existing run of this app is reused (see the module docstring),
    and the annotations go out 50 per request, the last request completing the run.
    """
    return _Publisher(inst, owner, repo, name, head_sha, result, details_url).publish()
