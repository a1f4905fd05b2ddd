"""bot.rules.entry_lists: adding to and removing from a chat's keywords and authors."""

import pytest

from bot.rules.entry_lists import ListChange, add_entries, remove_entries
from bot.rules.filters import InvalidFilterError


def test_add_appends_new_values_and_names_those_already_there() -> None:
    change = add_entries(("pruning",), ["Pruning", "memory", "MEMORY"])
    assert change == ListChange(("pruning", "memory"), ("Pruning", "MEMORY"))


def test_remove_ignores_case_and_names_what_it_did_not_find() -> None:
    change = remove_entries(("pruning", "memory"), ["PRUNING", "nothere"])
    assert change == ListChange(("memory",), ("nothere",))


def test_a_keyword_is_removed_only_whole() -> None:
    assert remove_entries(("graph neural",), ["graph"]) == ListChange(("graph neural",), ("graph",))


def test_an_author_is_removed_by_a_part_of_the_name_ignoring_accents() -> None:
    authors = ("Geoffrey Hinton", "Łukasz Kaiser")
    assert remove_entries(authors, ["hinton"], by_name=True).entries == ("Łukasz Kaiser",)
    assert remove_entries(authors, ["Lukasz"], by_name=True).entries == ("Geoffrey Hinton",)
    assert remove_entries(authors, ["Ada"], by_name=True) == ListChange(authors, ("Ada",))


def test_a_part_of_several_names_is_refused_but_a_whole_name_wins() -> None:
    authors = ("Geoffrey Hinton", "Jane Hinton", "Hinton")
    with pytest.raises(InvalidFilterError, match="fits 2 of your authors"):
        remove_entries(authors[:2], ["Hinton"], by_name=True)
    assert remove_entries(authors, ["hinton"], by_name=True).entries == authors[:2]
