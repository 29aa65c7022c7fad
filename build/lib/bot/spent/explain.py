"""The checker's results in plain English, with what each DBS check would show.

Used by the chat and by the web form, so both say the same thing. Texts live
in bot/data/spent.yml.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.spent.check import own_outcome, spent_outcomes
from bot.spent.dates import add_months
from bot.spent.model import Conviction, Request
from bot.spent.outcome import Outcome
from bot.spent.rules import CAUTIONS, CUSTODY, NEVER_SPENT
from bot.spent.words import outcome_options, result_text, verdict_text

YOUTH_CAUTIONS = frozenset({"youth_caution", "youth_conditional_caution"})
CUSTODIAL = CUSTODY | NEVER_SPENT
# Filtering from standard and enhanced checks (DBS filtering rules), in months.
ADULT_CONVICTION_FILTER = 11 * 12
YOUTH_CONVICTION_FILTER = 66
ADULT_CAUTION_FILTER = 6 * 12


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def label(conviction: Conviction) -> str:
    """ "a fine", "a prison sentence and a fine": what the candidate chose, in words."""
    labels = {o.type: o.label for o in outcome_options()}
    names = []
    for sentence in conviction.sentences:
        kind = "motoring_fine_endorsed" if sentence.endorsement else sentence.type
        names.append(labels.get(kind, kind.replace("_", " ")).lower())
    return " and ".join(names)


def _when(conviction: Conviction, precision: str) -> str:
    if precision == "year":
        return str(conviction.date.year)
    if precision == "month":
        return f"{conviction.date:%B %Y}"
    return long_date(conviction.date)


def _result(outcome: Outcome, own: Outcome, as_of: date) -> str:
    if outcome.rank == 2:
        return result_text("never" if own.rank == 2 else "never_caught")
    if outcome.rank == 1:
        return result_text("indefinite")
    key = "spent" if outcome.on <= as_of else "spent_later"
    return result_text(key, date=long_date(outcome.on))


def _enhanced(conviction: Conviction, as_of: date) -> tuple[str, dict[str, str]]:
    """What a standard or enhanced check shows: a key of the texts, and its values."""
    types = {s.type for s in conviction.sentences}
    if types & YOUTH_CAUTIONS:
        return "youth_caution", {}
    if types & CUSTODIAL:
        return "enhanced_shown", {}
    if types <= CAUTIONS:
        months = ADULT_CAUTION_FILTER
    else:
        months = YOUTH_CONVICTION_FILTER if conviction.under_18 else ADULT_CONVICTION_FILTER
    filtered_from = add_months(conviction.date, months)
    if filtered_from <= as_of:
        return "enhanced_filtered", {}
    return "enhanced_until", {"date": long_date(filtered_from)}


@dataclass(frozen=True)
class Explained:
    """One conviction's answer: a heading, a one-line verdict, then the details."""

    heading: str  # "1. Your conviction from 15 March 2020 (a fine)"
    verdict: str  # "Spent since 15 March 2021. Basic DBS check: does not show it; ..."
    details: list[str]


def explained(request: Request, precisions: list[str] | None = None) -> list[Explained]:
    """Each conviction's answer, in input order."""
    precisions = precisions or ["day"] * len(request.convictions)
    found = []
    outcomes = spent_outcomes(request)
    as_of = request.as_of
    for number, (conviction, outcome, precision) in enumerate(
        zip(request.convictions, outcomes, precisions, strict=True), start=1
    ):
        kind = "caution" if all(s.type in CAUTIONS for s in conviction.sentences) else "conviction"
        own = own_outcome(conviction)
        spent = outcome.is_date and outcome.on <= as_of
        enhanced, values = _enhanced(conviction, as_of)
        details = [_result(outcome, own, as_of)]
        if outcome.is_date and outcome > own:  # drag-through, said in the right tense
            details.append(result_text("drag_past" if spent else "drag"))
        if precision != "day":
            details.append(result_text("approximate", precision=precision))
        details.append(result_text("basic_spent" if spent else "basic_unspent"))
        details.append(result_text(enhanced, **values))
        basic = verdict_text("basic_hidden" if spent else "basic_shown")
        checks = verdict_text("checks", basic=basic, enhanced=verdict_text(enhanced, **values))
        when = verdict_text(_verdict_key(outcome, as_of), date=long_date(outcome.on))
        verdict = f"{when} {checks}"
        heading = f"{number}. Your {kind} from {_when(conviction, precision)} ({label(conviction)})"
        found.append(Explained(heading, verdict, details))
    return found


def _verdict_key(outcome: Outcome, as_of: date) -> str:
    if outcome.rank == 2:
        return "never"
    if outcome.rank == 1:
        return "indefinite"
    return "spent" if outcome.on <= as_of else "spent_later"


def explain(request: Request, precisions: list[str] | None = None) -> list[str]:
    """One paragraph per conviction, in input order, then the advice line (the chat)."""
    paragraphs = [f"{e.heading}: {' '.join(e.details)}" for e in explained(request, precisions)]
    paragraphs.append(result_text("disclaimer"))
    return paragraphs
