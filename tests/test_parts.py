"""Naming a part in words: by its number, or loosely by what it is about."""

from __future__ import annotations

import pytest

from bot.parts import part_named


@pytest.mark.parametrize(
    ("said", "part"),
    [
        ("go back to the first bit", "what_happened"),
        ("let me redo the first one", "what_happened"),
        ("Part 1 please", "what_happened"),
        ("the bit about my sentence", "what_happened"),
        ("change the second part", "circumstances"),
        ("can i change what i said about what was going on", "circumstances"),
        ("edit how I feel", "feelings_now"),
        ("what's changed bit", "feelings_now"),
        ("what I said about my job", "aspirations"),
        ("the fourth one", "aspirations"),
        # Nothing named, or two parts: the caller decides (the part before).
        ("go back", None),
        ("go back to the last question", None),
        ("I want to rewrite it", None),
        ("change what happened and my job", None),
        ("", None),
        (None, None),
    ],
)
def test_a_part_is_named_by_number_or_loose_name_and_only_one(said, part) -> None:
    assert part_named(said) == part
