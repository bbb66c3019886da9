"""Which sheets a sync covers, and where each sits in the workspace/folder tree.

Selection, in order: the listed `sheet_ids` (or every sheet the token can read), narrowed to those under
`workspace_ids` (folders included, at any depth), minus `exclude_sheet_ids`. A sheet listed by id but missing from the
listing is still selected: the fetch then says clearly whether it is gone or unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sheetsync import logs
from sheetsync.api import ApiError, SmartsheetClient
from sheetsync.config import Settings
from sheetsync.fetch import list_sheets, token_pages


@dataclass(frozen=True)
class SheetRef:
    """A sheet as the listing shows it: enough to decide whether it changed without fetching it."""

    id: int
    name: str
    version: int | None = None
    permalink: str | None = None
    created_at: str | None = None
    modified_at: str | None = None


@dataclass
class Tree:
    """Workspaces, folders and each sheet's place: `sheet_places[sheet_id] = (workspace_id, folder_id)`."""

    workspaces: list[dict] = field(default_factory=list)
    folders: list[dict] = field(default_factory=list)
    sheet_places: dict[int, tuple[int, int | None]] = field(default_factory=dict)


def walk_tree(client: SmartsheetClient, workspace_ids: tuple[int, ...] = ()) -> Tree:
    """Every workspace (or only `workspace_ids`) and, recursively, its folders and sheets."""
    tree = Tree()
    workspaces = list(token_pages(client, "/workspaces"))
    if workspace_ids:
        workspaces = [w for w in workspaces if int(w["id"]) in workspace_ids]
        missing = sorted(set(workspace_ids) - {int(w["id"]) for w in workspaces})
        if missing:
            logs.warning(f"workspace_ids: {', '.join(map(str, missing))} not among the workspaces this token can read")
    for workspace in workspaces:
        wid = int(workspace["id"])
        tree.workspaces.append({"id": wid, "name": workspace.get("name"), "permalink": workspace.get("permalink")})
        _walk_children(client, f"/workspaces/{wid}/children", wid, None, tree)
    return tree


def _walk_children(client: SmartsheetClient, path: str, workspace_id: int, folder_id: int | None, tree: Tree) -> None:
    for child in token_pages(client, path):
        kind = child.get("resourceType")
        if kind == "folder":
            fid = int(child["id"])
            tree.folders.append(
                {"id": fid, "name": child.get("name"), "workspace_id": workspace_id, "parent_folder_id": folder_id}
            )
            _walk_children(client, f"/folders/{fid}/children", workspace_id, fid, tree)
        elif kind == "sheet":
            tree.sheet_places[int(child["id"])] = (workspace_id, folder_id)


def select_sheets(client: SmartsheetClient, settings: Settings, tree: Tree | None) -> list[SheetRef]:
    """The sheets this sync covers, each with the version the listing reports."""
    listed = {int(s["id"]): _ref(s) for s in list_sheets(client)}
    if settings.sheet_ids:
        chosen = [listed.get(sid, SheetRef(id=sid, name=str(sid))) for sid in settings.sheet_ids]
    else:
        chosen = list(listed.values())
    if settings.workspace_ids:
        if tree is None:
            raise ValueError("workspace_ids needs the workspace tree")
        chosen = [s for s in chosen if s.id in tree.sheet_places]
    return [s for s in chosen if s.id not in settings.exclude_sheet_ids]


def check_readable(client: SmartsheetClient, settings: Settings) -> list[str]:
    """Problems with the listed sheets and workspaces, one message each (empty when all are readable)."""
    problems = []
    for kind, ids in (("sheet", settings.sheet_ids), ("workspace", settings.workspace_ids)):
        for rid in ids:
            try:
                client.get(f"/sheets/{rid}/version" if kind == "sheet" else f"/workspaces/{rid}/children")
            except ApiError as error:
                problems.append(f"{kind} {rid} is not readable with this token (HTTP {error.status}: {error.message})")
    return problems


def _ref(item: dict) -> SheetRef:
    return SheetRef(
        id=int(item["id"]),
        name=str(item.get("name") or item["id"]),
        version=item.get("version"),
        permalink=item.get("permalink"),
        created_at=item.get("createdAt"),
        modified_at=item.get("modifiedAt"),
    )
