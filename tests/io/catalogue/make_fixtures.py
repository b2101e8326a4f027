"""Write the catalogue of realistic exports: the files byte for byte, and what each must read as.

Each export is a folder ``<name>/`` holding the files as the exporting system
writes them (encoding, delimiter, line ends, byte-order mark, two header
rows, a workbook's sheets), the mapping file a person would write for it
(``map.json``, when one is needed) and ``expected.json``:

``about``
    What the export is and what it covers.
``inputs``
    The files to read, in order; ``options`` the reading options
    (``preset``, ``mapping`` file, ``delimiter``, ``encoding``, ``strict``).
``raw``
    Per file, how to read it without revmatch: codec, delimiter, lines
    above the header that a spreadsheet hides, header rows, sheet, and the
    headings of the id, manager and role columns.
``program``
    Counts per role and exact records (fields as the program holds them), or
    None when the export must be refused.
``problems``
    Every group of errors and warnings: severity, file, field, rows, count
    and fragments of the message.
``notices``
    Every notice, exactly: how each file was read, columns not read, rows
    dropped with their line and reason.
``personal``
    The names and e-mails in the files, which no message may show.
``inspect``
    For exports from unfamiliar systems: the edits a person makes to the
    draft of ``revmatch inspect`` (filling its nulls, adding what it cannot
    know) to read the export as ``map.json`` does.
``match``
    Whether ``revmatch match`` must pair it; ``chains`` the manager columns
    to walk when checking that no executive mentors upward.

Run ``python tests/io/catalogue/make_fixtures.py`` to write them again; the
output is the same bytes every time.
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
CRLF, LF = "\r\n", "\n"
EXPORTS: dict[str, Callable[[Path], dict[str, Any]]] = {}


def export(function: Callable[[Path], dict[str, Any]]) -> Callable[[Path], dict[str, Any]]:
    EXPORTS[function.__name__] = function
    return function


def csv_text(
    rows: Sequence[Sequence[Any]], delimiter: str = ",", newline: str = CRLF, quote: bool = True
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        lineterminator=newline,
        quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE,
        escapechar=None if quote else "\\",
    )
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    return buffer.getvalue()


def write(path: Path, text: str, codec: str, bom: bytes = b"") -> None:
    path.write_bytes(bom + text.encode(codec))


def raw(
    codec: str,
    delimiter: str,
    id_column: str,
    manager: str | None = None,
    *,
    header_rows: int = 1,
    role: str | None = None,
    sheet: str | None = None,
    skip: int = 0,
) -> dict[str, Any]:
    return {
        "skip_lines": skip,
        "codec": codec,
        "delimiter": delimiter,
        "header_rows": header_rows,
        "id": id_column,
        "manager": manager,
        "role": role,
        "sheet": sheet,
    }


def emails(names: Sequence[str], domain: str) -> list[str]:
    """Work e-mails as HR systems build them: initial, dot, last name without accents."""
    out = []
    for name in names:
        folded = unicodedata.normalize("NFKD", name.lower().replace("ß", "ss").replace("ł", "l"))
        plain = "".join(c for c in folded if c.isascii() and (c.isalnum() or c == " "))
        first, *rest = plain.split()
        out.append(f"{first[0]}.{rest[-1] if rest else first}@{domain}")
    return out


# --- German Excel CSV ---------------------------------------------------------

DE_HEAD = [
    "Personalnummer",
    "Vorname",
    "Nachname",
    "Abteilung",
    "Vorgesetzter",
    "Zeitzone",
    "Verfügbarkeit",
    "Digitalisierung",
    "Nachhaltigkeit",
]
DE_MAP = {
    "files": {"führungskräfte.csv": "executives", "mentoren.csv": "mentors"},
    "columns": {
        "Personalnummer": "id",
        "Vorname": "name",
        "Nachname": "name",
        "Abteilung": "department",
        "Vorgesetzter": "manager_id",
        "Zeitzone": "timezone",
        "Verfügbarkeit": "availability",
        "Kapazität": "capacity",
        "Digitalisierung": "topic:digital",
        "Nachhaltigkeit": "topic:sustainability",
    },
}
DE_MENTORS = [
    [
        "00815",
        "Jürgen",
        "Müller",
        "Geschäftsführung",
        "00042",
        "Europe/Berlin",
        "Mo 12-14",
        5,
        2,
        2,
    ],
    [
        "00816",
        "Änne",
        "Größer",
        "Forschung, Entwicklung",
        "00042",
        "Europe/Berlin",
        "Di 9.30-11",
        4,
        0,
        1,
    ],
    [
        "00817",
        "Björn",
        "Weiß",
        "Vertrieb & Marketing",
        "00043",
        "Europe/Vienna",
        "Mi 12:00\u201313:30; Do 9-10",
        3,
        5,
        1,
    ],
    ["00818", "Sören", "Kühn", "Einkauf", "00001", "Europe/Zurich", "Mo 12-13, Fr 8-9", 2, 4, 2],
]
DE_EXECS = [
    ["00042", "Özlem", "Çelik", "Personalwesen", "00001", "Europe/Berlin", "Mo 12-13:30", 5, 3],
    [
        "00043",
        "Hans-Jürgen",
        "Strauß",
        "Qualitätssicherung",
        "00001",
        "Europe/Berlin",
        "Di 10-11; Mi 12-13",
        2,
        4,
    ],
    ["00044", "Thérèse", "Dümmler", "Recht", "00001", "Europe/Vienna", "Do 9-10", 4, 5],
]


@export
def de_excel_csv(folder: Path) -> dict[str, Any]:
    """German Excel 'CSV (Trennzeichen-getrennt)': ';', Windows-1252, CRLF, German headings."""
    write(
        folder / "Mentoren.csv",
        csv_text([[*DE_HEAD, "Kapazität"], *DE_MENTORS], ";"),
        "cp1252",
    )
    write(folder / "Führungskräfte.csv", csv_text([DE_HEAD, *DE_EXECS], ";"), "cp1252")
    write_map(folder, DE_MAP)
    names = [f"{r[1]} {r[2]}" for r in DE_MENTORS + DE_EXECS]
    notice = "read as Windows-1252, ';'-separated"
    return {
        "about": "German Excel CSV: ';', Windows-1252 (an en dash as byte 0x96), CRLF, "
        "German headings and day names (Mo 12-14, Di 9.30-11), Zeitzone column, umlauts, "
        "ids with leading zeros, a comma inside a cell",
        "inputs": ["Mentoren.csv", "Führungskräfte.csv"],
        "options": {"mapping": "map.json"},
        "raw": {
            "Mentoren.csv": raw("cp1252", ";", "Personalnummer", "Vorgesetzter"),
            "Führungskräfte.csv": raw("cp1252", ";", "Personalnummer", "Vorgesetzter"),
        },
        "program": {
            "counts": {"mentors": 4, "executives": 3, "org": 0},
            "topics": ["digital", "sustainability"],
            "mentors": {
                "00815": {
                    "name": "Jürgen Müller",
                    "department": "Geschäftsführung",
                    "manager_id": "00042",
                    "timezone": "Europe/Berlin",
                    "availability": ["Mon 12:00-14:00"],
                    "expertise": {"digital": 5, "sustainability": 2},
                    "capacity": 2,
                },
                "00816": {
                    "name": "Änne Größer",
                    "department": "Forschung, Entwicklung",
                    "availability": ["Tue 09:30-11:00"],
                    "expertise": {"digital": 4, "sustainability": 0},
                },
                "00817": {
                    "name": "Björn Weiß",
                    "timezone": "Europe/Vienna",
                    "availability": ["Wed 12:00-13:30", "Thu 09:00-10:00"],
                },
                "00818": {"availability": ["Mon 12:00-13:00", "Fri 08:00-09:00"]},
            },
            "executives": {
                "00042": {
                    "name": "Özlem Çelik",
                    "department": "Personalwesen",
                    "availability": ["Mon 12:00-13:30"],
                    "interests": {"digital": 5, "sustainability": 3},
                },
                "00043": {
                    "name": "Hans-Jürgen Strauß",
                    "department": "Qualitätssicherung",
                    "availability": ["Tue 10:00-11:00", "Wed 12:00-13:00"],
                },
                "00044": {"name": "Thérèse Dümmler", "timezone": "Europe/Vienna"},
            },
        },
        "problems": [
            {
                "severity": "warning",
                "file": "Mentoren.csv",
                "field": "Vorgesetzter",
                "where": "5",
                "count": 1,
                "fragments": ["manager '00001' is not in the program"],
            },
            {
                "severity": "warning",
                "file": "Führungskräfte.csv",
                "field": "Vorgesetzter",
                "where": "rows 2–4",
                "count": 3,
                "fragments": ["manager '00001' is not in the program"],
            },
        ],
        "notices": [
            {"file": "Mentoren.csv", "line": None, "message": notice},
            # No byte of 0x80-0x9F here: Windows-1252 and Latin-1 read it alike.
            {
                "file": "Führungskräfte.csv",
                "line": None,
                "message": "read as Windows-1252/Latin-1, ';'-separated",
            },
        ],
        "personal": names,
        "inspect": {
            "edits": [
                [["columns", "Digitalisierung"], "topic:digital"],
                [["columns", "Nachhaltigkeit"], "topic:sustainability"],
                [["ignore"], None],
                [["constants"], None],
            ],
        },
        "match": True,
        "chains": [["Mentoren.csv", "Führungskräfte.csv"]],
    }


def write_map(folder: Path, mapping: dict[str, Any]) -> None:
    (folder / "map.json").write_text(
        json.dumps(mapping, indent=2, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n"
    )


# --- German workbook ------------------------------------------------------------

XLSX_EPOCH = (2027, 1, 4, 9, 0, 0)


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    """Write a workbook as openpyxl does, with fixed times so that the bytes repeat."""
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = openpyxl.styles.Alignment(wrap_text=True)
    stamp = datetime.datetime(*XLSX_EPOCH)
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    # The archive's member times and docProps' modified time are those of the save: fix them.
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                start = text.index("<dcterms:modified")
                end = text.index("</dcterms:modified>")
                inner = text[start:end].split(">", 1)[0] + ">2027-01-04T09:00:00Z"
                data = (text[:start] + inner + text[end:]).encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=XLSX_EPOCH[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, data)
    path.write_bytes(out.getvalue())


@export
def de_xlsx(folder: Path) -> dict[str, Any]:
    """A German workbook: sheets 'Mentoren' and 'Führungskräfte' named by the mapping."""
    head = [h for h in DE_HEAD if h != "Nachhaltigkeit"]
    mentors: list[list[Any]] = [
        [
            "00815",
            "Jürgen",
            "Müller",
            "Geschäftsführung",
            "4711",
            "Europe/Berlin",
            "Mo 12-14\nDo 9-10",
            5,
            2,
        ],
        [4712, "Änne", "Größer", "Forschung", "4711", "Europe/Berlin", "Di 9.30-11", 4, 1],
        ["00817", "Björn", "Weiß", "Vertrieb", None, "Europe/Vienna", "Mittwoch 12-13:30", 3, 1],
    ]
    execs: list[list[Any]] = [
        [4711, "Özlem", "Çelik", "Personalwesen", None, "Europe/Berlin", "Mo 12-13:30", 5],
        [
            "00043",
            "Hans-Jürgen",
            "Strauß",
            "Qualitätssicherung",
            None,
            "Europe/Berlin",
            "Di 10-11\nMi 12-13",
            2,
        ],
    ]
    notes = [["Hinweis"], ["Stand: Januar 2027, vertraulich"]]
    write_xlsx(
        folder / "Mentoring 2027.xlsx",
        {
            "Hinweise": notes,
            "Mentoren": [[*head, "Kapazität"], *mentors],
            "Führungskräfte": [head, *execs],
        },
    )
    mapping = {
        "sheets": {"Mentoren": "mentors", "Führungskräfte": "executives"},
        "columns": {k: v for k, v in DE_MAP["columns"].items() if k != "Nachhaltigkeit"},
    }
    write_map(folder, mapping)
    book = "Mentoring 2027.xlsx"
    names = [f"{r[1]} {r[2]}" for r in mentors + execs]
    return {
        "about": "German .xlsx workbook: sheets 'Mentoren' and 'Führungskräfte' mapped by "
        "'sheets', a notes sheet left out, ids as text with leading zeros and as numbers "
        "(4711, never 4711.0), a line break inside an availability cell (Alt+Enter)",
        "inputs": [book],
        "options": {"mapping": "map.json"},
        "raw": {
            "Mentoren": raw("xlsx", "", "Personalnummer", "Vorgesetzter", sheet="Mentoren"),
            "Führungskräfte": raw(
                "xlsx", "", "Personalnummer", "Vorgesetzter", sheet="Führungskräfte"
            ),
        },
        "program": {
            "counts": {"mentors": 3, "executives": 2, "org": 0},
            "topics": ["digital"],
            "mentors": {
                "00815": {
                    "name": "Jürgen Müller",
                    "manager_id": "4711",
                    "availability": ["Mon 12:00-14:00", "Thu 09:00-10:00"],
                    "expertise": {"digital": 5},
                    "capacity": 2,
                },
                "4712": {"name": "Änne Größer", "availability": ["Tue 09:30-11:00"]},
                "00817": {"manager_id": None, "availability": ["Wed 12:00-13:30"]},
            },
            "executives": {
                "4711": {"name": "Özlem Çelik", "interests": {"digital": 5}},
                "00043": {
                    "name": "Hans-Jürgen Strauß",
                    "availability": ["Tue 10:00-11:00", "Wed 12:00-13:00"],
                },
            },
        },
        "problems": [],
        "notices": [
            {
                "file": book,
                "line": None,
                "message": "sheet 'Mentoren' read as mentors, as the mapping's sheets say",
            },
            {
                "file": book,
                "line": None,
                "message": "sheet 'Führungskräfte' read as executives, as the mapping's sheets say",
            },
            {
                "file": book,
                "line": None,
                "message": "sheets not read (their names say nothing): 'Hinweise'",
            },
        ],
        "personal": names,
        "inspect": {
            "edits": [
                [["columns", "Digitalisierung"], "topic:digital"],
                [["ignore"], None],
                [["constants"], None],
            ],
        },
        "match": True,
        "chains": [["Mentoren", "Führungskräfte"]],
    }


# --- French CSV -----------------------------------------------------------------

FR_SLOTS = {
    "Lundi midi (12h-14h)": "Mon 12:00-14:00",
    "Mardi matin (9h-11h)": "Tue 09:00-11:00",
    "Jeudi après-midi (14h-16h)": "Thu 14:00-16:00",
    "Vendredi midi (12h-14h)": "Fri 12:00-14:00",
}


@export
def fr_latin1(folder: Path) -> dict[str, Any]:
    """French CSV: ';', Latin-1, a form's fixed availability choices mapped to slots."""
    head = [
        "Matricule",
        "Prénom",
        "Nom",
        "Direction",
        "Responsable",
        "Fuseau horaire",
        "Disponibilités",
        "Langues",
    ]
    mentors: list[list[Any]] = [
        [
            "m-01",
            "Hélène",
            "Dupré",
            "Ressources humaines",
            "d-01",
            "Europe/Paris",
            "Lundi midi (12h-14h), Jeudi après-midi (14h-16h)",
            "Français, Anglais",
        ],
        [
            "m-02",
            "François",
            "Lefèvre",
            "Finances & Comptabilité",
            "d-02",
            "Europe/Paris",
            "Mardi matin (9h-11h)",
            "Français",
        ],
        [
            "m-03",
            "Gaëlle",
            "Bénédicte",
            "Systèmes d'information",
            "d-09",
            "Europe/Brussels",
            "Vendredi midi (12h-14h)",
            "Français, Allemand",
        ],
    ]
    execs: list[list[Any]] = [
        [
            "d-01",
            "Amélie",
            "Rousseau",
            "Direction générale",
            "",
            "Europe/Paris",
            "Lundi midi (12h-14h)",
            "Français",
        ],
        [
            "d-02",
            "Jérôme",
            "Façon",
            "Opérations",
            "d-01",
            "Europe/Paris",
            "Mardi matin (9h-11h), Vendredi midi (12h-14h)",
            "Français, Anglais",
        ],
    ]
    write(folder / "mentors.csv", csv_text([head, *mentors], ";"), "latin-1")
    write(folder / "dirigeants.csv", csv_text([head, *execs], ";"), "latin-1")
    mapping = {
        "files": {"dirigeants.csv": "executives"},
        "columns": {
            "Matricule": "id",
            "Prénom": "name",
            "Nom": "name",
            "Direction": "department",
            "Responsable": "manager_id",
            "Fuseau horaire": "timezone",
            "Disponibilités": "availability",
            "Langues": "languages",
        },
        "list_separator": ",",
        "values": {
            "availability": FR_SLOTS,
            "languages": {"Français": "fr", "Anglais": "en", "Allemand": "de"},
        },
    }
    write_map(folder, mapping)
    notice = "read as Windows-1252/Latin-1, ';'-separated"
    return {
        "about": "French CSV: ';', Latin-1 (no byte of 0x80-0x9F, so Windows-1252 reads it "
        "alike and the notice names both), French headings; day names are read in English "
        "and German only, so the form's fixed availability choices ('Lundi midi (12h-14h)') "
        "are mapped to slots by a value map, with ',' between choices (list_separator), and "
        "language names to codes",
        "inputs": ["mentors.csv", "dirigeants.csv"],
        "options": {"mapping": "map.json"},
        "raw": {
            "mentors.csv": raw("latin-1", ";", "Matricule", "Responsable"),
            "dirigeants.csv": raw("latin-1", ";", "Matricule", "Responsable"),
        },
        "program": {
            "counts": {"mentors": 3, "executives": 2, "org": 0},
            "topics": None,
            "mentors": {
                "m-01": {
                    "name": "Hélène Dupré",
                    "department": "Ressources humaines",
                    "timezone": "Europe/Paris",
                    "availability": ["Mon 12:00-14:00", "Thu 14:00-16:00"],
                    "languages": ["fr", "en"],
                },
                "m-02": {"name": "François Lefèvre", "department": "Finances & Comptabilité"},
                "m-03": {
                    "department": "Systèmes d'information",
                    "timezone": "Europe/Brussels",
                    "languages": ["fr", "de"],
                },
            },
            "executives": {
                "d-01": {"name": "Amélie Rousseau", "manager_id": None},
                "d-02": {
                    "name": "Jérôme Façon",
                    "manager_id": "d-01",
                    "availability": ["Tue 09:00-11:00", "Fri 12:00-14:00"],
                },
            },
        },
        "problems": [
            {
                "severity": "warning",
                "file": "mentors.csv",
                "field": "Responsable",
                "where": "4",
                "count": 1,
                "fragments": ["manager 'd-09' is not in the program or the org chart"],
            },
        ],
        "notices": [
            {"file": "mentors.csv", "line": None, "message": notice},
            {"file": "dirigeants.csv", "line": None, "message": notice},
        ],
        "personal": [f"{r[1]} {r[2]}" for r in mentors + execs],
        "inspect": {
            "edits": [
                [["list_separator"], ","],
                [["values", "availability"], FR_SLOTS],
                [["values", "languages"], {"Français": "fr", "Anglais": "en", "Allemand": "de"}],
                [["constants"], None],
            ],
        },
        "match": True,
        "chains": [["mentors.csv", "dirigeants.csv"]],
    }


# --- UK CSV UTF-8 ---------------------------------------------------------------


@export
def uk_csv_utf8_bom(folder: Path) -> dict[str, Any]:
    """Excel 'CSV UTF-8 (Comma delimited)': a byte-order mark, ',', CRLF, 12-hour times."""
    head = [
        "id",
        "name",
        "department",
        "manager_id",
        "timezone",
        "availability",
        "topic:digital",
        "topic:diversity",
    ]
    mentors: list[list[Any]] = [
        [
            "0101",
            "Siobhán O'Neill",
            "Policy, Strategy & Delivery",
            "0900",
            "Europe/London",
            "Mon 12pm-2pm",
            5,
            3,
            1,
        ],
        [
            "0102",
            "Zoë Brontë",
            "Digital",
            "0201",
            "Europe/London",
            "Tue 9am-10:30am; Thu 12-1pm",
            4,
            5,
            2,
        ],
        [
            "0103",
            "Dónal Ó Briain",
            "Finance",
            "0900",
            "Europe/Dublin",
            "Wednesday 1pm-2pm",
            2,
            4,
            1,
        ],
    ]
    execs: list[list[Any]] = [
        [
            "0201",
            "Ngozi Adébáyọ̀",
            "Operations",
            "0900",
            "Europe/London",
            "Mon 12:30pm-1:30pm",
            5,
            2,
        ],
        ["0202", "Renée Fairbairn", "Legal", "0201", "Europe/London", "Thursday noon-1pm", 3, 5],
    ]
    org = [["id", "manager_id"], ["0900", "NO_MGR"], ["0901", "0900"], ["0902", "0901"]]
    bom = b"\xef\xbb\xbf"
    write(folder / "mentors.csv", csv_text([[*head, "capacity"], *mentors]), "utf-8", bom)
    write(folder / "executives.csv", csv_text([head, *execs]), "utf-8", bom)
    write(folder / "org.csv", csv_text(org), "utf-8", bom)
    notice = "read as UTF-8 (with byte-order mark), ','-separated"
    return {
        "about": "UK CSV UTF-8 with Excel's byte-order mark, ',', CRLF, canonical headings, "
        "12-hour times (12pm-2pm, 9am-10:30am, noon-1pm), Europe/London, an Irish name with "
        "an apostrophe and a Yoruba name with combining marks, a quoted comma, an org file",
        "inputs": ["mentors.csv", "executives.csv", "org.csv"],
        "options": {},
        "raw": {
            "mentors.csv": raw("utf-8-sig", ",", "id", "manager_id"),
            "executives.csv": raw("utf-8-sig", ",", "id", "manager_id"),
            "org.csv": raw("utf-8-sig", ",", "id", "manager_id"),
        },
        "program": {
            "counts": {"mentors": 3, "executives": 2, "org": 1},
            "topics": ["digital", "diversity"],
            "mentors": {
                "0101": {
                    "name": "Siobhán O'Neill",
                    "department": "Policy, Strategy & Delivery",
                    "availability": ["Mon 12:00-14:00"],
                    "capacity": 1,
                },
                "0102": {
                    "name": "Zoë Brontë",
                    "manager_id": "0201",
                    "availability": ["Tue 09:00-10:30", "Thu 12:00-13:00"],
                    "capacity": 2,
                },
                "0103": {"timezone": "Europe/Dublin", "availability": ["Wed 13:00-14:00"]},
            },
            "executives": {
                "0201": {"name": "Ngozi Adébáyọ̀", "availability": ["Mon 12:30-13:30"]},
                "0202": {
                    "availability": ["Thu 12:00-13:00"],
                    "interests": {"digital": 3, "diversity": 5},
                },
            },
        },
        "problems": [],
        "notices": [
            {"file": "executives.csv", "line": None, "message": notice},
            {"file": "mentors.csv", "line": None, "message": notice},
            {"file": "org.csv", "line": None, "message": notice},
        ],
        "personal": [r[1] for r in mentors + execs],
        "match": True,
        "chains": [["mentors.csv", "executives.csv", "org.csv"]],
    }


# --- Excel Unicode text ---------------------------------------------------------


@export
def excel_unicode_text(folder: Path) -> dict[str, Any]:
    """Excel 'Unicode Text (*.txt)': UTF-16 LE with byte-order mark, tab-separated, CRLF."""
    head = ["id", "name", "department", "timezone", "availability", "topic:digital"]
    mentors: list[list[Any]] = [
        ["7001", "Łukasz Żółć", "IT", "Europe/Warsaw", "Mon 12:00-14:00", 5, 2],
        ["7002", "Antonín Dvořák", "Research", "Europe/Prague", "Tue 08:30-10:00", 3, 1],
        ["7003", "Ελένη Παπαδοπούλου", "Sales", "Europe/Athens", "Wed 13:00-15:00", 4, 1],
    ]
    execs: list[list[Any]] = [
        ["8001", "Grzegorz Brzęczyszczykiewicz", "Board", "Europe/Warsaw", "Mon 12:00-13:00", 5],
        ["8002", "Søren Kierkegård", "Finance", "Europe/Copenhagen", "Tue 09:00-10:00", 4],
    ]
    bom = b"\xff\xfe"
    write(folder / "mentors.txt", csv_text([[*head, "capacity"], *mentors], "\t"), "utf-16-le", bom)
    write(folder / "executives.txt", csv_text([head, *execs], "\t"), "utf-16-le", bom)
    notice = "read as UTF-16 (with byte-order mark), tab-separated"
    return {
        "about": "Excel 'Unicode Text': UTF-16 LE with byte-order mark, tabs, CRLF, .txt "
        "files; Polish, Czech, Greek and Danish letters that no single-byte encoding holds",
        "inputs": ["mentors.txt", "executives.txt"],
        "options": {},
        "raw": {
            "mentors.txt": raw("utf-16", "\t", "id"),
            "executives.txt": raw("utf-16", "\t", "id"),
        },
        "program": {
            "counts": {"mentors": 3, "executives": 2, "org": 0},
            "topics": ["digital"],
            "mentors": {
                "7001": {"name": "Łukasz Żółć", "timezone": "Europe/Warsaw", "capacity": 2},
                "7002": {"name": "Antonín Dvořák", "availability": ["Tue 08:30-10:00"]},
                "7003": {"name": "Ελένη Παπαδοπούλου", "timezone": "Europe/Athens"},
            },
            "executives": {
                "8001": {"name": "Grzegorz Brzęczyszczykiewicz", "interests": {"digital": 5}},
                "8002": {"name": "Søren Kierkegård", "timezone": "Europe/Copenhagen"},
            },
        },
        "problems": [],
        "notices": [
            {"file": "executives.txt", "line": None, "message": notice},
            {"file": "mentors.txt", "line": None, "message": notice},
        ],
        "personal": [r[1] for r in mentors + execs],
        "match": True,
        "chains": [],
    }


# --- One people.csv with a role column -----------------------------------------


@export
def people_roles(folder: Path) -> dict[str, Any]:
    """Everyone in one people.csv; the role column says Mentor, Mentee, Führungskraft or nothing."""
    head = [
        "Employee ID",
        "Full name",
        "Role",
        "Department",
        "Manager",
        "Time zone",
        "Availability",
        "topic:digital",
        "topic:work_life_balance",
        "capacity",
    ]
    rows: list[list[Any]] = [
        ["000100", "Dagmar Oberländer", "", "Board", "", "", "", "", "", ""],
        [
            "000110",
            "Rüdiger Falk",
            "Führungskraft",
            "Sales",
            "000100",
            "Europe/Berlin",
            "Mo 12-14",
            5,
            2,
            "",
        ],
        [
            "000111",
            "Ines Jäger",
            "Mentee",
            "Marketing",
            "000100",
            "Europe/Berlin",
            "Tue 9-11",
            3,
            5,
            "",
        ],
        ["000120", "Paul Köhler", "", "Sales", "000110", "", "", "", "", ""],
        [
            "000121",
            "Lea Schäfer",
            "Mentor",
            "Sales",
            "000120",
            "Europe/Berlin",
            "Mon 12-13; Tue 9-10",
            5,
            3,
            2,
        ],
        ["000122", "Tim Großmann", "Mentor", "IT", "000111", "Europe/Berlin", "Tue 9-10", 4, 4, 1],
        ["000123", "Mia Dörr", "mentor", "IT", "000100", "Europe/Berlin", "Mo 12-13", 2, 5, 1],
    ]
    write(folder / "people.csv", csv_text([head, *rows], ",", LF), "utf-8")
    mapping = {
        "columns": {
            "Employee ID": "id",
            "Full name": "name",
            "Role": "role",
            "Department": "department",
            "Manager": "manager_id",
            "Time zone": "timezone",
            "Availability": "availability",
        },
        "roles": {"Mentee": "executive", "Führungskraft": "executive", "Mentor": "mentor"},
    }
    write_map(folder, mapping)
    return {
        "about": "one people.csv (UTF-8, ',', LF) with a role column mapped by 'roles' "
        "(Mentee, Führungskraft, Mentor in any case, empty for people outside the program "
        "who are kept as the org chart); mentors who report to executives",
        "inputs": ["people.csv"],
        "options": {"mapping": "map.json"},
        "raw": {"people.csv": raw("utf-8", ",", "Employee ID", "Manager", role="Role")},
        "program": {
            "counts": {"mentors": 3, "executives": 2, "org": 2},
            "topics": ["digital", "work_life_balance"],
            "mentors": {
                "000121": {
                    "name": "Lea Schäfer",
                    "manager_id": "000120",
                    "capacity": 2,
                    "availability": ["Mon 12:00-13:00", "Tue 09:00-10:00"],
                },
                "000122": {"manager_id": "000111"},
                "000123": {"name": "Mia Dörr"},
            },
            "executives": {
                "000110": {
                    "name": "Rüdiger Falk",
                    "availability": ["Mon 12:00-14:00"],
                    "interests": {"digital": 5, "work_life_balance": 2},
                },
                "000111": {"name": "Ines Jäger", "department": "Marketing"},
            },
            "org": {"000100": None, "000120": "000110"},
        },
        "problems": [],
        "notices": [
            {"file": "people.csv", "line": None, "message": "read as UTF-8, ','-separated"}
        ],
        "personal": [r[1] for r in rows],
        "inspect": {"edits": []},
        "match": True,
        "chains": [["people.csv"]],
    }


# --- Workday --------------------------------------------------------------------

WD_ZONES = {
    "Europe/Berlin": "GMT+01:00 Central European Time (Europe/Berlin)",
    "Europe/London": "GMT+00:00 Greenwich Mean Time (Europe/London)",
    "America/New_York": "GMT-05:00 Eastern Time (America/New_York)",
}


@export
def workday(folder: Path) -> dict[str, Any]:
    """A Workday worker report: terminated workers, zones as Workday shows them."""
    head = [
        "Employee_ID",
        "Worker",
        "Email_Address",
        "Manager_ID",
        "Cost_Center",
        "Location",
        "Time_Zone",
        "Worker_Status",
        "availability",
        "topic:digital",
    ]
    z = WD_ZONES
    mentors: list[list[Any]] = [
        [
            "021001",
            "Kai Lindqvist",
            "k.lindqvist@example.com",
            "020010",
            "CC-410 Engineering",
            "Berlin",
            z["Europe/Berlin"],
            "Active",
            "Mon 12:00-14:00",
            5,
            2,
        ],
        [
            "021002",
            "Fenna Høeg",
            "f.hoeg@example.com",
            "020010",
            "CC-410 Engineering",
            "Berlin",
            z["Europe/Berlin"],
            "Terminated",
            "Mon 12:00-14:00",
            4,
            1,
        ],
        [
            "021003",
            "Joaquín Ortega",
            "j.ortega@example.com",
            "020020",
            "CC-220 Finance",
            "London",
            z["Europe/London"],
            "Active",
            "Mon 11:00-13:00",
            3,
            1,
        ],
        [
            "021004",
            "Ayşe Yıldız",
            "a.yildiz@example.com",
            "020030",
            "CC-310 Sales",
            "New York",
            z["America/New_York"],
            "Active",
            "Mon 07:00-09:00",
            4,
            1,
        ],
        [
            "021005",
            "Noé Laurent",
            "n.laurent@example.com",
            "020020",
            "CC-220 Finance",
            "London",
            z["Europe/London"],
            "Terminated",
            "Tue 09:00-10:00",
            2,
            1,
        ],
    ]
    execs: list[list[Any]] = [
        [
            "020010",
            "Greta Sønderby",
            "g.sonderby@example.com",
            "020001",
            "CC-100 Board",
            "Berlin",
            z["Europe/Berlin"],
            "Active",
            "Mon 12:00-13:00",
            5,
        ],
        [
            "020020",
            "Malik Osei",
            "m.osei@example.com",
            "020001",
            "CC-100 Board",
            "London",
            z["Europe/London"],
            "Active",
            "Mon 11:00-12:00",
            4,
        ],
        [
            "020030",
            "Lin Wàng",
            "l.wang@example.com",
            "020001",
            "CC-100 Board",
            "New York",
            z["America/New_York"],
            "Terminated",
            "Mon 07:00-08:00",
            3,
        ],
    ]
    org_head = ["Employee_ID", "Worker", "Manager_ID", "Cost_Center", "Worker_Status"]
    org: list[list[Any]] = [
        ["020001", "Ruth Abernathy", "", "CC-000 Office of the CEO", "Active"],
        *[[r[0], r[1], r[3], r[4], r[7]] for r in mentors + execs],
        ["020040", "Oskar Brandt", "020001", "CC-500 Legal", "Active"],
    ]
    write(folder / "mentors.csv", csv_text([[*head, "capacity"], *mentors]), "utf-8")
    write(folder / "executives.csv", csv_text([head, *execs]), "utf-8")
    write(folder / "org.csv", csv_text([org_head, *org]), "utf-8")
    people = mentors + execs
    notice = "read as UTF-8, ','-separated"
    unread = "columns not read: 'Worker' (B), 'Email_Address' (C), 'Worker_Status' (H)"
    return {
        "about": "Workday worker report (UTF-8, ',', CRLF) read with the workday preset: "
        "terminated workers dropped and each listed with its row, zones written "
        "'GMT+01:00 Central European Time (Europe/Berlin)', ids with leading zeros, "
        "the full worker report as org.csv",
        "inputs": ["mentors.csv", "executives.csv", "org.csv"],
        "options": {"preset": "workday"},
        "raw": {
            "mentors.csv": raw("utf-8", ",", "Employee_ID", "Manager_ID"),
            "executives.csv": raw("utf-8", ",", "Employee_ID", "Manager_ID"),
            "org.csv": raw("utf-8", ",", "Employee_ID", "Manager_ID"),
        },
        "program": {
            # The CEO, and the participants' own rows of the worker report.
            "counts": {"mentors": 3, "executives": 2, "org": 7},
            "topics": ["digital"],
            "mentors": {
                "021001": {
                    "department": "CC-410 Engineering",
                    "location": "Berlin",
                    "timezone": "Europe/Berlin",
                    "manager_id": "020010",
                    "capacity": 2,
                },
                "021003": {"timezone": "Europe/London", "availability": ["Mon 11:00-13:00"]},
                "021004": {"timezone": "America/New_York", "location": "New York"},
            },
            "executives": {
                "020010": {
                    "department": "CC-100 Board",
                    "timezone": "Europe/Berlin",
                    "manager_id": "020001",
                },
                "020020": {"timezone": "Europe/London"},
            },
            "org": {"020001": None, "021004": "020030", "020010": "020001"},
        },
        "problems": [],
        "notices": [
            {"file": "executives.csv", "line": None, "message": notice},
            {"file": "executives.csv", "line": 1, "message": unread},
            {
                "file": "executives.csv",
                "line": 4,
                "field": "Worker_Status",
                "record": "executive '020030'",
                "message": "row left out: terminated worker",
            },
            {"file": "mentors.csv", "line": None, "message": notice},
            {"file": "mentors.csv", "line": 1, "message": unread},
            {
                "file": "mentors.csv",
                "line": 3,
                "field": "Worker_Status",
                "record": "mentor '021002'",
                "message": "row left out: terminated worker",
            },
            {
                "file": "mentors.csv",
                "line": 6,
                "field": "Worker_Status",
                "record": "mentor '021005'",
                "message": "row left out: terminated worker",
            },
            {"file": "org.csv", "line": None, "message": notice},
            {
                "file": "org.csv",
                "line": 1,
                "message": "columns not read: 'Worker' (B), 'Cost_Center' (D), 'Worker_Status' (E)",
            },
        ],
        "personal": [r[1] for r in people + org] + [r[2] for r in people],
        "match": True,
        "chains": [["mentors.csv", "executives.csv", "org.csv"]],
    }


# --- SuccessFactors -------------------------------------------------------------

SF_HEAD = [
    "STATUS",
    "USERID",
    "USERNAME",
    "FIRSTNAME",
    "LASTNAME",
    "EMAIL",
    "MANAGER",
    "HR",
    "DEPARTMENT",
    "LOCATION",
    "TIMEZONE",
    "HIREDATE",
    "availability",
    "topic:digital",
    "topic:diversity",
]
SF_LABELS = [
    "Status",
    "User ID",
    "Username",
    "First Name",
    "Last Name",
    "Email",
    "Manager",
    "Human Resource",
    "Department",
    "Location",
    "Time Zone",
    "Hire Date",
    "availability",
    "topic:digital",
    "topic:diversity",
]


@export
def successfactors(folder: Path) -> dict[str, Any]:
    """A SuccessFactors user data file: two header rows, inactive users (STATUS)."""

    def person(
        status: str,
        uid: str,
        first: str,
        last: str,
        manager: str,
        dept: str,
        zone: str,
        slots: str,
        digital: int,
        diversity: int,
    ) -> list[Any]:
        return [
            status,
            uid,
            f"{first[0]}{last}".lower(),
            first,
            last,
            emails([f"{first} {last}"], "corp.example")[0],
            manager,
            "hr01",
            dept,
            "Walldorf",
            zone,
            "01/15/2019",
            slots,
            digital,
            diversity,
        ]

    mentors: list[list[Any]] = [
        [
            *person(
                "active",
                "u0007",
                "Małgorzata",
                "Nowak",
                "u0100",
                "IT Services",
                "Europe/Berlin",
                "Mon 12:00-14:00",
                5,
                2,
            ),
            2,
        ],
        [
            *person(
                "inactive",
                "u0008",
                "Pierre",
                "Lambert",
                "u0100",
                "IT Services",
                "Europe/Berlin",
                "Mon 12:00-14:00",
                4,
                3,
            ),
            1,
        ],
        [
            *person(
                "active",
                "u0009",
                "Aiko",
                "Tanaka-Römer",
                "u0101",
                "Finance",
                "Europe/Berlin",
                "Mon 12:00-14:00; Tue 09:00-10:00; Wed 14:00-16:00",
                3,
                5,
            ),
            1,
        ],
        [
            *person(
                "f",
                "u0010",
                "Bruno",
                "Sánchez",
                "u0101",
                "Finance",
                "Europe/Berlin",
                "Tue 09:00-10:00",
                1,
                1,
            ),
            1,
        ],
        [
            *person(
                "active",
                "u0011",
                "Ingrid",
                "Åkesson",
                "u0102",
                "Sales",
                "US/Eastern",
                "Wed 08:00-10:00",
                4,
                4,
            ),
            1,
        ],
    ]
    execs: list[list[Any]] = [
        person(
            "active",
            "u0100",
            "Wolfgang",
            "Eßer",
            "NO_MANAGER",
            "Executive Board",
            "Europe/Berlin",
            "Mon 12:00-13:00",
            5,
            1,
        ),
        person(
            "active",
            "u0101",
            "Friederike",
            "von Bülow",
            "u0100",
            "Finance",
            "Europe/Berlin",
            "Tue 09:00-10:00",
            2,
            5,
        ),
        person(
            "active",
            "u0102",
            "Marcus",
            "O'Brien",
            "u0100",
            "Sales",
            "US/Eastern",
            "Wed 08:00-10:00",
            4,
            4,
        ),
    ]
    write(
        folder / "mentors.csv",
        csv_text([[*SF_HEAD, "capacity"], [*SF_LABELS, "capacity"], *mentors], ",", LF),
        "utf-8",
    )
    write(folder / "executives.csv", csv_text([SF_HEAD, SF_LABELS, *execs], ",", LF), "utf-8")
    people = mentors + execs
    notice = "read as UTF-8, ','-separated"
    unread = "columns not read: 'STATUS' (A), 'USERNAME' (C), 'HR' (H), 'HIREDATE' (L)"
    return {
        "about": "SAP SuccessFactors user data file (UTF-8, ',', LF) with its second header "
        "row of display labels, inactive users (STATUS inactive and f) dropped and listed, "
        "NO_MANAGER at the top, US/Eastern, FIRSTNAME + LASTNAME joined as the name",
        "inputs": ["mentors.csv", "executives.csv"],
        "options": {"preset": "successfactors"},
        "raw": {
            "mentors.csv": raw("utf-8", ",", "USERID", "MANAGER", header_rows=2),
            "executives.csv": raw("utf-8", ",", "USERID", "MANAGER", header_rows=2),
        },
        "program": {
            "counts": {"mentors": 3, "executives": 3, "org": 0},
            "topics": ["digital", "diversity"],
            "mentors": {
                "u0007": {
                    "name": "Małgorzata Nowak",
                    "department": "IT Services",
                    "location": "Walldorf",
                    "manager_id": "u0100",
                    "capacity": 2,
                    "email": "m.nowak@corp.example",
                },
                "u0009": {"name": "Aiko Tanaka-Römer", "expertise": {"digital": 3, "diversity": 5}},
                "u0011": {"timezone": "US/Eastern", "availability": ["Wed 08:00-10:00"]},
            },
            "executives": {
                "u0100": {"name": "Wolfgang Eßer", "manager_id": None},
                "u0101": {"name": "Friederike von Bülow"},
                "u0102": {"name": "Marcus O'Brien", "timezone": "US/Eastern"},
            },
        },
        "problems": [],
        "notices": [
            {"file": "executives.csv", "line": None, "message": notice},
            {"file": "executives.csv", "line": 1, "message": unread},
            {"file": "mentors.csv", "line": None, "message": notice},
            {"file": "mentors.csv", "line": 1, "message": unread},
            {
                "file": "mentors.csv",
                "line": 4,
                "field": "STATUS",
                "record": "mentor 'u0008'",
                "message": "row left out: inactive user (STATUS)",
            },
            {
                "file": "mentors.csv",
                "line": 6,
                "field": "STATUS",
                "record": "mentor 'u0010'",
                "message": "row left out: inactive user (STATUS)",
            },
        ],
        "personal": [f"{r[3]} {r[4]}" for r in people]
        + [r[5] for r in people]
        + [r[4] for r in people],
        "match": True,
        "chains": [["mentors.csv", "executives.csv"]],
    }


# --- Another mentoring tool's export ---------------------------------------------

TOOL_GRADES = {"SCS1": 11, "SCS2": 12, "SCS3": 13, "G6": 8, "G7": 7, "HEO": 5, "SEO": 6}
TOOL_TOPICS = {
    "DDaT": {"digital": 5},
    "HR": {"diversity": 4, "work_life_balance": 3},
    "Finance": {},
    "Policy": {"social_media": 2},
}


@export
def mentoring_tool(folder: Path) -> dict[str, Any]:
    """Two files from another mentoring tool: first/last name, grade labels, profession."""
    head = [
        "participant id",
        "first name",
        "last name",
        "email",
        "organisation",
        "grade",
        "profession",
        "role",
        "phone",
    ]
    mentees = [
        ["e-01", "Ada", "Lovelace", "HM Treasury", "SCS2", "Finance", "Mentee", "0123 4567"],
        ["e-02", "Alan", "Turing", "Cabinet Office", "SCS1", "DDaT", "Mentee", "0123 4568"],
        ["e-03", "Grace", "Hopper", "Home Office", "SCS3", "HR", "Mentee", "0123 4569"],
        ["e-04", "Aoife", "Ní Bhriain", "Cabinet Office", "SCS1", "Policy", "Mentee", ""],
    ]
    mentors: list[list[Any]] = [
        ["m-01", "Tim", "Berners", "Home Office", "G7", "DDaT", "Mentor", "0200"],
        ["m-02", "Rosalind", "Franklin", "HM Treasury", "HEO", "HR", "Mentor", "0201"],
        ["m-03", "Katherine", "Johnson", "Cabinet Office", "SEO", "Finance", "Mentor", "0202"],
        ["m-04", "Chidi", "Okonkwo-Smith", "Home Office", "G6", "Policy", "Mentor", ""],
        ["m-05", "Beatriz", "Estévez", "HM Treasury", "G7", "DDaT", "Mentor", "0204"],
    ]

    def rows(people: list[list[str]]) -> list[list[str]]:
        out = []
        for r in people:
            mail = emails([f"{r[1]} {r[2]}"], "example.org")[0]
            out.append([*r[:3], mail, *r[3:]])
        return out

    write(folder / "mentees.csv", csv_text([head, *rows(mentees)], ",", LF), "utf-8")
    write(folder / "mentors.csv", csv_text([head, *rows(mentors)], ",", LF), "utf-8")
    mapping = {
        "files": {"mentees.csv": "executives", "mentors.csv": "mentors"},
        "columns": {
            "participant id": "id",
            "first name": "name",
            "last name": "name",
            "organisation": "department",
            "grade": "grade",
        },
        "ignore": ["email", "role", "phone"],
        "values": {"grade": TOOL_GRADES},
        "constants": {"timezone": "Europe/London", "availability": "Mon 12:00-14:00"},
        "topics_from": {"profession": TOOL_TOPICS},
    }
    write_map(folder, mapping)
    people = rows(mentees) + rows(mentors)
    unread = "columns not read: 'email' (D), 'role' (H), 'phone' (I)"
    return {
        "about": "a foreign mentoring tool's mentees.csv + mentors.csv (UTF-8, ',', LF): "
        "first and last name, e-mail, organisation, grade labels (SCS1-3, G6, G7, HEO, SEO) "
        "mapped to ranks, profession turned into topic levels by topics_from, a role column "
        "that repeats the file name, no time zone or availability (constants)",
        "inputs": ["mentees.csv", "mentors.csv"],
        "options": {"mapping": "map.json"},
        "raw": {
            "mentees.csv": raw("utf-8", ",", "participant id"),
            "mentors.csv": raw("utf-8", ",", "participant id"),
        },
        "program": {
            "counts": {"mentors": 5, "executives": 4, "org": 0},
            "topics": None,
            "mentors": {
                "m-01": {
                    "name": "Tim Berners",
                    "department": "Home Office",
                    "grade": 7,
                    "timezone": "Europe/London",
                    "availability": ["Mon 12:00-14:00"],
                    "expertise": {"digital": 5},
                    "email": None,
                    "capacity": 1,
                },
                "m-02": {"grade": 5, "expertise": {"diversity": 4, "work_life_balance": 3}},
                "m-03": {"grade": 6, "expertise": {}},
                "m-04": {
                    "name": "Chidi Okonkwo-Smith",
                    "grade": 8,
                    "expertise": {"social_media": 2},
                },
            },
            "executives": {
                "e-01": {
                    "name": "Ada Lovelace",
                    "department": "HM Treasury",
                    "grade": 12,
                    "interests": {},
                },
                "e-02": {"grade": 11, "interests": {"digital": 5}},
                "e-04": {"name": "Aoife Ní Bhriain", "grade": 11},
            },
        },
        "problems": [],
        "notices": [
            {"file": "mentees.csv", "line": None, "message": "read as UTF-8, ','-separated"},
            {"file": "mentees.csv", "line": 1, "message": unread},
            {"file": "mentors.csv", "line": None, "message": "read as UTF-8, ','-separated"},
            {"file": "mentors.csv", "line": 1, "message": unread},
        ],
        "personal": [f"{r[1]} {r[2]}" for r in people] + [r[3] for r in people],
        "inspect": {
            "edits": [
                *[[["values", "grade", k], v] for k, v in TOOL_GRADES.items()],
                [["constants"], {"timezone": "Europe/London", "availability": "Mon 12:00-14:00"}],
                [["columns", "email"], None],
                [["ignore"], ["email", "role", "phone"]],
                [["topics_from"], {"profession": TOOL_TOPICS}],
            ],
        },
        "match": True,
        "chains": [],
    }


# --- A '|' dump with the full HR export -----------------------------------------


def hr_tree(size: int, seed: int) -> list[tuple[str, str]]:
    """(id, manager id) of a company of ``size``: a random tree below E000001."""
    rng = random.Random(seed)
    rows = [("E000001", "")]
    for n in range(2, size + 1):
        boss = rows[rng.randrange(max(1, (n - 1) // 3), n - 1)][0] if n > 4 else "E000001"
        rows.append((f"E{n:06d}", boss))
    return rows


def chain(tree: dict[str, str], start: str) -> list[str]:
    out = []
    node = tree.get(start, "")
    while node and node not in out:
        out.append(node)
        node = tree.get(node, "")
    return out


@export
def pipe_dump(folder: Path) -> dict[str, Any]:
    """A '|'-separated database dump: participants, and the whole company as org.csv."""
    tree = hr_tree(3000, seed=7)
    managers = dict(tree)
    mentor_ids = ["E002950", "E002951", "E002990", "E001500", "E000777", "E002500"]
    # Two executives above mentors in the company's tree, two elsewhere.
    exec_ids = [chain(managers, "E002950")[1], chain(managers, "E001500")[0], "E000300", "E001499"]
    head = ["id", "name", "department", "manager_id", "timezone", "availability", "topic:digital"]
    zones = ["Europe/Madrid", "Europe/Lisbon", "Atlantic/Canary"]
    depts = ["Finance, Risk", "Digital", "Operations"]
    first = [
        "Núria",
        "João",
        "Íñigo",
        "Begoña",
        "Mónica",
        "Ángel",
        "Raúl",
        "Inês",
        "Sofía",
        "Gonçalo",
    ]
    names = [
        f"{first[i]} {last}"
        for i, last in enumerate(
            [
                "Puig",
                "Gonçalves",
                "Zubizarreta",
                "Echeverría",
                "Álvarez",
                "Peña",
                "Muñoz",
                "Conceição",
                "Ibáñez",
                "Magalhães",
            ]
        )
    ]
    slots = ["Mon 12:00-14:00", "Tue 09:00-11:00", "Mon 13:00-14:00"]

    def row(i: int, pid: str) -> list[Any]:
        return [pid, names[i], depts[i % 3], managers[pid], zones[i % 3], slots[i % 3], (i * 2) % 6]

    mentors = [[*row(i, pid), 1 + i % 2] for i, pid in enumerate(mentor_ids)]
    execs = [row(i + 6, pid) for i, pid in enumerate(exec_ids)]
    org = [["id", "manager_id", "grade_code", "cost_centre"]] + [
        [pid, boss, f"L{int(pid[1:]) % 7}", f"CC{int(pid[1:]) % 40:03d}"] for pid, boss in tree
    ]
    write(
        folder / "mentors.csv", csv_text([[*head, "capacity"], *mentors], "|", LF, False), "utf-8"
    )
    write(folder / "executives.csv", csv_text([head, *execs], "|", LF, False), "utf-8")
    write(folder / "org.csv", csv_text(org, "|", LF, False), "utf-8")
    participants = mentor_ids + exec_ids
    kept = sorted(
        {m for p in participants for m in chain(managers, p)} | (set(participants) & set(managers))
    )
    notice = "read as UTF-8, '|'-separated"
    return {
        "about": "a '|'-separated dump (UTF-8, LF, nothing quoted, a comma inside a cell) "
        "with the whole company of 3,000 employees as org.csv: only the reporting chains "
        "above participants are kept",
        "inputs": ["mentors.csv", "executives.csv", "org.csv"],
        "options": {},
        "raw": {
            "mentors.csv": raw("utf-8", "|", "id", "manager_id"),
            "executives.csv": raw("utf-8", "|", "id", "manager_id"),
            "org.csv": raw("utf-8", "|", "id", "manager_id"),
        },
        "program": {
            "counts": {"mentors": 6, "executives": 4, "org": len(kept)},
            "org_read": 3000,
            "topics": ["digital"],
            "mentors": {
                "E002950": {
                    "name": names[0],
                    "department": "Finance, Risk",
                    "manager_id": managers["E002950"],
                    "timezone": "Europe/Madrid",
                },
                "E000777": {"name": names[4], "timezone": "Europe/Lisbon"},
            },
            "executives": {
                exec_ids[0]: {
                    "name": names[6],
                    "manager_id": managers[exec_ids[0]],
                    "timezone": "Europe/Madrid",
                },
                "E001499": {"name": names[9], "timezone": "Europe/Madrid"},
            },
        },
        "problems": [],
        "notices": [
            {"file": "executives.csv", "line": None, "message": notice},
            {"file": "mentors.csv", "line": None, "message": notice},
            {"file": "org.csv", "line": None, "message": notice},
            {
                "file": "org.csv",
                "line": 1,
                "message": "columns not read: 'grade_code' (C), 'cost_centre' (D)",
            },
        ],
        "personal": names,
        "match": True,
        "chains": [["mentors.csv", "executives.csv", "org.csv"]],
    }


# --- Broken exports -----------------------------------------------------------------


@export
def broken_missing_zones(folder: Path) -> dict[str, Any]:
    """200 mentors without a time zone, and a grade label the mapping does not know."""
    head = ["id", "name", "email", "timezone", "grade", "availability", "capacity"]
    mentors = []
    for n in range(1, 206):
        zone = "" if n <= 200 else "Europe/London"
        grade = "Grade 6" if n == 203 else ["G7", "SEO", "HEO"][n % 3]
        mentors.append(
            [
                f"m{n:04d}",
                f"Mentor{n:04d} Pérez",
                f"mentor{n:04d}@example.net",
                zone,
                grade,
                "Mon 12:00-14:00",
                1,
            ]
        )
    execs: list[list[Any]] = [
        [
            "x001",
            "Conceição Brandão",
            "c.brandao@example.net",
            "Europe/London",
            "SCS2",
            "Mon 12:00-13:00",
        ],
        ["x002", "Yusuf Çakır", "y.cakir@example.net", "Europe/London", "SCS 1", "Mon 13:00-14:00"],
    ]
    write(folder / "mentors.csv", csv_text([head, *mentors], ",", CRLF), "utf-8")
    write(folder / "executives.csv", csv_text([head[:-1], *execs], ",", CRLF), "utf-8")
    mapping = {
        "ignore": ["name", "email"],
        "values": {"grade": {"G7": 7, "SEO": 6, "HEO": 5, "SCS1": 11, "SCS2": 12}},
    }
    write_map(folder, mapping)
    unread = "columns not read: 'name' (B), 'email' (C)"
    return {
        "about": "a broken export: 200 mentors without a time zone (one grouped line, rows "
        "2-201), a grade label 'Grade 6' and a label 'SCS 1' written with a space that the "
        "value map does not know; names and e-mails are ignored by the mapping",
        "inputs": ["mentors.csv", "executives.csv"],
        "options": {"mapping": "map.json"},
        "raw": {
            "mentors.csv": raw("utf-8", ",", "id"),
            "executives.csv": raw("utf-8", ",", "id"),
        },
        "program": None,
        "counts": {"mentors": 204, "executives": 1},
        "rows_not_read": 2,
        "problems": [
            {
                "severity": "error",
                "file": "mentors.csv",
                "field": "timezone",
                "where": "rows 2–201",
                "count": 200,
                "fragments": ["no time zone"],
            },
            {
                "severity": "error",
                "file": "mentors.csv",
                "field": "grade",
                "where": "204",
                "count": 1,
                "fragments": [
                    "the label 'Grade 6' in column 'grade'",
                    "not in the value map 'grade'",
                ],
            },
            {
                "severity": "error",
                "file": "executives.csv",
                "field": "grade",
                "where": "3",
                "count": 1,
                "fragments": ["the label 'SCS 1' in column 'grade'"],
            },
        ],
        "notices": [
            {"file": "executives.csv", "line": None, "message": "read as UTF-8, ','-separated"},
            {"file": "executives.csv", "line": 1, "message": unread},
            {"file": "mentors.csv", "line": None, "message": "read as UTF-8, ','-separated"},
            {"file": "mentors.csv", "line": 1, "message": unread},
        ],
        "personal": [r[1] for r in mentors + execs] + [r[2] for r in mentors + execs],
        "match": False,
    }


@export
def zone_abbreviations(folder: Path) -> dict[str, Any]:
    """Time zones written as abbreviations and with typos."""
    head = ["id", "name", "timezone", "availability"]
    mentors: list[list[Any]] = [
        ["m1", "Kirsten Haaß", "CET", "Mon 12-14", 1],
        ["m2", "Ravi Shankar", "IST", "Mon 12-14", 1],
        ["m3", "Vikram Rao", "Europe/Berlim", "Mon 12-14", 1],
        ["m4", "Anja Wendt", "CET", "Tue 9-10", 1],
        ["m5", "Oliver Twist", "europe/london", "Tue 9-10", 1],
    ]
    execs: list[list[Any]] = [
        ["e1", "Priya Natarajan", "Asia/Kolkata", "Mon 15:30-17:30"],
        ["e2", "Bernd Stromberg", "CET", "Mon 12-13"],
        ["e3", "Hank Moody", "EST", "Mon 8-9"],
        ["e4", "Marta Ruiz", "Europe/Madird", "Tue 9-10"],
    ]
    write(folder / "mentors.csv", csv_text([[*head, "capacity"], *mentors]), "utf-8")
    write(folder / "executives.csv", csv_text([head, *execs]), "utf-8")
    return {
        "about": "time zones as people type them: CET and EST (read as fixed offsets, with a "
        "warning naming the likely place), IST (an error: India, Ireland or Israel), typos "
        "Europe/Berlim and Europe/Madird (errors with 'did you mean'), europe/london in "
        "lower case (accepted)",
        "inputs": ["mentors.csv", "executives.csv"],
        "options": {},
        "raw": {
            "mentors.csv": raw("utf-8", ",", "id"),
            "executives.csv": raw("utf-8", ",", "id"),
        },
        "program": None,
        "counts": {"mentors": 5, "executives": 4},
        "problems": [
            {
                "severity": "warning",
                "file": "mentors.csv",
                "field": "timezone",
                "where": "rows 2, 5",
                "count": 2,
                "fragments": ["'CET' is an abbreviation", "did you mean 'Europe/Berlin'?"],
            },
            {
                "severity": "error",
                "file": "mentors.csv",
                "field": "timezone",
                "where": "3",
                "count": 1,
                "fragments": ["'IST'", "several places"],
            },
            {
                "severity": "error",
                "file": "mentors.csv",
                "field": "timezone",
                "where": "4",
                "count": 1,
                "fragments": ["unknown time zone 'Europe/Berlim'", "did you mean 'Europe/Berlin'?"],
            },
            {
                "severity": "warning",
                "file": "executives.csv",
                "field": "timezone",
                "where": "3",
                "count": 1,
                "fragments": ["'CET' is an abbreviation"],
            },
            {
                "severity": "warning",
                "file": "executives.csv",
                "field": "timezone",
                "where": "4",
                "count": 1,
                "fragments": ["'EST' is a fixed offset", "did you mean 'America/New_York'?"],
            },
            {
                "severity": "error",
                "file": "executives.csv",
                "field": "timezone",
                "where": "5",
                "count": 1,
                "fragments": ["unknown time zone 'Europe/Madird'", "did you mean 'Europe/Madrid'?"],
            },
        ],
        "notices": [
            {"file": "executives.csv", "line": None, "message": "read as UTF-8, ','-separated"},
            {"file": "mentors.csv", "line": None, "message": "read as UTF-8, ','-separated"},
        ],
        "personal": [r[1] for r in mentors + execs],
        "match": False,
    }


@export
def slots_midnight(folder: Path) -> dict[str, Any]:
    """Slots across midnight, en dashes, and line breaks inside quoted cells."""
    head = ["id", "name", "timezone", "availability", "topic:digital"]
    mentors: list[list[Any]] = [
        ["n-01", "Haruto Satō", "Asia/Tokyo", "Mon 22:00\u201302:00", 5, 1],
        [
            "n-02",
            "Emily Nguyễn",
            "America/Los_Angeles",
            "Sun 23\u20131\nWed 17:00 \u2013 19:00",
            4,
            1,
        ],
        ["n-03", "Kalani Akana", "Pacific/Honolulu", "Fr 17\u201319 Uhr", 3, 1],
    ]
    execs: list[list[Any]] = [
        ["x-01", "Yuki Mori", "Asia/Tokyo", "Tue 00:00\u201301:00\nMon 23:00-24:00", 5],
        ["x-02", "Sébastien Ó Dálaigh", "Europe/Dublin", "Mon 8-9 (fortnightly)", 4],
    ]
    write(folder / "mentors.csv", csv_text([[*head, "capacity"], *mentors], ",", CRLF), "utf-8")
    write(folder / "executives.csv", csv_text([head, *execs], ",", CRLF), "utf-8")
    return {
        "about": "slots written across midnight (Mon 22:00–02:00, Sun 23–1 wrapping to "
        "Monday), en dashes in UTF-8, 'Uhr', fortnightly, and line breaks inside quoted "
        "cells (a row of the spreadsheet spans several text lines, rows still count as the "
        "spreadsheet shows them)",
        "inputs": ["mentors.csv", "executives.csv"],
        "options": {},
        "raw": {
            "mentors.csv": raw("utf-8", ",", "id"),
            "executives.csv": raw("utf-8", ",", "id"),
        },
        "program": {
            "counts": {"mentors": 3, "executives": 2, "org": 0},
            "topics": ["digital"],
            "mentors": {
                "n-01": {
                    "name": "Haruto Satō",
                    "availability": ["Mon 22:00-24:00", "Tue 00:00-02:00"],
                },
                "n-02": {
                    "name": "Emily Nguyễn",
                    "availability": ["Sun 23:00-24:00", "Mon 00:00-01:00", "Wed 17:00-19:00"],
                },
                "n-03": {"availability": ["Fri 17:00-19:00"]},
            },
            "executives": {
                "x-01": {"availability": ["Tue 00:00-01:00", "Mon 23:00-24:00"]},
                "x-02": {
                    "name": "Sébastien Ó Dálaigh",
                    "availability": ["Mon 08:00-09:00 fortnightly"],
                },
            },
        },
        "problems": [],
        "notices": [
            {"file": "executives.csv", "line": None, "message": "read as UTF-8, ','-separated"},
            {"file": "mentors.csv", "line": None, "message": "read as UTF-8, ','-separated"},
        ],
        "personal": [r[1] for r in mentors + execs],
        "match": True,
        "chains": [],
    }


# --- An HR tool's CSV with Excel's sep= line --------------------------------------


@export
def hr_tool_sep_line(folder: Path) -> dict[str, Any]:
    """An HR tool's export for German Excel: BOM, a 'sep=;' line, a status to drop."""
    head = [
        "ID",
        "Name",
        "Abteilung",
        "Vorgesetzter",
        "Zeitzone",
        "Verfügbarkeit",
        "Status",
        "Geburtsdatum",
    ]
    mentors: list[list[Any]] = [
        [
            "1001",
            "Gülşen Yılmaz",
            "IT",
            "2001",
            "Europe/Berlin",
            "Mo 12-14, Do 8-9",
            "aktiv",
            "1990-04-01",
            2,
        ],
        [
            "1002",
            "Jörg Bäumer",
            "IT",
            "2001",
            "Europe/Berlin",
            "Di 9-10",
            "ausgeschieden",
            "1985-11-23",
            1,
        ],
        [
            "1003",
            "Małgosia Wróbel",
            "Vertrieb",
            "2002",
            "Europe/Berlin",
            "Mo 12-13; Do 8-9",
            "aktiv",
            "1994-02-14",
            1,
        ],
    ]
    execs: list[list[Any]] = [
        [
            "2001",
            "Ekkehard Fröhlich",
            "Vorstand",
            "KEINER",
            "Europe/Berlin",
            "Mo 12-13",
            "aktiv",
            "1961-07-30",
        ],
        [
            "2002",
            "Henriette Löwe",
            "Vertrieb",
            "2001",
            "Europe/Berlin",
            "Do 8-9",
            "aktiv",
            "1968-03-03",
        ],
    ]
    bom = b"\xef\xbb\xbf"
    write(
        folder / "Mentoren_2027-01.csv",
        "sep=;" + CRLF + csv_text([[*head, "Kapazität"], *mentors], ";"),
        "utf-8",
        bom,
    )
    write(
        folder / "Mentees_2027-01.csv", "sep=;" + CRLF + csv_text([head, *execs], ";"), "utf-8", bom
    )
    mapping = {
        "files": {"mentees_*.csv": "executives", "mentoren_*.csv": "mentors"},
        "columns": {
            "Name": "name",
            "Abteilung": "department",
            "Vorgesetzter": "manager_id",
            "Zeitzone": "timezone",
            "Verfügbarkeit": "availability",
            "Kapazität": "capacity",
        },
        "ignore_unknown": True,
        "no_manager": ["KEINER"],
        "drop": [
            {
                "column": "Status",
                "values": ["ausgeschieden"],
                "reason": "left the company (Status ausgeschieden)",
            }
        ],
    }
    write_map(folder, mapping)
    notice = (
        "read as UTF-8 (with byte-order mark), ';'-separated as its first line 'sep=;' "
        "says (a line Excel hides)"
    )
    unread = "columns not read: 'Status' (G), 'Geburtsdatum' (H)"
    return {
        "about": "an HR tool's export for German Excel: UTF-8 with byte-order mark, a first "
        "line 'sep=;' that Excel hides (rows count as Excel shows them), a status column "
        "whose leavers are dropped by the mapping, a birth date left unread "
        "(ignore_unknown), 'KEINER' as no manager (no_manager), file names with dates",
        "inputs": ["Mentoren_2027-01.csv", "Mentees_2027-01.csv"],
        "options": {"mapping": "map.json"},
        "raw": {
            "Mentoren_2027-01.csv": raw("utf-8-sig", ";", "ID", "Vorgesetzter", skip=1),
            "Mentees_2027-01.csv": raw("utf-8-sig", ";", "ID", "Vorgesetzter", skip=1),
        },
        "program": {
            "counts": {"mentors": 2, "executives": 2, "org": 0},
            "topics": None,
            "mentors": {
                "1001": {
                    "name": "Gülşen Yılmaz",
                    "manager_id": "2001",
                    "capacity": 2,
                    "availability": ["Mon 12:00-14:00", "Thu 08:00-09:00"],
                },
                "1003": {"availability": ["Mon 12:00-13:00", "Thu 08:00-09:00"]},
            },
            "executives": {
                "2001": {"name": "Ekkehard Fröhlich", "manager_id": None, "department": "Vorstand"},
                "2002": {"manager_id": "2001"},
            },
        },
        "problems": [],
        "notices": [
            {"file": "Mentees_2027-01.csv", "line": None, "message": notice},
            {"file": "Mentees_2027-01.csv", "line": 1, "message": unread},
            {"file": "Mentoren_2027-01.csv", "line": None, "message": notice},
            {"file": "Mentoren_2027-01.csv", "line": 1, "message": unread},
            {
                "file": "Mentoren_2027-01.csv",
                "line": 3,
                "field": "Status",
                "record": "mentor '1002'",
                "message": "row left out: left the company (Status ausgeschieden)",
            },
        ],
        "personal": [r[1] for r in mentors + execs],
        "inspect": {
            "edits": [
                [["no_manager"], ["KEINER"]],
                [["drop"], mapping["drop"]],
            ],
        },
        "match": True,
        "chains": [["Mentoren_2027-01.csv", "Mentees_2027-01.csv"]],
    }


def main() -> None:
    for name, make in EXPORTS.items():
        folder = HERE / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        expected = make(folder)
        (folder / "expected.json").write_text(
            json.dumps(expected, indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8",
            newline="\n",
        )


if __name__ == "__main__":
    main()
