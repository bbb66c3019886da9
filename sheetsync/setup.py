"""The Fivetran setup form and its setup tests (run with `fivetran configuration --test`)."""

from __future__ import annotations

from fivetran_connector_sdk import ConfigurationForm, Test, form_field

from sheetsync.api import ApiError, SmartsheetClient
from sheetsync.config import REGIONS, TOGGLES, ConfigurationError, load_settings
from sheetsync.discovery import check_readable


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
            description="The Smartsheet region your account lives in; its tokens work only there.",
        )
    )
    form.add_field(form_field.TextField("sheet_ids", "Sheet ids", description="Comma-separated; empty: every sheet."))
    form.add_field(
        form_field.TextField("workspace_ids", "Workspace ids", description="Only sheets under these workspaces.")
    )
    form.add_field(form_field.TextField("exclude_sheet_ids", "Sheet ids to leave out"))
    for name, what in TOGGLES.items():
        form.add_field(form_field.ToggleField(name, f"Sync {what}"))
    form.add_test(label="The token is valid", func=token_is_valid)
    form.add_test(label="Every listed sheet and workspace is readable", func=listed_resources_are_readable)
    return form


def token_is_valid(configuration: dict):
    try:
        client = SmartsheetClient(load_settings(configuration))
        me = client.get("/users/me")
    except ConfigurationError as error:
        return Test.failure(str(error))
    except ApiError as error:
        if error.is_auth:
            return Test.failure(
                f"Smartsheet rejected the API token (HTTP {error.status}, errorCode {error.error_code})"
            )
        return Test.failure(f"Smartsheet could not be reached: {error.message}")
    return Test.success() if me.get("id") else Test.failure("GET /users/me did not return a user")


def listed_resources_are_readable(configuration: dict):
    try:
        settings = load_settings(configuration)
        problems = check_readable(SmartsheetClient(settings), settings)
    except (ConfigurationError, ApiError) as error:
        return Test.failure(str(error))
    return Test.failure("; ".join(problems)) if problems else Test.success()
