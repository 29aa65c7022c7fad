"""The phrase syntax of the coaching word lists, turned into spaCy Matcher patterns.

Trainers write patterns as short phrases (see the top of bot/data/coaching/patterns.yml);
this module is the only place that knows how they map onto spaCy's token patterns.
Words are compared by their NORM, so "wasn't", "wasnt" and "was not" are the same.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

TokenSpec = dict[str, Any]

# Words that negate what follows them in a clause.
NEGATIONS = frozenset(
    {"not", "never", "no", "nobody", "nothing", "neither", "nor", "noone", "none", "without"}
)
# Up to two words of any kind, but never a negation or punctuation.
WILDCARD: TokenSpec = {"NORM": {"NOT_IN": sorted(NEGATIONS)}, "IS_PUNCT": False, "OP": "{0,2}"}


class PhraseError(ValueError):
    """A pattern in a data file cannot be read; the message names it."""


def compile_phrase(
    phrase: str,
    lists: Mapping[str, Sequence[str]],
    norms_of: Callable[[str], list[str]],
) -> list[list[TokenSpec]]:
    """All the token patterns one phrase stands for.

    `norms_of` splits a word the way the document will be split ("ex-con" is three
    tokens) and gives each piece's NORM, so a word list can hold any spelling.
    """
    options_per_word = [_options(word, phrase, lists, norms_of) for word in phrase.split()]
    patterns = []
    for choice in itertools.product(*options_per_word):
        pattern = [spec for option in choice for spec in option]
        if any(spec.get("OP") not in ("?", "{0,2}") for spec in pattern):
            patterns += _split_first_token(pattern)
    if not patterns:
        raise PhraseError(f"pattern {phrase!r} matches nothing")
    return patterns


# Longer word lists stay one "is one of these" test, which spaCy caches per word.
MAX_SPLIT = 8


def _split_first_token(pattern: list[TokenSpec]) -> list[list[TokenSpec]]:
    """One pattern per alternative of the first word. The Matcher tries every
    pattern's first word at every token, and a plain "is this word" test runs in C,
    where "is one of these words" calls back into Python: this keeps reading fast."""
    first = pattern[0]
    if len(first) != 1 or "OP" in first:
        return [pattern]
    ((attr, test),) = first.items()
    if not (isinstance(test, dict) and set(test) == {"IN"}) or len(test["IN"]) > MAX_SPLIT:
        return [pattern]
    return [[{attr: value}, *pattern[1:]] for value in test["IN"]]


def _options(
    word: str,
    phrase: str,
    lists: Mapping[str, Sequence[str]],
    norms_of: Callable[[str], list[str]],
) -> list[list[TokenSpec]]:
    """The ways one written word can match: each a sequence of token specs."""
    optional = len(word) > 1 and word.endswith("?")
    if optional:
        word = word[:-1]
    if word == "*":
        return [[dict(WILDCARD)]]
    if word == "#":
        options: list[list[TokenSpec]] = [[{"LIKE_NUM": True}]]
    elif len(word) > 2 and word.startswith("/") and word.endswith("/"):
        options = [[{"LOWER": {"REGEX": word[1:-1]}}]]
    else:
        options = _alternatives(word, phrase, lists, norms_of)
    if optional and len(options) == 1 and len(options[0]) == 1:
        return [[{**options[0][0], "OP": "?"}]]  # one optional word: no extra patterns
    return [*options, []] if optional else options


def _alternatives(
    word: str,
    phrase: str,
    lists: Mapping[str, Sequence[str]],
    norms_of: Callable[[str], list[str]],
) -> list[list[TokenSpec]]:
    by_lemma = word.startswith("~")
    if by_lemma:
        word = word[1:]
    values: list[str] = []
    for alternative in word.split("|"):
        if alternative.startswith("@"):
            name = alternative[1:]
            if name not in lists:
                raise PhraseError(f"pattern {phrase!r} names an unknown list @{name}")
            values.extend(lists[name])
        elif alternative:
            values.append(alternative)
    if not values:
        raise PhraseError(f"pattern {phrase!r} has an empty word")
    attr = "LEMMA" if by_lemma else "NORM"
    single: list[str] = []
    options: list[list[TokenSpec]] = []
    for value in values:
        norms = norms_of(value)
        if len(norms) == 1:
            single.append(norms[0])
        elif norms:
            options.append([_spec(attr, [n]) for n in norms])
    if single:
        options.insert(0, [_spec(attr, sorted(set(single)))])
    return options


def _spec(attr: str, values: list[str]) -> TokenSpec:
    return {attr: {"IN": values}}
