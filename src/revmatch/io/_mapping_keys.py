"""The keys of a mapping file: type, default, meaning and an example of each.

:data:`MAPPING_KEYS` is the one description of the mapping-file language:
:func:`~._mapping_file.load_mapping` accepts exactly these keys, and the
reference page ``docs/reference/mapping.md`` is generated from it.

Examples
--------
>>> [key.name for key in MAPPING_KEYS][:3]
['preset', 'files', 'columns']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["MAPPING_KEYS", "MappingKey"]


@dataclass(frozen=True)
class MappingKey:
    """One key of a mapping file, as the reference page documents it.

    Parameters
    ----------
    name : str
        The key.
    kind : str
        The JSON type, in words.
    default : str
        What applies when the key is absent.
    description : str
        What the key does (Markdown).
    example : object
        A JSON value of the key.
    """

    name: str
    kind: str
    default: str
    description: str
    example: Any


MAPPING_KEYS: tuple[MappingKey, ...] = (
    MappingKey(
        "preset",
        "text",
        "none",
        "Start from a built-in mapping: `successfactors` or `workday`. The other keys "
        "extend and override it.",
        "workday",
    ),
    MappingKey(
        "files",
        "object: file-name pattern -> kind",
        "kind from the file name",
        "What each file holds when its name does not say: `mentors`, `executives`, "
        "`people` (with a `role` column), `org`, `history`, `pinned` or `priority`. "
        "Patterns match the file name case-insensitively; `*` and `?` are wildcards.",
        {"mentees*.csv": "executives", "mentors*.csv": "mentors"},
    ),
    MappingKey(
        "columns",
        "object: source heading -> field",
        "canonical headings only",
        "Which field each source column fills (headings match case-insensitively): "
        "`id`, `name`, `email`, `department`, `manager_id`, `secondary_manager_ids` "
        "(dotted-line managers), `timezone`, `languages`, `location`, `mode`, `grade`, "
        "`groups`, `availability`, `blocked`, `preferred`, `capacity`, `role`, "
        "`topic:<name>`. Several columns may fill `name` (joined by a space) or a list "
        "field (`languages`, `groups`, `availability`, `blocked`, `preferred`, "
        "`secondary_manager_ids`; their items are joined into one list).",
        {"first name": "name", "last name": "name", "Lang 1": "languages", "Lang 2": "languages"},
    ),
    MappingKey(
        "ignore",
        "list of source headings",
        "[]",
        "Source columns to leave unread (such as personal data the program does not "
        "need). The validation report lists them as a notice.",
        ["email", "phone"],
    ),
    MappingKey(
        "ignore_unknown",
        "true or false",
        "false (true in the presets)",
        "Leave unread every column that is neither mapped nor canonical, instead of "
        "reporting it as an error. The report lists them as a notice.",
        True,
    ),
    MappingKey(
        "values",
        "object: field or source heading -> {label: value}",
        "{}",
        "Translate labels to values: grade labels to ranks, yes/no to a meeting mode, "
        "codes to department names, language names to codes (list fields map each "
        'item). Labels match case-insensitively; a value of `""` makes the cell '
        "empty. A cell whose label is not in the map is an error that names the label "
        "(for non-personal fields) and lists the known ones. Values of `null` (as "
        "`revmatch inspect` drafts them) must be filled in before the mapping is used. "
        "Fields that identify a person (`id`, `name`, `email`, `manager_id`, "
        "`secondary_manager_ids`, `blocked`, `preferred`) cannot be value-mapped.",
        {"grade": {"SCS4": 12, "G7": 7}, "can_meet_in_person": {"Yes": "hybrid", "No": "remote"}},
    ),
    MappingKey(
        "constants",
        "object: field -> value",
        "{}",
        "A value for everyone, where the person's cell is empty or the file has no "
        "such column; a non-empty cell keeps its own value. For `timezone`, "
        "`availability`, `languages`, `location`, `mode`, `department`, `grade`, "
        "`groups`, `capacity` (mentors only) and `topic:<name>`. Checked when the "
        "mapping is read: the time zone must exist, numbers must be whole.",
        {"timezone": "Europe/London", "availability": "Mon 12:00-14:00"},
    ),
    MappingKey(
        "topics_from",
        "object: source heading -> {label: {topic: level}}",
        "{}",
        "Topic levels (0-5) derived from a categorical column such as a profession. "
        "Each label of the column gives the levels of its topics (`{}`: none); a label "
        "not listed is an error naming it. The topics join the program's vocabulary; a "
        "`topic:<name>` cell of the same person wins over a derived level.",
        {"profession": {"DDaT": {"digital": 5}, "HR": {"diversity": 4, "work_life_balance": 3}}},
    ),
    MappingKey(
        "drop",
        "list of {column, values, reason}",
        "[] (presets: inactive or terminated people)",
        "Rows of people to leave out: those whose `column` holds one of `values` "
        "(case-insensitive). Every dropped row is listed in the report with its file, "
        "line and `reason`. The column must exist in every file of people. The presets "
        "drop SuccessFactors users whose `STATUS` is inactive and Workday workers whose "
        "`Worker_Status` is `Terminated` or whose `Active_Status` is `0`, where those "
        "columns exist.",
        [{"column": "status", "values": ["left", "on leave"], "reason": "not active"}],
    ),
    MappingKey(
        "roles",
        "object: role label -> mentor, executive or org",
        "{}",
        "Values of a `role` column (case-insensitive) beside the canonical `mentor`, "
        "`executive` and empty (org).",
        {"Mentee": "executive", "Führungskraft": "executive"},
    ),
    MappingKey(
        "header_rows",
        "1 or 2",
        "1",
        "2 when a second header row of display labels follows (SuccessFactors' user data file).",
        1,
    ),
    MappingKey(
        "no_manager",
        "list of text",
        '["NO_MGR", "NO_MANAGER"]',
        "Manager values meaning the top of the tree.",
        ["NO_MGR"],
    ),
    MappingKey(
        "delimiter",
        "one character",
        "detected",
        "CSV field delimiter. Without it, `,`, `;`, tab or `|` is detected from the header "
        "row and the rows below; the report names what was used.",
        ";",
    ),
    MappingKey(
        "encoding",
        "text",
        "detected",
        "Encoding of CSV files (`utf-8`, `utf-16`, `cp1252`, `latin-1`, ...). Without it, "
        "a byte-order mark, UTF-16's NUL bytes, valid UTF-8 or else Windows-1252 is "
        "detected; the report names what was used.",
        "cp1252",
    ),
    MappingKey(
        "sheets",
        "object: sheet name -> mentors, executives, people, org, history, pinned, "
        "priority or program",
        "{}",
        "What the sheets of an Excel workbook hold, when their names are not the canonical "
        "ones. Without it, sheets named `mentors`, `executives`, ... are read, or a sheet "
        "with a `role` column as people.",
        {"Mentoren": "mentors", "Führungskräfte": "executives"},
    ),
    MappingKey(
        "list_separator", "one character", '";"', "Separator of the items of list cells.", "|"
    ),
    MappingKey(
        "notes",
        "any",
        "none",
        "Free notes for the people who edit the mapping (`revmatch inspect` writes its "
        "review list here); not read.",
        ["grade: fill in the rank of each label"],
    ),
)
"""Every key of a mapping file with its type, default, meaning and an example."""
