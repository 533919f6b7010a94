"""Check runs and their annotations (the Checks API, as a GitHub App uses it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.fakegithub.api.base import REPO, Handlers
from tests.fakegithub.api.pulls import refresh_head
from tests.fakegithub.routing import Call, HttpError, Reply, Router, invalid, not_found
from tests.fakegithub.shapes import JSON
from tests.fakegithub.state import CheckRun, Issue, Repo, now

STATUSES = ("queued", "in_progress", "completed")
CONCLUSIONS = ("action_required", "cancelled", "failure", "neutral", "success", "skipped", "timed_out")
LEVELS = ("notice", "warning", "failure")
MAX_ANNOTATIONS_PER_REQUEST = 50
MAX_OUTPUT_CHARS = 65535  # summary and text
MAX_ANNOTATION_TITLE = 255
MAX_ANNOTATION_TEXT = 64 * 1024  # message and raw_details


def field_error(field: str, code: str = "invalid", message: str | None = None) -> HttpError:
    error: JSON = {"resource": "CheckRun", "code": code, "field": field}
    if message is not None:
        error["message"] = message
    return invalid(errors=[error])


class CheckRoutes(Handlers):
    """Create, update and read check runs; list a commit's runs and a run's annotations."""

    def register(self, router: Router) -> None:
        router.add("POST", f"{REPO}/check-runs", self.create_run)
        router.add("GET", f"{REPO}/check-runs/{{id:int}}", self.get_run)
        router.add("PATCH", f"{REPO}/check-runs/{{id:int}}", self.update_run)
        router.add("GET", f"{REPO}/check-runs/{{id:int}}/annotations", self.list_annotations)
        router.add("GET", f"{REPO}/commits/{{ref:path}}/check-runs", self.list_for_ref)

    def run_json(self, repo: Repo, run: CheckRun) -> JSON:
        assert self.world.app is not None
        return self.shapes.check_run(repo, run, self.world.app, self.pulls_for(repo, run.head_sha))

    @staticmethod
    def pulls_for(repo: Repo, sha: str) -> list[Issue]:
        found: list[Issue] = []
        for issue in repo.issues.values():
            if issue.pull is not None and issue.state == "open":
                refresh_head(repo, issue)
                if issue.pull.head_sha == sha:
                    found.append(issue)
        return found

    def find_run(self, repo: Repo, ident: int) -> CheckRun:
        run = repo.check_runs.get(ident)
        if run is None:
            raise not_found()
        return run

    # -- writing ---------------------------------------------------------------------------

    def create_run(self, call: Call) -> Reply:
        repo = self.repo(call)
        body = call.json_object()
        name, head_sha = body.get("name"), body.get("head_sha")
        if not isinstance(name, str) or not name.strip():
            raise field_error("name", "missing_field")
        if not isinstance(head_sha, str) or head_sha not in repo.git.commits:
            raise invalid(f"No commit found for SHA: {head_sha}")
        annotations = self.check_output(body)
        run = CheckRun(self.world.next_id(), name, head_sha, "queued", None, now())
        self.apply(run, body, annotations)
        repo.check_runs[run.id] = run
        return Reply(201, self.run_json(repo, run))

    def update_run(self, call: Call) -> Reply:
        repo = self.repo(call)
        run = self.find_run(repo, call.arg_int("id"))
        body = call.json_object()
        if "name" in body and (not isinstance(body["name"], str) or not body["name"].strip()):
            raise field_error("name")
        annotations = self.check_output(body)
        self.apply(run, body, annotations)
        return Reply(200, self.run_json(repo, run))

    def apply(self, run: CheckRun, body: dict[str, Any], annotations: list[JSON]) -> None:
        """Every change of a create or an update, after the whole request was found valid."""
        status, conclusion = body.get("status"), body.get("conclusion")
        if status is not None and status not in STATUSES:
            raise field_error("status")
        if conclusion is not None and conclusion not in CONCLUSIONS:
            raise field_error("conclusion")
        if conclusion is not None:
            status = "completed"  # a conclusion completes the run, whatever the status said
        if status == "completed" and conclusion is None and run.conclusion is None:
            raise field_error("conclusion", "missing_field", "conclusion is required when status is completed")
        started, completed = self.time(body, "started_at"), self.time(body, "completed_at")
        for key in ("details_url", "external_id"):
            if key in body and body[key] is not None and not isinstance(body[key], str):
                raise field_error(key)
        if isinstance(body.get("name"), str):
            run.name = body["name"]
        if status is not None:
            run.status = status
        if conclusion is not None:
            run.conclusion = conclusion
        if run.status == "completed":
            run.completed_at = completed or run.completed_at or now()
        if started is not None:
            run.started_at = started
        run.details_url = body.get("details_url", run.details_url)
        run.external_id = body.get("external_id", run.external_id)
        output = body.get("output")
        if isinstance(output, dict):
            run.title = output.get("title", run.title)
            run.summary = output.get("summary", run.summary)
            run.text = output.get("text", run.text)
        run.annotations.extend(annotations)  # GitHub appends, it never replaces

    @staticmethod
    def time(body: dict[str, Any], key: str) -> datetime | None:
        raw = body.get(key)
        if raw is None:
            return None
        try:
            return datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        except ValueError as exc:
            raise field_error(key) from exc

    def check_output(self, body: dict[str, Any]) -> list[JSON]:
        """The request's annotations, normalised, once its `output` (if any) is found valid."""
        output = body.get("output")
        if output is None:
            return []
        if not isinstance(output, dict):
            raise field_error("output")
        for key in ("title", "summary"):
            if not isinstance(output.get(key), str):
                raise invalid(f"Invalid request.\n\n\"{key}\" wasn't supplied.")
        for key in ("summary", "text"):
            value = output.get(key)
            if value is not None and (not isinstance(value, str) or len(value) > MAX_OUTPUT_CHARS):
                raise invalid(f"Invalid request.\n\n\"{key}\" is too long (maximum is {MAX_OUTPUT_CHARS} characters).")
        raw = output.get("annotations", [])
        if not isinstance(raw, list):
            raise field_error("annotations")
        if len(raw) > MAX_ANNOTATIONS_PER_REQUEST:
            limit = MAX_ANNOTATIONS_PER_REQUEST
            raise invalid(f"Invalid request.\n\nOnly {limit} annotations are allowed per request.")
        return [self.annotation(item) for item in raw]

    @staticmethod
    def annotation(item: Any) -> JSON:
        if not isinstance(item, dict):
            raise field_error("annotations")
        path, start, end = item.get("path"), item.get("start_line"), item.get("end_line")
        level, message = item.get("annotation_level"), item.get("message")
        if not isinstance(path, str) or not path:
            raise field_error("annotations.path", "missing_field")
        if not isinstance(start, int) or not isinstance(end, int) or start < 1 or end < start:
            raise field_error("annotations.start_line")
        if level not in LEVELS:
            raise field_error("annotations.annotation_level")
        if not isinstance(message, str) or not message or len(message) > MAX_ANNOTATION_TEXT:
            raise field_error("annotations.message")
        title, details = item.get("title"), item.get("raw_details")
        if title is not None and (not isinstance(title, str) or len(title) > MAX_ANNOTATION_TITLE):
            raise field_error("annotations.title")
        if details is not None and (not isinstance(details, str) or len(details) > MAX_ANNOTATION_TEXT):
            raise field_error("annotations.raw_details")
        columns = item.get("start_column"), item.get("end_column")
        if any(c is not None for c in columns) and start != end:
            raise field_error("annotations.start_column", "custom",
                              "start_column and end_column may only be given when start_line equals end_line")
        return {"path": path, "start_line": start, "end_line": end, "start_column": columns[0],
                "end_column": columns[1], "annotation_level": level, "title": title, "message": message,
                "raw_details": details}

    # -- reading ---------------------------------------------------------------------------

    def get_run(self, call: Call) -> Reply:
        repo = self.repo(call)
        return Reply(200, self.run_json(repo, self.find_run(repo, call.arg_int("id"))))

    def list_annotations(self, call: Call) -> Reply:
        repo = self.repo(call)
        run = self.find_run(repo, call.arg_int("id"))
        return self.page(call, [self.shapes.annotation(repo, run, a) for a in run.annotations])

    def list_for_ref(self, call: Call) -> Reply:
        """A commit's check runs, newest first; `filter=latest` (the default) keeps the newest
        run of each name."""
        repo = self.repo(call)
        sha = self.resolve(repo, call.args["ref"])
        name, status = call.params.get("check_name"), call.params.get("status")
        app_id = call.params.get("app_id")
        latest = call.params.get("filter", "latest") != "all"
        chosen: list[CheckRun] = []
        seen: set[str] = set()
        for run in sorted(repo.check_runs.values(), key=lambda r: r.id, reverse=True):
            if run.head_sha != sha or (name and run.name != name) or (status and run.status != status):
                continue
            if app_id and self.world.app is not None and app_id != str(self.world.app.id):
                continue
            if latest and run.name in seen:
                continue
            seen.add(run.name)
            chosen.append(run)
        listed = self.page(call, [self.run_json(repo, run) for run in chosen])
        return Reply(200, {"total_count": len(chosen), "check_runs": listed.body}, listed.headers)
