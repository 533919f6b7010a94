"""The anchors the catalog's pattern search starts from: read from a pattern's own source,
always sound (every match starts with one), and absent when a start is not a plain literal."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.planning.catalog import CATALOG, vocabulary
from bot.planning.catalog.anchors import ANCHOR_LENGTH, anchors_of
from bot.planning.catalog.signals import rx


def _catalog_patterns() -> list[re.Pattern[str]]:
    found = [value for name, value in vars(vocabulary).items() if name.isupper() and isinstance(value, re.Pattern)]
    for topic in CATALOG:
        found += [p for p in (topic.about, *topic.names.values(), *topic.stack_names.values()) if p is not None]
    return list(dict.fromkeys(found))


PATTERNS = _catalog_patterns()


def test_classes_optional_parts_and_groups_give_every_start() -> None:
    assert anchors_of(rx(r"\bco-?edit\w*")) == {"co-edi", "coedit"}
    assert anchors_of(rx(r"\b(?:card|IBAN) numbers?\b")) == {"card n", "iban n"}
    assert anchors_of(rx(r"\bre[sz]i")) == {"resi", "rezi"}
    assert anchors_of(rx(r"(?P<unit>ms|min)\b")) == {"ms", "min"}
    assert anchors_of(rx(r"\bFly\.io\b")) == {"fly.io"}


def test_anchors_stop_where_the_literal_text_stops() -> None:
    assert anchors_of(rx(r"\bvar\w+")) == {"var"}
    assert anchors_of(rx(r"\bidle.{0,3}x")) == {"idle"}
    assert anchors_of(rx(r"\bx+yz")) == {"x"}
    assert anchors_of(rx(r"\bab{2}c")) == {"ab"}


def test_a_start_that_is_not_a_plain_literal_leaves_the_pattern_without_anchors() -> None:
    for source in (r"\w+ing", r"[^\n]{0,5}x", r"(?=ab)ab", r"abc|\d+", r"[a-c]x", r"x*y", r"(?:ab)?"):
        assert anchors_of(rx(source)) is None, source
    assert anchors_of(re.compile("(?i)abc")) is None  # inline flags are not read
    assert anchors_of(re.compile("a b", re.VERBOSE)) is None


def test_too_many_alternative_starts_mean_searching_everywhere() -> None:
    assert anchors_of(rx("[abcde][abcde][abcde]")) is not None
    assert anchors_of(rx("[abcde][abcde][abcde][abcde]")) is None


def test_most_catalog_patterns_have_anchors_of_bounded_length() -> None:
    anchored = [anchors_of(p) for p in PATTERNS]
    assert sum(a is not None for a in anchored) > len(PATTERNS) * 2 // 3
    assert all(0 < len(anchor) <= ANCHOR_LENGTH for a in anchored if a for anchor in a)


WORDS = st.sampled_from(
    "real-time live updates without reloading the page web socket websockets personal data GDPR health records "
    "delete their data on request retained by law kept for 7 years archive purge nightly export to the ledger system "
    "exactly once sent twice the API is down notify by e-mail Slack SMS mute upload attach PDF photos OCR extract "
    "dashboard sign in SSO Okta roles only managers see their direct reports audit trail API keys client credentials "
    "rate limit search fuzzy exchange rates ISO 4217 SCIM LDAP leaves the company at the same moment approve "
    "multi-region EU and US peaks micro-services serverless Redis Kafka PostgreSQL S3 OpenAPI gRPC ß İ K".split()
)
TEXTS = st.lists(st.lists(WORDS, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None)
@given(TEXTS)
def test_every_match_of_a_catalog_pattern_starts_with_one_of_its_anchors(texts: list[str]) -> None:
    text = "\n".join(texts)
    lowered = text.lower()
    if len(lowered) != len(text):
        return
    for pattern in PATTERNS:
        anchors = anchors_of(pattern)
        if anchors is None:
            continue
        for start in range(len(text) + 1):
            if pattern.match(text, start):
                assert any(lowered.startswith(a, start) for a in anchors), (pattern.pattern[:60], text[start:])

