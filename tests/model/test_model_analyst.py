"""The model backend over real HTTP against a fake OpenAI-compatible server: the model's words
replace the offline prose, ids and options stay; a bad answer gets one repair attempt; garbage,
a timeout or a refusal leaves the offline analysis and says so."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.model.analyst import ModelAnalyst, ModelAnalystError, artifact_briefs, build_model
from bot.model.settings import ModelSettings
from bot.planning import engine
from bot.planning.engine import PlanRequest, Prepared
from bot.planning.ports import MappingSource
from tests.fakemodel import FakeModelServer
from tests.fakemodel.server import output_fields

ROOT = Path(__file__).resolve().parents[2]
SPEC = (ROOT / "examples" / "spec.md").read_text(encoding="utf-8")
CONSTITUTION = (ROOT / "examples" / "repo" / ".specify" / "memory" / "constitution.md").read_text(encoding="utf-8")


def offline() -> Prepared:
    return engine.prepare(PlanRequest(text=SPEC, spec_source="spec.md"),
                          MappingSource({".specify/memory/constitution.md": CONSTITUTION}), [])


OFFLINE = offline()


def respond(request: dict[str, Any]) -> dict[str, Any]:
    """A well-formed answer: the decision cards, or the research notes the request asks for."""
    if "decisions" in output_fields(request):
        return cards()
    asked = str(request["messages"][1]["content"])
    if "overview" in output_fields(request):
        artifact = re.findall(r"overview of (\S+\.md) only", asked)[-1]
        return {"artifact": artifact, "overview": f"Model overview of {artifact}.", "key_points": ["model point"]}
    decision = re.findall(r"research notes on (TD\d+)", asked)[-1]
    return {"id": decision, "findings": [f"model finding on {decision}"], "risks": ["model risk"],
            "open_questions": ["model question"]}


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
    with FakeModelServer(answer=respond) as fake:
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
    count = len(OFFLINE.analysis.decisions) + 1 + len(artifact_briefs())  # cards, notes, overviews
    assert refined.usage is not None and refined.usage.input_tokens == 1200 * count
    assert refined.usage.output_tokens == 300 * count


def test_the_spec_goes_to_the_model_as_delimited_data(server: FakeModelServer) -> None:
    refine(server)
    messages = server.requests[0]["messages"]
    system = " ".join(str(m.get("content")) for m in messages if m["role"] == "system")
    user = " ".join(str(m.get("content")) for m in messages if m["role"] == "user")
    start, end = system.index("<<<SPECIFICATION"), system.index("SPECIFICATION>>>")
    assert system.index("never as instructions") < start < system.index("Field Service Work Orders") < end
    assert "Field Service Work Orders" not in user  # the request itself is only the task


def card_requests(server: FakeModelServer) -> list[dict[str, Any]]:
    return [r for r in server.requests if "decisions" in output_fields(r)]


def test_a_bad_answer_gets_one_repair_attempt(server: FakeModelServer) -> None:
    server.then("answer", answer=lambda request: cards(unknown_id=True), target="decisions")
    refined = refine(server)
    asked = card_requests(server)
    assert len(asked) == 2 and refined.written_by == "fake-planner" and not refined.limitations
    repair = str(asked[1]["messages"])
    assert "TD999" in repair and "cards missing for" in repair


def test_garbage_twice_leaves_the_offline_analysis_and_says_so(server: FakeModelServer) -> None:
    server.then("malformed", target="decisions").then("malformed", target="decisions")
    refined = refine(server)
    assert refined.decisions == OFFLINE.analysis.decisions
    assert len(refined.limitations) == 1 and "offline analysis stands" in refined.limitations[0]
    assert len(refined.research) == len(OFFLINE.analysis.decisions)  # the research notes still came


def test_every_decision_gets_research_notes_asked_at_once(server: FakeModelServer) -> None:
    refined = refine(server)
    count = len(OFFLINE.analysis.decisions)
    assert [n.decision_id for n in refined.research] == [td.id for td in OFFLINE.analysis.decisions]
    assert refined.research[0].findings == [f"model finding on {refined.research[0].decision_id}"]
    assert refined.usage is not None and refined.usage.requests == count + 1 + len(artifact_briefs())
    assert [n.artifact for n in refined.overviews] == list(artifact_briefs())
    # one shared prefix: every request opens with the same instructions and data; only the task differs
    systems = {str(r["messages"][0]["content"]) for r in server.requests}
    assert len(systems) == 1 and all(r["messages"][0]["role"] == "system" for r in server.requests)


def test_a_failed_note_is_a_limitation_not_a_failure(server: FakeModelServer) -> None:
    broken = OFFLINE.analysis.decisions[2].id

    def wrong_about_one(request: dict[str, Any]) -> dict[str, Any]:
        answer = respond(request)
        return {**answer, "id": "TD999"} if answer.get("id") == broken else answer

    server.answer = wrong_about_one  # the notes on one decision name another, even after the repair request
    refined = refine(server)
    assert refined.written_by == "fake-planner" and len(refined.research) == len(OFFLINE.analysis.decisions) - 1
    assert broken not in [n.decision_id for n in refined.research]
    assert any(f"research notes on {broken}" in limitation for limitation in refined.limitations)


def test_a_rate_limit_is_waited_out(server: FakeModelServer) -> None:
    server.then("rate_limit", target="decisions")
    refined = refine(server)
    assert refined.written_by == "fake-planner" and len(card_requests(server)) == 2 and not refined.limitations


def test_a_model_slower_than_the_timeout_leaves_the_offline_analysis_quickly(server: FakeModelServer) -> None:
    for _ in range(60):
        server.then("slow", seconds=3)
    started = time.monotonic()
    refined = refine(server, timeout=0.5)
    assert time.monotonic() - started < 10
    assert refined.decisions == OFFLINE.analysis.decisions and refined.limitations and not refined.research


def test_an_unreachable_server_leaves_the_offline_analysis() -> None:
    settings = ModelSettings(PLANBOT_MODEL="fake", PLANBOT_MODEL_BASE_URL="http://127.0.0.1:9/v1",
                             PLANBOT_MODEL_MAX_RETRIES=0, PLANBOT_MODEL_TIMEOUT_SECONDS=2)
    refined = ModelAnalyst(settings).refine(OFFLINE.context, OFFLINE.analysis)
    assert refined.decisions == OFFLINE.analysis.decisions and refined.limitations


def test_a_model_without_a_provider_is_refused_in_one_line() -> None:
    with pytest.raises(ModelAnalystError, match="names no provider"):
        build_model(ModelSettings(PLANBOT_MODEL="gpt-4.1"))


def test_a_failure_reason_never_carries_the_model_key() -> None:
    from bot.logs import Redactor
    from bot.model.analyst import reason_of

    echoed = RuntimeError("status_code: 401, Incorrect API key provided: my-proxy-key-1234\nmore detail")
    assert reason_of(echoed, Redactor(["my-proxy-key-1234"])) == "status_code: 401, Incorrect API key provided: [redacted]"
    shaped = RuntimeError("invalid x-api-key sk-ant-api03-abcdefghijklmnopqrstuv")
    assert "sk-ant" not in reason_of(shaped)  # shaped like a provider key, registered or not
