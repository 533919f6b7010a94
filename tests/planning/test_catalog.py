"""The decision catalog: its prose data, its structure, and the pattern search it relies on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.planning.catalog import CATALOG, EVALUATION_ORDER, TOPICS_BY_KEY, vocabulary
from bot.planning.catalog.anchors import anchors_of
from bot.planning.catalog.core import Assessment, Topic, recommend
from bot.planning.catalog.corpus import Corpus
from bot.planning.catalog.prose import CatalogDataError, load_prose, read_prose
from bot.planning.catalog.signals import rx
from bot.planning.decisions import Category, Reversibility

VOCABULARY = [value for name, value in vars(vocabulary).items() if name.isupper() and isinstance(value, re.Pattern)]


def test_every_category_has_topics_and_the_catalog_is_broad() -> None:
    categories = {topic.category for topic in CATALOG}
    assert categories == set(Category)
    assert 20 <= len(CATALOG) <= 30


def test_every_topic_has_two_to_four_complete_options() -> None:
    for topic in CATALOG:
        options = topic.prose.options
        assert 2 <= len(options) <= 4, topic.key
        for option_id, option in options.items():
            assert option.pros and option.cons and option.cost_impact, f"{topic.key}/{option_id}"
            assert all(p.strip() for p in option.pros + option.cons)


def test_evaluation_order_puts_dependencies_first() -> None:
    position = {topic.key: index for index, topic in enumerate(EVALUATION_ORDER)}
    assert len(position) == len(CATALOG)
    for topic in CATALOG:
        for dependency in topic.depends_on:
            assert position[dependency] < position[topic.key], (dependency, topic.key)


def test_realtime_depends_on_the_platform_and_fanout_on_realtime() -> None:
    assert "deployment-platform" in TOPICS_BY_KEY["realtime-transport"].depends_on
    assert "realtime-transport" in TOPICS_BY_KEY["connection-fanout"].depends_on


def test_prose_files_load_once_per_category() -> None:
    assert load_prose(Category.DATA) is load_prose(Category.DATA)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_OPTION = """
      title: {title}
      summary: Something concrete.
      pros: [One pro]
      cons: [One con]
      cost_impact: Low.
      reversibility: Easy
"""


def _topic_yaml(options: str) -> str:
    return (
        "some-topic:\n  title: T\n  question: Q?\n  background: B.\n  impact_on_implementation: I.\n"
        "  review_trigger: R.\n  options:\n" + options
    )


def test_malformed_prose_fails_loudly(tmp_path: Path) -> None:
    one_option = "    a:" + GOOD_OPTION.format(title="A")
    with pytest.raises(CatalogDataError, match="2 to 4 options"):
        read_prose(_write(tmp_path, _topic_yaml(one_option)))
    no_cons = "    a:" + GOOD_OPTION.format(title="A").replace("      cons: [One con]\n", "") + "    b:" + GOOD_OPTION.format(title="B")
    with pytest.raises(CatalogDataError, match="cons"):
        read_prose(_write(tmp_path, _topic_yaml(no_cons)))
    bad_reversibility = ("    a:" + GOOD_OPTION.format(title="A")).replace("Easy", "Trivial") + "    b:" + GOOD_OPTION.format(title="B")
    with pytest.raises(CatalogDataError, match="reversibility"):
        read_prose(_write(tmp_path, _topic_yaml(bad_reversibility)))
    with pytest.raises(CatalogDataError):
        read_prose(_write(tmp_path, "just a string"))


def test_well_formed_prose_reads(tmp_path: Path) -> None:
    options = "    a:" + GOOD_OPTION.format(title="A") + "    b:" + GOOD_OPTION.format(title="B")
    prose = read_prose(_write(tmp_path, _topic_yaml(options)))
    assert list(prose["some-topic"].options) == ["a", "b"]


# --- recommendation ----------------------------------------------------------------------------


def _topic_with_scores(scores: dict[str, float]) -> Assessment:
    """An assessment of the multi-region topic (Easy, Medium, Hard options) with given scores."""
    base = TOPICS_BY_KEY["multi-region"]
    topic = Topic(key="test", category=base.category, prose=base.prose, trigger=lambda s: [], assess=lambda s, a: None)
    assessment = Assessment(topic)
    for option, score in scores.items():
        assessment.favour(option, score)
    return assessment


def test_recommendation_leans_to_the_most_reversible_of_close_options() -> None:
    prose = TOPICS_BY_KEY["multi-region"].prose.options
    assert prose["single-region"].reversibility is Reversibility.EASY
    assert prose["active-active"].reversibility is Reversibility.HARD
    close = recommend(_topic_with_scores({"active-active": 5.0, "primary-with-read-regions": 4.8, "single-region": 4.2}))
    assert close.option == "single-region"
    assert close.best == "active-active"


def test_recommendation_keeps_a_clear_winner_even_if_harder_to_reverse() -> None:
    clear = recommend(_topic_with_scores({"active-active": 6.0, "primary-with-read-regions": 3.0, "single-region": 2.0}))
    assert clear.option == "active-active" == clear.best


def test_blocked_options_are_never_recommended() -> None:
    assessment = _topic_with_scores({"active-active": 9.0, "single-region": 1.0})
    assessment.block("active-active", "Needs a constitution amendment.")
    assert recommend(assessment).option != "active-active"


def test_dropping_all_but_one_option_keeps_two_on_the_card() -> None:
    assessment = _topic_with_scores({"single-region": 1.0})
    assessment.drop("primary-with-read-regions")
    assessment.drop("active-active")
    assert len(assessment.visible) >= 2


# --- pattern search ----------------------------------------------------------------------------


def test_anchors_are_the_literal_starts_of_a_pattern() -> None:
    assert anchors_of(rx(r"\bnightly\b", r"\bcron\b")) == {"nightl", "cron"}  # starts, at most 6 characters
    assert anchors_of(rx(r"\bweb ?sockets?\b")) == {"web so", "websoc"}
    assert anchors_of(rx(r"[a-z]+ing")) is None


WORDS = st.sampled_from(
    "real time real-time live status nightly export exported twice the ledger system's REST API is down "
    "proxies cut idle connections after 60 s within 2 s personal data GDPR delete their data on request "
    "store files upload photo PDF 20 MB keep for 7 years SCIM HR directory manager leaves the company "
    "Two managers act on the same report at the same moment search fuzzy e-mail Slack notify by email "
    "across 3 regions EU and US single sign-on OIDC only managers see their direct reports ISO 4217 ß İ".split()
)
SENTENCES = st.lists(st.lists(WORDS, min_size=1, max_size=14).map(" ".join), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(SENTENCES)
def test_the_corpus_finds_exactly_what_a_plain_search_finds(texts: list[str]) -> None:
    corpus = Corpus(texts)
    for pattern in VOCABULARY:
        expected = tuple(i for i, text in enumerate(texts) if pattern.search(text))
        assert corpus.indices(pattern) == expected, pattern.pattern[:60]
