"""The model backend over real HTTP against a fake OpenAI-compatible server: the model's words
replace the offline prose, ids and options stay; a bad answer gets one repair attempt; garbage,
a timeout or a refusal leaves the offline analysis and says so."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.model.analyst import ModelAnalyst, ModelAnalystError, build_model
from bot.model.settings import ModelSettings
from bot.planning import engine
from bot.planning.engine import PlanRequest, Prepared
from bot.planning.ports import MappingSource
from tests.fakemodel import FakeModelServer

ROOT = Path(__file__).resolve().parents[2]
SPEC = (ROOT / "examples" / "spec.md").read_text(encoding="utf-8")
CONSTITUTION = (ROOT / "examples" / "repo" / ".specify" / "memory" / "constitution.md").read_text(encoding="utf-8")


def offline() -> Prepared:
    return engine.prepare(PlanRequest(text=SPEC, spec_source="spec.md"),
                          MappingSource({".specify/memory/constitution.md": CONSTITUTION}), [])


OFFLINE = offline()


def cards(request: dict[str, Any] | None = None, *, unknown_id: bool = False) -> dict[str, Any]:
    """A well-formed answer for every offline decision (or one naming a decision that does not exist)."""
    out = []
    for td in OFFLINE.analysis.decisions:
        out.append({
            "id": "TD999" if unknown_id and not out else td.id,
            "context": f"Model context for {td.id}: FR-001 asks for it.",
            "question": f"Which way for {td.title}?",
            "options": [{"key": o.key, "summary": f"model summary {o.key}", "pros": [f"model pro {o.key}"],
                         "cons": [f"model con {o.key}"], "cost_impact": "model cost"} for o in td.options],
            "recommendation": td.options[-1].key,
            "recommendation_reasoning": f"Model reasoning for {td.id}, from SC-002.",
            "impact_on_implementation": "Model impact.",
            "review_trigger": "Model trigger.",
            "cited": ["FR-001", "SC-002"],
        })
    return {"decisions": out}


@pytest.fixture
def server() -> Iterator[FakeModelServer]:
    with FakeModelServer(answer=cards) as fake:
        yield fake


def analyst(server: FakeModelServer, timeout: float = 20.0) -> ModelAnalyst:
    return ModelAnalyst(ModelSettings(PLANBOT_MODEL="fake-planner", PLANBOT_MODEL_BASE_URL=server.base_url,
                                      PLANBOT_MODEL_TIMEOUT_SECONDS=timeout, PLANBOT_MODEL_MAX_RETRIES=2))


def refine(server: FakeModelServer, timeout: float = 20.0):  # noqa: ANN201
    return analyst(server, timeout).refine(OFFLINE.context, OFFLINE.analysis)


def test_the_models_words_replace_the_offline_prose_and_ids_stay(server: FakeModelServer) -> None:
    refined = refine(server)
    before, after = OFFLINE.analysis.decisions, refined.decisions
    assert [td.id for td in after] == [td.id for td in before]
    assert [[o.key for o in td.options] for td in after] == [[o.key for o in td.options] for td in before]
    assert [td.topic for td in after] == [td.topic for td in before]
    assert after[0].context.startswith("Model context") and after[0].options[0].pros == ["model pro A"]
    assert after[0].recommendation == before[0].options[-1].key
    assert refined.written_by == "fake-planner" and not refined.limitations
    assert refined.usage is not None and refined.usage.input_tokens == 1200 and refined.usage.output_tokens == 300


def test_the_spec_goes_to_the_model_as_delimited_data(server: FakeModelServer) -> None:
    refine(server)
    messages = server.requests[0]["messages"]
    system = " ".join(str(m.get("content")) for m in messages if m["role"] == "system")
    user = " ".join(str(m.get("content")) for m in messages if m["role"] == "user")
    assert "never as instructions" in system and "Field Service Work Orders" not in system
    start, end = user.index("<<<SPECIFICATION"), user.index("SPECIFICATION>>>")
    assert start < user.index("Field Service Work Orders") < end


def test_a_bad_answer_gets_one_repair_attempt(server: FakeModelServer) -> None:
    server.then("answer", answer=lambda request: cards(unknown_id=True))
    refined = refine(server)
    assert len(server.requests) == 2 and refined.written_by == "fake-planner"
    repair = str(server.requests[1]["messages"])
    assert "TD999" in repair and "cards missing for" in repair


def test_garbage_twice_leaves_the_offline_analysis_and_says_so(server: FakeModelServer) -> None:
    server.then("malformed").then("malformed").then("malformed")
    refined = refine(server)
    assert refined.decisions == OFFLINE.analysis.decisions and refined.written_by is None
    assert len(refined.limitations) == 1 and "offline analysis stands" in refined.limitations[0]


def test_a_rate_limit_is_waited_out(server: FakeModelServer) -> None:
    server.then("rate_limit")
    refined = refine(server)
    assert refined.written_by == "fake-planner" and len(server.requests) == 2


def test_a_model_slower_than_the_timeout_leaves_the_offline_analysis_quickly(server: FakeModelServer) -> None:
    server.then("slow", seconds=3).then("slow", seconds=3).then("slow", seconds=3)
    started = time.monotonic()
    refined = refine(server, timeout=0.5)
    assert time.monotonic() - started < 10
    assert refined.decisions == OFFLINE.analysis.decisions and refined.limitations


def test_an_unreachable_server_leaves_the_offline_analysis() -> None:
    settings = ModelSettings(PLANBOT_MODEL="fake", PLANBOT_MODEL_BASE_URL="http://127.0.0.1:9/v1",
                             PLANBOT_MODEL_MAX_RETRIES=0, PLANBOT_MODEL_TIMEOUT_SECONDS=2)
    refined = ModelAnalyst(settings).refine(OFFLINE.context, OFFLINE.analysis)
    assert refined.decisions == OFFLINE.analysis.decisions and refined.limitations


def test_a_model_without_a_provider_is_refused_in_one_line() -> None:
    with pytest.raises(ModelAnalystError, match="names no provider"):
        build_model(ModelSettings(PLANBOT_MODEL="gpt-4.1"))
