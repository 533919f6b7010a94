"""Plan wall time with a model that takes 1 s per request: requests one after another beside
requests in flight together, and the tokens a plan uses.

    python bench/model_latency.py [--delay 1.0] [--concurrency 8]

The model is the fake OpenAI-compatible server of the tests (tests/fakemodel), reached over real
HTTP; every answer takes `--delay` seconds. A plan asks for the decision cards, one research note
per decision and the overview of each artifact that has one; those requests do not depend on each
other, so with concurrency the plan waits for its slowest round, not for the sum.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.model.analyst import ModelAnalyst  # noqa: E402
from bot.model.settings import ModelSettings  # noqa: E402
from bot.planning import engine  # noqa: E402
from bot.planning.engine import PlanRequest  # noqa: E402
from bot.planning.ports import MappingSource  # noqa: E402
from tests.fakemodel import FakeModelServer  # noqa: E402
from tests.model.test_model_analyst import respond  # noqa: E402

SPEC = ROOT / "examples" / "spec.md"
CONSTITUTION = ROOT / "examples" / "repo" / ".specify" / "memory" / "constitution.md"


def plan_once(server: FakeModelServer, concurrency: int) -> tuple[float, int, int, int, int]:
    """(wall seconds, decisions, requests, input tokens, output tokens) of one whole offline pipeline."""
    settings = ModelSettings(PLANBOT_MODEL="fake-planner", PLANBOT_MODEL_BASE_URL=server.base_url,
                             PLANBOT_MODEL_CONCURRENCY=concurrency, PLANBOT_MODEL_MAX_RETRIES=0)
    source = MappingSource({".specify/memory/constitution.md": CONSTITUTION.read_text(encoding="utf-8")})
    started = time.perf_counter()
    prepared = engine.prepare(PlanRequest(text=SPEC.read_text(encoding="utf-8"), spec_source="spec.md"), source, [],
                              analyst=ModelAnalyst(settings))
    wall = time.perf_counter() - started
    usage = prepared.analysis.usage
    assert usage is not None and not prepared.analysis.limitations, prepared.analysis.limitations
    return wall, len(prepared.analysis.decisions), usage.requests, usage.input_tokens, usage.output_tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=1.0, help="seconds the fake model takes per request")
    parser.add_argument("--concurrency", type=int, default=ModelSettings.model_fields["concurrency"].default)
    args = parser.parse_args()
    with FakeModelServer(answer=respond, delay=args.delay) as server:
        print(f"fake model: {args.delay:g} s per request; spec {SPEC.name}")
        print(f"{'mode':<22} {'wall s':>7} {'TDs':>4} {'requests':>9} {'input tokens':>13} {'output tokens':>14}")
        rows = []
        for mode, concurrency in (("sequential", 1), (f"concurrent (≤{args.concurrency})", args.concurrency)):
            wall, decisions, requests, tokens_in, tokens_out = plan_once(server, concurrency)
            rows.append(wall)
            print(f"{mode:<22} {wall:>7.2f} {decisions:>4} {requests:>9} {tokens_in:>13,} {tokens_out:>14,}")
        print(f"concurrent is {rows[0] / rows[1]:.1f}× faster; tokens are the same either way")


if __name__ == "__main__":
    main()
