"""The fixed tables every sync may write, declared as data: name → primary key and column types.

Sheet tables are declared per sheet from their transforms (see `sheetsync.plan`); these are the same for every account.
Names are already in the destination's snake_case, so Fivetran and source naming give the same tables.
"""

from __future__ import annotations

UTC = "UTC_DATETIME"

METADATA_TABLES: dict[str, dict] = {
    "sheets": {
        "primary_key": ["sheet_id"],
        "columns": {
            "sheet_id": "LONG",
            "name": "STRING",
            "table_name": "STRING",
            "version": "LONG",
            "total_row_count": "LONG",
            "permalink": "STRING",
            "workspace_id": "LONG",
            "folder_id": "LONG",
            "access_level": "STRING",
            "created_at": UTC,
            "modified_at": UTC,
            "status": "STRING",
            "status_message": "STRING",
        },
    },
    "columns": {
        "primary_key": ["sheet_id", "column_id"],
        "columns": {
            "sheet_id": "LONG",
            "column_id": "LONG",
            "title": "STRING",
            "column_name": "STRING",
            "type": "STRING",
            "destination_type": "STRING",
            "system_column_type": "STRING",
            "index": "LONG",
            "primary": "BOOLEAN",
            "options": "JSON",
        },
    },
    "contract_violations": {
        "primary_key": ["sheet_id", "row_id", "column_name", "check"],
        "columns": {
            "sheet_id": "LONG",
            "row_id": "LONG",
            "column_name": "STRING",
            "check": "STRING",
            "table_name": "STRING",
            "value": "STRING",
            "policy": "STRING",
            "first_seen_at": UTC,
            "last_seen_at": UTC,
            "resolved": "BOOLEAN",
        },
    },
}

# Optional tables (issue 4), each behind a configuration toggle.
OPTIONAL_TABLES: dict[str, tuple[str, dict]] = {
    "sheet_summary_fields": (
        "sync_summary_fields",
        {
            "primary_key": ["sheet_id", "field_id"],
            "columns": {
                "sheet_id": "LONG",
                "field_id": "LONG",
                "title": "STRING",
                "type": "STRING",
                "value": "JSON",
                "display_value": "STRING",
                "formula": "STRING",
                "index": "LONG",
                "modified_at": UTC,
                "modified_by": "STRING",
            },
        },
    ),
    "attachments": (
        "sync_attachments",
        {
            "primary_key": ["attachment_id"],
            "columns": {
                "attachment_id": "LONG",
                "sheet_id": "LONG",
                "parent_type": "STRING",
                "parent_id": "LONG",
                "attachment_type": "STRING",
                "mime_type": "STRING",
                "name": "STRING",
                "size_kb": "LONG",
                "created_at": UTC,
                "created_by": "STRING",
            },
        },
    ),
    "discussions": (
        "sync_discussions",
        {
            "primary_key": ["discussion_id"],
            "columns": {
                "discussion_id": "LONG",
                "sheet_id": "LONG",
                "title": "STRING",
                "parent_type": "STRING",
                "parent_id": "LONG",
                "comment_count": "LONG",
                "last_commented_at": UTC,
                "created_by": "STRING",
            },
        },
    ),
    "comments": (
        "sync_discussions",
        {
            "primary_key": ["comment_id"],
            "columns": {
                "comment_id": "LONG",
                "discussion_id": "LONG",
                "sheet_id": "LONG",
                "text": "STRING",
                "created_at": UTC,
                "modified_at": UTC,
                "created_by": "STRING",
            },
        },
    ),
    "workspaces": (
        "sync_workspaces",
        {"primary_key": ["workspace_id"], "columns": {"workspace_id": "LONG", "name": "STRING", "permalink": "STRING"}},
    ),
    "folders": (
        "sync_workspaces",
        {
            "primary_key": ["folder_id"],
            "columns": {"folder_id": "LONG", "name": "STRING", "workspace_id": "LONG", "parent_folder_id": "LONG"},
        },
    ),
}


def declaration(table: str, spec: dict) -> dict:
    """One entry of `schema()`'s answer."""
    return {"table": table, "primary_key": list(spec["primary_key"]), "columns": dict(spec["columns"])}
