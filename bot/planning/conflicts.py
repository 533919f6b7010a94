"""Conflicting technical choices: options that do not work together, and choices that
contradict a decision an earlier plan logged.

The check reads option traits (see `Option.traits`) against a small table of trait pairs
that clash. Each rule names the two sides and says why, in a sentence a reviewer can act on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.planning.decision_log import DecisionLog
from bot.planning.decisions import Conflict, TechnicalDecision

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class ClashRule:
    left: frozenset[str]
    right: frozenset[str]
    severity: Severity
    message: str

    def applies(self, first: frozenset[str], second: frozenset[str]) -> bool:
        return bool((first & self.left and second & self.right) or (first & self.right and second & self.left))


def _rule(left: str, right: str, severity: Severity, message: str) -> ClashRule:
    return ClashRule(frozenset(left.split()), frozenset(right.split()), severity, message)


RULES: tuple[ClashRule, ...] = (
    _rule(
        "short-lived-compute",
        "long-lived-connections",
        "error",
        "Serverless functions end after seconds-to-minutes and cannot hold WebSocket or event-stream "
        "connections open; the connections need a long-running process or a hosted realtime service.",
    ),
    _rule(
        "short-lived-compute",
        "long-running-workers long-running-jobs",
        "warning",
        "Serverless functions have hard time limits and no always-on process; queue workers and long "
        "batch runs need a runtime that stays up, or must be cut into steps that fit the limit.",
    ),
    _rule(
        "single-instance-state",
        "horizontal-scale-out",
        "warning",
        "State kept in one process's memory is invisible to the other replicas: each instance counts, "
        "caches and invalidates on its own once the service runs on several instances.",
    ),
    _rule(
        "local-disk-state",
        "horizontal-scale-out short-lived-compute",
        "error",
        "Files on one instance's disk are missing on the other instances and disappear with the "
        "container; several instances need shared object storage.",
    ),
    _rule(
        "eventual-consistency",
        "strong-consistency-required",
        "error",
        "Active-active replication across regions is eventually consistent, while this choice needs the "
        "business write and what follows from it to commit in one ACID transaction on one primary.",
    ),
    _rule(
        "single-region single-instance",
        "multi-region",
        "error",
        "One side keeps everything in a single region (or a single instance) while the other serves "
        "several regions; pick one geography for the whole plan.",
    ),
    _rule(
        "needs-relational-database",
        "non-relational-store",
        "error",
        "This choice relies on features of a relational database (transactions with row locks, "
        "LISTEN/NOTIFY, row-level security or full-text indexes) that a document or key-value store does not offer.",
    ),
    _rule(
        "immutable-storage",
        "hard-delete",
        "warning",
        "Compliance-mode retention locks forbid deleting stored objects before the retention date, so "
        "erasure by deletion cannot reach personal data kept in the locked archive; keep personal data "
        "out of it or erase by destroying keys.",
    ),
    _rule(
        "browser-held-tokens",
        "eventsource-transport",
        "warning",
        "The browser's EventSource cannot send an Authorization header; bearer tokens would travel in the "
        "URL (and into proxy logs) unless the stream authenticates with a cookie or a short-lived ticket.",
    ),
    _rule(
        "needs-object-storage",
        "files-in-database local-disk-state",
        "error",
        "Direct uploads with pre-signed URLs need an object store to sign for; files kept in the database "
        "or on a volume must stream through the application.",
    ),
)


RULE_TRAITS: frozenset[str] = frozenset(t for rule in RULES for t in rule.left | rule.right)


def clashes(first: Iterable[str], second: Iterable[str]) -> list[ClashRule]:
    """The rules two sets of traits break."""
    a, b = frozenset(first) & RULE_TRAITS, frozenset(second) & RULE_TRAITS
    if not a or not b:
        return []
    return [rule for rule in RULES if rule.applies(a, b)]


def find_conflicts(decisions: Sequence[TechnicalDecision]) -> list[Conflict]:
    """Pairs of decisions whose effective options (chosen, else recommended) clash."""
    found: list[Conflict] = []
    for index, first in enumerate(decisions):
        a = first.effective
        for second in decisions[index + 1 :]:
            b = second.effective
            for rule in clashes(a.traits, b.traits):
                found.append(
                    Conflict(
                        decisions=[first.id, second.id],
                        message=f"{first.id} ({a.title}) and {second.id} ({b.title}): {rule.message}",
                        severity=rule.severity,
                    )
                )
    return found


_OPTION_PREFIX = re.compile(r"^\s*option\s+[A-Z]\s*[:.)-]\s*", re.IGNORECASE)


def _same_choice(logged: str, title: str) -> bool:
    return _OPTION_PREFIX.sub("", logged).strip().casefold() == title.strip().casefold()


def conflicts_with_log(decisions: Sequence[TechnicalDecision], log: DecisionLog) -> list[Conflict]:
    """Decisions whose effective option differs from what an earlier plan logged on the same topic."""
    found: list[Conflict] = []
    for td in decisions:
        earlier = log.for_topic(td.topic)
        if earlier is None:
            continue
        entry, logged = earlier
        option = td.effective
        if _same_choice(logged.decision, option.title):
            continue
        found.append(
            Conflict(
                decisions=[td.id, f"log:{entry.feature}/{logged.id}"],
                message=(
                    f"{td.id} ({td.title}) now points to {option.title}, but \"{entry.feature}\" logged "
                    f"{logged.id}: {logged.decision}. Confirm the change deliberately, or keep the earlier "
                    f"decision and revisit this plan."
                ),
                severity="warning",
            )
        )
    return found
