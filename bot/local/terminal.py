"""The terminal forum: each decision presented in turn, answered at the prompt."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from rich.console import Console, Group
from rich.markdown import Markdown
from rich.panel import Panel
from rich.prompt import Prompt
from rich.table import Table

from bot.planning.decisions import DecisionChoice, TechnicalDecision

SKIP = "skip"


def decision_panel(td: TechnicalDecision) -> Panel:
    options = Table(show_header=True, header_style="bold", expand=True, show_lines=True)
    options.add_column("", width=3)
    options.add_column("Option")
    options.add_column("Pros")
    options.add_column("Cons")
    options.add_column("Cost impact")
    for option in td.options:
        mark = f"{option.key}*" if option.key == td.recommendation else option.key
        options.add_row(
            mark,
            f"[bold]{option.title}[/]\n{option.summary}\nReversibility: {option.reversibility.value}",
            "\n".join(f"+ {p}" for p in option.pros),
            "\n".join(f"- {c}" for c in option.cons),
            option.cost_impact,
        )
    body = Group(
        Markdown(f"**Context**: {td.context}"),
        Markdown(f"**Decision required**: {td.question}"),
        options,
        Markdown(f"**Recommendation** (*): Option {td.recommendation}, {td.recommendation_reasoning}"),
        Markdown(
            f"**Impact**: {td.impact.value}. {td.impact_on_implementation}  \n"
            f"**Reversibility**: {td.reversibility.value}. **Review trigger**: {td.review_trigger}"
        ),
    )
    return Panel(body, title=f"{td.id}: {td.category.value} - {td.title}", title_align="left")


class TerminalForum:
    """Asks at the terminal. Enter takes the recommendation; `skip` leaves it provisional."""

    def __init__(self, console: Console, decided_by: str, stream: TextIO | None = None) -> None:
        self.console = console
        self.decided_by = decided_by
        self.stream = stream  # where answers are read from; the terminal when None

    def collect(self, decisions: Sequence[TechnicalDecision]) -> list[DecisionChoice]:
        choices: list[DecisionChoice] = []
        for number, td in enumerate(decisions, start=1):
            self.console.print(f"\n[bold]Decision {number} of {len(decisions)}[/]")
            self.console.print(decision_panel(td))
            keys = [o.key for o in td.options]
            answer = Prompt.ask(
                f"Choose {'/'.join(keys)}, or '{SKIP}' to leave it PROVISIONAL",
                choices=[*keys, *(k.lower() for k in keys), SKIP],
                default=td.recommendation,
                show_choices=False,
                console=self.console,
                stream=self.stream,
            )
            if answer == SKIP:
                continue
            option = answer.upper()
            rationale = Prompt.ask("Why (one line, optional)", default="", console=self.console, stream=self.stream)
            if not rationale and option == td.recommendation:
                rationale = f"Took the recommendation: {td.recommendation_reasoning}"
            choices.append(
                DecisionChoice(
                    decision_id=td.id,
                    option=option,
                    rationale=rationale or "No rationale given.",
                    decided_by=[self.decided_by],
                )
            )
        return choices
