"""Hostile input: generated sheets (titles, values, shapes) through frame → transforms → contracts → diff, and a few
through a full sync. Nothing may crash: each row lands (or is reported as a contract violation), and the row hashes
are stable, so a second diff of the same sheet sends nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox import sample_account
from sheetsync import pipeline
from tests.e2e.harness import Warehouse, run_sync
from tests.reliability.helpers import configuration, record

TYPES = [
    "TEXT_NUMBER",
    "CHECKBOX",
    "DATE",
    "DATETIME",
    "ABSTRACT_DATETIME",
    "PICKLIST",
    "CONTACT_LIST",
    "MULTI_PICKLIST",
    "MULTI_CONTACT_LIST",
    "DURATION",
    "PREDECESSOR",
    "AUTO_NUMBER",
    "NOT_A_TYPE",
    "STRING",
]
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
TITLES = st.one_of(ANY_TEXT, st.text(min_size=200, max_size=600), st.sampled_from(["", " ", "Row ID", "row_id", "_x"]))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),  # beyond 2^53 both ways
    st.floats(allow_nan=True, allow_infinity=True),
    ANY_TEXT,
    st.text(min_size=3990, max_size=4000),
    st.sampled_from(["#DIVIDE BY ZERO", "2026-02-30", "\x00\x07\x1b", "\u202eRTL", "1e400"]),
)
OBJECT_VALUES = st.one_of(
    st.none(),
    st.fixed_dictionaries({"objectType": st.sampled_from(["CONTACT", "DATE", "NEW_KIND", "MULTI_CONTACT"])}),
    st.fixed_dictionaries({"objectType": st.just("MULTI_PICKLIST"), "values": st.lists(SCALARS, max_size=3)}),
    st.fixed_dictionaries(
        {
            "objectType": st.just("MULTI_CONTACT"),
            "values": st.one_of(
                st.none(),
                st.lists(
                    st.one_of(st.none(), st.fixed_dictionaries({}, optional={"email": ANY_TEXT, "name": ANY_TEXT})),
                    max_size=3,
                ),
            ),
        }
    ),
    st.lists(SCALARS, max_size=2),
)
CELLS = st.fixed_dictionaries(
    {}, optional={"value": SCALARS, "displayValue": st.one_of(st.none(), ANY_TEXT), "objectValue": OBJECT_VALUES}
)


@st.composite
def sheets(draw):
    n_columns = draw(st.integers(1, 6))
    columns = []
    for i in range(n_columns):
        column = {"id": 100 + i, "index": i, "title": draw(TITLES), "type": draw(st.sampled_from(TYPES))}
        if i == 0:
            column["primary"] = True
        columns.append(draw(st.fixed_dictionaries({}, optional={"systemColumnType": st.just("WEIRD")})) | column)
    row_ids = draw(st.lists(st.integers(1, 2**53), min_size=0, max_size=12, unique=True))
    rows = []
    for number, row_id in enumerate(row_ids, 1):
        parent = row_ids[number - 2] if number > 1 and draw(st.booleans()) else None  # chains: deep hierarchies
        cells = [{"columnId": c["id"], **draw(CELLS)} for c in columns if draw(st.booleans())]
        row = {"id": row_id, "rowNumber": number, "cells": cells}
        row |= draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "createdAt": st.one_of(st.none(), st.just("2026-01-02T03:04:05Z"), ANY_TEXT),
                    "modifiedAt": st.just("2026-01-02T03:04:05Z"),
                    "createdBy": st.one_of(st.none(), st.fixed_dictionaries({}, optional={"email": ANY_TEXT})),
                    "modifiedBy": st.none(),
                },
            )
        )
        if parent is not None:
            row["parentId"] = parent
        rows.append(row)
    return {"id": 7001, "name": draw(TITLES) or "x", "version": 1, "columns": columns, "rows": rows}


DECLARED = pipeline.load_declared()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sheets())
def test_any_sheet_lands_or_is_reported_and_its_hashes_are_stable(sheet):
    planned = pipeline.plan_sheet(sheet, "hostile", DECLARED)
    assert planned.frame.height == len(sheet["rows"])
    assert planned.frame["row_id"].to_list() == [r["id"] for r in sheet["rows"]]
    validation = pipeline.validate(planned, "quarantine")
    for violation in validation.violations:
        assert violation.check
    held = validation.held_back(planned.frame["row_id"])
    first = pipeline.diff(planned, None, held)
    assert first.upsert.len() + len(held) == planned.frame.height
    again = pipeline.diff(pipeline.plan_sheet(sheet, "hostile", DECLARED), first.recorded, held)
    assert again.upsert.len() == 0 and again.delete.len() == 0


def _hostile_sheet(store) -> int:
    """A sheet of the awkward things, built through the sandbox's own API imitation."""
    title = "Hostile \x07 " + "T" * 240
    sid = store.create_sheet(title, [{"title": "Name\x00\x1f", "type": "TEXT_NUMBER"}, "Amount", "Notes"])
    parent = None
    for level in range(10):  # a 10-level hierarchy
        parent = store.add_row(sid, {"Name\x00\x1f": f"level {level}", "Amount": 2**53 + level}, parent_id=parent)
    store.add_row(sid, {"Name\x00\x1f": "x" * 4000, "Notes": "tab\tnew\nline\r\x0b\x0c\u2028end"})
    store.add_row(sid, {"Amount": -(2**63), "Notes": "\u202e\U0001f600 é 漢字"})
    store.add_row(sid, {"Amount": 1e308, "Notes": None})
    return sid


@pytest.mark.slow
def test_a_hostile_sheet_lands_through_a_full_sync(sandbox, tmp_path):
    sid = _hostile_sheet(sandbox.store)
    conf = configuration(sandbox, sheet_ids=str(sid))
    run_sync(tmp_path, conf)
    warehouse = Warehouse(tmp_path)
    sheet = warehouse.rows("sheets", key="sheet_id")[0]
    assert sheet["status"] == "ok"
    rows = warehouse.rows(sheet["table_name"])
    assert [r["row_id"] for r in rows] == sorted(sandbox.store.row_ids(sid))
    assert max(len(str(v)) for r in rows for v in r.values()) >= 4000
    record("hostile", "a hostile sheet through a full sync", faults=0, rows_compared=len(rows), outcome="landed")


@pytest.mark.slow
def test_a_sheet_at_the_500000_cell_limit_lands(make_sandbox, tmp_path):
    sandbox = make_sandbox(account=sample_account(large=True))
    sid = sandbox.store.sheet_id("Large Sheet")
    stored = sandbox.store.sheet(sid)
    assert len(stored["rows"]) * len(stored["columns"]) == 500_000
    conf = configuration(sandbox, sheet_ids=str(sid))
    run_sync(tmp_path, conf)
    table = Warehouse(tmp_path).rows("sheets", key="sheet_id")[0]["table_name"]
    ids = [r["row_id"] for r in Warehouse(tmp_path).rows(table)]
    assert ids == sorted(sandbox.store.row_ids(sid))
    record("hostile", "a 20,000 x 25 sheet (500,000 cells)", faults=0, rows_compared=len(ids), outcome="landed")
