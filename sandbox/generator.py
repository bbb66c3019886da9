"""The sample account, deterministic for a seed: every column type, every system column and the awkward data
real sheets hold (hierarchy, blanks, formula errors, hyperlinks, colliding titles, emoji/CJK/RTL, 4,000-character
cells, integers beyond 2^53, free text in typed columns, duplicate sheet names), plus reports, summary fields,
attachments and discussions. `large=True` adds a 20,000 x 25 sheet, `many=N` adds N small sheets (benchmarks).

Sheets come out in the stored shape (level 2, objectValue, everything included): see account.py.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .account import DEFAULT_USER, empty_account
from .cells import column_version, make_cell
from .store import timestamp

SEED = 20260715
BASE_TIME = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)
BIG_INTS = (9_007_199_254_740_993, 123_456_789_012_345_678)  # beyond 2^53: a double cannot hold them
USERS = (
    {"email": "ada@example.com", "name": "Ada Lovelace"},
    {"email": "grace@example.com", "name": "Grace Hopper"},
    {"email": "taro@example.jp", "name": "山田太郎"},
    {"email": "fatima@example.com", "name": "فاطمة الزهراء"},
    {"email": "noname@example.com"},
)
LARGE_SHEET = "Large Sheet"


@dataclass
class Cell:
    """A cell with more than a value: a display override, a formula, a hyperlink."""

    value: object = None
    display: str | None = None
    formula: str | None = None
    hyperlink: dict | None = None


class _Builder:
    """Deterministic ids, timestamps and permalinks; assembles sheets in the stored shape."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.clock = BASE_TIME

    def id(self) -> int:
        return 2**52 + self.rng.randrange(2**51)

    def tick(self, minutes: int = 7) -> str:
        self.clock += timedelta(minutes=minutes)
        return timestamp(self.clock)

    def permalink(self, kind: str) -> str:
        code = "".join(self.rng.choice(string.ascii_letters + string.digits) for _ in range(20))
        return f"https://app.smartsheet.com/{kind}/{code}"

    def columns(self, specs: list[dict]) -> list[dict]:
        columns = []
        for index, spec in enumerate(specs):
            column = {"id": self.id(), "index": index, "title": spec["title"], "type": spec.get("type", "TEXT_NUMBER")}
            if index == 0:
                column["primary"] = True
            column.update({k: v for k, v in spec.items() if k not in ("title", "type")})
            column.update(version=column_version(column["type"]), validation=False, width=150)
            columns.append(column)
        return columns

    def sheet(self, name: str, specs: list[dict], rows: list[list], *, depths: list[int] | None = None, **fields):
        """A sheet from positional row values (None for empty and for system columns, which fill themselves)."""
        sheet_id, created = self.id(), self.tick(60 * 24)
        columns = self.columns(specs)
        depths = depths or [0] * len(rows)
        out_rows, parents = [], {}
        for number, depth in enumerate(depths, start=1):
            row = {"id": self.id(), "sheetId": sheet_id, "rowNumber": number, "expanded": True}
            if depth:
                row["parentId"] = parents[depth - 1]
            parents[depth] = row["id"]
            out_rows.append(row)
        numbers = {row["rowNumber"]: row["id"] for row in out_rows}
        for n, (row, values) in enumerate(zip(out_rows, rows, strict=True)):
            writer, editor = USERS[n % 4], USERS[(n + 1) % 4]
            row.update(locked=False, lockedForUser=False, createdAt=self.tick(3), createdBy=dict(writer))
            row.update(modifiedAt=self.tick(2), modifiedBy=dict(editor))
            system = {
                "AUTO_NUMBER": None,
                "CREATED_BY": writer,
                "MODIFIED_BY": editor,
                "CREATED_DATE": row["createdAt"],
                "MODIFIED_DATE": row["modifiedAt"],
            }
            row["cells"] = []
            for column, value in zip(columns, values, strict=True):
                kind = column.get("systemColumnType")
                if kind == "AUTO_NUMBER":
                    fmt = column["autoNumberFormat"]
                    value = f"{fmt['prefix']}{str(fmt['startingNumber'] + n).zfill(len(fmt['fill']))}{fmt['suffix']}"
                elif kind:
                    value = system[kind]
                rich = value if isinstance(value, Cell) else Cell(value)
                row["cells"].append(
                    make_cell(
                        column,
                        rich.value,
                        display=rich.display,
                        formula=rich.formula,
                        hyperlink=rich.hyperlink,
                        row_ids_by_number=numbers,
                    )
                )
        modified = max([row["modifiedAt"] for row in out_rows], default=created)
        sheet = {
            "id": sheet_id,
            "name": name,
            "version": self.rng.randrange(1, 60),
            "totalRowCount": len(out_rows),
            "accessLevel": "OWNER",
            "permalink": self.permalink("sheets"),
            "createdAt": created,
            "modifiedAt": modified,
            "ganttEnabled": False,
            "dependenciesEnabled": False,
            "hasSummaryFields": False,
            "isMultiPicklistEnabled": True,
            "effectiveAttachmentOptions": ["FILE", "LINK", "GOOGLE_DRIVE", "ONEDRIVE"],
            "userSettings": {"criticalPathEnabled": False, "displaySummaryTasks": True},
            "columns": columns,
            "rows": out_rows,
            "attachments": [],
            "discussions": [],
            "summary": {"fields": []},
        }
        sheet.update(fields)
        return sheet

    def summary_field(self, index: int, title: str, type: str, value: object, display: str | None = None) -> dict:
        cell = make_cell({"id": 0, "type": type}, value, display=display)
        field = {"id": self.id(), "index": index, "title": title, "type": type, "locked": False}
        field.update(lockedForUser=False, createdAt=self.tick(), modifiedAt=self.tick())
        field["objectValue"] = cell["objectValue"]
        field["displayValue"] = cell.get("displayValue", str(cell.get("value")))
        return field

    def attachment(self, parent_id: int, parent_type: str, name: str, kind: str, mime: str, size: int) -> dict:
        attachment = {"id": self.id(), "parentId": parent_id, "parentType": parent_type, "attachmentType": kind}
        attachment.update(mimeType=mime, name=name, sizeInKb=size, createdAt=self.tick(), createdBy=dict(USERS[0]))
        return attachment

    def discussion(self, parent_id: int, parent_type: str, title: str, texts: list[str]) -> dict:
        discussion_id = self.id()
        comments = []
        for n, text in enumerate(texts):
            at = self.tick()
            comment = {"id": self.id(), "discussionId": discussion_id, "text": text, "createdAt": at}
            comment.update(modifiedAt=at, createdBy=dict(USERS[n % 4]))
            comments.append(comment)
        discussion = {"id": discussion_id, "title": title, "parentId": parent_id, "parentType": parent_type}
        discussion.update(accessLevel="OWNER", readOnly=False, createdBy=dict(USERS[0]))
        discussion.update(commentCount=len(comments), lastCommentedAt=comments[-1]["createdAt"], comments=comments)
        discussion["lastCommentedUser"] = dict(comments[-1]["createdBy"])
        return discussion


def _project_plan(b: _Builder) -> dict:
    specs = [
        {"title": "Task Name"},
        {"title": "Assigned To", "type": "CONTACT_LIST", "contactOptions": [dict(u) for u in USERS[:4]]},
        {"title": "Start", "type": "ABSTRACT_DATETIME"},
        {"title": "Finish", "type": "ABSTRACT_DATETIME"},
        {"title": "Duration", "type": "DURATION"},
        {"title": "Predecessors", "type": "PREDECESSOR"},
        {"title": "% Complete", "type": "TEXT_NUMBER"},
        {"title": "Status", "type": "PICKLIST", "symbol": "RYG", "options": ["Red", "Yellow", "Green"]},
        {"title": "Done", "type": "CHECKBOX"},
        {"title": "At Risk", "type": "CHECKBOX", "symbol": "FLAG"},
    ]
    rows, depths = [], []
    plan = [
        (0, "Discovery"),
        (1, "Interview stakeholders"),
        (2, "Draft questions"),
        (3, "Review with legal"),
        (2, "Run interviews"),
        (1, "Write findings"),
        (0, None),  # a blank row between phases
        (0, "Build"),
        (1, "Backend"),
        (2, "API design"),
        (3, "Rate limits"),
        (3, "Error envelope"),
        (2, "Implementation"),
        (1, "Frontend"),
        (0, "Launch"),
        (1, "Go / no-go"),
        (0, None),
    ]
    for n, (depth, task) in enumerate(plan):
        depths.append(depth)
        if task is None:
            rows.append([None] * len(specs))
            continue
        start = (BASE_TIME + timedelta(days=3 * n)).date().isoformat()
        finish = (BASE_TIME + timedelta(days=3 * n + 4)).date().isoformat() + "T17:00:00"
        predecessor = f"{n}FS +1d 4h" if n % 3 == 2 else (f"{n - 1}SS, {n}FF" if n % 5 == 4 else None)
        rows.append(
            [
                task,
                dict(USERS[n % 5]) if n % 6 else "the whole team",  # free text in a CONTACT_LIST
                start,
                finish if n % 7 else "TBD",  # free text in a project date column
                ["4d 6h 30m", "2w", "e3d", "-1d", "45m"][n % 5],
                predecessor,
                [0, 0.25, 0.5, 1][n % 4],
                ["Red", "Yellow", "Green", None][n % 4],
                n % 2 == 0 if n % 5 else None,  # None: a checkbox never touched
                n % 3 == 0,
            ]
        )
    sheet = b.sheet("Project Plan", specs, rows, depths=depths, ganttEnabled=True, dependenciesEnabled=True)
    sheet["summary"]["fields"] = [
        b.summary_field(0, "Project Owner", "CONTACT_LIST", USERS[1]),
        b.summary_field(1, "Budget", "TEXT_NUMBER", 125000, "$125,000.00"),
        b.summary_field(2, "Due", "DATE", "2025-09-30"),
        b.summary_field(3, "Health", "PICKLIST", "Yellow"),
    ]
    sheet["hasSummaryFields"] = True
    first, second = sheet["rows"][0]["id"], sheet["rows"][1]["id"]
    sheet["attachments"] = [
        b.attachment(sheet["id"], "SHEET", "charter.pdf", "FILE", "application/pdf", 214),
        b.attachment(second, "ROW", "Interview guide", "LINK", "text/html", 0),
    ]
    sheet["discussions"] = [
        b.discussion(sheet["id"], "SHEET", "Kick-off", ["Welcome aboard!", "Thanks — 楽しみです 🎉"]),
        b.discussion(first, "ROW", "Scope", ["Is legal review in scope?"]),
    ]
    return sheet


def _inventory(b: _Builder) -> dict:
    specs = [
        {"title": "SKU"},
        {"title": "Item"},
        {"title": "Quantity"},
        {"title": "Unit Price"},
        {"title": "Units per Box"},
        {"title": "Serial"},
        {"title": "Priority", "type": "PICKLIST", "symbol": "PRIORITY", "options": ["High", "Low"]},
        {
            "title": "Fill",
            "type": "PICKLIST",
            "symbol": "HARVEY_BALLS",
            "options": ["Empty", "Quarter", "Half", "Full"],
        },
        {"title": "Starred", "type": "CHECKBOX", "symbol": "STAR"},
        {"title": "Link"},
        {"title": "Received", "type": "DATE"},
        {"title": "Owner", "type": "CONTACT_LIST"},
    ]
    items = ["Bolt", "Nut", "Washer", "Gear", "Spring", "Cable", "Hinge", "Valve"]
    rows = []
    for n, item in enumerate(items):
        price = round(1234.5 / (n + 1), 2)
        per_box = Cell("#DIVIDE BY ZERO", formula="=[Quantity]@row / 0") if n % 4 == 1 else n * 10
        link = Cell(None, hyperlink={"url": f"https://example.com/parts/{n}"}) if n % 2 else None
        if n == 6:
            link = Cell("Spec sheet", hyperlink={"url": "https://example.com/spec"})
        rows.append(
            [
                f"SKU-{1000 + n}",
                item,
                12345 * (n + 1),
                Cell(price, display=f"${price:,.2f}"),
                per_box,
                BIG_INTS[n % 2] if n < 2 else 1000 + n,
                ["High", "Low", 3][n % 3],  # a number in a PICKLIST
                ["Empty", "Quarter", "Half", "Full"][n % 4],
                n % 2 == 1,
                link,
                "next Tuesday" if n == 3 else f"2025-0{n % 9 + 1}-1{n}",  # free text in a DATE column
                "the night shift" if n == 2 else dict(USERS[n % 5]),  # free text in a CONTACT_LIST
            ]
        )
    sheet = b.sheet("Inventory", specs, rows)
    sheet["attachments"] = [b.attachment(sheet["id"], "SHEET", "stock.xlsx", "FILE", "application/vnd.ms-excel", 48)]
    return sheet


def _team_roster(b: _Builder) -> dict:
    months = ["January", "March", "May", "August", "December"]
    specs = [
        {"title": "Team"},
        {"title": "Members", "type": "MULTI_CONTACT_LIST"},
        {"title": "Tags", "type": "MULTI_PICKLIST", "options": ["backend", "frontend", "ops", "データ", "🔥"]},
        {"title": "Lead", "type": "CONTACT_LIST"},
        {"title": "Months", "type": "MULTI_PICKLIST", "options": months},
        {"title": "Formed", "type": "DATE"},
    ]
    rows = [
        ["Platform", [USERS[0], USERS[1]], ["backend", "ops"], USERS[0], ["May", "August"], "2024-05-01"],
        ["Web", [USERS[2]], ["frontend", "🔥"], USERS[2], ["January"], "2024-09-15"],
        ["Data", [USERS[3], USERS[4], USERS[0]], ["データ"], USERS[3], months, "2025-01-20"],
        ["Solo", [USERS[4]], None, USERS[4], None, None],
        ["Nobody yet", None, None, None, None, None],
    ]
    return b.sheet("Team Roster", specs, rows)


def _audit_log(b: _Builder) -> dict:
    specs = [
        {"title": "Event"},
        {
            "title": "ID",
            "systemColumnType": "AUTO_NUMBER",
            "autoNumberFormat": {"prefix": "EV-", "suffix": "", "fill": "0000", "startingNumber": 1},
        },
        {"title": "Created By", "type": "CONTACT_LIST", "systemColumnType": "CREATED_BY"},
        {"title": "Modified By", "type": "CONTACT_LIST", "systemColumnType": "MODIFIED_BY"},
        {"title": "Created", "type": "DATETIME", "systemColumnType": "CREATED_DATE"},
        {"title": "Modified", "type": "DATETIME", "systemColumnType": "MODIFIED_DATE"},
        {"title": "Occurred On", "type": "DATE"},
    ]
    events = ["login", "export", "share", "delete", "restore", "login"]
    rows = [[event, None, None, None, None, None, f"2025-04-0{n + 1}"] for n, event in enumerate(events)]
    rows.append([None, None, None, None, None, None, None])  # blank apart from the system columns
    return b.sheet("Audit Log", specs, rows)


def _messy_titles(b: _Builder) -> dict:
    titles = ["Name", "Status", "status", "Notes", "Notes", "Row ID", "modified_at", "🚀", "状态", "الحالة", "Long"]
    long_text = ("Lorem ipsum dolor sit amet — 長い文章 " * 150)[:4000]
    rows = [
        ["alpha", "Open", "open", "first note", "second note", "R-1", "yesterday", "🚀🚀", "进行中", "نشط", long_text],
        ["βeta", "Closed", "CLOSED", None, "only the second", "R-2", None, "✅", "完成", "مغلق", "x" * 4500],
        [None] * 11,
        ["", None, None, None, None, None, None, None, None, None, None],
        ["🙂", "Open", None, "emoji 🎉 and 中文 and עברית", None, "R-3", "2025-01-01", "👍🏽", "待定", "معلق", None],
        [None] * 11,
    ]
    return b.sheet("Messy Titles", [{"title": t} for t in titles], rows)


def _weekly_report(b: _Builder, team: str, offset: int) -> dict:
    specs = [
        {"title": "Week", "type": "DATE"},
        {"title": "Owner", "type": "CONTACT_LIST"},
        {"title": "Region", "type": "PICKLIST", "options": ["North", "South", "East", "West"]},
        {"title": "Amount"},
        {"title": "Notes"},
    ]
    rows = [
        [f"2025-06-{2 + 7 * n:02d}", USERS[(n + offset) % 4], ["North", "South", "East", "West"][(n + offset) % 4]]
        + [1000 * (n + 1) + offset, f"{team} week {n + 1}"]
        for n in range(4)
    ]
    rows.insert(2, [None] * 5)
    return b.sheet("Weekly Report", specs, rows)


def _large_sheet(b: _Builder, rows: int = 20_000) -> dict:
    """20,000 rows x 25 columns (500,000 cells, the real per-sheet limit) cycling every column type."""
    base = [
        {"title": "Name"},
        {"title": "Owner", "type": "CONTACT_LIST"},
        {"title": "Team", "type": "MULTI_CONTACT_LIST"},
        {"title": "Status", "type": "PICKLIST", "symbol": "RYG", "options": ["Red", "Yellow", "Green"]},
        {"title": "Tags", "type": "MULTI_PICKLIST", "options": ["a", "b", "c"]},
        {"title": "Done", "type": "CHECKBOX"},
        {"title": "Due", "type": "DATE"},
        {"title": "Start", "type": "ABSTRACT_DATETIME"},
        {"title": "Duration", "type": "DURATION"},
        {"title": "Predecessors", "type": "PREDECESSOR"},
        {"title": "Amount"},
        {"title": "Created", "type": "DATETIME", "systemColumnType": "CREATED_DATE"},
    ]
    specs = base + [{"title": f"Value {n}"} for n in range(25 - len(base))]
    values = []
    for n in range(rows):
        fixed = [
            f"Item {n}",
            USERS[n % 5],
            [USERS[n % 4], USERS[(n + 1) % 4]],
            ["Red", "Yellow", "Green"][n % 3],
            [["a"], ["a", "b"], ["b", "c"]][n % 3],
            n % 2 == 0,
            f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
            f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}T08:00:00",
            f"{n % 9 + 1}d",
            f"{n}FS" if n % 10 else None,
            n * 1.5,
            None,
        ]
        values.append(fixed + [n * 7 + k if k % 2 else f"text {n}-{k}" for k in range(len(specs) - len(base))])
    depths = [0 if n % 10 == 0 else 1 for n in range(rows)]
    return b.sheet(LARGE_SHEET, specs, values, depths=depths)


def _small_sheet(b: _Builder, n: int) -> dict:
    specs = [
        {"title": "Name"},
        {"title": "Amount"},
        {"title": "Done", "type": "CHECKBOX"},
        {"title": "Due", "type": "DATE"},
    ]
    rows = [[f"row {k}", k * n, k % 2 == 0, f"2025-05-{k % 28 + 1:02d}"] for k in range(20)]
    return b.sheet(f"Bench Sheet {n:04d}", specs, rows)


def sample_account(seed: int = SEED, *, large: bool = False, many: int = 0) -> dict:
    """The sample account (see the module docstring); identical for identical arguments."""
    b = _Builder(seed)
    account = empty_account()
    account["user"] = dict(DEFAULT_USER)

    def workspace(name: str) -> int:
        account["workspaces"].append(
            {"id": b.id(), "name": name, "accessLevel": "OWNER", "permalink": b.permalink("workspaces")}
        )
        return account["workspaces"][-1]["id"]

    def folder(name: str, kind: str, parent: int) -> int:
        item = {
            "id": b.id(),
            "name": name,
            "permalink": b.permalink("folders"),
            "container": {"type": kind, "id": parent},
        }
        account["folders"].append(item)
        return item["id"]

    def place(sheet: dict, kind: str, container: int) -> dict:
        account["sheets"].append(sheet)
        account["locations"][str(sheet["id"])] = {"type": kind, "id": container}
        return sheet

    engineering, operations, sales = workspace("Engineering"), workspace("Operations"), workspace("Sales")
    projects = folder("Projects", "workspace", engineering)
    archive = folder("Archive", "folder", projects)
    logs = folder("Logs", "workspace", operations)
    team_a, team_b = folder("Team A", "workspace", sales), folder("Team B", "workspace", sales)

    place(_project_plan(b), "folder", projects)
    place(_inventory(b), "workspace", operations)
    roster = place(_team_roster(b), "workspace", operations)
    place(_audit_log(b), "folder", logs)
    place(_messy_titles(b), "folder", archive)
    empty = b.sheet("Empty Sheet", [{"title": "Primary"}, {"title": "Due", "type": "DATE"}], [])
    place(empty, "workspace", engineering)
    week_a = place(_weekly_report(b, "Team A", 0), "folder", team_a)
    week_b = place(_weekly_report(b, "Team B", 1), "folder", team_b)

    def report(name: str, sources: list[dict], titles: list[str], container: int) -> None:
        by_title = {c["title"]: c["type"] for c in sources[0]["columns"]}
        columns = [{"virtualId": b.id(), "title": "Sheet Name", "type": "TEXT_NUMBER", "sheetNameColumn": True}]
        columns += [{"virtualId": b.id(), "title": t, "type": by_title[t]} for t in titles]
        created = b.tick()
        item = {"id": b.id(), "name": name, "accessLevel": "OWNER", "permalink": b.permalink("reports")}
        item.update(createdAt=created, modifiedAt=created, container={"type": "workspace", "id": container})
        item.update(sourceSheetIds=[s["id"] for s in sources], columns=columns)
        account["reports"].append(item)

    report("Weekly Rollup", [week_a, week_b], ["Week", "Owner", "Region", "Amount"], sales)
    report("Team Overview", [roster], ["Team", "Members", "Tags"], operations)

    if large or many:
        benchmarks = workspace("Benchmarks")
        if large:
            place(_large_sheet(b), "workspace", benchmarks)
        for n in range(1, many + 1):
            place(_small_sheet(b, n), "workspace", benchmarks)
    return account
