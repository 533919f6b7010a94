"""Scoring steps several topics take alike: quoting the evidence a lean rests on, favouring what
the repository's stack already runs, and the constitution rules and spec readings more than one
topic weighs."""

from __future__ import annotations

import re

from bot.planning.catalog.core import Assessment
from bot.planning.catalog.signals import rx
from bot.planning.catalog.situation import Sentence, Situation
from bot.planning.catalog.vocabulary import AUTHORIZATION, NOTIFY, REALTIME
from bot.planning.spec import Entity

# Stack names of a Redis (or Valkey) server or client library.
REDIS = rx(r"^redis$", r"^valkey$", r"\bredis\b")

# Constitution rules: the database is the system of record; every endpoint is authenticated.
SYSTEM_OF_RECORD_RULE = (r"system of record", r"(?:data|business data) lives in")
AUTHENTICATED_ENDPOINTS_RULE = (r"endpoints?[^.]{0,30}authenticat", r"authenticat\w*[^.]{0,40}(?:endpoints?|requests?)")


def grounds(situation: Situation, a: Assessment, pattern: re.Pattern[str]) -> list[str]:
    """The ids of the sentences `pattern` matches; the first of them is quoted as evidence."""
    a.support(situation.first(pattern))
    return situation.ids(pattern)


def favour_running(
    situation: Situation,
    a: Assessment,
    names: re.Pattern[str],
    option: str,
    points: float,
    *,
    adds: str | None = None,
    pro: bool = True,
) -> None:
    """Favour `option` when the repository's stack already runs something `names` matches. The
    option's card says so (unless `pro` is False); with `adds` (what the option brings, e.g.
    "a broker-backed queue") the reasoning says it adds no new system."""
    found = situation.stack_match(names)
    if found is None:
        return
    name, source = found
    why = f"{name} is already running ({source}), so {adds} adds no new system." if adds else None
    a.favour(option, points, why, pro=f"{name} is already in the stack ({source})." if pro else None)


def pushed_under_access_rules(situation: Situation) -> list[Sentence]:
    """Access rules about what live updates or notifications carry to whom."""
    return [s for s in situation.hits(AUTHORIZATION) if REALTIME.search(s.text) or NOTIFY.search(s.text)]


def stateful_entities(situation: Situation) -> list[Entity]:
    """The spec's entities that move through named states (an attribute with listed values)."""
    return [e for e in situation.spec.entities if any(attr.values for attr in e.attributes)]
