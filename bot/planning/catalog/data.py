"""Data decisions: retention and archival, erasure of personal data against retention duties,
and simultaneous changes to one record."""

from __future__ import annotations

from bot.planning.catalog.core import Assessment, Topic
from bot.planning.catalog.facts import join_ids, longest_retention, subject
from bot.planning.catalog.figures import YEAR_DAYS, figure
from bot.planning.catalog.prose import load_prose
from bot.planning.catalog.scoring import stateful_entities
from bot.planning.catalog.signals import any_of, figure as figure_signal, matches, rx
from bot.planning.catalog.situation import Situation
from bot.planning.catalog.vocabulary import (
    AUDIT,
    CONCURRENT_EDITS,
    ERASURE,
    EXACTLY_ONCE,
    FILES,
    KEEP_FOR,
    LEGAL_RETENTION,
    PERSONAL_DATA,
)
from bot.planning.decisions import Category, Impact
from bot.planning.spec import MetricKind

PROSE = load_prose(Category.DATA)

# --- retention and archival --------------------------------------------------------------------


def _assess_retention(situation: Situation, a: Assessment) -> None:
    kept = longest_retention(situation)
    legal = situation.ids(LEGAL_RETENTION)
    a.support(kept, situation.first(LEGAL_RETENTION))
    if kept is not None:
        fact = f"{kept.source} keeps data for {figure(kept.metric)}"
    else:
        fact = f"{join_ids(situation.ids(KEEP_FOR))} set how long data is kept"
    if legal:
        fact += f", and {subject(legal, 'ties', 'tie')} retention to legal or audit duties"
    a.fact(fact + ".")
    if kept is not None and kept.metric.value >= 3 * YEAR_DAYS:
        a.favour(
            "tiered-archive",
            2,
            f"Over {figure(kept.metric)} most of the data is never read again; moving it to an archive tier after an "
            "active period cuts storage and backup cost and keeps the primary database small.",
        )
        a.penalise("primary-with-purge", 1, f"{figure(kept.metric)} of data ({kept.source}) weighs on every backup and restore.")
    files = situation.ids(FILES)
    if files and kept is not None and kept.metric.value >= YEAR_DAYS:
        a.favour("tiered-archive", 1, pro=f"Lifecycle rules move the files of {join_ids(files)} to colder classes automatically.")
    if legal:
        a.favour("immutable-archive", 1.5, pro=f"Shows auditors that records retained under {join_ids(legal)} were not altered.")
        a.at_least(Impact.MEDIUM)
    erasure = situation.ids(ERASURE)
    if erasure:
        a.penalise(
            "immutable-archive",
            2,
            f"Erasure requests ({join_ids(erasure)}) cannot reach personal data locked in a write-once archive.",
        )
    if kept is not None and kept.metric.value >= 5 * YEAR_DAYS and (legal or situation.says(PERSONAL_DATA)):
        a.at_least(Impact.HIGH)
    if kept is not None:
        a.review = (
            f"Revisit when storage cost over the retention of {figure(kept.metric)} ({kept.source}) passes its budget, "
            "an audit needs archived data faster than it can be restored, or the retention rule changes."
        )


DATA_RETENTION_ARCHIVAL = Topic(
    key="data-retention-archival",
    category=Category.DATA,
    prose=PROSE["data-retention-archival"],
    trigger=any_of(figure_signal(MetricKind.RETENTION, lambda v: v > 0), matches(KEEP_FOR)),
    assess=_assess_retention,
    about=rx(r"\bretain\w*", r"\bretention\b", r"\barchiv\w+", r"\bkeep\b", r"\bkept\b", r"\bpurg\w+"),
    prior={"primary-with-purge": 2, "tiered-archive": 1.5, "immutable-archive": 0.5},
    reasons={
        "primary-with-purge": "Keeping data where it is, in time-based partitions with a scheduled purge at the end of "
        "the period, is the simplest way to keep it queryable and to delete it on time.",
    },
    names={
        "primary-with-purge": rx(r"\bpartition\w* by (?:month|date|time|year)\b"),
        "tiered-archive": rx(r"\bGlacier\b", r"\bcold (?:storage|tier)\b", r"\barchive tier\b"),
        "immutable-archive": rx(r"\bobject lock\b", r"\bWORM\b", r"\bwrite[- ]once\b", r"\bcompliance mode\b"),
    },
    depends_on=("file-storage", "primary-datastore"),
)

# --- erasure versus retention ------------------------------------------------------------------

_BACKUPS = rx(r"\bbackups?\b", r"\barchiv\w+", r"\breplicas?\b")


def _assess_erasure(situation: Situation, a: Assessment) -> None:
    erasure = situation.ids(ERASURE)
    legal = situation.ids(LEGAL_RETENTION)
    kept = longest_retention(situation)
    a.support(situation.first(LEGAL_RETENTION), kept)
    fact = f"{subject(erasure, 'lets', 'let')} people have their personal data erased"
    if legal or kept is not None:
        duties = legal + ([kept.source] if kept is not None else [])
        fact += f", while {subject(duties, 'requires', 'require')} records to be kept"
        if kept is not None:
            fact += f" ({figure(kept.metric)})"
    a.fact(fact + ".")
    for question in situation.spec.open_questions:
        if question.location in erasure:
            a.fact(
                f"{question.location} still asks “{question.question}”, so the design must hold whichever fields turn out to be retained."
            )
    if legal or kept is not None:
        a.favour(
            "pseudonymise",
            2,
            "Keeping identity in one separate table lets retained records stay intact for audits while an erasure "
            "deletes the identity row, whichever fields end up retained.",
        )
        a.favour("delete-and-anonymise", 0.5)
        a.favour("crypto-shredding", 1, pro="Also reaches backups and archives of retained data.")
        a.at_least(Impact.HIGH)
    if situation.leaning("data-retention-archival") == "immutable-archive":
        a.favour(
            "crypto-shredding",
            2,
            "Destroying a person's key erases them even inside the write-once archive leaned to for retention.",
        )
    if situation.leaning("personal-data-encryption") == "field-encryption":
        a.favour("crypto-shredding", 0.5, pro="Builds on the field-level encryption leaned to for personal data.")
    files = situation.ids(FILES)
    if files:
        a.note(f"Files uploaded under {join_ids(files)} can carry personal data too; erasure must reach them or their keys.")
    backups = situation.ids(_BACKUPS)
    if backups:
        a.penalise("delete-and-anonymise", 0.5, f"Copies in backups and archives ({join_ids(backups)}) outlive the deletion.")
    if situation.says(AUDIT):
        a.note("The audit trail records who did what; erasure must anonymise the person in it without deleting the entries.")


DATA_ERASURE_VS_RETENTION = Topic(
    key="data-erasure-vs-retention",
    category=Category.DATA,
    prose=PROSE["data-erasure-vs-retention"],
    trigger=matches(ERASURE),
    assess=_assess_erasure,
    impact=Impact.MEDIUM,
    about=rx(ERASURE.pattern, r"\bpersonal data\b", r"\bretain\w*", r"\bretention\b"),
    prior={"delete-and-anonymise": 2, "pseudonymise": 2, "crypto-shredding": 0.5},
    reasons={
        "delete-and-anonymise": "Deleting personal data and anonymising what must stay is the most direct way to "
        "honour a request, and easy to verify.",
    },
    names={
        "delete-and-anonymise": rx(r"\bhard[- ]delet\w+", r"\banonymi[sz]\w+"),
        "pseudonymise": rx(r"\bpseudonymi[sz]\w+"),
        "crypto-shredding": rx(r"\bcrypto[- ]?shred\w*"),
    },
    depends_on=("data-retention-archival", "personal-data-encryption"),
)

# --- simultaneous changes ----------------------------------------------------------------------

_TRANSITIONS = rx(r"\bstatus\b", r"\bstate\b", r"\bapprov\w+", r"\breject\w*", r"\bassign\w*", r"\bclaim\w*", r"\bbook\w*")
_LONG_EDITS = rx(r"\bwhile (?:editing|working on)\b", r"\blong (?:forms?|edits?)\b", r"\bcheck(?:s|ed)? out\b")


def _assess_concurrency(situation: Situation, a: Assessment) -> None:
    first = situation.first(CONCURRENT_EDITS)
    if first is not None:
        a.fact(f"{first.source} expects simultaneous changes: “{first.text}”")
    if situation.says(_TRANSITIONS) or stateful_entities(situation):
        a.favour(
            "optimistic-locking",
            2,
            "An update that applies only while the record is still in the expected state (or version) makes each "
            "transition happen exactly once; the second person gets a conflict and sees the outcome.",
        )
        a.penalise("last-write-wins", 2, "A record could go through the same transition twice.")
        a.at_least(Impact.MEDIUM)
    if situation.says(_LONG_EDITS):
        a.favour("pessimistic-locking", 1.5, "People work on a record for a while, so telling the second one up front saves wasted work.")
    if situation.says(AUDIT):
        a.favour("last-write-wins", 0.5, pro="The audit trail shows what was overwritten.")
    once = situation.ids(EXACTLY_ONCE)
    if once:
        a.penalise("last-write-wins", 1, f"Silent overwrites undermine the guarantees of {join_ids(once)}.")


CONCURRENT_UPDATES = Topic(
    key="concurrent-updates",
    category=Category.DATA,
    prose=PROSE["concurrent-updates"],
    trigger=matches(CONCURRENT_EDITS),
    assess=_assess_concurrency,
    impact=Impact.LOW,
    about=rx(CONCURRENT_EDITS.pattern, r"\block(?:s|ing)?\b", r"\bconcurren\w+", r"\boptimistic\b", r"\bpessimistic\b"),
    prior={"optimistic-locking": 2, "pessimistic-locking": 1, "last-write-wins": 0.5},
    names={
        "optimistic-locking": rx(r"\boptimistic (?:locking|concurrency)\b", r"\bETags?\b", r"\bIf-Match\b"),
        "pessimistic-locking": rx(r"\bpessimistic lock\w*", r"\bFOR UPDATE\b"),
        "last-write-wins": rx(r"\blast[- ]write[- ]wins\b"),
    },
    depends_on=("primary-datastore",),
)

TOPICS: tuple[Topic, ...] = (DATA_RETENTION_ARCHIVAL, DATA_ERASURE_VS_RETENTION, CONCURRENT_UPDATES)
