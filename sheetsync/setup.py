"""The Fivetran setup form and its setup tests (run with `fivetran configuration --test`).

Each test returns `Test.failure` with a message that names what failed (the token, or each unreadable sheet and
workspace by id) and never the token itself. Setup tests retry at most once, so a wrong host fails in seconds.
"""

from __future__ import annotations

from dataclasses import replace

from fivetran_connector_sdk import ConfigurationForm, Test, form_field

from sheetsync.api import ApiError, SmartsheetClient
from sheetsync.config import REGIONS, TOGGLES, ConfigurationError, Settings, load_settings
from sheetsync.discovery import check_readable
from sheetsync.tables import OPTIONAL_TABLES

SETUP_RETRIES = 1


def _toggle_tables(toggle: str) -> str:
    if toggle == "sync_reports":
        return "one table per report, named report_<report name>"
    return ", ".join(name for name, (setting, _) in OPTIONAL_TABLES.items() if setting == toggle)


def configuration_form() -> ConfigurationForm:
    form = ConfigurationForm()
    form.add_field(
        form_field.TextField(
            "smartsheet_api_token",
            "API access token",
            form_field.TextField.password,
            required=True,
            description="Smartsheet → Account → Personal Settings → API Access. Read access is enough.",
        )
    )
    form.add_field(
        form_field.DropdownField(
            "region",
            "Region",
            fields=[form_field.DropdownFieldParam(value=r, label=r.upper()) for r in REGIONS],
            description="The Smartsheet region your account lives in (US when empty); its tokens work only there.",
        )
    )
    form.add_field(
        form_field.TextField(
            "sheet_ids", "Sheet ids", description="Comma-separated; empty: every sheet the token can read."
        )
    )
    form.add_field(
        form_field.TextField(
            "workspace_ids",
            "Workspace ids",
            description="Comma-separated; only sheets anywhere under these workspaces, folders included.",
        )
    )
    form.add_field(form_field.TextField("exclude_sheet_ids", "Sheet ids to leave out", description="Comma-separated."))
    for name, what in TOGGLES.items():
        form.add_field(
            form_field.ToggleField(
                name,
                f"Sync {what.replace('_', ' ')}",
                description=f"On unless turned off. Tables: {_toggle_tables(name)}.",
            )
        )
    form.add_test(label="The token is valid", func=token_is_valid)
    form.add_test(label="Every listed sheet and workspace is readable", func=listed_resources_are_readable)
    return form


def _setup_client(configuration: dict) -> tuple[Settings, SmartsheetClient]:
    settings = load_settings(configuration)
    settings = replace(settings, max_retries=min(settings.max_retries, SETUP_RETRIES))
    return settings, SmartsheetClient(settings)


def token_is_valid(configuration: dict):
    """`GET /users/me`: the cheapest call that proves the token and the region (or base_url) belong together."""
    try:
        settings, client = _setup_client(configuration)
        me = client.get("/users/me")
    except ConfigurationError as error:
        return Test.failure(str(error))
    except ApiError as error:
        if error.is_auth:
            return Test.failure(
                f"Smartsheet rejected the API token (HTTP {error.status}, errorCode {error.error_code}: "
                f"{error.message}). Check the token, and that the region matches the account's."
            )
        return Test.failure(f"Smartsheet could not be reached at {settings.base_url}: {error.message}")
    return Test.success() if me.get("id") else Test.failure("GET /users/me did not return a user")


def listed_resources_are_readable(configuration: dict):
    """Each id in `sheet_ids` and `workspace_ids` is readable; the failure names every one that is not."""
    try:
        settings, client = _setup_client(configuration)
        problems = check_readable(client, settings)
    except (ConfigurationError, ApiError) as error:
        return Test.failure(str(error))
    return Test.failure("; ".join(problems)) if problems else Test.success()
