"""build_data_model: types, relations, state machines, policies and the store's dialect."""

from __future__ import annotations

import time

import pytest
from datamodel_factory import (
    approval_spec,
    attributes,
    cli_spec,
    context_for,
    decision,
    helpdesk_spec,
    scenario,
)

from bot.planning.datamodel import DataModel, EntityModel, build_data_model
from bot.planning.modeling.fieldtypes import infer_typing, make_field
from bot.planning.modeling.words import name_words, plural_snake, stem
from bot.planning.decisions import Category
from bot.planning.spec import Attribute, Entity, Requirement, Spec, UserStory
from bot.planning.stack import Stack


def model_of(spec: Spec, decisions=(), **kwargs) -> DataModel:
    return build_data_model(context_for(spec, **kwargs), list(decisions))


def entity(data_model: DataModel, name: str) -> EntityModel:
    found = data_model.entity(name)
    assert found is not None, f"{name} missing from {[e.name for e in data_model.entities]}"
    return found


@pytest.mark.parametrize(
    ("attribute", "values", "logical", "sql"),
    [
        ("submitted at", (), "datetime", "timestamptz"),
        ("timestamp", (), "datetime", "timestamptz"),
        ("due date", (), "date", "date"),
        ("amount", (), "money", "numeric(12,2)"),
        ("unit price", (), "money", "numeric(12,2)"),
        ("total", (), "money", "numeric(12,2)"),
        ("cost center", (), "string", "varchar(255)"),
        ("currency", (), "currency", "char(3)"),
        ("email", (), "email", "varchar(320)"),
        ("contact email address", (), "email", "varchar(320)"),
        ("retry count", (), "integer", "integer"),
        ("file size", (), "integer", "bigint"),
        ("number of seats", (), "integer", "integer"),
        ("is active", (), "boolean", "boolean"),
        ("has attachments", (), "boolean", "boolean"),
        ("website url", (), "url", "varchar(2048)"),
        ("status", ("Draft", "Sent"), "enum", "varchar(32)"),
        ("kind", ("Bug", "Feature Request"), "enum", "varchar(32)"),
        ("comment", (), "text", "text"),
        ("release notes", (), "text", "text"),
        ("extracted fields", (), "json", "jsonb"),
        ("metadata", (), "json", "jsonb"),
        ("name", (), "string", "varchar(200)"),
        ("title", (), "string", "varchar(200)"),
        ("invoice number", (), "string", "varchar(64)"),
        ("time zone", (), "string", "varchar(64)"),
        ("content type", (), "string", "varchar(127)"),
        ("country", (), "string", "char(2)"),
    ],
)
def test_type_inference(attribute: str, values: tuple[str, ...], logical: str, sql: str) -> None:
    typing = infer_typing(name_words(attribute), values)
    field = make_field("x", typing, "postgresql", enum_values=list(values))
    assert (field.type, field.sql_type) == (logical, sql)
    if values:
        assert field.enum_values == list(values)


def test_money_and_email_carry_validation_and_natural_keys_are_unique() -> None:
    assert ">= 0" in infer_typing(["amount"]).validation
    assert infer_typing(["email"]).personal
    assert infer_typing(["order", "number"]).unique
    assert not infer_typing(["phone", "number"]).unique  # a phone number is personal data, not a key
    assert infer_typing(["phone", "number"]).personal


def test_names_and_plurals() -> None:
    assert name_words("ExpenseReport") == ["expense", "report"]
    assert name_words("HTTPRequest log") == ["http", "request", "log"]
    assert plural_snake("ExportBatch") == "export_batches"
    assert plural_snake("Category") == "categories"
    assert stem("approval") == stem("approved") == stem("approve")
    assert stem("submission") == stem("submitted") == stem("submits")


def test_every_entity_gets_a_uuid_key_timestamps_and_snake_case_columns() -> None:
    data_model = model_of(approval_spec())
    for e in data_model.entities:
        key = e.fields[0]
        assert (key.name, key.type, key.primary_key) == ("id", "uuid", True)
        assert all(f.name == f.name.lower() and " " not in f.name for f in e.fields)
    report = entity(data_model, "ExpenseReport")
    assert report.table == "expense_reports"
    assert {"created_at", "updated_at", "submitted_at"} <= {f.name for f in report.fields}


def test_self_reference_from_a_role_attribute() -> None:
    data_model = model_of(approval_spec())
    manager = entity(data_model, "Employee").field("manager_id")
    assert manager is not None and manager.references == "Employee" and not manager.required
    relation = next(r for r in data_model.relations if r.field == "manager_id" and r.source == "Employee")
    assert relation.target == "Employee" and relation.cardinality == "many-to-one"
    assert any("manager_id <> id" in c for c in entity(data_model, "Employee").constraints)


def test_person_roles_and_description_cues_become_foreign_keys() -> None:
    data_model = model_of(approval_spec())
    pairs = {(r.source, r.target, r.field, r.cardinality) for r in data_model.relations}
    assert ("ExpenseReport", "Employee", "approved_by_id", "many-to-one") in pairs  # "approved by"
    assert ("ExpenseReport", "Employee", "employee_id", "many-to-one") in pairs  # "a person who submits reports"
    assert ("ExpenseLine", "ExpenseReport", "expense_report_id", "many-to-one") in pairs  # "a set of expense lines"
    assert ("Receipt", "ExpenseLine", "expense_line_id", "many-to-one") in pairs  # "attached to one expense line"
    assert ("ApprovalDecision", "ExpenseReport", "expense_report_id", "many-to-one") in pairs  # "of a report"
    assert ("ApprovalDecision", "Employee", "manager_id", "many-to-one") in pairs  # "a manager's approval"
    attached = next(r for r in data_model.relations if r.source == "Receipt")
    assert attached.composition
    assert "FOREIGN KEY (expense_line_id) REFERENCES expense_lines (id) ON DELETE CASCADE" in entity(data_model, "Receipt").constraints


def test_plural_attribute_naming_an_entity_is_many_to_many() -> None:
    data_model = model_of(approval_spec())
    relation = next(r for r in data_model.relations if r.cardinality == "many-to-many")
    assert (relation.source, relation.target) == ("ExportBatch", "ExpenseReport")
    assert relation.field is None and relation.join_table == "export_batch_expense_reports"
    assert any(m.name.endswith("create_export_batch_expense_reports") for m in data_model.migrations)


def test_an_entity_nothing_points_at_stays_standalone() -> None:
    spec = Spec(title="Notes", format="free-form", entities=[
        Entity(name="Note", description="a short text", attributes=attributes("body")),
        Entity(name="Tag", description="a label", attributes=attributes("name")),
    ])
    data_model = model_of(spec)
    assert data_model.relations == []
    assert [e.name for e in data_model.entities] == ["Note", "Tag"]


def test_state_machine_from_status_list_and_scenarios() -> None:
    report = entity(model_of(approval_spec()), "ExpenseReport")
    machine = report.state_machine
    assert machine is not None
    assert machine.states == ["Draft", "Submitted", "Approved", "Rejected", "Exported"]
    assert machine.initial == "Draft"
    edges = {(t.source, t.target): t for t in machine.transitions}
    assert set(edges) == {
        ("Draft", "Submitted"), ("Submitted", "Approved"), ("Submitted", "Rejected"),
        ("Rejected", "Submitted"), ("Approved", "Exported"),
    }
    assert machine.terminal == ["Exported"]
    assert "resubmit" in edges[("Rejected", "Submitted")].trigger
    assert "US2" in edges[("Submitted", "Rejected")].trigger
    assert "at least one line" in edges[("Draft", "Submitted")].guard
    assert [edges[k].action for k in (("Draft", "Submitted"), ("Submitted", "Approved"), ("Submitted", "Rejected"))] == [
        "submit", "approve", "reject"]
    status = report.field("status")
    assert status is not None and status.read_only
    assert "CHECK (status IN ('Draft', 'Submitted', 'Approved', 'Rejected', 'Exported'))" in report.constraints


def test_multi_word_states_take_their_action_from_the_scenario() -> None:
    ticket = entity(model_of(helpdesk_spec(), constitution=False), "Ticket")
    machine = ticket.state_machine
    assert machine is not None
    edges = {(t.source, t.target): t for t in machine.transitions}
    assert edges[("Open", "In Progress")].action == "start"
    assert edges[("In Progress", "Resolved")].action == "resolve"
    assert edges[("Resolved", "Closed")].action == "close"
    assert machine.terminal == ["Closed"]
    priority = ticket.field("priority")
    assert priority is not None and priority.type == "enum" and ticket.state_machine.field == "status"


def test_states_no_text_mentions_follow_the_list_order_and_say_so() -> None:
    spec = Spec(title="Orders", format="free-form", entities=[
        Entity(name="Order", attributes=[Attribute(name="state", values=["Placed", "Packed", "Shipped"])])])
    machine = entity(model_of(spec), "Order").state_machine
    assert machine is not None
    assert [(t.source, t.target) for t in machine.transitions] == [("Placed", "Packed"), ("Packed", "Shipped")]
    assert all("assumed" in t.trigger for t in machine.transitions)
    assert machine.terminal == ["Shipped"]


def test_indexes_constraints_and_validation() -> None:
    data_model = model_of(approval_spec())
    report = entity(data_model, "ExpenseReport")
    assert any(i.columns == ["status", "created_at"] for i in report.indexes)
    assert any(i.columns == ["employee_id"] for i in report.indexes)
    line = entity(data_model, "ExpenseLine")
    assert "CHECK (amount >= 0)" in line.constraints
    assert any("currency" in c and "[A-Z]{3}" in c for c in line.constraints)
    employee = entity(data_model, "Employee")
    email = employee.field("email")
    assert email is not None and email.personal_data
    receipt = entity(data_model, "Receipt")
    size = receipt.field("file_size")
    assert size is not None and any("20 MB" in v and "FR-002" in v for v in size.validation)
    assert f"CHECK (file_size <= {20 * 1024 * 1024})" in receipt.constraints
    content = receipt.field("content_type")
    assert content is not None and "application/pdf" in content.enum_values and "image/jpeg" in content.enum_values
    assert receipt.field("storage_key") is not None  # the bytes live in the file store


def test_business_rules_from_scenarios_and_requirements() -> None:
    report = entity(model_of(approval_spec()), "ExpenseReport")
    rules = " ".join(report.rules)
    assert "Edited or deleted only while Draft (FR-001)" in rules
    assert "Refused when a line without a receipt" in rules
    assert "Exactly once per report (FR-007)" in rules
    assert "Optimistic locking" in rules and report.field("version") is not None


def test_outcome_record_gets_the_decided_states() -> None:
    decision_record = entity(model_of(approval_spec()), "ApprovalDecision")
    assert decision_record.kind == "outcome"
    outcome = decision_record.field("outcome")
    assert outcome is not None and outcome.enum_values == ["Approved", "Rejected"]
    assert "FR-005" in decision_record.requirements
    assert [f.name for f in decision_record.fields][:4] == ["id", "outcome", "comment", "timestamp"]


def test_audit_trail_is_derived_when_required_and_absent() -> None:
    data_model = model_of(approval_spec())
    audit = entity(data_model, "StatusChange")
    assert audit.derived and audit.kind == "audit" and "Derived" in audit.description
    assert audit.requirements == ["FR-008"]
    assert {"expense_report_id", "from_status", "to_status", "actor_id", "occurred_at"} <= {f.name for f in audit.fields}
    assert audit.caching.startswith("Not cached")
    spec = helpdesk_spec()
    assert all(not e.derived for e in model_of(spec).entities)  # no audit requirement, no audit entity


def test_requirements_match_entity_names_case_and_plural_insensitively() -> None:
    data_model = model_of(approval_spec())
    assert entity(data_model, "ExpenseReport").requirements[:1] == ["FR-001"]  # "draft expense reports"
    assert "FR-003" in entity(data_model, "ExpenseLine").requirements  # "expense lines"
    assert "FR-002" in entity(data_model, "Receipt").requirements  # "receipt images"
    assert entity(data_model, "ExportBatch").requirements == ["FR-007"]  # its activity: "export"


def test_caching_personal_data_and_retention() -> None:
    data_model = model_of(approval_spec())
    assert entity(data_model, "ExpenseLine").caching.startswith("Not cached")  # money
    assert "Cache-aside" in entity(data_model, "Employee").caching
    receipt = entity(data_model, "Receipt")
    assert receipt.retention.startswith("Kept for 7 years")
    assert "FR-002" in receipt.retention
    assert receipt.personal_data  # "Receipts contain personal data"
    assert "Erasure on request (FR-012)" in receipt.privacy
    assert "Encrypted at rest (Constitution: Security Requirements)" in receipt.privacy
    assert entity(data_model, "Employee").retention != receipt.retention  # the clarification is about receipts
    assert entity(data_model, "ExpenseLine").retention.startswith("Financial record")


def test_caching_decision_is_followed_and_recorded() -> None:
    td = decision(4, "caching-strategy", "Redis cache-aside", ["redis", "cache-aside"], category=Category.PERFORMANCE)
    data_model = model_of(approval_spec(), [td])
    assert data_model.decisions["caching"] == "TD004"
    assert "per TD004" in entity(data_model, "Employee").caching
    no_cache = decision(4, "caching-strategy", "No application cache", ["no-cache"])
    assert "TD004 chose no application cache" in entity(model_of(approval_spec(), [no_cache]), "Employee").caching


def test_encryption_decision_drives_privacy_text() -> None:
    td = decision(5, "personal-data-encryption", "Field-level encryption", ["field-level-encryption"], category=Category.SECURITY)
    data_model = model_of(approval_spec(), [td])
    assert "field-level encryption (TD005)" in entity(data_model, "Employee").privacy
    assert data_model.decisions["encryption"] == "TD005"


def test_store_follows_decision_then_constitution_then_stack() -> None:
    by_constitution = model_of(helpdesk_spec())
    assert (by_constitution.store, by_constitution.dialect) == ("PostgreSQL 16", "postgresql")
    by_stack = model_of(helpdesk_spec(), constitution=False, stack=Stack(databases=["MySQL"]))
    assert by_stack.dialect == "mysql"
    ticket = entity(by_stack, "Ticket")
    assert ticket.field("id").sql_type == "char(36)" and ticket.field("created_at").sql_type == "datetime(6)"
    document = decision(2, "primary-datastore", "MongoDB", ["document-store"], category=Category.DATA)
    by_decision = model_of(helpdesk_spec(), [document])
    assert (by_decision.dialect, by_decision.store_source, by_decision.decisions["datastore"]) == ("document", "TD002", "TD002")
    ticket = entity(by_decision, "Ticket")
    assert ticket.field("created_at").sql_type == "date" and ticket.field("subject").sql_type == "string"
    assert not any(c.startswith(("CHECK", "FOREIGN KEY")) for c in ticket.constraints)
    default = model_of(helpdesk_spec(), constitution=False)
    assert (default.store, default.store_source) == ("PostgreSQL", "default")


def test_migrations_create_referenced_tables_first() -> None:
    data_model = model_of(approval_spec())
    order = [m.entities[0] for m in data_model.migrations if m.name.split("_", 1)[1].startswith("create")]
    for relation in data_model.relations:
        if relation.field and relation.source != relation.target:
            assert order.index(relation.target) < order.index(relation.source)
    assert all(m.down for m in data_model.migrations)


def test_entity_names_become_identifiers() -> None:
    spec = Spec(title="Loans", format="free-form", entities=[
        Entity(name="Library Member", description="a person who borrows books", attributes=attributes("full name")),
        Entity(name="Book", attributes=attributes("title", "isbn code")),
    ])
    data_model = model_of(spec)
    assert [e.name for e in data_model.entities] == ["LibraryMember", "Book"]
    assert any(r.source == "Book" and r.target == "LibraryMember" for r in data_model.relations)


def test_a_spec_without_entities_has_an_empty_model() -> None:
    data_model = model_of(cli_spec(), constitution=False)
    assert data_model.entities == [] and data_model.relations == [] and data_model.migrations == []


def test_unrelated_scenarios_do_not_invent_transitions() -> None:
    spec = Spec(
        title="Invoices", format="spec-kit",
        stories=[UserStory(id="US1", title="Pay", scenarios=[scenario("an unpaid invoice", "the customer pays it", "a receipt is emailed")])],
        requirements=[Requirement(id="FR-001", text="System MUST email a receipt.")],
        entities=[Entity(name="Invoice", attributes=[Attribute(name="status", values=["Unpaid", "Paid", "Void"])])],
    )
    machine = entity(model_of(spec), "Invoice").state_machine
    assert machine is not None
    assert [(t.source, t.target) for t in machine.transitions] == [("Unpaid", "Paid"), ("Paid", "Void")]


def test_build_is_fast() -> None:
    context = context_for(approval_spec())
    build_data_model(context, [])
    started = time.perf_counter()
    for _ in range(5):
        build_data_model(context, [])
    assert (time.perf_counter() - started) / 5 < 0.1
