"""Integration decisions: reliable delivery to external systems, notification channels, the
exchange-rate source and directory synchronisation."""

from __future__ import annotations

import re

from bot.planning.catalog.core import Assessment, Topic
from bot.planning.catalog.facts import join_ids, population, subject
from bot.planning.catalog.figures import count
from bot.planning.catalog.gates import outgoing_messages
from bot.planning.catalog.prose import load_prose
from bot.planning.catalog.scoring import favour_running, grounds
from bot.planning.catalog.signals import matches, rx
from bot.planning.catalog.situation import Situation
from bot.planning.catalog.vocabulary import (
    CURRENCY,
    DIRECTORY,
    EXACTLY_ONCE,
    EXTERNAL_TARGET,
    EXTERNAL_WRITE,
    FAILS_MIDWAY,
    LEAVERS,
    NOTIFY,
    PERSONAL_DATA,
    PREFERENCES,
    SCHEDULED,
)
from bot.planning.decisions import Category, Impact

PROSE = load_prose(Category.INTEGRATION)

# --- external API delivery ---------------------------------------------------------------------

_EXTERNAL = re.compile(EXTERNAL_TARGET, re.IGNORECASE)
_IDEMPOTENCY_SUPPORT = rx(r"\bidempotency[- ]keys?\b", r"\bIdempotency-Key\b", r"\bidempotent (?:API|endpoint)s?\b")
_MACHINE_AUTH = rx(r"\bclient credentials\b", r"\bAPI keys?\b", r"\bservice accounts?\b", r"\bmutual TLS\b|\bmTLS\b")


def _assess_delivery(situation: Situation, a: Assessment) -> None:
    ids = situation.ids(EXTERNAL_WRITE)
    once = situation.ids(EXACTLY_ONCE)
    failing = [s for s in situation.hits(FAILS_MIDWAY) if _EXTERNAL.search(s.text) or s.source == "Edge case"]
    fail_ids = [s.source for s in failing]
    a.fact(f"{subject(ids, 'sends', 'send')} records to a system the feature does not control.")
    a.support(situation.first(EXACTLY_ONCE), *failing[:1])
    if once:
        a.fact(f"{subject(once, 'allows', 'allow')} no duplicate and no loss.")
    if failing:
        a.fact(f"{subject(fail_ids, 'expects', 'expect')} the other side to fail mid-way: “{failing[0].text}”")
    if once:
        a.penalise(
            "synchronous-call",
            3,
            f"A retry after a timeout, when the other side already acted, duplicates a record, which {subject(once, 'forbids', 'forbid')}.",
        )
        a.favour("outbox-idempotent", 2)
        a.favour("batch-reconciliation", 1)
        a.at_least(Impact.HIGH)
    if failing:
        a.penalise(
            "synchronous-call",
            1.5,
            f"An outage of the other system ({join_ids(fail_ids)}) fails or stalls the feature's own requests.",
        )
        a.favour(
            "outbox-idempotent",
            1,
            pro=f"Keeps retrying through the outage {subject(fail_ids, 'describes', 'describe')} and shows records as pending meanwhile.",
        )
        a.at_least(Impact.HIGH)
    scheduled = [s for s in situation.hits(SCHEDULED) if s.source in ids or EXTERNAL_WRITE.search(s.text)]
    if scheduled:
        runs = join_ids([s.source for s in scheduled])
        a.favour(
            "batch-reconciliation",
            1.5,
            f"{runs} already run on a schedule, which a batch with a delivery ledger follows naturally.",
        )
        if any(re.search(r"\bon demand\b", s.text, re.IGNORECASE) for s in scheduled):
            a.favour(
                "outbox-idempotent",
                0.5,
                "Scheduled and on-demand runs both reduce to “send what is undelivered”, which the outbox worker already does.",
            )
    if situation.says(_IDEMPOTENCY_SUPPORT):
        source = situation.first(_IDEMPOTENCY_SUPPORT)
        a.favour("outbox-idempotent", 1, pro=f"The external API accepts idempotency keys ({source.source}).")
    for sentence in situation.hits(_EXTERNAL):
        if sentence.source.startswith("Clarification"):
            a.note(f"{sentence.source} answers: “{sentence.text}”")
            if _MACHINE_AUTH.search(sentence.text):
                a.note("The sending worker authenticates as a machine client and renews its credentials before they expire.")
            break


EXTERNAL_API_DELIVERY = Topic(
    key="external-api-delivery",
    category=Category.INTEGRATION,
    prose=PROSE["external-api-delivery"],
    trigger=matches(EXTERNAL_WRITE),
    assess=_assess_delivery,
    about=rx(EXTERNAL_TARGET, r"\bdeliver\w*", r"\bexport\w*", r"\bidempoten\w*", r"\boutbox\b"),
    prior={"outbox-idempotent": 3, "synchronous-call": 1, "batch-reconciliation": 2},
    reasons={
        "outbox-idempotent": "A transactional outbox commits each delivery with the change that causes it, and a "
        "stable idempotency key per record makes a retry after a timeout harmless, so records are neither lost nor "
        "sent twice.",
    },
    names={
        "outbox-idempotent": rx(r"\boutbox\b", r"\bidempotency keys?\b"),
        "synchronous-call": rx(r"\bsynchronous(?:ly)? call\w*\b", r"\bcalled inline\b"),
        "batch-reconciliation": rx(r"\bbatch (?:files?|imports?|uploads?)\b", r"\bSFTP\b", r"\bCSV (?:files?|uploads?)\b"),
    },
    depends_on=("background-processing",),
)

# --- notification channels ---------------------------------------------------------------------

_CHANNEL_NAMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("e-mail", rx(r"\be-?mails?\b")),
    ("SMS", rx(r"\bSMS\b", r"\btext messages?\b")),
    ("Slack", rx(r"\bSlack\b")),
    ("Microsoft Teams", rx(r"\b(?:Microsoft|MS) Teams\b")),
    ("mobile push", rx(r"\bmobile push\b", r"\bpush notifications?\b")),
    ("webhooks", rx(r"\bwebhooks?\b")),
    ("WhatsApp", rx(r"\bWhatsApp\b")),
)
_MAIL_OR_CHAT_LIBRARIES = rx(
    r"^(?:aiosmtplib|slack[-_]sdk|@slack/web-api|sendgrid|postmarker|nodemailer|django-anymail|fastapi-mail|twilio)$"
)


def _assess_notifications(situation: Situation, a: Assessment) -> None:
    evidence = outgoing_messages(situation)
    ids = [e.source for e in evidence]
    text = " ".join(e.quote for e in evidence)
    channels = [name for name, pattern in _CHANNEL_NAMES if pattern.search(text)]
    a.fact(f"{subject(ids, 'notifies', 'notify')} people by {join_ids(channels) or 'several channels'}.")
    # The reason for the usual choice counts the channels, so it is given here, not in the topic's reasons.
    a.favour(
        "direct-adapters",
        0,
        f"With {len(channels) or 'a few'} channel{'s' if len(channels) != 1 else ''}, one notifier interface with an "
        "adapter per channel stays small, keeps recipient data in-house and sends from the same background jobs "
        "as the rest of the feature.",
    )
    if len(channels) >= 3:
        a.favour(
            "notification-platform",
            1.5,
            f"Covers all {len(channels)} channels ({', '.join(channels)}) with one integration.",
            pro=f"One integration for {', '.join(channels)}.",
        )
        a.favour("self-hosted-notification-service", 0.5)
        a.at_least(Impact.MEDIUM)
    preferences = grounds(situation, a, PREFERENCES)
    if preferences:
        a.favour(
            "notification-platform",
            1,
            f"{subject(preferences, 'asks', 'ask')} for per-person notification choices, which platforms provide as a preference centre.",
            pro=f"Preference centre for {join_ids(preferences)} included.",
        )
        a.favour("self-hosted-notification-service", 0.5)
        a.penalise("direct-adapters", 0.5, f"Preferences ({join_ids(preferences)}) are ours to build.")
    private = situation.ids(PERSONAL_DATA)
    if private:
        a.penalise(
            "notification-platform",
            1,
            f"Recipients and message contents, personal data under {join_ids(private)}, pass through a third party.",
        )
    favour_running(situation, a, _MAIL_OR_CHAT_LIBRARIES, "direct-adapters", 1)
    if len(channels) <= 1 and not preferences:
        a.impact = Impact.LOW


NOTIFICATION_CHANNELS = Topic(
    key="notification-channels",
    category=Category.INTEGRATION,
    prose=PROSE["notification-channels"],
    trigger=outgoing_messages,
    assess=_assess_notifications,
    about=NOTIFY,
    prior={"direct-adapters": 2, "notification-platform": 1, "self-hosted-notification-service": 0.5},
    names={
        "notification-platform": rx(r"\bCourier\b", r"\bKnock\b", r"\bNovu Cloud\b", r"\bOneSignal\b"),
        "self-hosted-notification-service": rx(r"\bself-hosted Novu\b", r"\bNovu\b(?! Cloud)"),
    },
    depends_on=("background-processing",),
)

# --- exchange rates ----------------------------------------------------------------------------

_DATED_RATE = rx(
    r"\brates? (?:of|on|at|for) the [\w -]{0,25}\bdate\b",
    r"\bhistorical (?:exchange )?rates?\b",
    r"\bat the time of (?:the )?\w+",
)
_LIVE_RATE = rx(r"\blive (?:exchange )?rates?\b", r"\breal[- ]time (?:exchange )?rates?\b", r"\bintraday\b", r"\bat the moment of\b")
_ANY_CURRENCY = rx(r"\bany (?:ISO 4217 )?currenc(?:y|ies)\b", r"\ball currencies\b", r"\bevery currency\b")
_FINANCE_SYSTEM = rx(r"\b(?:accounting|finance|financial|ERP|ledger|bookkeeping|treasury) (?:system|platform|software|API)\b")


def _assess_rates(situation: Situation, a: Assessment) -> None:
    ids = situation.ids(CURRENCY)
    a.fact(f"{subject(ids, 'converts', 'convert')} amounts between currencies.")
    dated = situation.first(_DATED_RATE)
    a.support(dated)
    if dated is not None:
        a.favour(
            "daily-rate-table",
            2,
            f"{dated.source} converts at the rate of a given date, so rates are kept per date and a conversion "
            "can be recomputed identically for an audit.",
        )
        a.penalise("live-rate-api", 0.5, f"Historical answers must still be stored to keep {dated.source}'s conversions reproducible.")
    if situation.says(_LIVE_RATE):
        a.favour("live-rate-api", 2.5, f"{join_ids(situation.ids(_LIVE_RATE))} need current rates, not end-of-day ones.")
    coverage = situation.first(_ANY_CURRENCY)
    if coverage is not None:
        a.penalise(
            "daily-rate-table",
            0.5,
            f"Free reference feeds cover the major currencies only; “any currency” ({coverage.source}) needs a fallback source for the rest.",
        )
        a.favour("live-rate-api", 1, pro=f"Covers the long tail of currencies {coverage.source} allows.")
    finance = situation.first(_FINANCE_SYSTEM)
    if finance is not None:
        a.favour(
            "rates-from-finance-system",
            1.5,
            pro=f"Converts with the same rates as the finance system the records reach ({finance.source}), so totals reconcile.",
        )
        a.note(f"{finance.source} connects the feature to a finance system, which may publish the rates it books with.")


EXCHANGE_RATE_SOURCE = Topic(
    key="exchange-rate-source",
    category=Category.INTEGRATION,
    prose=PROSE["exchange-rate-source"],
    trigger=matches(CURRENCY),
    assess=_assess_rates,
    about=rx(r"\brates?\b", r"\bcurrenc(?:y|ies)\b"),
    prior={"daily-rate-table": 2, "live-rate-api": 1, "rates-from-finance-system": 0.5},
    reasons={
        "daily-rate-table": "Rates imported daily into a table make every conversion reproducible later, with no call "
        "on the request path.",
    },
    names={
        "daily-rate-table": rx(r"\bECB\b", r"\bEuropean Central Bank\b", r"\breference rates?\b"),
        "live-rate-api": rx(r"\bOpen Exchange Rates\b", r"\bOANDA\b", r"\bFixer\b", r"\bCurrencyLayer\b"),
        "rates-from-finance-system": rx(
            r"\brates? (?:from|maintained by|provided by|published by) (?:the |our )?(?:finance|accounting|ERP|treasury)\b"
        ),
    },
    depends_on=("background-processing",),
)

# --- directory sync ----------------------------------------------------------------------------

_SCIM = rx(r"\bSCIM\b")
_REPORTING_LINE = rx(r"\bmanagers?\b", r"\breporting lines?\b", r"\bdirect reports\b", r"\bteam leads?\b", r"\bsupervisors?\b")


def _assess_directory(situation: Situation, a: Assessment) -> None:
    ids = situation.ids(DIRECTORY)
    a.fact(f"{subject(ids, 'relies', 'rely')} on the organisation's directory for people and reporting lines.")
    scim = situation.first(_SCIM)
    a.support(scim, situation.first(LEAVERS))
    if scim is not None:
        a.favour(
            "scim-provisioning",
            2,
            f"{scim.source} says the directory speaks SCIM, so it can push joiners, movers and leavers as they happen.",
        )
        a.favour("scheduled-pull", 1, pro=f"Can read the same SCIM interface ({scim.source}) on a schedule.")
    leavers = situation.first(LEAVERS)
    if leavers is not None:
        a.favour(
            "scim-provisioning",
            1.5,
            f"{leavers.source} expects people to leave while work waits for them; a pushed deactivation lets the "
            "feature reassign that work the same day.",
        )
        a.penalise("login-claims", 2, f"A person who left never signs in again, so {leavers.source} would go unnoticed.")
        a.penalise("scheduled-pull", 0.5, f"Leavers ({leavers.source}) are noticed only at the next run.")
        a.at_least(Impact.MEDIUM)
    lines = [s for s in situation.hits(_REPORTING_LINE) if s.source in ids or DIRECTORY.search(s.text)]
    if lines:
        a.penalise(
            "login-claims",
            1,
            f"Sign-in claims rarely carry reporting lines ({lines[0].source}), and refresh only when that person signs in.",
        )
    people = population(situation)
    if people is not None and people.metric.value >= 10_000:
        a.penalise("scheduled-pull", 0.5, f"Reads all {count(people.metric.value)} people ({people.source}) on every run.")
        a.favour("scim-provisioning", 0, pro=f"Only changes travel, not all {count(people.metric.value)} people ({people.source}).")


DIRECTORY_SYNC = Topic(
    key="directory-sync",
    category=Category.INTEGRATION,
    prose=PROSE["directory-sync"],
    trigger=matches(DIRECTORY),
    assess=_assess_directory,
    about=rx(DIRECTORY.pattern, r"\bsync\w*", r"\bprovision\w*", r"\bclaims?\b"),
    prior={"scim-provisioning": 1.5, "scheduled-pull": 2, "login-claims": 1},
    reasons={"scheduled-pull": "A scheduled pull is simple to build and test and needs no inbound endpoint."},
    names={
        "scim-provisioning": rx(r"\bSCIM (?:provisioning|push)\b", r"\bpushes? (?:users|changes) (?:via|over|through) SCIM\b"),
        "scheduled-pull": rx(r"\bLDAP (?:sync|import)\b", r"\b(?:nightly|hourly|daily) (?:directory )?(?:sync|import)\b"),
        "login-claims": rx(r"\b(?:token|ID token|OIDC|SAML) claims?\b", r"\bjust[- ]in[- ]time provisioning\b"),
    },
)

TOPICS: tuple[Topic, ...] = (EXTERNAL_API_DELIVERY, NOTIFICATION_CHANNELS, EXCHANGE_RATE_SOURCE, DIRECTORY_SYNC)
