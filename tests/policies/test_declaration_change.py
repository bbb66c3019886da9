"""A declaration or contract change takes effect on the next sync: the warehouse types follow it, the rows whose
values changed are re-sent, and nothing else is. Fivetran widens a column and never narrows it, so a narrowing
cast changes the values sent but leaves the column's wider type (docs/declare-your-sheet.md says what to do)."""

from __future__ import annotations


def synced_at(project, table):
    return {r["row_id"]: r["_fivetran_synced"] for r in project.warehouse.rows(table)}


def test_cast_rename_and_new_check_take_effect_on_the_next_sync(project):
    store = project.sandbox.store
    sheet, other = sorted(store.sheet_ids("Weekly Report"))
    other_table = f"weekly_report_{other}"
    project.declare(sheet, '[columns.amount]\ncast = "LONG"\n')
    project.sync(sheet, other)
    assert project.warehouse.column_types("weekly_report")["amount"] == "BIGINT"
    before, other_before = synced_at(project, "weekly_report"), synced_at(project, other_table)

    # casts and a rename: the column types follow, this sheet's rows are re-sent, the other sheet's are not
    project.declare(
        sheet,
        '[columns.amount]\ncast = "DOUBLE"\n[columns.week]\ncast = "DATETIME"\n[columns.notes]\nrename = "summary"\n',
    )
    project.sync(sheet, other)
    types = project.warehouse.column_types("weekly_report")
    assert types["amount"] == "DOUBLE" and types["week"] == "TIMESTAMP WITH TIME ZONE" and types["summary"] == "VARCHAR"
    rows = project.warehouse.rows("weekly_report")
    assert sorted(r["amount"] for r in rows if r["amount"] is not None) == [1000.0, 2000.0, 3000.0, 4000.0]
    assert all(r["summary"] is not None and r["week"].endswith("+00") for r in rows if r["amount"] is not None)
    after = synced_at(project, "weekly_report")
    assert all(after[row] != before[row] for row in before)
    assert synced_at(project, other_table) == other_before

    # a new check: recorded as a violation on the next sync, and no row is re-sent
    project.contract(sheet, '[checks]\nsmall = "amount < 2500"\n')
    project.sync(sheet, other)
    violations = project.warehouse.rows("contract_violations", key="row_id")
    assert sorted(v["check"] for v in violations if not v["resolved"]) == ["small", "small"]
    assert synced_at(project, "weekly_report") == after
    assert synced_at(project, other_table) == other_before

    # a value map changes two rows' values: only those two are re-sent
    project.declare(
        sheet,
        '[columns.amount]\ncast = "DOUBLE"\n[columns.week]\ncast = "DATETIME"\n[columns.notes]\nrename = "summary"\n'
        '[columns.region]\nmap = { "North" = "N", "South" = "S" }\n',
    )
    project.sync(sheet, other)
    latest = synced_at(project, "weekly_report")
    regions = {r["row_id"]: r["region"] for r in project.warehouse.rows("weekly_report")}
    assert {row for row in latest if latest[row] != after[row]} == {r for r, v in regions.items() if v in ("N", "S")}

    # narrowing back to LONG: the values follow, the column keeps the wider type Fivetran gave it
    project.declare(sheet, '[columns.amount]\ncast = "LONG"\n')
    project.sync(sheet, other)
    assert project.warehouse.column_types("weekly_report")["amount"] == "DOUBLE"
    assert sorted(r["amount"] for r in project.warehouse.rows("weekly_report") if r["amount"])[0] == 1000
