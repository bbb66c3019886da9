import subprocess
import sys
from datetime import date
from functools import partial
from pathlib import Path

import polars as pl

from sheetsync.diff import column_fingerprint, diff, row_hashes
from sheetsync.state import RowHashes, stored_hashes

COLUMNS = {"row_id": "LONG", "amount": "DOUBLE", "due": "NAIVE_DATE", "tags": "JSON", "note": "STRING"}


def frame(**changes):
    data = {
        "row_id": [1, 2, 3],
        "amount": [1.5, None, 3.0],
        "due": [date(2026, 1, 1), None, date(2026, 1, 3)],
        "tags": [["a"], None, []],
        "note": ["x", "", None],
    }
    return pl.DataFrame({**data, **changes})


def recorded(f, columns=COLUMNS):
    return RowHashes(f["row_id"], stored_hashes(row_hashes(f, columns)))


def run(f, previous, held_back=()):
    return diff(f["row_id"], row_hashes(f, COLUMNS), previous, held_back)


def test_first_sync_upserts_everything():
    result = run(frame(), None)
    assert result.upsert.to_list() == [1, 2, 3] and result.delete.to_list() == [] and result.unchanged == 0


def test_unchanged_edit_add_delete():
    before = recorded(frame())
    assert run(frame(), before).unchanged == 3
    edited = frame(note=["x", "", "now set"])
    assert run(edited, before).upsert.to_list() == [3]
    added = pl.concat([frame(), frame().head(1).with_columns(row_id=pl.lit(4, pl.Int64))])
    result = run(added, before)
    assert result.upsert.to_list() == [4] and result.unchanged == 3
    result = run(frame().filter(pl.col("row_id") != 2), before)
    assert result.delete.to_list() == [2] and result.upsert.to_list() == [] and result.unchanged == 2
    assert sorted(result.recorded.ids.to_list()) == [1, 3]


def test_null_empty_and_separators_are_distinct():
    f = pl.DataFrame({"row_id": [1, 2, 3, 4], "a": [None, "", "x|y", "x"], "b": ["", None, "", "|y"]})
    assert row_hashes(f, {"row_id": "LONG", "a": "STRING", "b": "STRING"}).n_unique() == 4


def test_column_rename_or_retype_changes_every_hash():
    f = frame()
    renamed = f.rename({"note": "comment"})
    renamed_columns = {("comment" if k == "note" else k): v for k, v in COLUMNS.items()}
    assert set(row_hashes(f, COLUMNS)).isdisjoint(row_hashes(renamed, renamed_columns))
    retyped = {**COLUMNS, "note": "JSON"}
    assert set(row_hashes(f, COLUMNS)).isdisjoint(row_hashes(f, retyped))
    assert column_fingerprint(COLUMNS) == column_fingerprint(dict(reversed(COLUMNS.items())))


def test_quarantined_rows_are_not_sent_nor_recorded():
    before = recorded(frame())
    changed = frame(note=["changed", "", None], row_id=[1, 2, 3])
    new_row = changed.head(1).with_columns(row_id=pl.lit(9, pl.Int64))
    result = run(pl.concat([changed, new_row]), before, held_back=[1, 9])
    assert result.upsert.to_list() == []
    kept = dict(zip(result.recorded.ids.to_list(), result.recorded.hashes.to_list(), strict=True))
    assert 9 not in kept
    assert kept[1] == dict(zip(before.ids.to_list(), before.hashes.to_list(), strict=True))[1]
    # next sync, the fixed row is different from what was recorded: it is re-checked and sent
    assert run(changed, result.recorded).upsert.to_list() == [1]


def test_hashes_are_stable_across_processes_and_versions():
    """A pinned value: if an upgrade changes it, every row of every sheet would be re-sent once (say so in the
    upgrade's notes)."""
    code = (
        "import polars as pl; from datetime import date; from sheetsync.diff import row_hashes;"
        "f = pl.DataFrame({'row_id': [1], 'd': [date(2026, 1, 1)], 'x': [2.5], 't': [['a']]});"
        "print(row_hashes(f, {'row_id': 'LONG', 'd': 'NAIVE_DATE', 'x': 'DOUBLE', 't': 'JSON'})[0])"
    )
    root = Path(__file__).resolve().parents[2]
    run_once = partial(subprocess.run, [sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert {run_once().stdout.strip() for _ in range(2)} == {"1111433169212092888"}
