"""JSON files and the decision log."""

from __future__ import annotations

import json


def _log(plan) -> list[dict]:
    return json.loads(plan.text(plan.log))


def _write_log(plan, entries: list[dict]) -> None:
    plan.write(plan.log, json.dumps(entries, indent=2) + "\n")


def test_bad_json_log_is_reported_at_its_line(plan):
    plan.replace(plan.log, '"provisional": true', '"provisional": true,')
    line = plan.line_of(plan.log, '"provisional": true,') + 1
    found = plan.found("json-invalid")
    assert found == [(plan.log, line)]
    assert plan.found("log-format") == []


def test_log_must_be_a_list(plan):
    _write_log(plan, _log(plan)[0])
    assert plan.found("log-format") == [(plan.log, 1)]


def test_log_entry_without_branch_is_an_error(plan):
    entries = _log(plan)
    del entries[0]["branch"]
    _write_log(plan, entries)
    assert plan.found("log-format") == [(plan.log, 2)]


def test_logged_decision_without_timestamp_is_an_error(plan):
    entries = _log(plan)
    del entries[0]["decisions"][1]["timestamp"]
    _write_log(plan, entries)
    line = plan.line_of(plan.log, '"id": "TD002"') - 1
    assert plan.found("log-format") == [(plan.log, line)]


def test_log_provisional_flag_must_match_decisions(plan):
    plan.replace(plan.log, '"provisional": true', '"provisional": false')
    line = plan.line_of(plan.log, '"id": "TD002"')
    assert plan.found("log-provisional-mismatch") == [(plan.log, line)]


def test_settled_decision_missing_from_the_branch_entry_is_an_error(plan):
    entries = _log(plan)
    entries[0]["decisions"] = entries[0]["decisions"][:2]
    _write_log(plan, entries)
    found = [f for f in plan.validate() if f.code == "log-missing-decision"]
    assert [(f.path, f.line) for f in found] == [(plan.log, 2)]
    assert "TD003" in found[0].message


def test_logged_option_must_match_the_final_decision(plan):
    plan.replace(plan.log, '"decision": "Option A: Random single-use token stored hashed"', '"decision": "Option B: Signed stateless token"')
    line = plan.line_of(plan.log, '"id": "TD003"')
    assert plan.found("log-decision-mismatch") == [(plan.log, line)]


def test_logged_category_must_match(plan):
    plan.replace(plan.log, '"category": "Security"', '"category": "Data"')
    line = plan.line_of(plan.log, '"id": "TD003"')
    assert plan.found("log-category-mismatch") == [(plan.log, line)]


def test_entries_of_other_branches_are_not_compared(plan):
    entries = _log(plan)
    other = json.loads(json.dumps(entries[0]))
    other["branch"] = "000-accounts"
    other["feature"] = "Accounts"
    other["decisions"][0]["provisional"] = True
    _write_log(plan, [other, *entries])
    assert plan.validate() == []


def test_newest_entry_for_the_branch_is_the_one_compared(plan):
    entries = _log(plan)
    stale = json.loads(json.dumps(entries[0]))
    stale["decisions"][1]["provisional"] = False
    _write_log(plan, [stale, *entries])
    assert plan.validate() == []


def test_no_log_is_fine(plan):
    plan.delete(plan.log)
    assert plan.validate() == []


def test_branch_under_a_prefix_is_this_features_entry(plan):
    entries = _log(plan)
    entries[0]["branch"] = "feature/001-shared-reading-lists"
    entries[0]["decisions"][1]["provisional"] = False
    _write_log(plan, entries)
    assert plan.found("log-provisional-mismatch") == [(plan.log, plan.line_of(plan.log, '"id": "TD002"'))]
