"""Reading grade (Flesch-Kincaid) with syllables from Pyphen's hyphenation dictionary.

textstat would do this too, but its English syllable counts download NLTK's
cmudict at run time, and this product must not download anything.
"""

from __future__ import annotations

from functools import lru_cache

import pyphen

from bot.statement import words_of


@lru_cache(maxsize=1)
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


@lru_cache(maxsize=4096)
def syllables(word: str) -> int:
    """Syllables in one word, as Pyphen splits it (at least one)."""
    return len(_dictionary().positions(word.lower())) + 1


def reading_grade(text: str, sentences: int) -> float:
    """US school grade needed to read `text`; about 6 is a reading age of 11."""
    words = words_of(text)
    if not words:
        return 0.0
    per_sentence = len(words) / max(sentences, 1)
    per_word = sum(syllables(w) for w in words) / len(words)
    return 0.39 * per_sentence + 11.8 * per_word - 15.59
