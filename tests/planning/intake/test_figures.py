from __future__ import annotations

import pytest

from bot.planning.intake.figures import display_metric, parse_metrics
from bot.planning.spec import Metric, MetricKind

L, T, C, P = MetricKind.LATENCY, MetricKind.THROUGHPUT, MetricKind.CONCURRENCY, MetricKind.POPULATION
A, S, R, D = MetricKind.AVAILABILITY, MetricKind.SIZE, MetricKind.RETENTION, MetricKind.DURATION
PCT, REG = MetricKind.PERCENTAGE, MetricKind.REGIONS


def only(text: str) -> Metric:
    found = parse_metrics(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "kind", "value", "words"),
    [
        ("Search answers in under 300 ms.", L, 300, "in under 300 ms"),
        ("The dashboard updates within 2 s.", L, 2000, "within 2 s"),
        ("Results appear in less than 1.5 seconds.", L, 1500, "in less than 1.5 seconds"),
        ("New messages appear within two seconds.", L, 2000, "within two seconds"),
        ("Pages respond within a second.", L, 1000, "within a second"),
        ("Updates must feel sub-second.", L, 1000, "sub-second"),
        ("The API handles 500 requests per second.", T, 500, "500 requests per second"),
        ("Ingest 10k events/min at peak.", T, 10_000 / 60, "10k events/min"),
        ("Up to 1,000 orders per hour.", T, 1000 / 3600, "Up to 1,000 orders per hour"),
        ("Peak load is 300 RPS.", T, 300, "300 RPS"),
        ("Serve 2,000 concurrent users.", C, 2000, "2,000 concurrent users"),
        ("Works for up to 800 agents online at once.", C, 800, "up to 800 agents online at once"),
        ("Hold 10k simultaneous connections.", C, 10_000, "10k simultaneous connections"),
        ("Keep 5,000 open WebSocket connections.", C, 5000, "5,000 open WebSocket connections"),
        ("The company has 40,000 employees.", P, 40_000, "40,000 employees"),
        ("We expect 1M users next year.", P, 1_000_000, "1M users"),
        ("We expect 1.5M monthly active users.", P, 1_500_000, "1.5M monthly active users"),
        ("The team has 2 000 members.", P, 2000, "2 000 members"),
        ("Target 99.9% availability.", A, 99.9, "99.9%"),
        ("99.95% uptime is required.", A, 99.95, "99.95%"),
        ("The service offers four nines.", A, 99.99, "four nines"),
        ("Files up to 20 MB each are accepted.", S, 20_000_000, "up to 20 MB each"),
        ("Backups may reach 5 GB.", S, 5_000_000_000, "5 GB"),
        ("Avatars up to 512 KiB.", S, 512 * 1024, "up to 512 KiB"),
        ("Exports stay below 2 MiB.", S, 2 * 1024**2, "below 2 MiB"),
        ("Keep them for 7 years.", R, 7 * 365, "for 7 years"),
        ("Audit logs are retained for 90 days.", R, 90, "for 90 days"),
        ("Drafts are deleted after 30 days.", R, 30, "after 30 days"),
        ("Guests can check out in under 3 minutes.", D, 180_000, "in under 3 minutes"),
        ("Sessions expire after 30 minutes.", D, 1_800_000, "after 30 minutes"),
        ("The export runs every 24 hours.", D, 86_400_000, "every 24 hours"),
        ("Extraction is correct for 90% of receipts.", PCT, 90, "90%"),
        ("Reduce support tickets by 50%.", PCT, 50, "50%"),
        ("Run across 3 regions.", REG, 3, "across 3 regions"),
        ("Sell in 12 countries.", REG, 12, "in 12 countries"),
        ("Open during business hours in the EU and US.", REG, 2, "in the EU and US"),
        ("Deploy in EU, US and APAC data centres.", REG, 3, "in EU, US and APAC"),
    ],
)
def test_reads_the_figure(sentence: str, kind: MetricKind, value: float, words: str) -> None:
    metric = only(sentence)
    assert metric.kind is kind
    assert metric.value == pytest.approx(value)
    assert metric.text == words


@pytest.mark.parametrize(
    ("kind", "unit"),
    [(L, "ms"), (D, "ms"), (T, "/s"), (C, "count"), (P, "count"), (REG, "count"), (A, "%"), (PCT, "%"), (S, "B"), (R, "days")],
)
def test_base_units(kind: MetricKind, unit: str) -> None:
    samples = {
        L: "under 300 ms", D: "users finish in under 3 minutes", T: "500 requests per second",
        C: "2,000 concurrent users", P: "40,000 employees", REG: "across 3 regions",
        A: "99.9% availability", PCT: "90% of receipts", S: "up to 20 MB", R: "keep them for 7 years",
    }
    metric = only(samples[kind])
    assert (metric.kind, metric.unit) == (kind, unit)


def test_percent_of_a_time_bound_is_its_percentile() -> None:
    metric = only("95% of page loads complete in under 300 ms.")
    assert (metric.kind, metric.value, metric.percentile) == (L, 300, 95)
    assert metric.text == "95% of page loads complete in under 300 ms"


@pytest.mark.parametrize(
    ("sentence", "value", "percentile"),
    [
        ("p95 < 200ms for search", 200, 95),
        ("p99 latency under 1 s", 1000, 99),
        ("The 99th percentile response time stays under 800 ms.", 800, 99),
        ("Median response time under 120 ms.", 120, 50),
        ("Responses under 250 ms for 99% of requests.", 250, 99),
    ],
)
def test_percentile_forms(sentence: str, value: float, percentile: float) -> None:
    metric = only(sentence)
    assert (metric.kind, metric.value, metric.percentile) == (L, value, percentile)


def test_a_task_time_of_a_person_is_a_duration_with_its_percentile() -> None:
    metric = only("90% of users complete onboarding in under 2 minutes.")
    assert (metric.kind, metric.value, metric.percentile) == (D, 120_000, 90)


def test_several_figures_in_one_sentence_in_order_with_their_source() -> None:
    text = "95% of page loads complete in under 300 ms at 2,000 concurrent users; the company has 40,000 employees."
    found = parse_metrics(text, source="SC-002")
    assert [(m.kind, m.value) for m in found] == [(L, 300), (C, 2000), (P, 40_000)]
    assert {m.source for m in found} == {"SC-002"}


def test_size_and_retention_in_one_requirement() -> None:
    found = parse_metrics("System MUST store receipts up to 20 MB each and keep them for 7 years.")
    assert [(m.kind, m.value) for m in found] == [(S, 20_000_000), (R, 2555)]


def test_a_concurrency_is_not_also_a_population() -> None:
    assert [m.kind for m in parse_metrics("Serve 2,000 concurrent users.")] == [C]


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Response time between 200 and 500 ms.", 500),
        ("Response time of 200-500 ms.", 500),
        ("Scale from 100 to 1,000 users.", 1000),
    ],
)
def test_a_range_takes_its_upper_bound(sentence: str, value: float) -> None:
    assert only(sentence).value == value


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Serve 2,000 employees.", 2000),
        ("Serve 2 000 employees.", 2000),
        ("Serve 2k employees.", 2000),
        ("Serve 1.5M employees.", 1_500_000),
        ("Serve 3 million employees.", 3_000_000),
        ("Dienen 2.000 gleichzeitigen Nutzern.", 2000),
    ],
)
def test_thousands_separators_and_scales(sentence: str, value: float) -> None:
    assert only(sentence).value == value


def test_a_decimal_comma() -> None:
    assert only("Die Seite lädt in unter 1,5 Sekunden.").value == 1500


@pytest.mark.parametrize(
    "sentence",
    [
        "System MUST support any ISO 4217 currency.",
        "See FR-001 and SC-002 created on 2026-11-02.",
        "Authenticate with OAuth2 through OIDC; see US1 and P1.",
        "Prices are shown in US dollars.",
        "The export runs twice a day.",
        "Two managers act on the same report.",
        "Managers approve or reject reports with a comment.",
    ],
)
def test_no_figure_where_there_is_none(sentence: str) -> None:
    assert parse_metrics(sentence) == []


def test_other_languages_and_scripts() -> None:
    german = parse_metrics("Die Seite lädt in unter 2 Sekunden, auch bei 500 gleichzeitigen Nutzern.")
    assert [(m.kind, m.value) for m in german] == [(L, 2000), (C, 500)]
    assert [(m.kind, m.value) for m in parse_metrics("応答は300ミリ秒以内")] == [(L, 300)]


def test_time_after_a_clause_of_another_kind_is_judged_on_its_own_words() -> None:
    found = parse_metrics("Employees see status changes within 2 s, and can submit a report in under 3 minutes.")
    assert [(m.kind, m.value) for m in found] == [(L, 2000), (D, 180_000)]


@pytest.mark.parametrize(
    ("sentence", "shown"),
    [
        ("under 300 ms", "300 ms"),
        ("within 2 s", "2 s"),
        ("in less than 1.5 seconds", "1.5 s"),
        ("users finish in under 3 minutes", "3 min"),
        ("up to 20 MB each", "20 MB"),
        ("below 2 MiB", "2 MiB"),
        ("keep them for 7 years", "7 years"),
        ("retained for 90 days", "90 days"),
        ("kept for 13 months", "13 months"),
        ("99.9% availability", "99.9%"),
        ("90% of receipts", "90%"),
        ("2,000 concurrent users", "2,000 concurrent users"),
        ("800 agents online at once", "800 concurrent agents"),
        ("40,000 employees", "40,000 employees"),
        ("500 requests per second", "500 req/s"),
        ("1,000 orders per hour", "1,000 orders/h"),
        ("10k events/min", "10,000 events/min"),
        ("peak of 300 RPS", "300 req/s"),
        ("across 3 regions", "3 regions"),
    ],
)
def test_display(sentence: str, shown: str) -> None:
    metric = only(sentence)
    assert display_metric(metric) == shown
    assert metric.display() == shown


def test_display_without_the_original_words_picks_a_whole_unit() -> None:
    assert display_metric(Metric(kind=L, value=120_000, unit="ms", text="")) == "2 min"
    assert display_metric(Metric(kind=L, value=1500, unit="ms", text="")) == "1.5 s"
    assert display_metric(Metric(kind=R, value=730, unit="days", text="")) == "2 years"
    assert display_metric(Metric(kind=S, value=1_500_000, unit="B", text="")) == "1.5 MB"
    assert display_metric(Metric(kind=REG, value=1, unit="count", text="")) == "1 region"
