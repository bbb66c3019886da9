"""Smartsheet → warehouse: the Fivetran Connector SDK entry points.

Like Fivetran's template connector, each step is one call:
- validate the configuration (`sheetsync.config`), refusing bad settings before any data moves;
- `schema()`: fetch → frame → transforms for every selected sheet, declaring each table with its types;
- `update()`: contracts → diff against checkpointed row hashes → upserts and deletes, a checkpoint after each sheet.
The pipeline itself lives in `sheetsync/`, `transforms/` and `schemas/`; see ARCHITECTURE.md.
"""

from fivetran_connector_sdk import Connector

from sheetsync import setup
from sheetsync.emit import SdkEmitter
from sheetsync.sync import declare_tables, run


def schema(configuration: dict) -> list[dict]:
    """Every table this sync writes, with its primary key and the type of every column."""
    return declare_tables(configuration)


def update(configuration: dict, state: dict) -> None:
    """Emits what changed in the selected sheets since `state`."""
    run(configuration, state, SdkEmitter())


connector = Connector(update=update, schema=schema, configuration_form=setup.configuration_form)

if __name__ == "__main__":
    connector.debug()
