"""Draft a column mapping from an unfamiliar export, listing every guess with its reason.

:func:`inspect_files` reads the header and a sample of rows of each file
(CSV, or every sheet of an ``.xlsx`` workbook) and drafts a mapping file:
which file or sheet holds whom (from its name or a role column), which column
fills which field (normalised headings, known synonyms, then close matches
by :mod:`difflib`), value maps for label columns (grade labels, meeting
modes) with ``null`` where a person must fill in the value, and every
column it cannot place in ``ignore``. Each decision is a
:class:`ReviewItem`: nothing is guessed silently. Values are shown only
for label columns (grades, modes, roles), never for names or e-mails.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._csv import DELIMITERS, check_delimiter, detect_delimiter, separator_line
from ._excel import openpyxl_module
from ._mapping import CANONICAL_COLUMNS, normalise_heading
from ._text import decode_export, display_name

__all__ = ["DraftMapping", "ReviewItem", "inspect_files"]

_FIELDS = tuple(dict.fromkeys(c for k in ("people", "mentors") for c in CANONICAL_COLUMNS[k]))
_SYNONYMS: dict[str, str] = {
    normalise_heading(k): v
    for v, words in {
        "id": (
            "employee id, employee number, employee no, staff id, staff number, user id, "
            "person id, worker id, personnel number, participant id, mentee id, mentor id, "
            "member id, uid, record id, "
            # German and French exports
            "personalnummer, personal nr, mitarbeiter id, mitarbeiternummer, matricule, "
            "identifiant, numero employe"
        ),
        "name": (
            "full name, display name, first name, last name, given name, surname, "
            "family name, forename, preferred name, firstname, lastname, "
            "vorname, nachname, name vorname, prenom, nom, nom complet"
        ),
        "email": "e-mail, email address, e-mail address, work email, mail, e-mail-adresse, "
        "courriel, adresse e-mail",
        "department": (
            "organisation, organization, division, dept, business unit, directorate, "
            "cost center, cost centre, org unit, unit, team, function, agency, ministry, "
            "abteilung, bereich, organisationseinheit, kostenstelle, service, departement, "
            "direction"
        ),
        "manager_id": (
            "line manager, line manager id, manager, manager id, manager employee id, "
            "reports to, supervisor, supervisor id, vorgesetzter, vorgesetzte, "
            "vorgesetzter id, disziplinarischer vorgesetzter, responsable, manager id n plus 1"
        ),
        "secondary_manager_ids": (
            "matrix manager, matrix managers, matrix manager id, dotted line manager, "
            "dotted line managers, secondary manager, secondary managers, "
            "secondary manager id, fachlicher vorgesetzter"
        ),
        "timezone": "time zone, tz, time_zone, zeitzone, fuseau horaire",
        "languages": "language, lang, spoken languages, languages spoken, sprache, sprachen, "
        "langue, langues",
        "location": "office, site, city, work location, base, place of work, standort, "
        "arbeitsort, ort, lieu, lieu de travail",
        "mode": "meeting mode, format, meeting format, in person or remote, treffen, "
        "modus, mode de rencontre",
        "grade": "level, band, job level, pay grade, seniority, grade level, rank, stufe, "
        "ebene, hierarchiestufe, entgeltgruppe, niveau, echelon",
        "groups": "cohort, group, programme, program, intake, gruppe, kohorte, groupe",
        "availability": "available, free slots, slots, available times, verfugbarkeit, "
        "verfuegbarkeit, zeitfenster, termine, disponibilite, disponibilites, creneaux",
        "capacity": "max mentees, number of mentees, mentee capacity, places, kapazitat, "
        "kapazitaet, capacite",
        "role": "participant type, type, mentor or mentee, programme role, program role, "
        "rolle, role",
    }.items()
    for k in [*words.split(", "), v]
}
_CLOSE = 0.8
_SUGGEST = (
    "skills",
    "skill",
    "profession",
    "expertise",
    "interests",
    "interest",
    "specialism",
    "job family",
    "topics",
)
_ROLE_WORDS: tuple[tuple[str, str], ...] = (
    ("mentee", "executive"),
    ("exec", "executive"),
    ("leader", "executive"),
    ("fuhrungskraft", "executive"),
    ("fuehrungskraft", "executive"),
    ("director", "executive"),
    ("vorstand", "executive"),
    ("dirigeant", "executive"),
    ("cadre", "executive"),
    ("mentor", "mentor"),
)
_FILE_WORDS: tuple[tuple[str, str], ...] = (
    ("mentee", "executives"),
    ("exec", "executives"),
    ("leader", "executives"),
    ("fuhrungskrafte", "executives"),
    ("fuehrungskraefte", "executives"),
    ("dirigeant", "executives"),
    ("mentor", "mentors"),
    ("people", "people"),
    ("participant", "people"),
    ("person", "people"),
    ("teilnehmer", "people"),
    ("org", "org"),
    ("mitarbeiter", "org"),
    ("employee", "org"),
    ("worker", "org"),
    ("history", "history"),
    ("pinned", "pinned"),
    ("priority", "priority"),
)
_MODES = {
    "remote": "remote",
    "online": "remote",
    "virtual": "remote",
    "video": "remote",
    "no": "remote",
    "in person": "onsite",
    "onsite": "onsite",
    "on site": "onsite",
    "office": "onsite",
    "face to face": "onsite",
    "hybrid": "hybrid",
    "either": "hybrid",
    "both": "hybrid",
    "yes": "hybrid",
}
_WHOLE = re.compile(r"^\s*\d+\s*$")
_DIGITS = re.compile(r"(\d+)")
_PERSON_KINDS = ("mentors", "executives", "people")


@dataclass(frozen=True)
class ReviewItem:
    """One decision of the draft, for a person to check.

    Attributes
    ----------
    file : str
        The file (or ``"book.xlsx, sheet 'x'"``) the decision is about.
    column : str or None
        The source heading, or None for a decision about the whole file.
    decision : str
        What the draft says: a field (``"name"``), ``"ignore"``, a kind of
        file (``"executives"``), ``"values.grade"``, ``"constants.timezone"``.
    why : str
        The reason, and what to fill in where the draft holds ``null``.
    """

    file: str
    column: str | None
    decision: str
    why: str

    def __str__(self) -> str:
        where = f"{self.file}, column {self.column!r}" if self.column else self.file
        return f"{where} -> {self.decision}: {self.why}"


@dataclass(frozen=True)
class DraftMapping:
    """A drafted mapping file and the review list of its guesses.

    Attributes
    ----------
    mapping : dict
        The mapping, JSON-ready (keys as in ``docs/reference/mapping.md``).
        ``null`` values (grade ranks, an unknown role label, a constant) must
        be filled in before the mapping is used; :func:`load_mapping` names
        each one that is left.
    review : tuple of ReviewItem
        Every guess with its reason, in file and column order.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "mentees.csv").write_text("Employee ID,grade\\n1,G7\\n")
    >>> draft = inspect_files(d / "mentees.csv")
    >>> draft.mapping["files"], draft.mapping["values"]
    ({'mentees.csv': 'executives'}, {'grade': {'G7': None}})
    """

    mapping: dict[str, Any]
    review: tuple[ReviewItem, ...] = ()

    @property
    def to_fill(self) -> list[str]:
        """Keys whose value is still ``null`` (``"values.grade.G7"``), to fill in."""
        out: list[str] = []
        for key in ("values", "topics_from"):
            for name, labels in self.mapping.get(key, {}).items():
                out += [f"{key}.{name}.{k}" for k, v in labels.items() if v is None]
        out += [f"roles.{k}" for k, v in self.mapping.get("roles", {}).items() if v is None]
        out += [f"constants.{k}" for k, v in self.mapping.get("constants", {}).items() if v is None]
        return out

    def to_json(self, *, indent: int = 2) -> str:
        """Return the mapping file, the review list under ``"notes"``."""
        data = dict(self.mapping)
        data["notes"] = [str(item) for item in self.review]
        return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the mapping file (UTF-8 JSON) to ``path``."""
        Path(path).write_text(self.to_json(), encoding="utf-8")

    def review_table(self) -> str:
        """Return the review list as a plain-text table, with what to fill in last."""
        rows = [(i.file, i.column or "", i.decision, i.why) for i in self.review]
        heads = ("file", "column", "draft", "why")
        widths = [max([len(h), *(len(r[k]) for r in rows)]) for k, h in enumerate(heads[:3])]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(row[:3], widths, strict=True)) + "  " + row[3]
            for row in (heads, *rows)
        ]
        fill = self.to_fill
        if fill:
            lines += ["", "Fill in before use: " + ", ".join(fill)]
        return "\n".join(lines)


@dataclass
class _Sample:
    file: str
    name: str  # the file name, for the "files" patterns
    header: list[str]
    rows: list[list[str]]
    kind: str | None = None
    why: str = ""
    targets: dict[int, str] = field(default_factory=dict)
    sheet: bool = False  # a sheet of a workbook: its kind goes to "sheets", not "files"
    read_as: str = ""  # how a text file was decoded and split, for the review list


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_sample(path: Path, limit: int, encoding: str | None, delimiter: str | None) -> _Sample:
    file = display_name(path)
    # Read as validate and match will: the encoding and delimiter detected
    # unless given.
    decoded = decode_export(path.read_bytes(), file, encoding)
    hinted, text = separator_line(decoded.text)
    given = check_delimiter(delimiter) if delimiter else None
    chosen = given or hinted or detect_delimiter(text)[0] or ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=chosen)
    header = [_cell(c) for c in next(reader, [])]
    rows = [[_cell(c) for c in row] for _, row in zip(range(limit), reader, strict=False)]
    how = "given" if decoded.given or given else "detected"
    read_as = f"read as {decoded.encoding}, {DELIMITERS[chosen]}-separated ({how})"
    return _Sample(file, path.name, header, rows, read_as=read_as)


def _xlsx_samples(path: Path, limit: int) -> Iterator[_Sample]:
    openpyxl = openpyxl_module("reading .xlsx files")
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            cells = sheet.iter_rows(values_only=True)
            header = [_cell(c) for c in next(cells, ())]
            rows = [[_cell(c) for c in row] for _, row in zip(range(limit), cells, strict=False)]
            file = f"{display_name(path)}, sheet {sheet.title!r}"
            yield _Sample(file, sheet.title, header, rows, sheet=True)
    finally:
        book.close()


def _samples(
    paths: Sequence[Path], limit: int, encoding: str | None = None, delimiter: str | None = None
) -> list[_Sample]:
    out: list[_Sample] = []
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(display_name(path))
        if path.is_dir():
            inner = sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".xlsx"))
            out += _samples(inner, limit, encoding, delimiter)
        elif path.suffix.lower() in (".xlsx", ".xlsm"):
            out += list(_xlsx_samples(path, limit))
        else:
            out.append(_csv_sample(path, limit, encoding, delimiter))
    return out


def _guess(heading: str) -> tuple[str | None, str]:
    """Return (field or None, why) for a heading."""
    text = heading.strip()
    if text.lower().startswith("topic:") and len(text) > 6:
        return "topic:" + text.split(":", 1)[1].strip(), "a topic column (topic:<name>)"
    key = normalise_heading(text)
    for name in _FIELDS:
        if key == normalise_heading(name):
            return name, "the heading is the field's name"
    if key in _SYNONYMS:
        return _SYNONYMS[key], f"{text!r} is a usual heading for {_SYNONYMS[key]}"
    close = difflib.get_close_matches(key, list(_SYNONYMS), n=1, cutoff=_CLOSE)
    if close:
        ratio = difflib.SequenceMatcher(None, key, close[0]).ratio()
        target = _SYNONYMS[close[0]]
        return target, f"close to {close[0]!r} ({ratio:.0%} alike), a heading for {target}"
    return None, ""


def _kind_from_name(name: str) -> str | None:
    stem = normalise_heading(Path(name).stem)
    for word, kind in _FILE_WORDS:
        if word in stem:
            return kind
    return None


def _role_of(label: str) -> str | None:
    text = normalise_heading(label)
    for word, role in _ROLE_WORDS:
        if word in text:
            return role
    return None


def _natural(label: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p.lower() for p in _DIGITS.split(label))


def _distinct(sample: _Sample, index: int) -> list[str]:
    seen = (row[index] for row in sample.rows if index < len(row) and row[index])
    return sorted(dict.fromkeys(seen), key=_natural)


class _Drafter:
    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.sheets: dict[str, str] = {}
        self.columns: dict[str, str] = {}
        self.ignore: list[str] = []
        self.values: dict[str, dict[str, Any]] = {}
        self.roles: dict[str, str | None] = {}
        self.constants: dict[str, Any] = {}
        self.review: list[ReviewItem] = []

    def note(self, sample: _Sample, column: str | None, decision: str, why: str) -> None:
        self.review.append(ReviewItem(sample.file, column, decision, why))

    def kind(self, sample: _Sample) -> None:
        # A workbook's sheets are named by the mapping's "sheets", files by its "files".
        kinds, key = (self.sheets, "sheets") if sample.sheet else (self.files, "files")
        by_name = _kind_from_name(sample.name)
        if by_name is not None:
            sample.kind = by_name
            kinds[sample.name] = by_name
            self.note(sample, None, by_name, f"the name {sample.name!r} says {by_name}")
            return
        roles = [i for i, h in enumerate(sample.header) if _guess(h)[0] == "role"]
        sample.kind = "people" if roles else None
        if roles:
            kinds[sample.name] = "people"
            self.note(sample, None, "people", "it has a role column: everyone in one file")
        else:
            self.note(
                sample,
                None,
                "unknown",
                "neither the name nor a role column says who is in it: "
                f'add it to "{key}" (mentors, executives, people or org)',
            )

    def column(self, sample: _Sample, index: int, heading: str) -> None:
        target, why = _guess(heading)
        key = heading.strip()
        if target == "role" and sample.kind in ("mentors", "executives"):
            self.role_in_own_file(sample, index, key)
            return
        if target is None:
            if key.lower() in (c.lower() for c in self.ignore):
                return
            self.ignore.append(key)
            hint = (
                "; to derive topic levels from its labels, move it to topics_from"
                if normalise_heading(key) in {normalise_heading(s) for s in _SUGGEST}
                else "; map it in columns if the program needs it"
            )
            self.note(sample, key, "ignore", "no field matches this heading" + hint)
            return
        sample.targets[index] = target
        if key not in self.columns:
            self.columns[key] = target
            if target == "email":
                why += "; kept for exports only, never shown in messages: ignore it if not needed"
            self.note(sample, key, target, why)
        if target in ("grade", "mode"):
            self.labels(sample, index, key, target)
        elif target == "role":
            self.role_labels(sample, index, key)

    def role_in_own_file(self, sample: _Sample, index: int, key: str) -> None:
        labels = _distinct(sample, index)
        own = "mentor" if sample.kind == "mentors" else "executive"
        if key not in self.ignore:
            self.ignore.append(key)
        if labels and all(_role_of(v) == own for v in labels):
            why = f"every value says {own}, as the file name does"
        else:
            why = "the file name gives the role; this column is not read (job titles?)"
        self.note(sample, key, "ignore", why)

    def labels(self, sample: _Sample, index: int, key: str, target: str) -> None:
        labels = _distinct(sample, index)
        if not labels or (target == "grade" and all(_WHOLE.match(v) for v in labels)):
            return
        first = key not in self.values
        draft = self.values.setdefault(key, {})
        for label in labels:
            if target == "mode":
                draft.setdefault(label, _MODES.get(label.lower()))
            else:
                draft.setdefault(label, None)
        if target == "grade":
            why = "labels, not ranks: fill in a whole number for each (higher = more senior)"
        else:
            why = "meeting modes drafted as onsite, remote or hybrid; fill in any null"
        if first:
            self.note(sample, key, f"values.{key}", why)

    def role_labels(self, sample: _Sample, index: int, key: str) -> None:
        for label in _distinct(sample, index):
            if label.lower() in ("mentor", "executive", "org"):
                continue
            if label in self.roles:
                continue
            role = _role_of(label)
            self.roles[label] = role
            why = (
                f"the label {label!r} reads as {role}"
                if role
                else f"cannot tell the role of {label!r}: fill in mentor, executive or org"
            )
            self.note(sample, key, f"roles.{label}", why)

    def finish(self, samples: Sequence[_Sample]) -> None:
        people = [s for s in samples if s.kind in _PERSON_KINDS]
        for name, why in (
            ("id", "no column holds an id: map one to id (a stable id, not an e-mail)"),
            ("timezone", "no time zone column: fill in the time zone of everyone"),
        ):
            if people and not any(name in s.targets.values() for s in people):
                if name == "timezone":
                    self.constants["timezone"] = None
                    self.note(people[0], None, "constants.timezone", why)
                else:
                    self.note(people[0], None, "id", why)
        if people and not any("availability" in s.targets.values() for s in people):
            self.note(
                people[0],
                None,
                "availability",
                "no availability column: add one, or a constant such as "
                '"availability": "Mon 12:00-14:00" for everyone',
            )

    def mapping(self) -> dict[str, Any]:
        out: dict[str, Any] = {"files": self.files} if self.files or not self.sheets else {}
        if self.sheets:
            out["sheets"] = self.sheets
        out["columns"] = self.columns
        for key, value in (
            ("ignore", self.ignore),
            ("values", self.values),
            ("roles", self.roles),
            ("constants", self.constants),
        ):
            if value:
                out[key] = value
        return out


def inspect_files(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    sample_rows: int = 1000,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> DraftMapping:
    """Draft a mapping for an unfamiliar export: every guess listed with its reason.

    Parameters
    ----------
    paths : path or sequence of paths
        CSV files, ``.xlsx`` workbooks (each sheet is a table) or
        directories of them.
    sample_rows : int
        Rows read per table to find the labels of label columns.
    encoding, delimiter : str, optional
        How to read CSV files, as for :func:`validate_files`; detected when
        not given. Given ones are kept in the draft; either way the review
        list says how each file was read.

    Returns
    -------
    DraftMapping
        ``draft.write("map.json")`` writes the mapping file;
        ``draft.review_table()`` is the review list for people;
        ``draft.to_fill`` the keys still ``null``.

    Raises
    ------
    FileNotFoundError
        If a path does not exist.
    InvalidInputError
        If a file is not readable text.

    Notes
    -----
    Headings are compared after normalisation (lower case, letters and
    digits only) with the fields and a table of usual headings
    (``"employee id"`` -> id, ``"line manager"`` -> manager_id,
    ``"organisation"`` -> department, ...), then by :mod:`difflib` with a
    ratio of at least 0.8. Columns nothing matches go to ``ignore``; a
    column whose labels need values (grades) gets a value map with
    ``null`` values to fill in. Values are shown only for such label
    columns.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "mentors.csv").write_text("User ID,Time zone,Phone\\n7,UTC,0\\n")
    >>> draft = inspect_files(d / "mentors.csv")
    >>> draft.mapping["columns"], draft.mapping["ignore"]
    ({'User ID': 'id', 'Time zone': 'timezone'}, ['Phone'])
    """
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    samples = _samples([Path(p) for p in items], sample_rows, encoding, delimiter)
    drafter = _Drafter()
    for sample in samples:
        if sample.read_as:
            drafter.review.append(ReviewItem(sample.file, None, "read", sample.read_as))
        drafter.kind(sample)
        for index, heading in enumerate(sample.header):
            if heading:
                drafter.column(sample, index, heading)
    drafter.finish(samples)
    mapping = drafter.mapping()
    if encoding is not None:
        mapping = {"encoding": encoding, **mapping}
    if delimiter is not None:
        mapping = {"delimiter": check_delimiter(delimiter), **mapping}
    return DraftMapping(mapping, tuple(drafter.review))
