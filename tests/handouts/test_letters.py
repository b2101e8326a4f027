"""Letters: one per participant, nothing lost, and nobody's data but the partner's."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

import revmatch as rm
from revmatch.exceptions import InvalidInputError
from revmatch.handouts import PLACEHOLDERS, write_letters

from .programs import pair_program


@pytest.fixture(scope="module")
def planted() -> rm.Program:
    """A program whose every name and e-mail is unique and easy to find."""
    base = rm.datasets.make_program(n_executives=24, n_mentors=30, seed=11)

    def mark(people: tuple[rm.Executive, ...] | tuple[rm.Mentor, ...], tag: str) -> list[object]:
        return [
            p.model_copy(
                update={"name": f"Zq{tag}{k:03d} Planted", "email": f"zq{tag}{k:03d}@planted.test"}
            )
            for k, p in enumerate(people)
        ]

    return base.replace(executives=mark(base.executives, "e"), mentors=mark(base.mentors, "m"))


@pytest.fixture(scope="module")
def result(planted: rm.Program) -> rm.MatchResult:
    return rm.match(planted)


def test_one_letter_per_participant(result: rm.MatchResult, planted: rm.Program) -> None:
    letters = result.letters()
    ids = [letter.person_id for letter in letters]
    assert sorted(ids) == sorted(p.id for p in planted.people())
    assert len(set(ids)) == len(ids)
    paired = {i for p in result.pairs for i in (p.executive_id, p.mentor_id)}
    for letter in letters:
        assert (letter.kind == "paired") == (letter.person_id in paired)
        assert letter.text.strip()
        assert "$" not in letter.text


def test_nothing_lost(result: rm.MatchResult) -> None:
    assert result.program is not None
    people = {p.id: p for p in result.program.people()}
    by_id = {letter.person_id: letter for letter in result.letters(language="en")}
    for pair in result.pairs:
        executive, mentor = people[pair.executive_id], people[pair.mentor_id]
        for reader, partner in ((executive, mentor), (mentor, executive)):
            text = by_id[reader.id].text
            assert reader.name in text
            assert partner.name in text
            assert partner.email in text
            assert partner.id in by_id[reader.id].partners
            if pair.meeting is not None:
                assert "your time" in text
                assert "Weeks to watch" in text
            for topic in pair.topics_covered[:1]:
                assert topic.replace("_", " ") in text
    for person in result.unmatched:
        text = by_id[person.id].text
        assert "What happens next" in text


def test_no_letter_names_anyone_but_its_reader_and_partners(
    result: rm.MatchResult, planted: rm.Program
) -> None:
    names = {p.id: p.name for p in planted.people()}
    emails = {p.id: p.email for p in planted.people()}
    for language in ("en", "de"):
        for letter in result.letters(language=language):
            allowed = {letter.person_id, *letter.partners}
            found_names = set(re.findall(r"Zq[em]\d{3} Planted", letter.text))
            found_emails = set(re.findall(r"zq[em]\d{3}@planted\.test", letter.text))
            assert found_names <= {names[i] for i in allowed}, letter.person_id
            assert found_emails <= {emails[i] for i in allowed - {letter.person_id}}
            others = set(names) - allowed
            assert not any(re.search(rf"\b{re.escape(i)}\b", letter.text) for i in others)
            # No score of anyone.
            assert not re.search(r"\b0\.\d{2,}\b", letter.text)


def test_languages(result: rm.MatchResult) -> None:
    german = result.letters(language="de")
    assert all("Guten Tag" in letter.text for letter in german)
    english = result.letters(language="en")
    assert all("Dear" in letter.text for letter in english)
    with pytest.raises(InvalidInputError, match="no built-in words for language 'fr'"):
        result.letters(language="fr")


def test_by_default_each_person_reads_their_own_language(tmp_path: Path) -> None:
    program = pair_program(
        "Europe/Berlin",
        ["Tue 12:00-13:00"],
        "Europe/Berlin",
        ["Tue 12:00-13:00"],
        date(2027, 1, 11),
        date(2027, 3, 26),
        languages=["de", "en"],
    )
    letters = {letter.person_id: letter for letter in rm.match(program).letters()}
    assert letters["e-1"].language == "de"
    assert "Guten Tag Erika Exec" in letters["e-1"].text
    assert letters["m-1"].language == "en"
    assert "Dear Mats Mentor" in letters["m-1"].text


def test_the_weeks_to_watch_are_in_the_readers_own_time() -> None:
    program = pair_program(
        "Europe/Berlin",
        ["Mon 14:00-17:00"],
        "America/New_York",
        ["Mon 09:00-11:00"],
        date(2027, 3, 1),
        date(2027, 4, 30),
    )
    letters = {letter.person_id: letter.text for letter in rm.match(program).letters(language="en")}
    assert "Mon 15:00-16:00 your time (Europe/Berlin)" in letters["e-1"]
    assert "Mon 09:00-10:00 your time (America/New_York)" in letters["m-1"]
    # US clocks change two weeks before Europe's: for those weeks the mentor
    # meets an hour later on their own clock, the executive does not notice.
    assert (
        "weeks of Mon 15 Mar 2027 and Mon 22 Mar 2027: Mon 10:00-11:00 (America/New_York)"
        in (letters["m-1"])
    )
    assert "none: the time stays the same" in letters["e-1"]


def test_own_template(result: rm.MatchResult, tmp_path: Path) -> None:
    template = tmp_path / "letter.txt"
    template.write_text("Bonjour $name, $partner_names; $slot $every.\n$watch\n$reason\n")
    letters = result.letters(template)
    assert all(letter.filename.endswith(".txt") for letter in letters)
    assert any(letter.text.startswith("Bonjour Zq") for letter in letters)
    mixed = result.letters({"unmatched": "Hello $name: $next_steps"})
    assert any(letter.text.startswith("Hello ") for letter in mixed if letter.kind == "unmatched")
    with pytest.raises(InvalidInputError, match=r"unknown field\(s\) \$score"):
        result.letters("Dear $name, your score is $score")
    assert {"name", "partners", "slot", "watch", "reason"} <= {
        n.strip() for key in PLACEHOLDERS for n in key.split(",")
    }


def test_write_letters(result: rm.MatchResult, tmp_path: Path) -> None:
    paths = write_letters(result, tmp_path)
    assert paths[-1].name == "index.tsv"
    rows = paths[-1].read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(paths)  # a header and one row per letter
    assert all(p.exists() for p in paths)
