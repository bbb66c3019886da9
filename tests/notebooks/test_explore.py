"""sheetsync.explore, the functions behind the notebooks, against real HTTP on an in-process sandbox."""

from __future__ import annotations

import json
from collections import Counter

import polars as pl
import pytest
from matplotlib.figure import Figure

from sheetsync import explore
from sheetsync.explore import ExploreError


@pytest.fixture
def source():
    with explore.sandbox_source() as source:
        yield source


def store(source):
    return source.server.store


def test_sheet_overview_matches_the_account(source):
    overview = explore.sheet_overview(source)
    s = store(source)
    assert sorted(overview["sheet_id"].to_list()) == sorted(s.sheet_ids())
    for row in overview.iter_rows(named=True):
        sheet = s.sheet(row["sheet_id"])
        assert (row["name"], row["rows"], row["columns"], row["version"]) == (
            sheet["name"],
            len(sheet["rows"]),
            len(sheet["columns"]),
            sheet["version"],
        )
    assert overview.schema["modified_at"] == pl.Datetime("us", "UTC")


def test_a_sheet_gone_between_listing_and_read_keeps_the_overview(source):
    s = store(source)
    gone = s.sheet_id("Audit Log")
    source.server.faults.add(rf"^/sheets/{gone}$", "error", code=1006, count=None)
    overview = explore.sheet_overview(source).filter(pl.col("sheet_id") == gone)
    assert overview.select("name", "rows", "columns", "version").row(0) == ("Audit Log", None, None, s.version(gone))


def test_find_sheet_by_id_name_or_size(source):
    s = store(source)
    assert explore.find_sheet(source, "Inventory") == s.sheet_id("Inventory")
    assert explore.find_sheet(source, str(s.sheet_id("Audit Log"))) == s.sheet_id("Audit Log")
    assert explore.find_sheet(source, None) == s.sheet_id("Project Plan")  # the most rows
    with pytest.raises(ExploreError, match=r"2 sheets are called 'Weekly Report': set sheet to one of the ids"):
        explore.find_sheet(source, "Weekly Report")
    with pytest.raises(ExploreError, match=r"no sheet called 'Nope' in sandbox at .*; sheets: Audit Log, Empty"):
        explore.find_sheet(source, "Nope")


def test_a_wrong_sheet_id_is_one_clear_line(source):
    with pytest.raises(ExploreError) as raised:
        explore.explore_sheet(source, 123)
    message = str(raised.value)
    assert message.startswith("sheet 123 is not readable with this token (HTTP 404")
    assert "\n" not in message and source.configuration["smartsheet_api_token"] not in message


def test_a_refused_token_names_the_setting(source):
    source.configuration["smartsheet_api_token"] = "wrong-token"
    with pytest.raises(ExploreError, match=r"^the token was refused \(HTTP 401, errorCode 100[12]\): check"):
        explore.sheet_overview(source)


def test_live_source_needs_a_token_from_the_environment():
    with pytest.raises(ExploreError, match=r"^no Smartsheet token: set the environment variable SMARTSHEET_ACCESS"):
        explore.open_source("live", environ={})
    with pytest.raises(ExploreError, match=r"region must be one of"):
        explore.live_source("mars", environ={"SMARTSHEET_ACCESS_TOKEN": "t"})
    live = explore.live_source("eu", environ={"SMARTSHEET_ACCESS_TOKEN": " abc "})  # no request is sent
    assert live.settings.base_url == "https://api.smartsheet.eu/2.0"
    assert "abc" not in repr(live)


def test_an_unreachable_source_says_so(source):
    source.server.stop()
    source.server = None
    source.configuration["max_retries"] = "0"
    with pytest.raises(ExploreError, match=r"^the Smartsheet API does not answer \(network failure"):
        explore.sheet_overview(source)


def test_unknown_source_kind():
    with pytest.raises(ExploreError, match=r"source must be one of sandbox, live, export, configuration"):
        explore.open_source("ftp")


def test_profile_of_a_sheet_with_numbers_and_dates_in_text(source):
    s = store(source)
    sheet_id = s.create_sheet("Shapes", ["Name", "Amount", "When", {"title": "Flag", "type": "CHECKBOX"}])
    values = [
        {"Name": "a", "Amount": "$1,200", "When": "03/15/2025", "Flag": True},
        {"Name": "b", "Amount": "15%", "When": "2025-03-16"},
        {"Name": "c", "Amount": "(300)", "When": "someday"},
        {"Name": "d", "Amount": "n/a", "When": "2025-03-17"},
        {"Name": "e"},
    ]
    for row in values:
        s.add_row(sheet_id, row)
    profile = explore.column_profile(explore.explore_sheet(source, "Shapes"))
    by_name = {r["column_name"]: r for r in profile.iter_rows(named=True)}
    assert by_name["amount"]["smartsheet_type"] == "TEXT_NUMBER"
    assert by_name["amount"]["destination_type"] == "STRING"
    assert by_name["amount"]["fill_rate"] == pytest.approx(4 / 5)
    assert by_name["amount"]["numeric_share"] == pytest.approx(3 / 4)
    assert by_name["amount"]["inferred"] == "mostly numbers (75%)"
    assert by_name["when"]["date_share"] == pytest.approx(3 / 4)
    assert by_name["when"]["inferred"] == "mostly dates (75%)"
    assert by_name["name"]["distinct"] == 5 and by_name["name"]["inferred"] == "STRING"
    assert by_name["flag"]["destination_type"] == "BOOLEAN" and by_name["flag"]["fill_rate"] == pytest.approx(1 / 5)


def test_profile_of_the_sample_inventory(source):
    profile = explore.column_profile(explore.explore_sheet(source, "Inventory"))
    by_name = {r["column_name"]: r for r in profile.iter_rows(named=True)}
    assert by_name["serial"]["inferred"] == "numbers in text"  # integers beyond 2^53 stay text
    assert by_name["units_per_box"]["inferred"] == "mostly numbers (75%)"  # '#DIVIDE BY ZERO' twice
    assert by_name["quantity"]["destination_type"] == "DOUBLE"
    assert by_name["owner"]["top_values"].startswith("Ada Lovelace (2), Grace Hopper (2)")  # as displayed


def _depths_from_json(sheet: dict) -> Counter:
    parents = {row["id"]: row.get("parentId") for row in sheet["rows"]}

    def depth(row_id: int) -> int:
        return 0 if parents[row_id] is None else 1 + depth(parents[row_id])

    return Counter(depth(r) for r in parents)


def test_hierarchy_depths_follow_parent_ids(source):
    explored = explore.explore_sheet(source, "Project Plan")
    depths = explore.hierarchy_depths(explored.frame)
    assert Counter(depths["depth"].to_list()) == _depths_from_json(explored.sheet)
    assert depths["depth"].max() == 3
    assert depths["row_id"].to_list() == explored.frame["row_id"].to_list()


def test_hierarchy_depths_stop_on_a_cycle():
    frame = pl.DataFrame({"row_id": [1, 2, 3], "parent_id": [2, 1, None]})
    assert explore.hierarchy_depths(frame)["depth"].to_list() == [3, 3, 0]


def test_contract_result_lists_the_failing_rows(source):
    explored = explore.explore_sheet(source, "Project Plan")
    result = explore.contract_result(explored)
    assert result.line == "3 violation(s), policy warn: 3 failing row(s)"
    assert set(result.violations["value"]) == {"TBD"}
    assert sorted(result.failing_rows["row_id"]) == sorted(result.violations["row_id"])
    assert result.failing_rows["finish"].null_count() == 3  # landed as null, kept raw in _invalid_values
    failed = explore.contract_result(explored, policy="fail")
    assert failed.validation.failed and failed.line.endswith("kept from the warehouse")


def test_suggested_declarations(source):
    explored = explore.explore_sheet(source, "Inventory")
    suggestion = explore.suggested_declarations(explored)
    assert f"id = {explored.sheet['id']}" in suggestion.declaration
    assert "[columns.serial]" in suggestion.declaration  # numbers kept as text: the scaffold suggests parsing them
    assert f"id = {explored.sheet['id']}" in suggestion.contract


def test_plots_are_named_figures_of_the_data(source):
    explored = explore.explore_sheet(source, "Inventory")
    profile = explore.column_profile(explored)
    fill = explore.plot_fill_rate(profile)
    assert isinstance(fill, Figure) and fill.get_label() == "fill_rate"
    heights = [bar.get_width() for bar in fill.axes[0].patches][::-1]
    assert heights == pytest.approx(profile["fill_rate"].to_list())

    numeric = explore.plot_numeric_distributions(explored)
    assert numeric.get_label() == "numeric_distributions"
    assert [ax.get_title() for ax in numeric.axes if ax.get_title()] == ["quantity", "unit_price", "serial (parsed)"]

    dates = explore.plot_date_distributions(explored)
    assert [ax.get_title() for ax in dates.axes if ax.get_title()] == ["created_at", "modified_at", "received"]

    plan = explore.explore_sheet(source, "Project Plan")
    hierarchy = explore.plot_hierarchy(explore.hierarchy_depths(plan.frame))
    bars = {int(b.get_x() + b.get_width() / 2 + 0.5): b.get_height() for b in hierarchy.axes[0].patches}
    assert bars == dict(_depths_from_json(plan.sheet))


def test_an_empty_sheet_still_plots(source):
    explored = explore.explore_sheet(source, "Empty Sheet")
    profile = explore.column_profile(explored)
    assert profile["fill_rate"].to_list() == [0.0, 0.0]
    for fig in (explore.plot_fill_rate(profile), explore.plot_numeric_distributions(explored)):
        assert isinstance(fig, Figure)
    assert explore.hierarchy_depths(explored.frame).height == 0


def test_export_round_trip(source, tmp_path):
    explore.write_export(source, tmp_path / "all")
    explore.write_export(source, tmp_path / "one", ["Inventory"])
    assert len(list((tmp_path / "all").glob("*.json"))) == len(store(source).sheet_ids())
    with explore.open_source("export", export_path=tmp_path / "one") as exported:
        assert exported.kind == "export"
        overview = explore.sheet_overview(exported)
        assert overview.select("name", "rows").rows() == [("Inventory", 8)]
        again = explore.explore_sheet(exported, None)
        original = explore.explore_sheet(source, "Inventory")
        assert again.frame.equals(original.frame)


def test_read_export_shapes(source, tmp_path):
    sheet = json.loads(
        next(iter(explore.write_export(source, tmp_path / "x", ["Team Roster"]).glob("*.json"))).read_text()
    )
    (tmp_path / "wrapped.json").write_text(json.dumps({"sheets": [sheet]}))
    (tmp_path / "listed.json").write_text(json.dumps([sheet, {"not": "a sheet"}]))
    assert [s["name"] for s in explore.read_export(tmp_path / "wrapped.json")] == ["Team Roster"]
    assert [s["name"] for s in explore.read_export(tmp_path / "listed.json")] == ["Team Roster"]
    with pytest.raises(ExploreError, match=r"does not exist"):
        explore.read_export(tmp_path / "missing")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ExploreError, match=r"bad.json is not readable JSON"):
        explore.read_export(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text("{}")
    with pytest.raises(ExploreError, match=r"holds no sheet JSON"):
        explore.read_export(tmp_path / "other.json")


def test_preview_first_then_nothing_then_only_the_change(source):
    first = explore.preview_next_sync(source.configuration, {})
    rows = {r["name"]: r for r in first.sheets.iter_rows(named=True) if r["name"] != "Weekly Report"}
    assert {r["action"] for r in rows.values()} == {"sync"}
    assert rows["Project Plan"]["upserts"] == 17 and rows["Inventory"]["violations"] == 1
    assert first.failure is None and first.emitter.state is not None

    again = explore.preview_next_sync(source.configuration, first.emitter.state)
    assert set(again.sheets["action"]) == {"skip (version unchanged)"}
    assert again.sheets["upserts"].sum() == 0
    assert again.sheets["version_before"].to_list() == again.sheets["version_now"].to_list()

    s = store(source)
    inventory = s.sheet_id("Inventory")
    ids = s.row_ids(inventory)
    s.delete_row(inventory, ids[-1])
    s.edit_cell(inventory, ids[0], "Item", "Widget")
    changed = explore.preview_next_sync(source.configuration, first.emitter.state)
    row = changed.sheets.filter(pl.col("name") == "Inventory").row(0, named=True)
    assert (row["action"], row["upserts"], row["deletes"]) == ("sync", 1, 1)
    assert row["version_now"] > row["version_before"]
    assert (changed.sheets["action"] == "sync").sum() == 1


def test_preview_shows_a_failing_sync_instead_of_raising(source):
    s = store(source)
    preview = explore.preview_next_sync({**source.configuration, "violation_policy": "fail"}, {})
    assert "violates its contract" in preview.failure
    failed = preview.sheets.filter(pl.col("action") == "fail (contract)")["sheet_id"].to_list()
    assert sorted(failed) == sorted([s.sheet_id("Inventory"), s.sheet_id("Project Plan")])
    assert preview.sheets.filter(pl.col("action") == "fail (contract)")["upserts"].sum() == 0
    fig = explore.plot_preview(preview)
    assert fig.get_label() == "next_sync"


def test_preview_of_a_corrupt_state_resyncs_everything(source):
    preview = explore.preview_next_sync(source.configuration, {"format_version": 99})
    assert set(preview.sheets["action"]) == {"sync"}
    assert any("re-syncing every sheet in full" in w for w in preview.warnings)


def test_load_state_and_configuration(tmp_path, monkeypatch):
    monkeypatch.setattr(explore, "DEMO_STATE", tmp_path / "files" / "state.json")
    assert explore.load_state(None) == {}
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "state.json").write_text(
        json.dumps({"format_version": 1, "sheets": {}, "keyed": {}, "violations": {}})
    )
    assert explore.load_state(None)["format_version"] == 1
    with pytest.raises(ExploreError, match=r"state file '.*nope.json' does not exist"):
        explore.load_state(tmp_path / "nope.json")
    (tmp_path / "bad.json").write_text(json.dumps({"format_version": 7}))
    with pytest.raises(
        ExploreError, match=r"cannot be used \(unknown state format_version 7.*re-sync every sheet in full$"
    ):
        explore.load_state(tmp_path / "bad.json")
    with pytest.raises(ExploreError, match=r"configuration file '.*missing.json' cannot be read"):
        explore.load_configuration(tmp_path / "missing.json")
    with pytest.raises(ExploreError, match=r"source 'configuration' needs configuration_path"):
        explore.open_source("configuration")


def test_preview_of_a_configuration_without_a_token(monkeypatch):
    monkeypatch.delenv("SMARTSHEET_ACCESS_TOKEN", raising=False)
    with pytest.raises(ExploreError, match=r"'smartsheet_api_token': is required .*SMARTSHEET_ACCESS_TOKEN"):
        explore.preview_next_sync({"base_url": "http://127.0.0.1:9/2.0"}, {})
