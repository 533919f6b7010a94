"""The `sweep` job, on a schedule (`PLANBOT_SWEEP_INTERVAL_SECONDS`): bring back what was lost.

- **Missed deliveries.** GitHub never redelivers a failed delivery by itself. The sweep pages
  through the app's delivery log back to where it last looked, groups the attempts by `guid`,
  and asks GitHub to redeliver each delivery planbot handles that no attempt delivered. The
  delivery ledger keeps a redelivery that did arrive from acting twice.
- **Plans that stopped.** Open issues with the trigger label and no plan, plans whose job died
  half-way, and plans in voting whose scheduled tally is gone (a flushed Redis) get their job
  again. A plan whose Redis state is gone is rebuilt by that job from the hidden state in the
  app's own status comment.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from redis.lock import Lock

from bot.events import router
from bot.jobs import IssueRef, JobKind, JobRequest
from bot.metrics import SharedMetrics
from bot.plan_state import PlanPhase, PlanState
from bot.queue import enqueue_job, job_retry, make_queue, schedule_sweep
from workers.runtime import Runtime

log = logging.getLogger(__name__)

CHECKPOINT_KEY = "planbot:recovery:checkpoint"  # the newest delivery already looked at
ASKED_PREFIX = "planbot:recovery:asked:"  # a guid whose redelivery planbot already asked for
DELIVERY_LOG_DAYS = 3  # GitHub keeps deliveries redeliverable this long
OVERLAP = timedelta(minutes=10)  # look back a little before the checkpoint: deliveries land out of order
STALE = timedelta(minutes=15)  # a plan step older than this, with no job running, has died
PER_PAGE = 100


class SweepReport(BaseModel):
    deliveries_seen: int = 0
    redeliveries_asked: int = 0
    plans_resumed: int = 0


def _next_cursor(link: str) -> str | None:
    for part in link.split(","):
        if 'rel="next"' in part and "cursor=" in part:
            return part.split("cursor=", 1)[1].split("&", 1)[0].split(">", 1)[0]
    return None


class Sweep:
    def __init__(self, rt: Runtime, now: datetime | None = None) -> None:
        self.rt = rt
        self.now = now or datetime.now(UTC)
        self.report = SweepReport()
        self.queue = make_queue(rt.redis, rt.settings)

    def run(self) -> SweepReport:
        lock = Lock(self.rt.redis, "planbot:lock:sweep", timeout=self.rt.settings.sweep_interval_seconds,
                    blocking=False)
        if not lock.acquire():
            log.info("another sweep is running")
            return self.report
        try:
            self.recover_deliveries()
            self.resume_plans()
        finally:
            try:
                lock.release()
            except Exception:  # noqa: BLE001 - it expires by itself
                log.debug("sweep lock already expired")
        log.info("sweep done", extra={"sweep": self.report.model_dump()})
        return self.report

    # -- deliveries ------------------------------------------------------------------------------

    def deliveries(self, since: datetime) -> Iterator[Any]:
        """The app's delivery attempts, newest first, back to `since`."""
        gh = self.rt.app.as_app
        cursor: str | None = None
        while True:
            response = (gh.rest.apps.list_webhook_deliveries(per_page=PER_PAGE, cursor=cursor) if cursor
                        else gh.rest.apps.list_webhook_deliveries(per_page=PER_PAGE))
            items = response.parsed_data
            for item in items:
                if item.delivered_at < since:
                    return
                yield item
            cursor = _next_cursor(response.headers.get("link", ""))
            if not items or cursor is None:
                return

    def recover_deliveries(self) -> None:
        raw = self.rt.redis.get(CHECKPOINT_KEY)
        oldest = self.now - timedelta(days=DELIVERY_LOG_DAYS)
        since = max(oldest, datetime.fromisoformat(raw.decode()) - OVERLAP) if raw else self.now - OVERLAP * 6
        attempts: dict[str, list[Any]] = {}
        newest = since
        for item in self.deliveries(since):
            attempts.setdefault(item.guid, []).append(item)
            newest = max(newest, item.delivered_at)
            self.report.deliveries_seen += 1
        gh = self.rt.app.as_app
        for guid, tries in attempts.items():
            if any(200 <= (t.status_code or 0) < 300 for t in tries):
                continue
            latest = max(tries, key=lambda t: t.delivered_at)
            if not router.wants(latest.event, latest.action):
                continue
            if not self.rt.redis.set(ASKED_PREFIX + guid, "1", nx=True, ex=DELIVERY_LOG_DAYS * 24 * 3600):
                continue  # asked already; a redelivery that failed again waits for its own attempt
            gh.rest.apps.redeliver_webhook_delivery(latest.id)
            self.report.redeliveries_asked += 1
            log.info("asked GitHub to redeliver a missed delivery", extra={"delivery_id": guid, "event": latest.event})
        self.rt.redis.set(CHECKPOINT_KEY, newest.isoformat())
        if self.report.redeliveries_asked:
            SharedMetrics(self.rt.redis).count_recovered_deliveries(self.report.redeliveries_asked)

    # -- plans ---------------------------------------------------------------------------------

    def labelled_issues(self) -> Iterator[IssueRef]:
        """Open issues carrying the trigger label, in every repository of every installation."""
        app = self.rt.app.as_app
        for installation in app.rest.paginate(app.rest.apps.list_installations, per_page=PER_PAGE):
            inst = self.rt.app.installation(installation.id)
            repositories = inst.gh.rest.paginate(inst.gh.rest.apps.list_repos_accessible_to_installation,
                                                 per_page=PER_PAGE, map_func=lambda r: r.parsed_data.repositories)
            for repository in repositories:
                owner, name = repository.owner.login, repository.name
                for issue in inst.gh.rest.paginate(inst.gh.rest.issues.list_for_repo, owner=owner, repo=name,
                                                   state="open", labels=self.rt.settings.trigger_label,
                                                   per_page=PER_PAGE):
                    if issue.pull_request:
                        continue
                    yield IssueRef(installation_id=installation.id, owner=owner, repo=name, number=issue.number)

    def resume_plans(self) -> None:
        for issue in self.labelled_issues():
            kind = self.job_for(self.rt.states.load(issue))
            if kind is None:
                continue
            slot = int(self.now.timestamp()) // int(self.rt.settings.sweep_interval_seconds)
            key = "".join(ch if ch.isalnum() else "_" for ch in issue.plan_key)
            request = JobRequest(kind=kind, issue=issue, delivery_id=f"sweep-{key}-{slot}", sender="planbot-sweep")
            enqueue_job(self.queue, request, retry=job_retry(self.rt.settings))
            self.report.plans_resumed += 1

    def job_for(self, state: PlanState | None) -> JobKind | None:
        """The job that carries a plan on, or None when it needs none now."""
        if state is None:
            return JobKind.START_PLAN  # never planned, or Redis lost it: the job rebuilds from the status comment
        stale = state.updated_at is None or state.updated_at < self.now - STALE
        if state.phase is PlanPhase.VOTING:
            lost = state.next_tally_at is None or state.next_tally_at < self.now - STALE
            return JobKind.TALLY if lost else None
        if state.phase is PlanPhase.GENERATION and stale:
            return JobKind.TALLY  # publishing died half-way; the tally finishes it
        if state.phase in (PlanPhase.INTAKE, PlanPhase.ANALYSIS, PlanPhase.BRANCH) and stale:
            return JobKind.START_PLAN
        return None


def schedule_next_sweep(rt: Runtime, now: datetime | None = None) -> None:
    at = (now or datetime.now(UTC)) + timedelta(seconds=rt.settings.sweep_interval_seconds)
    schedule_sweep(make_queue(rt.redis, rt.settings), at, interval_seconds=rt.settings.sweep_interval_seconds)
