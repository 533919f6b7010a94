"""Relative links between the plan's files."""

from __future__ import annotations


def test_link_to_a_missing_plan_file_is_a_warning(plan):
    plan.replace("plan.md", "[data-model.md](data-model.md)", "[data-model.md](data_model.md)")
    line = plan.line_of("plan.md", "(data_model.md)")
    found = [f for f in plan.validate() if f.code == "link-broken"]
    assert [(f.path, f.line, f.severity) for f in found] == [(plan.path("plan.md"), line, "warning")]


def test_links_outside_the_plan_anchors_and_urls_are_not_checked(plan):
    plan.write(
        "quickstart.md",
        plan.text("quickstart.md")
        + "\nSee [the constitution](../../.specify/memory/constitution.md), [tasks](tasks.md#phase-1-setup),"
        " [the site](https://example.org/x.md), [top](#quickstart) and [contracts](contracts/).\n"
        "\n[log]: ../../.specify/memory/technical-decisions-log.json\n",
    )
    assert plan.validate() == []


def test_links_in_code_are_not_checked(plan):
    plan.write("quickstart.md", plan.text("quickstart.md") + "\n`[x](missing.md)`\n\n```text\n[y](missing.md)\n```\n")
    assert plan.validate() == []


def test_reference_link_to_a_missing_file_is_a_warning(plan):
    plan.write("quickstart.md", plan.text("quickstart.md") + "\n[spec]: ./specification.md\n")
    assert plan.found("link-broken") == [(plan.path("quickstart.md"), plan.line_of("quickstart.md", "[spec]:"))]
