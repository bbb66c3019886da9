import json
import random

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetsync.state import FORMAT_VERSION, RowHashes, SheetState, StateError, decode, encode, stored_hashes

IDS = st.lists(st.integers(min_value=1, max_value=2**62), unique=True, max_size=200)


def sheet_state(ids, hashes, **extra):
    rows = RowHashes(pl.Series(ids, dtype=pl.Int64), pl.Series(hashes, dtype=pl.UInt64))
    fields = {"table": "plan", "version": 3, "fingerprint": "ab" * 8, "verified_at": None, **extra}
    return SheetState(**fields, rows=rows)


@given(IDS, st.data())
def test_round_trip(ids, data):
    hashes = data.draw(st.lists(st.integers(0, 2**48 - 1), min_size=len(ids), max_size=len(ids)))
    original = {7: sheet_state(ids, hashes, verified_at="2026-01-01T00:00:00Z")}
    decoded = decode(json.loads(json.dumps(encode(original))))
    got = decoded[7]
    assert (got.table, got.version, got.fingerprint, got.verified_at) == ("plan", 3, "ab" * 8, "2026-01-01T00:00:00Z")
    expected = sorted(zip(ids, hashes, strict=True))
    assert list(zip(got.rows.ids.to_list(), got.rows.hashes.to_list(), strict=True)) == expected


def test_20000_random_rows_take_at_most_16_bytes_each():
    rng = random.Random(5)
    ids = rng.sample(range(2**51, 2**52), 20_000)
    hashes = stored_hashes(pl.Series([rng.getrandbits(64) for _ in ids], dtype=pl.UInt64)).to_list()
    text = json.dumps(encode({1234567890123456: sheet_state(ids, hashes)}))
    per_row = len(text) / 20_000
    assert per_row <= 16, per_row
    assert len(text) <= 320_000


def test_empty_and_absent_state_mean_no_sheets():
    assert decode(None) == {} and decode({}) == {}
    assert decode(encode({})) == {}


@pytest.mark.parametrize(
    "mutate",
    [
        lambda s: s.update(format_version=99),
        lambda s: s.pop("format_version"),
        lambda s: s["sheets"]["7"].update(rows=s["sheets"]["7"]["rows"][:-3] + "zzz"),
        lambda s: s["sheets"]["7"].update(rows='not base85 " \\'),
        lambda s: s["sheets"]["7"].update(rows=""),
        lambda s: s["sheets"]["7"].pop("table"),
        lambda s: s["sheets"]["7"].update(version="3"),
        lambda s: s["sheets"].update({"x": s["sheets"]["7"]}),
        lambda s: s.update(sheets=[]),
    ],
)
def test_corrupt_or_unknown_state_is_rejected(mutate):
    state = encode({7: sheet_state([1, 5, 9], [1, 2, 3])})
    mutate(state)
    with pytest.raises(StateError):
        decode(state)


def test_format_version_is_recorded():
    assert encode({})["format_version"] == FORMAT_VERSION
