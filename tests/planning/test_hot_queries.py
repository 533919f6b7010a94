"""Hot queries from the list operations, checked against the data model's indexes."""

from __future__ import annotations

from artifact_plan_factory import cli_plan, web_plan

from bot.planning.datamodel import Index
from bot.planning.content.hot_queries import hot_queries, is_list_operation, snake


def test_snake():
    assert snake("expenseReportId") == "expense_report_id"
    assert snake("shift-id") == "shift_id"


def test_list_operations_and_their_filters():
    queries = {q.operation.operation_id: q for q in hot_queries(web_plan())}
    assert set(queries) == {"listShiftSignups", "listShifts"}
    signups = queries["listShiftSignups"]
    assert signups.filters == ["shift_id", "status"]  # the path's parent id, then the state machine
    assert not signups.covered and signups.suggested_index == "ix_signups_shift_id_status"


def test_an_index_covering_the_filters_is_found():
    plan = web_plan()
    signup = plan.data_model.entity("Signup")
    signup.indexes.append(Index(name="ix_signups_shift_status", columns=["status", "shift_id"]))
    query = next(q for q in hot_queries(plan) if q.operation.operation_id == "listShiftSignups")
    assert query.covered_by == "ix_signups_shift_status" and query.suggested_index is None


def test_a_leading_column_is_reported_as_partial_coverage():
    plan = web_plan()
    plan.data_model.entity("Signup").indexes.append(Index(name="ix_signups_shift", columns=["shift_id"]))
    query = next(q for q in hot_queries(plan) if q.operation.operation_id == "listShiftSignups")
    assert query.covered_by == "ix_signups_shift (leading column only)"


def test_reads_by_id_and_writes_are_not_lists():
    ops = {op.operation_id: op for op in web_plan().contracts.operations}
    assert not is_list_operation(ops["confirmSignup"]) and not is_list_operation(ops["createSignup"])
    assert hot_queries(cli_plan()) == []
