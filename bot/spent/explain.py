"""The checker's results in plain English, with what each DBS check would show.

Used by the chat and by the web form, so both say the same thing. Texts live
in bot/data/spent.yml.
"""

from __future__ import annotations

from datetime import date

from bot.spent.check import own_outcome, spent_outcomes
from bot.spent.dates import add_months
from bot.spent.model import Conviction, Request
from bot.spent.outcome import Outcome
from bot.spent.rules import CAUTIONS, CUSTODY, NEVER_SPENT
from bot.spent.words import outcome_options, result_text

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


def _enhanced(conviction: Conviction, as_of: date) -> str:
    types = {s.type for s in conviction.sentences}
    if types & YOUTH_CAUTIONS:
        return result_text("youth_caution")
    if types & CUSTODIAL:
        return result_text("enhanced_shown")
    if types <= CAUTIONS:
        months = ADULT_CAUTION_FILTER
    else:
        months = YOUTH_CONVICTION_FILTER if conviction.under_18 else ADULT_CONVICTION_FILTER
    filtered_from = add_months(conviction.date, months)
    if filtered_from <= as_of:
        return result_text("enhanced_filtered")
    return result_text("enhanced_until", date=long_date(filtered_from))


def explain(request: Request, precisions: list[str] | None = None) -> list[str]:
    """One paragraph per conviction, in input order, then the advice line."""
    precisions = precisions or ["day"] * len(request.convictions)
    paragraphs = []
    outcomes = spent_outcomes(request)
    for number, (conviction, outcome, precision) in enumerate(
        zip(request.convictions, outcomes, precisions, strict=True), start=1
    ):
        heading = (
            "caution" if all(s.type in CAUTIONS for s in conviction.sentences) else ("conviction")
        )
        own = own_outcome(conviction)
        lines = [
            f"{number}. Your {heading} from {_when(conviction, precision)} "
            f"({label(conviction)}): {_result(outcome, own, request.as_of)}"
        ]
        if outcome.is_date and outcome > own:
            lines.append(result_text("drag"))
        if precision != "day":
            lines.append(result_text("approximate", precision=precision))
        spent = outcome.is_date and outcome.on <= request.as_of
        lines.append(result_text("basic_spent" if spent else "basic_unspent"))
        lines.append(_enhanced(conviction, request.as_of))
        paragraphs.append(" ".join(lines))
    paragraphs.append(result_text("disclaimer"))
    return paragraphs
