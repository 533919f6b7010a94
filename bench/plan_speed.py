"""Median time of the whole offline pipeline (intake → analysis → decisions → generation →
validation) at spec sizes 1×, 10× and 100× of a sample spec.

    python bench/plan_speed.py [--spec examples/spec.md] [--runs 7] [--sizes 1 10 100]

A spec is scaled by repeating its stories, requirements, entities, success criteria and edge
cases with fresh ids and names, so every copy is planned, not de-duplicated.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.planning import engine  # noqa: E402
from bot.planning.engine import PlanRequest  # noqa: E402
from bot.planning.ports import MappingSource  # noqa: E402

SECTION = re.compile(r"^(#{2,3} .*)$", re.MULTILINE)


def scale_spec(text: str, factor: int) -> str:
    """The spec with every story, requirement, entity, criterion and edge case repeated `factor` times."""
    if factor == 1:
        return text
    parts = SECTION.split(text)
    out = [parts[0]]
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        if re.match(r"### User Story \d+", heading):
            out.append(heading + body)
            for copy in range(2, factor + 1):
                number = int(re.search(r"\d+", heading).group()) + 100 * copy
                renamed = re.sub(r"User Story \d+ - (.*?) \(", rf"User Story {number} - \1 (variant {copy}) (", heading)
                out.append(renamed + body)
            continue
        lines = body.splitlines(keepends=True)
        grown: list[str] = []
        for line in lines:
            grown.append(line)
        for copy in range(2, factor + 1):
            for line in lines:
                fr = re.match(r"(- \*\*)(FR|SC)-(\d+)(\*\*:)(.*)", line, re.DOTALL)
                entity = re.match(r"(- \*\*)([A-Za-z]+)(\*\*:)(.*)", line, re.DOTALL)
                if fr:
                    number = int(fr.group(3)) + 100 * copy
                    grown.append(f"{fr.group(1)}{fr.group(2)}-{number:03d}{fr.group(4)}{fr.group(5)}")
                elif entity and "Key Entities" in heading:
                    grown.append(f"{entity.group(1)}{entity.group(2)}{_letters(copy)}{entity.group(3)}{entity.group(4)}")
                elif line.startswith("- ") and "Edge Cases" in heading:
                    grown.append(line.rstrip("\n") + f" (case {copy})\n")
        out.append(heading + "".join(grown))
    return "".join(out)


def _letters(number: int) -> str:
    """Entity name suffixes made of letters: B, C, …, Z, BA, BB, …"""
    digits = ""
    while True:
        number, rest = divmod(number, 26)
        digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rest] + digits
        if number == 0:
            return digits


def run_once(text: str, repo: MappingSource) -> tuple[float, int]:
    """Seconds for the whole pipeline, and the characters of the plan it wrote."""
    started = time.perf_counter()
    now = datetime.now(UTC)
    prepared = engine.prepare(PlanRequest(text=text, spec_source="spec.md"), repo, [])
    prepared = prepared.model_copy(update={"analysis": engine.decide(prepared.analysis, [], now)})
    generated = engine.generate(prepared, now, include_spec=True, original_spec_text=text)
    return time.perf_counter() - started, sum(len(content) for content in generated.files.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=ROOT / "examples" / "spec.md")
    parser.add_argument("--constitution", type=Path, default=ROOT / "examples" / "repo" / ".specify" / "memory" / "constitution.md")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args()

    text = args.spec.read_text(encoding="utf-8")
    files = {}
    if args.constitution.is_file():
        files[".specify/memory/constitution.md"] = args.constitution.read_text(encoding="utf-8")
    repo = MappingSource(files)
    run_once(text, repo)  # warm up: imports, template compilation

    print(f"spec: {args.spec.name} ({len(text):,} characters), {args.runs} runs per size")
    print(f"{'size':>6} {'characters':>12} {'median s':>10} {'per 1× s':>10} {'growth vs 1×':>13}"
          f" {'plan chars':>12} {'s per MB of plan':>17}")
    base: float | None = None
    for size in args.sizes:
        scaled = scale_spec(text, size)
        runs = [run_once(scaled, repo) for _ in range(args.runs if size < 100 else max(3, args.runs // 2))]
        median = statistics.median(seconds for seconds, _ in runs)
        written = runs[0][1]
        base = base if base is not None else median / size
        growth = median / (base * size) if base else float("nan")
        print(f"{size:>5}× {len(scaled):>12,} {median:>10.3f} {median / size:>10.4f} {growth:>12.2f}×"
              f" {written:>12,} {median / (written / 1e6):>17.3f}")
    print("growth vs 1× is the median divided by (1× median × size): 1.00 or less means linear or better")
    print("s per MB of plan is the time per million characters written: flat means linear in the plan's size")


if __name__ == "__main__":
    main()
