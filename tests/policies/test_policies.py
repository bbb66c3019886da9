"""warn, quarantine and fail through the SDK runner against the sandbox, per sheet and from the global setting."""

from __future__ import annotations

import pytest

from tests.e2e.harness import SyncFailed

LIMIT = "[columns.amount]\nle = 2500\n"  # Weekly Report amounts are 1000, 2000, 3000, 4000 (and a blank row)


@pytest.fixture
def weekly(project):
    first, second = sorted(project.sandbox.store.sheet_ids("Weekly Report"))
    return first, second


def amounts(project, table="weekly_report"):
    return {r["row_id"]: r["amount"] for r in project.warehouse.rows(table)}


def open_violations(project):
    rows = project.warehouse.rows("contract_violations", key="row_id")
    return {(r["row_id"], r["column_name"], r["policy"]) for r in rows if not r["resolved"]}


def test_warn_lands_every_row_and_records_the_violations(project, weekly, capfd):
    sheet, _ = weekly
    project.contract(sheet, 'policy = "warn"\n' + LIMIT)
    project.sync(sheet)
    landed = amounts(project)
    assert sorted(a for a in landed.values() if a is not None) == [1000, 2000, 3000, 4000]
    over = {row for row, amount in landed.items() if amount and amount > 2500}
    assert {row for row, _, _ in open_violations(project)} == over
    assert {policy for _, _, policy in open_violations(project)} == {"warn"}
    assert "2 contract violation(s), policy warn" in capfd.readouterr().out
    assert project.synced_rows(sheet) == set(landed)


def test_quarantine_holds_rows_back_until_they_are_fixed(project, weekly):
    sheet, _ = weekly
    store = project.sandbox.store
    project.contract(sheet, 'policy = "quarantine"\n' + LIMIT)
    project.sync(sheet)
    landed = amounts(project)
    all_rows = set(store.row_ids(sheet))
    held = all_rows - set(landed)
    assert sorted(landed.values(), key=str) == [1000, 2000, None] and len(held) == 2
    assert project.synced_rows(sheet) == set(landed)  # held rows are not recorded as synced
    assert {row for row, _, _ in open_violations(project)} == held

    project.sync(sheet)  # nothing changed: still held back, still open
    assert set(amounts(project)) == set(landed) and {r for r, _, _ in open_violations(project)} == held

    fixed, still_bad = sorted(held)
    store.edit_cell(sheet, fixed, "Amount", 2400)
    good = next(row for row, amount in landed.items() if amount == 1000)
    store.edit_cell(sheet, good, "Amount", 9999)  # a landed row turns bad: the warehouse keeps its last good version
    project.sync(sheet)
    after = amounts(project)
    assert after[fixed] == 2400 and still_bad not in after
    assert after[good] == 1000
    assert project.synced_rows(sheet) == set(landed) | {fixed}
    assert {r for r, _, _ in open_violations(project)} == {still_bad, good}
    resolved = [r for r in project.warehouse.rows("contract_violations", key="row_id") if r["resolved"]]
    assert [r["row_id"] for r in resolved] == [fixed]

    store.edit_cell(sheet, good, "Amount", 1500)
    project.sync(sheet)
    assert amounts(project)[good] == 1500


def test_fail_keeps_the_sheet_out_lists_the_violations_and_emits_the_others(project, weekly):
    sheet, other = weekly
    project.contract(sheet, 'policy = "fail"\n' + LIMIT)
    project.contract(other, 'policy = "fail"\n')  # a contract that holds
    with pytest.raises(SyncFailed) as failure:
        project.sync(sheet, other)
    message = str(failure.value)
    assert f"sheet {sheet}" in message and "policy 'fail'" in message and "column amount" in message
    assert "less_than_or_equal_to(2500)" in message
    tables = project.warehouse.tables()
    other_table = f"weekly_report_{other}"
    assert project.warehouse.count(other_table) == 5
    assert "weekly_report" not in tables or project.warehouse.count("weekly_report") == 0
    assert project.synced_rows(other) == set(project.sandbox.store.row_ids(other))  # checkpointed
    assert project.synced_rows(sheet) == set()


def test_a_sheets_policy_overrides_the_global_setting(project, weekly):
    sheet, other = weekly
    project.contract(sheet, 'policy = "warn"\n' + LIMIT)
    project.contract(other, "[columns.amount]\nle = 1500\n")  # no policy: the setting decides
    project.sync(sheet, other, violation_policy="quarantine")
    assert len(amounts(project)) == 5  # warn: every row lands
    assert len(amounts(project, f"weekly_report_{other}")) == 5 - 3  # quarantine: 1001 lands, 2001.. held
    project.sandbox.store.edit_cell(other, project.sandbox.store.row_ids(other)[0], "Notes", "touched")
    with pytest.raises(SyncFailed, match=f"sheet {other}") as failure:
        project.sync(sheet, other, violation_policy="fail")  # the setting now fails the sheet without a policy
    assert f"sheet {sheet}" not in str(failure.value)
