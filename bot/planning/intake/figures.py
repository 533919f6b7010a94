"""Figures in a sentence: response times, rates, user counts, sizes, retention periods….

`parse_metrics` reads every figure a requirement or success criterion states and normalises
it to the base unit of its kind (see `MetricKind` and `Metric`); `display_metric` writes a
normalised figure back the way a person would.

The text is cut into clauses (sentences and `;`-separated parts) and each clause is read by a
fixed sequence of readers; a span claimed by an earlier reader is not read again, so
"2,000 concurrent users" is a concurrency and not also a population. Each number is found
once and what follows it (a unit, a noun) is matched where it ends; the words around a figure
are judged from a short window, so the work stays linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.planning.spec import Metric, MetricKind

_I = re.IGNORECASE

# --- numbers ---------------------------------------------------------------------------

_WORD_NUMBERS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "a hundred": 100,
    "one hundred": 100, "a thousand": 1000, "one thousand": 1000,
}
_MULTIPLIERS: dict[str, float] = {
    "k": 1e3, "K": 1e3, "M": 1e6, "mn": 1e6, "B": 1e9, "bn": 1e9,
    "thousand": 1e3, "million": 1e6, "billion": 1e9,
}

# Where a number may start: not inside a word, an id (FR-001), a version or a date.
_START = r"(?<![A-Za-z0-9_.,/-])"
# 1.000.000 (dotted thousands) / 2,000 / 2 000 / 2.5 / 1,5 (a decimal comma)
_DIGITS = (
    r"(?:[1-9]\d{0,2}(?:\.\d{3}){2,}(?![\d.,])"
    r"|\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?!\d)(?:\.\d+)?"
    r"|\d+(?:[.,]\d+)?)"
)
_SCALE = r"(?:(?:k|K|M|mn|B|bn)(?![A-Za-z])|\s+(?:thousand|million|billion)\b)?"
_NUM = rf"{_DIGITS}{_SCALE}"
_WORDS = "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
# A figure, or a range of two whose upper bound is the one that counts: "200-500 ms".
_RANGE = rf"{_START}(?:(?P<low>{_NUM})\s*(?:-|–|—|to|and)\s*)?(?P<num>{_NUM})"


def _number(text: str, *, count: bool = False) -> float:
    """`2,000` -> 2000, `1,5` -> 1.5, `10k` -> 10000, `1.5 million` -> 1500000, `two` -> 2.
    A count reads `2.000` as two thousand (a count is whole); a measure reads it as 2."""
    raw = " ".join(text.split())
    lowered = raw.casefold()
    if lowered in _WORD_NUMBERS:
        return _WORD_NUMBERS[lowered]
    multiplier = 1.0
    match = re.search(r"(?:\s+(thousand|million|billion)|(k|K|M|mn|B|bn))$", raw)
    if match:
        multiplier = _MULTIPLIERS[match.group(1) or match.group(2)]
        raw = raw[: match.start()]
    raw = raw.replace("\u00a0", " ").replace("\u202f", " ")
    if re.fullmatch(r"\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?", raw):
        raw = raw.replace(",", "").replace(" ", "")
    elif re.fullmatch(r"[1-9]\d{0,2}(?:\.\d{3}){2,}", raw) or (count and re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", raw)):
        raw = raw.replace(".", "")
    else:
        raw = raw.replace(",", ".")
    return float(raw) * multiplier


# --- vocabulary ------------------------------------------------------------------------

# Bound words kept in a metric's text: "under 300 ms", "up to 20 MB", "at least 500 req/s".
# Each is a tuple of lower-case words, matched against the words just before the figure.
_BOUNDS: frozenset[tuple[str, ...]] = frozenset(
    tuple(phrase.split())
    for phrase in (
        "under", "below", "within", "over", "above", "about", "around", "approximately", "roughly",
        "between", "max", "maximum", "min", "minimum", "in under", "in less than", "with under",
        "less than", "fewer than", "lower than", "faster than", "no more than", "not more than",
        "no longer than", "at most", "at least", "up to", "more than", "greater than",
        "maximum of", "minimum of", "max of", "unter", "in unter", "innerhalb", "bis zu",
        "weniger als", "in weniger als", "moins de", "en moins de", "jusqu'à", "menos de",
        "en menos de", "hasta",
    )
)
_TIME_PREPOSITIONS: frozenset[tuple[str, ...]] = frozenset(
    tuple(p.split()) for p in ("in", "for", "after", "every", "nach", "pendant", "durante", "après", "alle", "toutes les")
)
_REGION_PREPOSITIONS: frozenset[tuple[str, ...]] = frozenset(
    tuple(p.split())
    for p in ("across", "in", "over", "spanning", "covering", "to", "into", "between", "across the", "in the")
)
_SYMBOL_BOUND = re.compile(r"(?:<=?|>=?|≤|≥|~|≈)\s*\Z")
_WORDS_BEFORE = re.compile(r"[^\s]+")

# time unit -> (milliseconds, canonical name)
_TIME_UNITS: list[tuple[str, float, str]] = [
    (r"ms|msecs?|milliseconds?|millisekunden?|millisecondes?|milisegundos?|ミリ秒|毫秒", 1.0, "ms"),
    (r"μs|µs|microseconds?", 0.001, "μs"),
    (r"s|secs?|seconds?|sekunden?|secondes?|segundos?|秒", 1_000.0, "s"),
    (r"mins?|minutes?|minuten?|minutos?|分間?", 60_000.0, "min"),
    (r"h|hrs?|hours?|stunden?|heures?|horas?|時間|小时", 3_600_000.0, "h"),
    (r"d|days?|tage?n?|jours?|d[ií]as?|日間|天", 86_400_000.0, "day"),
    (r"wks?|weeks?|wochen?|semaines?|semanas?|週間", 604_800_000.0, "week"),
    (r"months?|monate?n?|mois|mes(?:es)?|ヶ月|か月|个月", 2_592_000_000.0, "month"),
    (r"yrs?|years?|jahre?n?|ans|années?|años?|年間", 31_536_000_000.0, "year"),
]
_TIME_UNIT = "|".join(f"(?:{pattern})" for pattern, _, _ in _TIME_UNITS)
_TIME_UNIT_RES = [(re.compile(rf"(?:{p})\Z", _I), ms, name) for p, ms, name in _TIME_UNITS]
_MS_PER_DAY = 86_400_000.0
_MS_PER_HOUR = 3_600_000.0

_RATE_UNIT = r"seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wk|months?"
_RATE_SECONDS: dict[str, float] = {
    "second": 1, "sec": 1, "s": 1, "minute": 60, "min": 60, "m": 60, "hour": 3600, "hr": 3600, "h": 3600,
    "day": 86400, "d": 86400, "week": 604800, "wk": 604800, "month": 2_592_000,
}

# size unit -> bytes
_SIZE_UNITS: dict[str, float] = {
    "byte": 1, "bytes": 1,
    "kb": 1e3, "kilobyte": 1e3, "kilobytes": 1e3, "ko": 1e3,
    "mb": 1e6, "megabyte": 1e6, "megabytes": 1e6, "mo": 1e6,
    "gb": 1e9, "gigabyte": 1e9, "gigabytes": 1e9, "go": 1e9,
    "tb": 1e12, "terabyte": 1e12, "terabytes": 1e12, "to": 1e12,
    "pb": 1e15,
    "kib": 1024.0, "mib": 1024.0**2, "gib": 1024.0**3, "tib": 1024.0**4, "pib": 1024.0**5,
}
_SIZE_UNIT = (
    r"(?:[KMGTP]iB|[kKMGTP]B|[kmgtp]b|Mb|Gb|Ko|Mo|Go|To|bytes?|kilobytes?|megabytes?|gigabytes?|terabytes?)"
)

_PEOPLE = (
    r"users|employees|customers|members|people|persons|accounts|tenants|organi[sz]ations|companies|"
    r"agents|students|pupils|patients|subscribers|staff|clients|visitors|merchants|drivers|riders|"
    r"players|learners|teachers|developers|engineers|workers|residents|citizens|sellers|buyers|"
    r"vendors|partners|shoppers|guests|readers|viewers|creators|authors|editors|admins|"
    r"administrators|operators|managers|seats|licen[cs]es|households|devices|"
    r"nutzer\w*|benutzer\w*|mitarbeiter\w*|kunden|utilisateurs|employés|usuarios|empleados|"
    r"clientes|utenti|dipendenti|gebruikers|medewerkers"
)
_CONCURRENT_ADJECTIVE = (
    r"concurrent\w*|simultaneous|parallel|gleichzeitige?[nrs]?|simultan\w*|simultané\w*|simultáne\w*"
)
_CONCURRENT_ADVERB = (
    r"online\s+at\s+once|online|at\s+once|at\s+the\s+same\s+time|concurrently|simultaneously|"
    r"in\s+parallel|gleichzeitig|simultanément|en\s+même\s+temps|al\s+mismo\s+tiempo|simultáneamente"
)
_CONNECTIONS = r"connections|sessions|sockets|websockets|streams|verbindungen|connexions|conexiones"
_REGION_NOUN = (
    r"regions?|data\s*cent(?:er|re)s?|datacent(?:er|re)s?|countries|continents|geographies|"
    r"regionen|régions|regiones|rechenzentren"
)
_REGION_NAME_LIST = (
    "EU", "EEA", "US", "USA", "UK", "APAC", "EMEA", "LATAM", "AMER", "ANZ", "MENA", "Europe",
    "North America", "South America", "Latin America", "Asia-Pacific", "Asia", "Africa", "Oceania",
    "Middle East", "Australia", "Canada", "Japan", "India", "China", "Brazil", "Germany", "France",
    "Singapore", "Mexico",
)
_REGION_NAMES = "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in _REGION_NAME_LIST)
_REGION_FIRST_WORDS = frozenset(name.split()[0] for name in _REGION_NAME_LIST)
_NOT_A_PLACE = r"(?!\s+(?:dollars?|cents?|English|Spanish|French|German|time|timezone|format|keyboard|law)\b)"
_AVAILABILITY_WORDS = re.compile(r"availab|uptime|up-time|up time|\bSLA\b|\bSLO\b|verfügbar|disponib", _I)
_NINES = {"two": 99.0, "three": 99.9, "four": 99.99, "five": 99.999}

# --- words that tell a latency from a task duration or a retention period ---------------------

_WORD = re.compile(r"[^\W\d_][\w'-]*")
_RETENTION_STEMS = (
    "keep", "kept", "retain", "retention", "store", "storing", "preserv", "hold", "held", "archiv",
    "delet", "purg", "erase", "erasing", "expir", "ttl", "remov", "aufbewahr", "speicher", "lösch",
    "conserv", "supprim", "guard", "elimin", "borra",
)
_LATENCY_STEMS = (
    "respon", "latenc", "render", "appear", "updat", "refresh", "return", "search", "endpoint",
    "propagat", "reflect", "visib", "display", "deliver", "notif", "arriv", "sync", "percentile",
    "paint", "real-time", "realtime", "round-trip", "roundtrip", "antwort", "réponse", "respuesta",
    "ladezeit", "latenz",
)
_LATENCY_WORDS = frozenset({
    "load", "loads", "loaded", "loading", "page", "pages", "reply", "replies", "request",
    "requests", "query", "queries", "result", "results", "api", "ttfb", "shown", "show", "shows",
    "see", "sees", "seen", "open", "opens", "startup", "start-up", "send", "sends", "sent",
    "published", "posted", "indexed", "available", "ready",
})
_PERSON_WORDS = frozenset({
    "user", "users", "employee", "employees", "agent", "agents", "customer", "customers", "admin",
    "admins", "administrator", "administrators", "manager", "managers", "person", "persons",
    "people", "member", "members", "operator", "operators", "reviewer", "reviewers", "developer",
    "developers", "staff", "student", "students", "teacher", "teachers", "patient", "patients",
    "doctor", "doctors", "nurse", "nurses", "driver", "drivers", "buyer", "buyers", "seller",
    "sellers", "merchant", "merchants", "visitor", "visitors", "approver", "approvers", "clerk",
    "clerks", "analyst", "analysts", "they", "someone", "anyone", "we", "you", "he", "she",
})
_TASK_STEMS = (
    "submit", "complet", "finish", "fill", "creat", "configur", "onboard", "sign", "regist",
    "book", "buy", "purchas", "checkout", "find", "locat", "learn", "enter", "approv", "review",
    "upload", "perform", "accomplish", "achiev", "resolv", "triag", "answer",
)

# --- patterns ------------------------------------------------------------------------------

_NUMBER_START = re.compile(rf"{_START}\d")
_NUMBER = re.compile(_RANGE)
_WORD_NUMBER = re.compile(rf"\b(?:{_WORDS})\b", _I)
_WORD_NUMBER_FIRST = frozenset(w.split()[0] for w in _WORD_NUMBERS)
_SUB_SECOND = re.compile(r"\bsub-?second\b", _I)
_P_PERCENTILE = re.compile(r"(?<![\w.])[pP](?P<p>\d{2}(?:\.\d+)?)(?![\w.])")
_NTH_PERCENTILE = re.compile(r"(?P<p>\d{2}(?:\.\d+)?)(?:st|nd|rd|th)[\s-]+percentile|\bmedian\b", _I)
_NINES_RE = re.compile(r"\b(?P<n>two|three|four|five)\s+nines\b", _I)
_RPS_BEFORE = re.compile(r"\b(?:RPS|QPS|TPS)\s*(?:of|:|=|>=|≥|>|at)?\s*(?=\d)", _I)
_REGION_NAME = re.compile(rf"(?<![\w-])(?:{_REGION_NAMES})(?![\w-]){_NOT_A_PLACE}")
_REGION_JOIN = re.compile(r"\s*(?:,|/|&|\+|and|or)\s*(?:the\s+)?", _I)  # between two names of a list
_REGION_LEAD = re.compile(r"(?<!\w)(?:in|across|throughout|within|over|spanning|covering|for|from|between)\s+(?:the\s+)?\Z", _I)
_CLAUSE_BREAK = re.compile(r";|(?<=[.!?])\s+|\n+|(?<=[。！？])")
_PERCENT_OF = re.compile(r"\s*of\b", _I)
_OF_WHAT = re.compile(r"\s*of\s+(?:the\s+)?(\w+)", _I)

# What may follow a number, matched where the number ends.
_PERCENT_TAIL = re.compile(r"\s?(?:%|percent\b|per\s?cent\b|prozent\b|pour\s?cent\b|por\s?ciento\b)", _I)
_RPS_TAIL = re.compile(r"\s*(?:rps|qps|tps|ops/s|msgs?/s)\b", _I)
_RATE_TAIL = re.compile(
    rf"(?P<noun>(?:\s+[^\W\d][\w'-]*){{0,3}}?)\s*(?:/|\s(?:per|a|an|pro|par|por)\s)\s*"
    rf"(?P<unit>{_RATE_UNIT})(?![A-Za-z])",
    _I,
)
_SIZE_TAIL = re.compile(rf"\s?(?P<unit>{_SIZE_UNIT})(?![A-Za-z])(?:\s+(?:each|apiece|per\s+[^\W\d]+))?")
_CONCURRENT_BEFORE_TAIL = re.compile(
    rf"\s+(?:{_CONCURRENT_ADJECTIVE})\s+"
    rf"[^\W\d][\w'-]*(?:\s+(?:users|connections|sessions|clients|devices|streams|sockets))?",
    _I,
)
_CONCURRENT_AFTER_TAIL = re.compile(
    rf"\s+(?:[^\W\d][\w'-]*\s+){{0,2}}?[^\W\d][\w'-]*\s+(?:{_CONCURRENT_ADVERB})(?![A-Za-z])", _I
)
_CONNECTIONS_TAIL = re.compile(rf"\s+(?:[^\W\d][\w-]*\s+){{0,2}}?(?:{_CONNECTIONS})(?![A-Za-z])", _I)
_TIME_TAIL = re.compile(rf"[\s-]?(?P<unit>{_TIME_UNIT})(?![A-Za-z])", _I)
_REGION_TAIL = re.compile(rf"\s+(?:[^\W\d][\w-]*\s+)?(?:{_REGION_NOUN})(?![A-Za-z])", _I)
_POPULATION_TAIL = re.compile(rf"\s+(?:[^\W\d][\w'-]*\s+){{0,2}}?(?:{_PEOPLE})(?![A-Za-z])", _I)


@dataclass(slots=True)
class _Number:
    """A number in a clause: where it starts (a range, at its lower bound) and ends, and the
    figure that counts, as written (`2,000`, `10k`, `two`)."""

    start: int
    end: int
    figure: str

    def value(self, *, count: bool = False) -> float:
        return _number(self.figure, count=count)


@dataclass(slots=True)
class _Hit:
    kind: MetricKind
    value: float
    unit: str
    start: int
    end: int
    percentile: float | None = None


class _Clause:
    """One clause being read: its text, its numbers, and the figures found so far.

    Each number is found once; what may follow it (a unit, a noun) is then matched where the
    number ends, never at every character."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.hits: list[_Hit] = []
        self.numbers: list[_Number] = []
        for start in _NUMBER_START.finditer(text):
            if self.numbers and start.start() < self.numbers[-1].end:
                continue  # inside the previous number: "2 000", "200-500"
            match = _NUMBER.match(text, start.start())
            if match:
                self.numbers.append(_Number(match.start(), match.end(), match.group("num")))
        words: set[str] = set()
        self.word_numbers: list[_Number] = []
        for token in _WORD.finditer(text):
            word = token.group(0)
            words.add(word)
            if word.casefold() in _WORD_NUMBER_FIRST:
                match = _WORD_NUMBER.match(text, token.start())
                # a number in words states a figure only before a time unit or a region noun
                if match and (_TIME_TAIL.match(text, match.end()) or _REGION_TAIL.match(text, match.end())):
                    self.word_numbers.append(_Number(match.start(), match.end(), match.group(0)))
        self.words = frozenset(words)

    def worth_reading(self) -> bool:
        if self.numbers or self.word_numbers:
            return True
        lowered = self.text.casefold()
        return "nines" in lowered or "sub" in lowered or not _REGION_FIRST_WORDS.isdisjoint(self.words)

    def followed_by(self, tail: re.Pattern[str], *, in_words: bool = False) -> Iterator[tuple[_Number, re.Match[str]]]:
        """Each number that `tail` follows, with the tail's match; numbers inside a figure
        already found are skipped. `in_words` also takes numbers written as words."""
        numbers = sorted(self.numbers + self.word_numbers, key=lambda n: n.start) if in_words else self.numbers
        for number in numbers:
            match = tail.match(self.text, number.end)
            if match and self.free(number.start, match.end()):
                yield number, match

    def free(self, start: int, end: int) -> bool:
        return all(end <= hit.start or start >= hit.end for hit in self.hits)

    def claim(self, kind: MetricKind, value: float, unit: str, start: int, end: int) -> _Hit:
        hit = _Hit(kind, value, unit, start, end)
        self.hits.append(hit)
        return hit

    def bound_start(self, start: int, *phrases: frozenset[tuple[str, ...]]) -> int:
        """Where the figure's words begin: before a bound such as `under`, `up to` or `<`."""
        window = self.text[max(0, start - 24) : start]
        symbol = _SYMBOL_BOUND.search(window)
        if symbol:
            return start - len(window) + symbol.start()
        words = list(_WORDS_BEFORE.finditer(window))
        allowed = phrases or (_BOUNDS,)
        for size in (3, 2, 1):
            if len(words) < size or (size == len(words) and start - 24 > 0):
                continue  # the first word of the window may be cut
            phrase = tuple(w.group(0).casefold() for w in words[-size:])
            if any(phrase in group for group in allowed):
                begin = start - len(window) + words[-size].start()
                if self.free(begin, start):
                    return begin
        return start


def parse_metrics(text: str, source: str | None = None) -> list[Metric]:
    """Every figure stated in `text`, normalised, in the order they appear."""
    metrics: list[Metric] = []
    for clause_text in _clauses(text):
        clause = _Clause(clause_text)
        if not clause.worth_reading():
            continue
        for reader in _READERS:
            reader(clause)
        for hit in sorted(clause.hits, key=lambda h: h.start):
            metrics.append(
                Metric(
                    kind=hit.kind,
                    value=hit.value,
                    unit=hit.unit,
                    text=clause_text[hit.start : hit.end].strip(" ,;:"),
                    percentile=hit.percentile,
                    source=source,
                )
            )
    return metrics


def _clauses(text: str) -> Iterator[str]:
    start = 0
    for match in _CLAUSE_BREAK.finditer(text):
        if match.start() > start:
            yield text[start : match.start()]
        start = match.end()
    if start < len(text):
        yield text[start:]


def _read_availability(clause: _Clause) -> None:
    text = clause.text
    if "nines" in text.casefold():
        for match in _NINES_RE.finditer(text):
            clause.claim(MetricKind.AVAILABILITY, _NINES[match.group("n").casefold()], "%", match.start(), match.end())
    for number, tail in clause.followed_by(_PERCENT_TAIL):
        value = number.value()
        if value < 90 or value > 100:
            continue
        of_what = _OF_WHAT.match(text, tail.end())
        if of_what and of_what.group(1).casefold() not in ("time", "uptime", "availability"):
            continue
        if _AVAILABILITY_WORDS.search(text[max(0, number.start - 40) : tail.end() + 40]):
            clause.claim(MetricKind.AVAILABILITY, value, "%", clause.bound_start(number.start), tail.end())


def _read_throughput(clause: _Clause) -> None:
    for number, tail in clause.followed_by(_RPS_TAIL):
        clause.claim(MetricKind.THROUGHPUT, number.value(count=True), "/s", clause.bound_start(number.start), tail.end())
    if not clause.words.isdisjoint(("RPS", "QPS", "TPS", "rps", "qps", "tps")):
        for match in _RPS_BEFORE.finditer(clause.text):
            number = next((n for n in clause.numbers if n.start == match.end()), None)
            if number is not None and clause.free(match.start(), number.end):
                clause.claim(MetricKind.THROUGHPUT, number.value(count=True), "/s", match.start(), number.end)
    for number, tail in clause.followed_by(_RATE_TAIL):
        noun = tail.group("noun").split()
        if noun and (_is_time_unit(noun[-1]) or re.fullmatch(_SIZE_UNIT, noun[-1])):
            continue  # "3 minutes a day" is a duration, "20 MB per day" a size
        per_second = number.value(count=True) / _RATE_SECONDS[_rate_unit(tail.group("unit"))]
        clause.claim(MetricKind.THROUGHPUT, per_second, "/s", clause.bound_start(number.start), tail.end())


def _rate_unit(unit: str) -> str:
    unit = unit.casefold()
    for name in ("second", "sec", "minute", "min", "hour", "hr", "day", "week", "wk", "month"):
        if unit.startswith(name):
            return name
    return unit


def _read_size(clause: _Clause) -> None:
    for number, tail in clause.followed_by(_SIZE_TAIL):
        size = number.value() * _SIZE_UNITS[tail.group("unit").casefold()]
        clause.claim(MetricKind.SIZE, size, "B", clause.bound_start(number.start), tail.end())


def _read_concurrency(clause: _Clause) -> None:
    for tail_pattern in (_CONCURRENT_BEFORE_TAIL, _CONCURRENT_AFTER_TAIL, _CONNECTIONS_TAIL):
        for number, tail in clause.followed_by(tail_pattern):
            start = clause.bound_start(number.start)
            clause.claim(MetricKind.CONCURRENCY, number.value(count=True), "count", start, tail.end())


def _read_time(clause: _Clause) -> None:
    text = clause.text
    if "sub" in text.casefold():
        for match in _SUB_SECOND.finditer(text):
            if clause.free(match.start(), match.end()):
                clause.claim(MetricKind.LATENCY, 1000.0, "ms", match.start(), match.end())
    window_start = 0
    for number, tail in clause.followed_by(_TIME_TAIL, in_words=True):
        start = clause.bound_start(number.start, _BOUNDS, _TIME_PREPOSITIONS)
        bound = text[start : number.start].strip().casefold()
        if number.figure.casefold() in ("a", "an") and not bound:
            continue  # "twice a day" states no figure
        factor, unit_name = _time_unit(tail.group("unit"))
        ms = number.value() * factor
        kind = _time_kind(bound, unit_name, ms, text[window_start : tail.end()], text[: number.start])
        window_start = tail.end()
        if kind is MetricKind.RETENTION:
            clause.claim(kind, ms / _MS_PER_DAY, "days", start, tail.end())
        else:
            clause.claim(kind, ms, "ms", start, tail.end())


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _time_kind(bound: str, unit: str, ms: float, window: str, before: str) -> MetricKind:
    """Latency (a system's response), duration (a task or an interval) or retention.

    `window` runs from the previous time figure (or the clause start) to this one; `before`
    is the whole clause up to this figure."""
    if bound.startswith(("every", "alle", "toutes")):
        return MetricKind.DURATION
    words = _words(window)
    if ms >= _MS_PER_HOUR and any(w.startswith(_RETENTION_STEMS) for w in words):
        return MetricKind.RETENTION
    if unit in ("ms", "μs"):
        return MetricKind.LATENCY
    if _is_human_task(words, _words(before)):
        return MetricKind.DURATION
    if any(w in _LATENCY_WORDS or w.startswith(_LATENCY_STEMS) for w in words):
        return MetricKind.LATENCY
    if bound in ("after", "for", "nach", "pendant", "durante", "après"):
        return MetricKind.DURATION
    return MetricKind.LATENCY if ms <= 10_000 else MetricKind.DURATION


def _is_human_task(window: list[str], before: list[str]) -> bool:
    """A person does something in the window: "an employee submits a report in 3 minutes"."""
    verbs = [i for i, w in enumerate(window) if w.startswith(_TASK_STEMS)]
    if not verbs:
        return False
    offset = len(before) - len(window)  # the window's words are the tail of `before`'s words
    first_verb = offset + verbs[0]
    return any(w in _PERSON_WORDS for w in before[: max(first_verb, 0)])


def _read_regions(clause: _Clause) -> None:
    for number, tail in clause.followed_by(_REGION_TAIL, in_words=True):
        if number.figure.casefold() in ("a", "an") and tail.group(0).endswith("s"):
            continue  # "in a few countries"
        start = clause.bound_start(number.start, _REGION_PREPOSITIONS)
        clause.claim(MetricKind.REGIONS, number.value(), "count", start, tail.end())
    if _REGION_FIRST_WORDS.isdisjoint(clause.words):
        return
    for start, end, names in _region_lists(clause.text):
        if clause.free(start, end):
            clause.claim(MetricKind.REGIONS, float(len(names)), "count", start, end)


def _region_lists(text: str) -> Iterator[tuple[int, int, set[str]]]:
    """Named places listed after "in", "across"…: "in the EU and US" -> two regions."""
    groups: list[list[re.Match[str]]] = []
    for name in _REGION_NAME.finditer(text):
        if groups and _REGION_JOIN.fullmatch(text, groups[-1][-1].end(), name.start()):
            groups[-1].append(name)
        else:
            groups.append([name])
    for group in groups:
        first = group[0].start()
        lead = _REGION_LEAD.search(text, max(0, first - 24), first)
        if lead:
            yield lead.start(), group[-1].end(), {" ".join(n.group(0).split()) for n in group}


def _read_population(clause: _Clause) -> None:
    for number, tail in clause.followed_by(_POPULATION_TAIL):
        start = clause.bound_start(number.start)
        clause.claim(MetricKind.POPULATION, number.value(count=True), "count", start, tail.end())


def _read_percentiles(clause: _Clause) -> None:
    """`p95 < 200 ms`, `the 99th percentile`, `median`: tag the nearest time figure."""
    timed = [h for h in clause.hits if h.kind in (MetricKind.LATENCY, MetricKind.DURATION)]
    if not timed:
        return
    for pattern in (_P_PERCENTILE, _NTH_PERCENTILE):
        for match in pattern.finditer(clause.text):
            target = _nearest_untagged(timed, match.start())
            if target is None:
                continue
            target.percentile = float(match.group("p")) if match.group("p") else 50.0
            target.start, target.end = min(target.start, match.start()), max(target.end, match.end())


def _read_percentages(clause: _Clause) -> None:
    """Percentages left over: a percentile of a time figure ("95% of page loads … 300 ms"),
    else a plain percentage ("90% of receipts")."""
    timed = [h for h in clause.hits if h.kind in (MetricKind.LATENCY, MetricKind.DURATION)]
    for number, tail in clause.followed_by(_PERCENT_TAIL):
        value = number.value()
        target = _nearest_untagged(timed, number.start) if _PERCENT_OF.match(clause.text, tail.end()) else None
        if target is not None and 0 < value < 100:
            target.percentile = value
            target.start, target.end = min(target.start, number.start), max(target.end, tail.end())
            continue
        clause.claim(MetricKind.PERCENTAGE, value, "%", clause.bound_start(number.start), tail.end())


def _nearest_untagged(hits: list[_Hit], position: int) -> _Hit | None:
    """The closest figure without a percentile yet, preferring one that follows `position`."""
    free = [h for h in hits if h.percentile is None]
    after = [h for h in free if h.start >= position]
    if after:
        return min(after, key=lambda h: h.start - position)
    return max(free, key=lambda h: h.end, default=None)


_READERS: tuple[Callable[[_Clause], None], ...] = (
    _read_availability,
    _read_throughput,
    _read_size,
    _read_concurrency,
    _read_time,
    _read_regions,
    _read_population,
    _read_percentiles,
    _read_percentages,
)


def _is_time_unit(word: str) -> bool:
    return any(pattern.match(word) for pattern, _, _ in _TIME_UNIT_RES)


def _time_unit(word: str) -> tuple[float, str]:
    for pattern, ms, name in _TIME_UNIT_RES:
        if pattern.match(word):
            return ms, name
    raise ValueError(f"not a time unit: {word}")


# --- display ----------------------------------------------------------------------------------


def display_metric(metric: Metric) -> str:
    """The figure as a person would write it: `300 ms`, `2 s`, `20 MB`, `7 years`, `99.9%`,
    `2,000 concurrent users`, `500 req/s`."""
    kind, value = metric.kind, metric.value
    if kind in (MetricKind.LATENCY, MetricKind.DURATION):
        return _display_ms(value, _written_time_unit(metric.text))
    if kind is MetricKind.RETENTION:
        return _display_ms(value * _MS_PER_DAY, _written_time_unit(metric.text), days_at_least=True)
    if kind in (MetricKind.AVAILABILITY, MetricKind.PERCENTAGE):
        return f"{_format(value)}%"
    if kind is MetricKind.SIZE:
        return _display_size(value)
    if kind is MetricKind.THROUGHPUT:
        return _display_rate(value, metric.text)
    if kind is MetricKind.CONCURRENCY:
        return f"{_format(value)} concurrent {_concurrent_noun(metric.text)}".rstrip()
    if kind is MetricKind.POPULATION:
        noun = _POPULATION_NOUN.search(metric.text)
        return f"{_format(value)} {noun.group(0) if noun else ''}".rstrip()
    return f"{_format(value)} region{'' if value == 1 else 's'}"


def _format(value: float) -> str:
    """`2000` -> `2,000`; `1.5` -> `1.5`; `99.95` -> `99.95`."""
    rounded = round(value)
    if abs(value - rounded) < 1e-9 * max(1.0, abs(value)):
        return f"{rounded:,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _clean(value: float) -> bool:
    """A number a person would write: whole, or with one decimal."""
    return abs(value * 10 - round(value * 10)) < 1e-6 * max(1.0, value)


# name -> (milliseconds, singular, plural)
_DISPLAY_TIME: dict[str, tuple[float, str, str]] = {
    "ms": (1.0, "ms", "ms"),
    "s": (1_000.0, "s", "s"),
    "min": (60_000.0, "min", "min"),
    "h": (3_600_000.0, "h", "h"),
    "day": (86_400_000.0, "day", "days"),
    "week": (604_800_000.0, "week", "weeks"),
    "month": (2_592_000_000.0, "month", "months"),
    "year": (31_536_000_000.0, "year", "years"),
}


def _written_time_unit(text: str) -> str | None:
    """The time unit the figure was written in: `min` for "in under 3 minutes"."""
    clause = _Clause(text)
    for _, tail in clause.followed_by(_TIME_TAIL, in_words=True):
        return _time_unit(tail.group("unit"))[1]
    return None


def _display_ms(ms: float, written: str | None, *, days_at_least: bool = False) -> str:
    """In the unit the spec used when it gives a clean number, else the largest whole unit."""
    if written in _DISPLAY_TIME:
        amount = ms / _DISPLAY_TIME[written][0]
        if amount >= 1 and _clean(amount):
            return _amount(amount, written)
    candidates = ("day", "year") if days_at_least else ("ms", "s", "min", "h", "day")
    best = candidates[0]
    for name in candidates:
        amount = ms / _DISPLAY_TIME[name][0]
        if amount >= 1 and abs(amount - round(amount)) < 1e-9:
            best = name
    if best == "ms" and ms >= 1000:
        best = "s"
    return _amount(ms / _DISPLAY_TIME[best][0], best)


def _amount(amount: float, unit: str) -> str:
    _, one, many = _DISPLAY_TIME[unit]
    return f"{_format(amount)} {one if amount == 1 else many}"


def _display_size(size: float) -> str:
    """Decimal units (`20 MB`), or binary ones when the size is a whole number of them only
    (`5 MiB`)."""
    for name, binary, decimal in (
        ("TiB", 1024.0**4, 1e12), ("GiB", 1024.0**3, 1e9), ("MiB", 1024.0**2, 1e6), ("KiB", 1024.0, 1e3)
    ):
        if size >= binary and (size / binary).is_integer() and not (size / decimal).is_integer():
            return f"{_format(size / binary)} {name}"
    for name, decimal in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if size >= decimal:
            return f"{_format(round(size / decimal, 1))} {name}"
    return f"{_format(size)} bytes"


_RATE_DISPLAY: dict[str, float] = {
    "s": 1.0, "min": 60.0, "h": 3600.0, "day": 86400.0, "week": 604800.0, "month": 2_592_000.0,
}
_RATE_NAMES: dict[str, str] = {
    "second": "s", "sec": "s", "s": "s", "minute": "min", "min": "min", "m": "min", "hour": "h", "hr": "h",
    "h": "h", "day": "day", "d": "day", "week": "week", "wk": "week", "month": "month",
}
_CONCURRENT_NOUN_BEFORE = re.compile(rf"(?:{_CONCURRENT_ADJECTIVE})\s+(?P<noun>.+)$", _I)
_CONCURRENT_NOUN_AFTER = re.compile(
    rf"\d[kKM]?\s+(?P<noun>[^\W\d][\w'-]*(?:\s+[^\W\d][\w'-]*)*?)(?:\s+(?:{_CONCURRENT_ADVERB}))?$", _I
)
_POPULATION_NOUN = re.compile(rf"(?:{_PEOPLE})(?![A-Za-z])", _I)


def _concurrent_noun(text: str) -> str:
    for pattern in (_CONCURRENT_NOUN_BEFORE, _CONCURRENT_NOUN_AFTER):
        match = pattern.search(text)
        if match:
            return " ".join(match.group("noun").split())
    return ""


def _display_rate(per_second: float, text: str) -> str:
    written = next((tail for _, tail in _Clause(text).followed_by(_RATE_TAIL)), None)
    if written:
        unit = _RATE_NAMES.get(_rate_unit(written.group("unit")), "s")
    else:
        unit = next((u for u, f in _RATE_DISPLAY.items() if per_second * f >= 1 and _clean(per_second * f)), "s")
    amount = round(per_second * _RATE_DISPLAY.get(unit, 1.0), 2)
    noun = ""
    if written and written.group("noun").strip():
        noun = written.group("noun").split()[-1]
    elif re.search(r"\b(?:rps|req)", text, _I):
        noun = "req"
    elif match := re.search(r"\b(qps|tps)\b", text, _I):
        noun = {"qps": "queries", "tps": "transactions"}[match.group(1).casefold()]
    if noun.casefold() in ("requests", "request"):
        noun = "req"
    return f"{_format(amount)} {noun}/{unit}" if noun else f"{_format(amount)}/{unit}"
