"""Reading a text: the spaCy pipeline, every pattern group's matches, and which of
those matches the candidate negates, quotes or reports as an old belief.

Built once per process (`Reader`), then `Reader.read(text)` per part. Rules ask a
`Reading` for the matches of a group; by default they get only the ones that are
the candidate's own view now.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span

from bot.coaching.phrases import NEGATIONS, compile_phrase
from bot.coaching.words import jargon_terms, patterns_file, safety_file

# Longer texts are read up to here; no real part comes near it.
MAX_CHARS = 100_000

# A clause ends at these; negation does not reach past them.
CLAUSE_BREAKS = frozenset(
    {
        ",",
        ";",
        ":",
        "—",
        "–",
        "(",
        ")",
        "but",
        "however",
        "though",
        "although",
        "yet",
        "and",
        "so",
        "because",
        "whereas",
        "while",
    }
)
# An old belief ends at these: "I told myself it was harmless; I know now it wasn't".
BELIEF_ENDS = frozenset(
    {";", "but", "however", "now", "know", "realise", "realize", "understand", "actually"}
)
# Quoted words: "..." and “...”, and ‘...’ or '...' that are not apostrophes.
_QUOTES = re.compile(
    r"\"[^\"\n]{1,300}\"|“[^”\n]{1,300}”|‘[^\n]{1,300}?’(?!\w)|(?<!\w)'[^\n]{1,300}?'(?!\w)"
)


@Language.factory("coach_lemma")
def _make_lemma(nlp: Language, name: str) -> LowerLemma:
    return LowerLemma(nlp)


class LowerLemma:
    """Sets each token's lemma to the lookup lemma of its NORM, so "Stole", "stole"
    and "STOLE" all read as "steal", and "’m" as "be". (A plain attribute, not a
    custom one: the Matcher reads it in C, several times faster.)"""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.table: dict[str, str] | None = None

    def __call__(self, doc: Doc) -> Doc:
        if self.table is None:
            lemmatizer: Any = self.nlp.get_pipe("lemmatizer")  # spaCy's Lemmatizer
            self.table = lemmatizer.lookups.get_table("lemma_lookup")
        for token in doc:
            norm = token.norm_
            token.lemma_ = self.table.get(norm, norm)
        return doc


def build_nlp() -> Language:
    """spacy.blank("en") with a sentencizer and the lookup lemmatizer: no model download."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer", config={"punct_chars": [*Sentencizer.default_punct_chars, "\n"]})
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("coach_lemma")
    nlp.initialize()
    return nlp


@dataclass
class Reading:
    """One text, read: its doc and the matches of every pattern group."""

    doc: Doc
    text: str
    matches: dict[str, list[Span]]
    quoted: list[tuple[int, int]]
    sentences: list[Span]
    sentence_start: list[int]  # for each token, where its sentence begins
    clause_start: list[int]
    in_belief: list[bool]

    def spans(self, group: str, *, keep_ignored: bool = False) -> list[Span]:
        """The group's matches in text order; without the negated, quoted or old-belief
        ones unless `keep_ignored`."""
        found = self.matches.get(group, [])
        if keep_ignored:
            return found
        return [span for span in found if not self.ignored(span)]

    def has(self, group: str, *, keep_ignored: bool = False) -> bool:
        return bool(self.spans(group, keep_ignored=keep_ignored))

    def sentence_of(self, span: Span) -> int:
        """The start of the sentence `span` begins in (cheaper than span.sent)."""
        return self.sentence_start[span.start]

    def ignored(self, span: Span) -> bool:
        return self.negated(span) or self.in_quotes(span) or self.in_belief[span.start]

    def negated(self, span: Span) -> bool:
        """A negation earlier in the same clause: "I don't blame anyone"."""
        before = self.doc[self.clause_start[span.start] : span.start]
        return any(token.norm_ in NEGATIONS for token in before)

    def in_quotes(self, span: Span) -> bool:
        return any(start <= span.start_char < end for start, end in self.quoted)

    def clause_tokens_before(self, span: Span) -> Span:
        return self.doc[self.clause_start[span.start] : span.start]


# The groups of the safety check (bot/data/safety.yml).
SAFETY_GROUPS = ("safety", "safety_past", "safety_now")
# Every reading looks for old beliefs, to know what to ignore.
ALWAYS = ("belief",)


class Reader:
    """The pipeline and every pattern group, compiled once.

    `profiles` name the groups to look for in each kind of reading (a part's rules
    need only some groups): each profile gets its own Matcher, because the Matcher's
    time grows with the number of patterns it tries at every word.
    """

    def __init__(self, profiles: dict[str, set[str]]) -> None:
        self.nlp = build_nlp()
        self.patterns: dict[str, list] = {}
        self.regexes: dict[str, list[re.Pattern[str]]] = defaultdict(list)
        self.not_followed_by: dict[str, frozenset[str]] = {}
        data = patterns_file()
        self.lists = {name: [str(w) for w in words] for name, words in data["lists"].items()}
        for group, spec in data["groups"].items():
            self._compile(group, spec.get("patterns") or [])
            self.regexes[group] += [re.compile(r) for r in spec.get("regexes") or []]
            if spec.get("not_followed_by"):
                self.not_followed_by[group] = frozenset(spec["not_followed_by"])
        for number, term in enumerate(jargon_terms()):
            self._compile(f"jargon:{number}", term.patterns)
        safety = safety_file()
        for group, key in zip(SAFETY_GROUPS, ("patterns", "past", "now"), strict=True):
            self._compile(group, safety[key])
        self.profiles = {
            name: self._matcher({*groups, *ALWAYS}) for name, groups in profiles.items()
        }
        self.profiles["safety"] = self._matcher({*SAFETY_GROUPS})
        self.groups_of = {name: {*groups, *ALWAYS} for name, groups in profiles.items()}
        self.groups_of["safety"] = set(SAFETY_GROUPS)

    def norms_of(self, word: str) -> list[str]:
        return [t.norm_ for t in self.nlp.tokenizer(word) if not t.is_space]

    def _compile(self, group: str, phrases: Sequence[str]) -> None:
        self.patterns[group] = [
            pattern
            for phrase in phrases
            for pattern in compile_phrase(str(phrase), self.lists, self.norms_of)
        ]

    def _matcher(self, groups: set[str]) -> Matcher:
        unknown = groups - set(self.patterns) - set(self.regexes)
        if unknown:
            raise ValueError(f"no pattern group named {', '.join(sorted(unknown))}")
        matcher = Matcher(self.nlp.vocab)
        for group in sorted(groups):
            if self.patterns.get(group):
                matcher.add(group, self.patterns[group], greedy="LONGEST")
        return matcher

    def read(self, text: str, profile: str) -> Reading:
        """Read `text` for the groups of `profile` (a part name, or "safety")."""
        doc = self.nlp(text[:MAX_CHARS])
        matches: dict[str, list[Span]] = defaultdict(list)
        strings = self.nlp.vocab.strings
        for key, start, end in self.profiles[profile](doc):
            group = strings[key]
            after = doc[end].norm_ if end < len(doc) else ""
            if after in self.not_followed_by.get(group, ()):
                continue
            matches[group].append(doc[start:end])
        for group in self.groups_of[profile] & set(self.regexes):
            for regex in self.regexes[group]:
                for found in regex.finditer(doc.text):
                    span = doc.char_span(found.start(), found.end(), alignment_mode="expand")
                    if span is not None and len(span):
                        matches[group].append(span)
        for group in matches:
            matches[group].sort(key=lambda s: (s.start, -s.end))
        sentence_start, current = [], 0
        for token in doc:  # one pass; doc.sents costs several passes per sentence
            if token.is_sent_start:
                current = token.i
            sentence_start.append(current)
        bounds = [*sorted(set(sentence_start)), len(doc)]
        sentences = [doc[start:end] for start, end in itertools.pairwise(bounds) if end > start]
        return Reading(
            doc=doc,
            text=doc.text,
            matches=dict(matches),
            quoted=[(m.start(), m.end()) for m in _QUOTES.finditer(doc.text)],
            sentences=sentences,
            sentence_start=sentence_start,
            clause_start=_clause_starts(doc),
            in_belief=_belief_marks(doc, sentences, matches.get("belief", [])),
        )


def _clause_starts(doc: Doc) -> list[int]:
    """For each token, where its clause begins."""
    starts, current = [], 0
    for token in doc:
        if token.is_sent_start:
            current = token.i
        starts.append(current)
        if token.norm_ in CLAUSE_BREAKS:
            current = token.i + 1
    return starts


def _belief_marks(doc: Doc, sentences: list[Span], cues: list[Span]) -> list[bool]:
    """True for tokens inside an old belief or reported words, up to a turn."""
    marks = [False] * (len(doc) + 1)
    for cue in cues:
        end = next(s.end for s in sentences if s.start <= cue.start < s.end)
        for token in doc[cue.start + 1 : end]:
            if token.i >= cue.end and token.norm_ in BELIEF_ENDS:
                break
            marks[token.i] = True
    return marks
