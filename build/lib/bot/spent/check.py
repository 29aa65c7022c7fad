"""When each conviction becomes spent: its own sentences, then drag-through.

A conviction is spent when its last sentence is spent. Under ROA s.6, a
conviction that comes while an earlier one is still unspent holds both unspent
until both periods have ended ("drag-through"). Only sentences that can drag
(see `rules.drags`) count, both for the overlap and for the extension; a
never-spent sentence makes every earlier conviction still unspent on its day
never spent too (whatever holds that one unspent), but never a later
conviction; cautions neither drag nor are dragged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.spent.model import Conviction, Request
from bot.spent.outcome import INDEFINITE, NEVER, Outcome
from bot.spent.rules import drags, is_caution, sentence_spent


def own_outcome(conviction: Conviction) -> Outcome:
    """When the conviction would be spent if it were the only one."""
    return max(sentence_spent(s, conviction) for s in conviction.sentences)


def dragging_outcome(conviction: Conviction) -> Outcome | None:
    """The period this conviction can impose on others, or None if it cannot drag."""
    if is_caution(conviction):
        return None
    periods = [sentence_spent(s, conviction) for s in conviction.sentences if drags(s, conviction)]
    return max(periods) if periods else None


@dataclass
class _Group:
    """Convictions held unspent together, and the last day of their periods."""

    ends: date
    members: list[int] = field(default_factory=list)


def spent_outcomes(request: Request) -> list[Outcome]:
    """When each conviction in the request becomes spent, in input order."""
    convictions = request.convictions
    outcomes = [own_outcome(c) for c in convictions]
    _drag_through(convictions, outcomes)
    _never_spent_catches_earlier(convictions, outcomes)
    return outcomes


def _drag_through(convictions: Sequence[Conviction], outcomes: list[Outcome]) -> None:
    """Convictions whose dragging periods overlap each take the group's last day."""
    windows = [dragging_outcome(c) for c in convictions]
    dated = sorted(
        (i for i, w in enumerate(windows) if w is not None and w.is_date),
        key=lambda i: convictions[i].date,
    )
    groups: list[_Group] = []
    for i in dated:
        window = windows[i]
        assert window is not None
        last = groups[-1] if groups else None
        # Conservative: a conviction on or before the day the group ends falls inside it.
        if last and convictions[i].date <= last.ends:
            last.ends = max(last.ends, window.on)
            last.members.append(i)
        else:
            groups.append(_Group(ends=window.on, members=[i]))
    for group in groups:
        for i in group.members:
            outcomes[i] = max(outcomes[i], Outcome.on_day(group.ends))


def _never_spent_catches_earlier(
    convictions: Sequence[Conviction], outcomes: list[Outcome]
) -> None:
    """A never-spent sentence makes never spent every earlier conviction still
    unspent on its day (on or before the day that one would be spent), whatever
    held it unspent: a dragging sentence, a restriction, or an order of no fixed
    end. Later convictions are not caught; cautions never are."""
    for n, never in enumerate(convictions):
        if own_outcome(never) != NEVER:
            continue
        for i, earlier in enumerate(convictions):
            unspent = outcomes[i] == INDEFINITE or (
                outcomes[i].is_date and never.date <= outcomes[i].on
            )
            if i != n and earlier.date <= never.date and unspent and not is_caution(earlier):
                outcomes[i] = NEVER
