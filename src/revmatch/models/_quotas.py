"""Group quotas of a match: :class:`GroupQuota` and its selector :class:`PersonGroup`.

A quota bounds how many chosen pairs (or which share of them) fall into a
group of people: executives, mentors, or pairs of both. It reads from a
compact text as well as from its fields, one grammar for the config file and
the command line::

    SIDE.SELECTOR[*SELECTOR]:BOUND=VALUE[,BOUND=VALUE...]

    executive.location!=HQ:min_share=0.4
    mentor.department=Engineering|Data:min=3
    pair.department*department:max=3
    executive.grade=7-9:max=4

``SIDE`` is ``executive``, ``mentor`` or ``pair`` (then two selectors joined
by ``*``: the executive's, then the mentor's). A selector is an attribute
(``department``, ``location``, ``groups``, ``grade``), optionally followed by
``=`` or ``!=`` and values separated by ``|``; without values the quota
applies to each value of the attribute on its own. A grade value is a grade
(``7``) or a band (``7-9``). ``BOUND`` is ``min``, ``max`` (numbers of pairs),
``min_share`` or ``max_share`` (shares of all chosen pairs, in [0, 1]).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from revmatch.exceptions import InvalidInputError

from ._base import FrozenModel

__all__ = ["ATTRIBUTES", "GroupQuota", "PersonGroup", "parse_quota"]

Attribute = Literal["department", "location", "groups", "grade"]
ATTRIBUTES: tuple[str, ...] = ("department", "location", "groups", "grade")
"""Person attributes a group can be defined by."""

_BAND = re.compile(r"^\d+(-\d+)?$")
_BOUNDS = ("min", "max", "min_share", "max_share")


class PersonGroup(FrozenModel):
    """People of one side chosen by one attribute.

    Parameters
    ----------
    attribute : {"department", "location", "groups", "grade"}
        The person attribute. ``groups`` are the free labels of a person
        (a person may carry several).
    values : tuple of str, optional
        The values that make the group; ``None`` (default): every value of
        the attribute is a group of its own, and the quota applies to each.
        A ``grade`` value is a grade (``"7"``) or an inclusive band
        (``"7-9"``). People without the attribute belong to no value.
    exclude : bool
        The group is everyone whose value is *not* among ``values`` (people
        without the attribute included). Needs ``values``.

    Examples
    --------
    >>> from revmatch import PersonGroup
    >>> PersonGroup(attribute="location", values=("HQ",), exclude=True).label("executive")
    'executive location != HQ'
    """

    attribute: Attribute
    values: tuple[Annotated[str, Field(min_length=1)], ...] | None = None
    exclude: bool = False

    @model_validator(mode="after")
    def _check(self) -> PersonGroup:
        if self.exclude and self.values is None:
            raise ValueError("exclude needs values: the people outside which values?")
        if self.values is not None and not self.values:
            raise ValueError("values must name at least one value (or be left out)")
        if self.attribute == "grade":
            for value in self.values or ():
                if not _BAND.match(value):
                    raise ValueError(
                        f"grade value {value!r} must be a grade like '7' or a band '7-9'"
                    )
                low, _, high = value.partition("-")
                if high and int(high) < int(low):
                    raise ValueError(f"grade band {value!r} ends before it starts")
        return self

    def label(self, side: str) -> str:
        """The selector as the quota text writes it, e.g. ``'mentor department = Sales'``."""
        if self.values is None:
            return f"{side} {self.attribute}"
        op = "!=" if self.exclude else "="
        return f"{side} {self.attribute} {op} {'|'.join(self.values)}"


class GroupQuota(FrozenModel):
    """Bounds on the chosen pairs whose people fall into a group.

    The pairs counted are those whose executive is in ``executive`` (any
    executive when ``None``) and whose mentor is in ``mentor`` (any mentor
    when ``None``). With ``mentors_per_executive=1`` (the default) pairs are
    matched executives. Every bound is a hard constraint of the match; a
    quota no assignment can meet raises
    :class:`~revmatch.exceptions.InfeasibleError` naming the smallest
    relaxation.

    Parameters
    ----------
    executive, mentor : PersonGroup, optional
        The groups of each side; at least one. A group without ``values``
        makes one quota per value (per pair of values when both sides have
        none): ``pair.department*department:max=3`` bounds every
        (executive department, mentor department) combination by 3.
    min, max : int, optional
        Least and largest number of chosen pairs in the group.
    min_share, max_share : float, optional
        Least and largest share of *all* chosen pairs that fall in the group,
        in [0, 1]. A share is a ratio; it is enforced exactly as the linear
        constraint ``min_share * total <= in_group`` (the empty match meets
        every share, so a share alone never makes a match infeasible, but it
        may cost pairs).
    name : str, optional
        How messages name the quota; default its text (see :meth:`text`).

    Examples
    --------
    >>> from revmatch import GroupQuota
    >>> q = GroupQuota.model_validate("executive.location!=HQ:min_share=0.4")
    >>> q.executive.values, q.executive.exclude, q.min_share
    (('HQ',), True, 0.4)
    >>> q.text()
    'executive.location!=HQ:min_share=0.4'
    """

    executive: PersonGroup | None = None
    mentor: PersonGroup | None = None
    min: Annotated[int, Field(ge=0)] | None = None
    max: Annotated[int, Field(ge=0)] | None = None
    min_share: Annotated[float, Field(ge=0, le=1)] | None = None
    max_share: Annotated[float, Field(ge=0, le=1)] | None = None
    name: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        fields = parse_quota(value) if isinstance(value, str) else value
        if not isinstance(fields, dict):
            return fields
        out = dict(fields)
        for side in ("executive", "mentor"):
            if isinstance(out.get(side), Mapping):
                # Validated here so that a problem names its side (a nested
                # FrozenModel reports its own fields only).
                try:
                    out[side] = PersonGroup(**out[side])
                except InvalidInputError as exc:
                    raise ValueError(f"{side} group: {exc}") from None
        return out

    @model_validator(mode="after")
    def _check(self) -> GroupQuota:
        if self.executive is None and self.mentor is None:
            raise ValueError("a quota needs an executive group, a mentor group or both")
        if all(getattr(self, b) is None for b in _BOUNDS):
            raise ValueError("a quota needs at least one of min, max, min_share, max_share")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        if (
            self.min_share is not None
            and self.max_share is not None
            and self.min_share > self.max_share
        ):
            raise ValueError(f"min_share ({self.min_share}) is above max_share ({self.max_share})")
        return self

    def text(self) -> str:
        """The quota in the compact text form that :func:`parse_quota` reads."""
        sides = [_selector_text(g) for g in (self.executive, self.mentor) if g is not None]
        if self.executive is not None and self.mentor is not None:
            head = "pair." + "*".join(sides)
        else:
            head = ("executive." if self.executive is not None else "mentor.") + sides[0]
        given = [b for b in _BOUNDS if getattr(self, b) is not None]
        bounds = ",".join(f"{b}={getattr(self, b)}" for b in given)
        return f"{head}:{bounds}"

    @property
    def label(self) -> str:
        """The name of the quota in messages: ``name`` or its text."""
        return self.name or self.text()


def _selector_text(group: PersonGroup) -> str:
    if group.values is None:
        return group.attribute
    return f"{group.attribute}{'!=' if group.exclude else '='}{'|'.join(group.values)}"


def _selector(text: str, where: str) -> dict[str, Any]:
    match = re.fullmatch(r"\s*([A-Za-z_]+)\s*(?:(!=|=)\s*(.+?))?\s*", text)
    if match is None:
        raise ValueError(f"{where}: {text!r} is not ATTRIBUTE, ATTRIBUTE=V1|V2 or ATTRIBUTE!=V")
    attribute, op, values = match.groups()
    if attribute not in ATTRIBUTES:
        raise ValueError(
            f"{where}: unknown attribute {attribute!r}; expected one of {', '.join(ATTRIBUTES)}"
        )
    out: dict[str, Any] = {"attribute": attribute}
    if op is not None:
        out["values"] = tuple(v.strip() for v in values.split("|"))
        out["exclude"] = op == "!="
    return out


def parse_quota(text: str) -> dict[str, Any]:
    """Read the compact text of a quota into the fields of :class:`GroupQuota`.

    Parameters
    ----------
    text : str
        ``SIDE.SELECTOR[*SELECTOR]:BOUND=VALUE[,...]``, as described in the
        module notes, e.g. ``"executive.location!=HQ:min_share=0.4"``.

    Returns
    -------
    dict
        The fields, for ``GroupQuota(**fields)`` (which checks the values).

    Raises
    ------
    ValueError
        Naming the part of the text that is wrong and what was expected.

    Examples
    --------
    >>> from revmatch.models import parse_quota
    >>> parse_quota("pair.department*department:max=3")
    {'executive': {'attribute': 'department'}, 'mentor': {'attribute': 'department'}, 'max': '3'}
    """
    head, sep, tail = text.partition(":")
    if not sep or not tail.strip():
        raise ValueError(
            f"quota {text!r} has no bounds; expected SIDE.SELECTOR:BOUND=VALUE, "
            "e.g. 'executive.location!=HQ:min_share=0.4'"
        )
    side, dot, selectors = head.strip().partition(".")
    if not dot or side not in ("executive", "mentor", "pair"):
        raise ValueError(
            f"quota {text!r} must start with 'executive.', 'mentor.' or 'pair.' (then a selector)"
        )
    parts = selectors.split("*")
    if (side == "pair") != (len(parts) == 2) or len(parts) > 2:
        raise ValueError(
            f"quota {text!r}: 'pair.' takes two selectors joined by '*' (executive's, mentor's); "
            "'executive.' and 'mentor.' take one"
        )
    fields: dict[str, Any] = {}
    if side == "pair":
        fields["executive"] = _selector(parts[0], f"quota {text!r}")
        fields["mentor"] = _selector(parts[1], f"quota {text!r}")
    else:
        fields[side] = _selector(parts[0], f"quota {text!r}")
    for item in tail.split(","):
        key, eq, value = (s.strip() for s in item.partition("="))
        if key not in _BOUNDS or not eq or not value:
            raise ValueError(
                f"quota {text!r}: bound {item.strip()!r} must be one of "
                f"{', '.join(b + '=VALUE' for b in _BOUNDS)}"
            )
        if key in fields:
            raise ValueError(f"quota {text!r} gives {key} twice")
        fields[key] = value
    return fields
