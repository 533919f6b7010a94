"""`.specify/memory/technical-decisions-log.json`: every decision, appended, never overwritten.

The file holds a JSON list of entries, one per feature plan. Older files that hold a single
entry object, or `{"entries": [...]}`, are read as well and rewritten as a list.
"""

from __future__ import annotations

import json
from datetime import datetime

from pydantic import BaseModel, Field, ValidationError, field_validator

from bot.planning.decisions import TechnicalDecision

DECISION_LOG_PATH = ".specify/memory/technical-decisions-log.json"


class DecisionLogError(ValueError):
    """The decision log exists but cannot be read; planbot refuses to overwrite it."""


class LoggedDecision(BaseModel):
    id: str
    category: str
    title: str = ""
    topic: str = ""
    decision: str
    rationale: str = ""
    timestamp: str = ""
    decided_by: str = ""
    reversibility: str = ""
    review_trigger: str = ""
    provisional: bool = False
    votes: dict[str, int] = Field(default_factory=dict)

    @field_validator("decided_by", mode="before")
    @classmethod
    def _join_people(cls, value: object) -> object:
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value


class LogEntry(BaseModel):
    feature: str
    branch: str = ""
    recorded_at: str = ""
    supersedes: str | None = None  # "<branch>@<recorded_at>" of the entry this one replaces after merge
    decisions: list[LoggedDecision] = Field(default_factory=list)


class DecisionLog(BaseModel):
    entries: list[LogEntry] = Field(default_factory=list)

    def decisions(self) -> list[tuple[LogEntry, LoggedDecision]]:
        """Every logged decision with its entry, newest entry last; superseded entries left out."""
        superseded = {e.supersedes for e in self.entries if e.supersedes}
        return [
            (entry, decision)
            for entry in self.entries
            if f"{entry.branch}@{entry.recorded_at}" not in superseded
            for decision in entry.decisions
        ]

    def for_topic(self, topic: str) -> tuple[LogEntry, LoggedDecision] | None:
        """The most recent logged decision on a catalog topic."""
        found = [(e, d) for e, d in self.decisions() if d.topic == topic]
        return found[-1] if found else None


def parse_decision_log(text: str | None) -> DecisionLog:
    if text is None or not text.strip():
        return DecisionLog()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DecisionLogError(f"{DECISION_LOG_PATH} is not valid JSON (line {exc.lineno}): {exc.msg}") from exc
    if isinstance(data, dict):
        data = data.get("entries", [data]) if "feature" not in data else [data]
    try:
        return DecisionLog(entries=data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DecisionLogError(f"{DECISION_LOG_PATH}: entry {where}: {first['msg']}") from exc


def entry_for(
    feature: str, branch: str, decisions: list[TechnicalDecision], recorded_at: datetime
) -> LogEntry:
    """The log entry for a plan whose decisions are all settled."""
    logged: list[LoggedDecision] = []
    for td in decisions:
        if td.outcome is None:
            continue
        chosen = td.option(td.outcome.option)
        logged.append(
            LoggedDecision(
                id=td.id,
                category=td.category.value,
                title=td.title,
                topic=td.topic,
                decision=f"Option {chosen.key}: {chosen.title}",
                rationale=td.outcome.rationale,
                timestamp=td.outcome.decided_at.isoformat().replace("+00:00", "Z"),
                decided_by=", ".join(td.outcome.decided_by) or "planbot (provisional default)",
                reversibility=td.reversibility.value,
                review_trigger=td.review_trigger,
                provisional=td.outcome.provisional,
                votes=td.outcome.votes,
            )
        )
    stamp = recorded_at.isoformat().replace("+00:00", "Z")
    return LogEntry(feature=feature, branch=branch, recorded_at=stamp, decisions=logged)


def append_entry(log: DecisionLog, entry: LogEntry, *, replace_open: bool = True) -> DecisionLog:
    """The log with `entry` added.

    With `replace_open` (the plan is not merged yet), an earlier entry for the same branch is
    replaced; otherwise the new entry is appended and names the one it supersedes.
    """
    entries = list(log.entries)
    earlier = [i for i, e in enumerate(entries) if e.branch == entry.branch]
    if earlier and replace_open:
        entries[earlier[-1]] = entry
    else:
        if earlier:
            prior = entries[earlier[-1]]
            entry = entry.model_copy(update={"supersedes": f"{prior.branch}@{prior.recorded_at}"})
        entries.append(entry)
    return DecisionLog(entries=entries)


def render_decision_log(log: DecisionLog) -> str:
    payload = [e.model_dump(exclude_none=True) for e in log.entries]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
