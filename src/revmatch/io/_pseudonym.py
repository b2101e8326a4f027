"""Keyed pseudonyms for sharing results: HMAC-SHA256 of each id under a secret key.

The same key gives the same pseudonym for an id in every file and every run,
so results of several rounds can be joined for analysis; without the key,
pseudonyms cannot be turned back into ids (nor checked against a guessed id,
as a plain hash could). A separate key file maps pseudonyms back for those
allowed to see the ids.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from revmatch.exceptions import InvalidInputError

__all__ = [
    "ID_FIELDS",
    "PERSONAL_FIELDS",
    "pseudonym",
    "pseudonymize",
    "read_key_file",
    "write_key_file",
]

ID_FIELDS: frozenset[str] = frozenset(
    {
        "id",
        "executive_id",
        "mentor_id",
        "manager_id",
        "secondary_manager_ids",
        "partner",
        "partners",
        "person_id",
    }
)
"""Fields whose values are person ids (text or lists of text)."""

PERSONAL_FIELDS: frozenset[str] = frozenset(
    {"name", "email", "executive_name", "mentor_name", "executive_email", "mentor_email"}
)
"""Fields whose values are emptied: names and e-mails have no place in shared data."""

_PREFIX = "p-"
_HEX_DIGITS = 16  # 64 bits: collisions need ~4 billion ids
T = TypeVar("T")


def _key_bytes(key: str | bytes) -> bytes:
    raw = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    if not raw:
        raise InvalidInputError("the pseudonymization key must not be empty")
    return raw


def pseudonym(value: str, key: str | bytes) -> str:
    """Return the keyed pseudonym of one id.

    Parameters
    ----------
    value : str
        The id.
    key : str or bytes
        The secret key (keep it apart from the shared files).

    Returns
    -------
    str
        ``"p-"`` and 16 hex digits of HMAC-SHA256(key, id).

    Raises
    ------
    InvalidInputError
        If the key is empty.

    Examples
    --------
    >>> pseudonym("e-01", "secret") == pseudonym("e-01", "secret")
    True
    >>> pseudonym("e-01", "secret") != pseudonym("e-01", "other")
    True
    """
    digest = hmac.new(_key_bytes(key), value.encode("utf-8"), hashlib.sha256).hexdigest()
    return _PREFIX + digest[:_HEX_DIGITS]


def _collect_ids(obj: Any, found: set[str]) -> None:
    if isinstance(obj, Mapping):
        for name, value in obj.items():
            if name in ID_FIELDS:
                items = value if isinstance(value, list | tuple) else [value]
                found.update(v for v in items if isinstance(v, str) and v)
            else:
                _collect_ids(value, found)
    elif isinstance(obj, list | tuple):
        for item in obj:
            _collect_ids(item, found)


def _replace(obj: Any, swap: Any) -> Any:
    if isinstance(obj, Mapping):
        return {
            swap(name) if isinstance(name, str) else name: (
                ("" if isinstance(value, str) else None)
                if name in PERSONAL_FIELDS and value is not None
                else _replace(value, swap)
            )
            for name, value in obj.items()
        }
    if isinstance(obj, list | tuple):
        return type(obj)(_replace(item, swap) for item in obj)
    if isinstance(obj, str):
        return swap(obj)
    return obj


def pseudonymize(
    records: T, key: str | bytes, *, extra_ids: Iterable[str] = ()
) -> tuple[T, dict[str, str]]:
    """Replace every person id in records by its keyed pseudonym; drop names.

    Ids are found in the fields of :data:`ID_FIELDS` at any depth; then every
    occurrence of such an id as a whole token in *any* text (dictionary
    keys, hints such as ``"capacity of m-07 1 -> 2"``, problem labels such
    as ``"mentor 'm-07'"``) is replaced, so no id survives in free text.
    Fields of :data:`PERSONAL_FIELDS` are emptied.

    Parameters
    ----------
    records : list of dict, dict, or any JSON-like structure
        E.g. ``result.to_records()``, ``result.to_dict()`` or
        ``report.to_records()``.
    key : str or bytes
        The secret key.
    extra_ids : iterable of str
        Further ids to replace (e.g. all ids of the program, so that ids
        named only in free text are caught too).

    Returns
    -------
    records : same type as given
        A new structure; the input is not changed.
    mapping : dict of str to str
        Pseudonym -> original id, for :func:`write_key_file`.

    Raises
    ------
    InvalidInputError
        If the key is empty.

    Examples
    --------
    >>> rows = [{"executive_id": "e-1", "mentor_id": "m-2", "executive_name": "Dr. W",
    ...          "hint": "capacity of m-2 1 -> 2"}]
    >>> shared, back = pseudonymize(rows, "secret")
    >>> shared[0]["executive_name"], "m-2" in shared[0]["hint"]
    ('', False)
    >>> back[shared[0]["mentor_id"]]
    'm-2'
    """
    _key_bytes(key)
    ids: set[str] = set(extra_ids)
    _collect_ids(records, ids)
    forward = {value: pseudonym(value, key) for value in ids}
    if not forward:
        return _replace(records, lambda text: text), {}
    # Longest first, so that "m-10" is not replaced as "m-1" followed by "0". An id
    # may end a sentence: a dot after it counts as part of a longer token only when
    # a word follows ("m-1.5"), else "... taken by m-1." would keep the id.
    alternatives = "|".join(re.escape(v) for v in sorted(forward, key=len, reverse=True))
    token = re.compile(rf"(?<![\w.\-])(?:{alternatives})(?![\w\-]|\.[\w\-])")

    def swap(text: str) -> str:
        if text in forward:
            return forward[text]
        return token.sub(lambda m: forward[m.group(0)], text)

    return _replace(records, swap), {v: k for k, v in forward.items()}


def write_key_file(mapping: Mapping[str, str], path: str | os.PathLike[str]) -> None:
    """Write the pseudonym -> id mapping as JSON (keep it apart from shared files).

    Parameters
    ----------
    mapping : mapping of str to str
        From :func:`pseudonymize`.
    path : str or path-like
    """
    data = {
        "algorithm": f"HMAC-SHA256, first {_HEX_DIGITS} hex digits, prefix {_PREFIX!r}",
        "pseudonyms": dict(sorted(mapping.items())),
    }
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_key_file(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read a key file written by :func:`write_key_file`.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    dict of str to str
        Pseudonym -> original id.

    Raises
    ------
    InvalidInputError
        If the file is not a key file.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        mapping = data["pseudonyms"]
        if isinstance(mapping, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
        ):
            return dict(mapping)
    except (ValueError, KeyError, TypeError):
        pass
    raise InvalidInputError(f"{os.fspath(path)} is not a revmatch key file")
