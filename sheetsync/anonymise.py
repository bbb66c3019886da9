"""Deterministic anonymisation of a sheet export (the API's JSON shape), so real sheets can become shared samples.

What changes, and what does not (the sample must still exercise the same transforms and pass the same contract):

- **People**: every ``{email, name}`` object (contact cells, multi-contact values, ``createdBy``/``modifiedBy``,
  ``contactOptions``) and every e-mail address anywhere get a fake e-mail ``<word>.<word>@example.com`` and a fake
  name; the same person always gets the same fake, and a contact's display value follows.
- **Free text**: every letter and digit of a text value becomes a pseudo-random letter (upper stays upper) or digit,
  word by word, keyed: the same word always becomes the same fake word, so lengths, word counts, punctuation,
  white space, emoji, repeated values and uniqueness survive (a ``^[A-Z]+-[0-9]+$`` pattern or a length check
  still holds), the original words do not. Hyperlink URLs and quoted literals in formulas are treated the same.
- **Kept**: ids, hierarchy (``parentId``, ``rowNumber``), numbers, booleans, blanks, dates and date-times, durations
  and predecessors in their own columns, numeric text (``"$1,234.50"``, ``"12%"``), formula-error codes
  (``#DIVIDE BY ZERO``), column titles, sheet and workspace names (they are the schema the declarations name).
- **Picklist values are categorical, so they are kept** when they are one of the column's options (an ``isin``
  contract keeps holding and the options list is the sheet's vocabulary, not data); a value that is not an option
  is free text and is replaced.

The key defaults to a fixed project key (reproducible samples); pass your own (``--key-env``) when the words of the
original must not be recoverable by someone who guesses them: with a known key, a guessed word can be checked.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import re
from typing import Any

DEFAULT_KEY = b"sheetsync-sample-export"
_WORD = re.compile(r"\w+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NUMERIC = re.compile(r"^(?=.*\d)[-+(]?\s*[$€£¥₹]?\s*[-+]?[\d.,]+\s*%?\)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")
_ERROR = re.compile(r"^#[A-Z][A-Z /]+[A-Z]!?$")
_DURATION = re.compile(r"^-?e?\d+(\.\d+)?[wdhms]{1,2}(\s+-?e?\d+(\.\d+)?[wdhms]{1,2})*$")
_ONE_PREDECESSOR = r"\d+(FS|SS|FF|SF)?(\s*[+-]\s*\d+(\.\d+)?[wdhms]{1,2}(\s+\d+(\.\d+)?[wdhms]{1,2})*)?"
_PREDECESSOR = re.compile(rf"^{_ONE_PREDECESSOR}(\s*,\s*{_ONE_PREDECESSOR})*$")
_DISPLAY_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}( \d{1,2}:\d{2}(:\d{2})?( ?[AP]M)?)?$")
_KEPT = (_NUMERIC, _DATE, _DISPLAY_DATE, _ERROR, _DURATION, _PREDECESSOR)
_QUOTED = re.compile(r'"([^"]*)"')
_CONSONANTS, _VOWELS = "bcdfghjklmnpqrstvwxz", "aeiouy"
_DATE_TYPES = ("DATE", "DATETIME", "ABSTRACT_DATETIME")
_CONTACT_TYPES = ("CONTACT_LIST", "MULTI_CONTACT_LIST")


class Anonymiser:
    """Keyed, deterministic replacements; one instance per export keeps every mapping consistent."""

    def __init__(self, key: bytes = DEFAULT_KEY) -> None:
        self.key = key
        self.fakes: set[str] = set()  # e-mails made here, so the last pass leaves them alone

    def _digest(self, kind: str, text: str) -> bytes:
        return hmac.new(self.key, f"{kind}\0{text}".encode(), hashlib.sha256).digest()

    def word(self, word: str) -> str:
        """A fake word of the same length: letters alternate consonant/vowel, digits stay digits, case kept; never
        the word itself (a fake that happens to equal the original is drawn again)."""
        for attempt in range(8):
            fake = self._fake_word(word, attempt)
            if fake.lower() != word.lower():
                return fake
        return fake

    def _fake_word(self, word: str, attempt: int) -> str:
        digest = self._digest(f"word{attempt or ''}", word)
        out = []
        for i, char in enumerate(word):
            byte = digest[i % len(digest)] ^ (i // len(digest))
            if char.isdigit():
                out.append(str(byte % 10))
            elif char.isalpha():
                pool = _VOWELS if i % 2 else _CONSONANTS
                letter = pool[byte % len(pool)]
                out.append(letter.upper() if char.isupper() else letter)
            else:  # underscore
                out.append(char)
        return "".join(out)

    def text(self, text: str) -> str:
        """Free text with every word replaced; everything between words kept."""
        return _WORD.sub(lambda m: self.word(m.group()), text)

    def email(self, email: str) -> str:
        digest = self._digest("email", email.strip().lower())
        first = _CONSONANTS[digest[0] % 20] + _VOWELS[digest[1] % 6] + _CONSONANTS[digest[2] % 20]
        fake = f"{first}.{digest[3:6].hex()}@example.com"
        self.fakes.add(fake)
        return fake

    def name(self, name: str) -> str:
        """A fake name with as many parts as the real one, each capitalised."""
        parts = name.split() or [name]
        return " ".join(self.word(part.lower()).capitalize() or "X" for part in parts)

    def value(self, value: Any) -> Any:
        """A cell value outside a typed column: numbers, booleans and structured text kept; the rest replaced."""
        if not isinstance(value, str) or kept_text(value):
            return value
        return self.email(value) if _EMAIL.match(value.strip()) else self.text(value)

    def url(self, url: str) -> str:
        scheme, sep, rest = url.partition("://")
        return f"{scheme}{sep}{self.text(rest)}" if sep else self.text(url)

    def contact(self, person: dict) -> dict:
        person = dict(person)
        if isinstance(person.get("email"), str):
            person["email"] = self.email(person["email"])
        if isinstance(person.get("name"), str):
            person["name"] = self.name(person["name"])
        return person


def kept_text(text: str) -> bool:
    """Text that is a number, a date (ISO or as displayed), an error code, a duration or a predecessor: the shape
    of data, not free text."""
    stripped = text.strip()
    return not stripped or any(p.match(stripped) for p in _KEPT)


def anonymise_sheet(sheet: dict, key: bytes = DEFAULT_KEY) -> dict:
    """A deep copy of ``sheet`` with people and free text replaced (see the module docstring)."""
    anon = Anonymiser(key)
    sheet = copy.deepcopy(sheet)
    columns = {c["id"]: c for c in sheet.get("columns") or []}
    for column in columns.values():
        if isinstance(column.get("contactOptions"), list):
            column["contactOptions"] = [anon.contact(p) for p in column["contactOptions"]]
        if isinstance(column.get("description"), str):
            column["description"] = anon.text(column["description"])
    for row in sheet.get("rows") or []:
        for who in ("createdBy", "modifiedBy"):
            if isinstance(row.get(who), dict):
                row[who] = anon.contact(row[who])
        for cell in row.get("cells") or []:
            _anonymise_cell(cell, columns.get(cell.get("columnId"), {}), anon)
    if "permalink" in sheet and isinstance(sheet["permalink"], str):
        sheet["permalink"] = anon.url(sheet["permalink"])
    return _people_everywhere(sheet, anon)


def _anonymise_cell(cell: dict, column: dict, anon: Anonymiser) -> None:
    kind = column.get("type", "TEXT_NUMBER")
    options = set(column.get("options") or [])
    value = cell.get("value")

    def plain(v: Any) -> Any:
        if isinstance(v, str) and v in options:
            return v
        if isinstance(v, str) and kind in _DATE_TYPES and _DATE.match(v):
            return v
        return anon.value(v)

    obj = cell.get("objectValue")
    if isinstance(obj, dict):
        object_type = obj.get("objectType")
        if object_type == "CONTACT":
            cell["objectValue"] = anon.contact(obj)
            cell["displayValue"] = cell["objectValue"].get("name") or cell["objectValue"].get("email")
        elif object_type == "MULTI_CONTACT":
            people = [anon.contact(p) for p in obj.get("values") or []]
            cell["objectValue"] = {**obj, "values": people}
            cell["displayValue"] = ", ".join(p.get("name") or p.get("email") or "" for p in people)
        elif object_type == "MULTI_PICKLIST":
            values = [plain(v) for v in obj.get("values") or []]
            cell["objectValue"] = {**obj, "values": values}
            cell["displayValue"] = ", ".join(str(v) for v in values)
        elif "value" in obj and isinstance(obj["value"], str) and not kept_text(obj["value"]):
            obj["value"] = anon.value(obj["value"])
    if isinstance(value, str):
        new = anon.email(value) if kind in _CONTACT_TYPES and _EMAIL.match(value.strip()) else plain(value)
        cell["value"] = new
        if isinstance(cell.get("displayValue"), str) and not isinstance(obj, dict):
            cell["displayValue"] = new if cell["displayValue"] == value else plain(cell["displayValue"])
        if isinstance(obj, str):
            cell["objectValue"] = new if obj == value else plain(obj)
    elif isinstance(cell.get("displayValue"), str) and value is None and not isinstance(obj, dict):
        cell["displayValue"] = plain(cell["displayValue"])
    if isinstance(cell.get("hyperlink"), dict) and isinstance(cell["hyperlink"].get("url"), str):
        cell["hyperlink"] = {**cell["hyperlink"], "url": anon.url(cell["hyperlink"]["url"])}
    if isinstance(cell.get("formula"), str):
        cell["formula"] = _QUOTED.sub(lambda m: f'"{anon.text(m.group(1))}"', cell["formula"])


def _people_everywhere(node: Any, anon: Anonymiser) -> Any:
    """A last pass over the whole document: any e-mail address left anywhere (``owner``, unknown fields)."""
    if isinstance(node, dict):
        return {k: _people_everywhere(v, anon) for k, v in node.items()}
    if isinstance(node, list):
        return [_people_everywhere(v, anon) for v in node]
    if isinstance(node, str) and node not in anon.fakes and _EMAIL.match(node.strip()):
        return anon.email(node)
    return node
