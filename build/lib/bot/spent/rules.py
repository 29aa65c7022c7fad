"""One sentence's rehabilitation period: the table in docs/spent-checker.md.

`sentence_spent` answers for one sentence on its own; `check.py` combines
the sentences of a conviction and applies drag-through between convictions.
"""

from __future__ import annotations

from datetime import date

from bot.spent.dates import add_months
from bot.spent.model import Conviction, Sentence
from bot.spent.outcome import INDEFINITE, NEVER, Outcome

CUSTODY = frozenset({"custody", "suspended_custody"})
NEVER_SPENT = frozenset({"life", "ipp", "dpp", "extended"})

# Orders that run to their end date (S + length, or end_date).
REHABILITATIVE_ORDERS = frozenset(
    {
        "community_order",
        "youth_rehabilitation_order",
        "referral_order",
        "supervision_order",
        "attendance_centre_order",
        "conditional_discharge",
        "bind_over",
        "hospital_order",
    }
)
RESTRICTION_ORDERS = frozenset(
    {
        "restraining_order",
        "sexual_harm_prevention_order",
        "criminal_behaviour_order",
        "serious_crime_prevention_order",
        "disqualification",
        "other_order_with_requirements",
    }
)
ORDERS = REHABILITATIVE_ORDERS | RESTRICTION_ORDERS

SPENT_ON_CONVICTION = frozenset({"absolute_discharge", "reparation_order"})
SIMPLE_CAUTIONS = frozenset({"simple_caution", "youth_caution"})
CONDITIONAL_CAUTIONS = frozenset({"conditional_caution", "youth_conditional_caution"})
CAUTIONS = SIMPLE_CAUTIONS | CONDITIONAL_CAUTIONS

# Periods that run from the conviction date: type -> (adult months, under-18 months).
FROM_CONVICTION = {
    "fine": (12, 6),
    "penalty_notice": (60, 30),
    "penalty_points": (36, 36),
}
MOTORING_FINE = {False: (12, 6), True: (60, 30)}  # keyed by endorsement

# Sentences that only impose a prohibition, restriction or requirement: they
# never extend another conviction and are ignored when judging overlap (s.6).
NON_DRAGGING = RESTRICTION_ORDERS | {
    "reparation_order",
    "supervision_order",
    "attendance_centre_order",
    "penalty_points",
}
ADULT_NON_DRAGGING = frozenset({"penalty_notice"})

SENTENCE_TYPES = (
    CUSTODY
    | NEVER_SPENT
    | ORDERS
    | SPENT_ON_CONVICTION
    | CAUTIONS
    | set(FROM_CONVICTION)
    | {"motoring_fine", "compensation"}
)

# Custody buffers by band: (upper bound in months or None, adult, under 18).
CUSTODY_BANDS = ((12, 12, 6), (48, 48, 24), (None, 84, 42))
NO_LENGTH_ORDER_MONTHS = 24
CONDITIONAL_CAUTION_MONTHS = 3


def _months(pair: tuple[int, int], under_18: bool) -> int:
    return pair[1] if under_18 else pair[0]


def _custody(sentence: Sentence, start: date, under_18: bool) -> Outcome:
    assert sentence.length is not None  # the parser requires it
    months = sentence.length.in_months
    if months > 48 and sentence.schedule_18:
        return NEVER
    ends = sentence.length.after(start)
    for upper, adult, youth in CUSTODY_BANDS:
        if upper is None or months <= upper:
            return Outcome.on_day(add_months(ends, youth if under_18 else adult))
    raise AssertionError("the last band has no upper bound")


def _order(sentence: Sentence, conviction: Conviction, start: date) -> Outcome:
    if sentence.indefinite:
        return INDEFINITE
    if sentence.end_date is not None:
        return Outcome.on_day(sentence.end_date)
    if sentence.length is not None:
        return Outcome.on_day(sentence.length.after(start))
    return Outcome.on_day(add_months(conviction.date, NO_LENGTH_ORDER_MONTHS))


def sentence_spent(sentence: Sentence, conviction: Conviction) -> Outcome:
    """When this sentence alone becomes spent."""
    kind, day, young = sentence.type, conviction.date, conviction.under_18
    start = sentence.start or day
    if kind in NEVER_SPENT:
        return NEVER
    if kind in CUSTODY:
        return _custody(sentence, start, young)
    if kind in ORDERS:
        return _order(sentence, conviction, start)
    if kind in SPENT_ON_CONVICTION or kind in SIMPLE_CAUTIONS:
        return Outcome.on_day(day)
    if kind in CONDITIONAL_CAUTIONS:
        latest = add_months(day, CONDITIONAL_CAUTION_MONTHS)
        ended = sentence.conditions_end
        return Outcome.on_day(min(latest, ended) if ended else latest)
    if kind == "compensation":
        assert sentence.paid_on is not None  # the parser requires it
        return Outcome.on_day(sentence.paid_on)
    if kind == "motoring_fine":
        return Outcome.on_day(add_months(day, _months(MOTORING_FINE[sentence.endorsement], young)))
    return Outcome.on_day(add_months(day, _months(FROM_CONVICTION[kind], young)))


def drags(sentence: Sentence, conviction: Conviction) -> bool:
    """Whether this sentence can extend another conviction (ROA s.6)."""
    if sentence.type in CAUTIONS or sentence.type in NON_DRAGGING or sentence.indefinite:
        return False
    return not (sentence.type in ADULT_NON_DRAGGING and not conviction.under_18)


def is_caution(conviction: Conviction) -> bool:
    return all(s.type in CAUTIONS for s in conviction.sentences)
