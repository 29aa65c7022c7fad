"""When each conviction becomes spent: its own sentences, then drag-through.

A conviction is spent when its last sentence is spent. Under ROA s.6, a
conviction that comes while an earlier one is still unspent holds both unspent
until both periods have ended ("drag-through"). Only sentences that can drag
(see `rules.drags`) count, both for the overlap and for the extension; a
never-spent sentence drags earlier unspent convictions with it but never a
later conviction; cautions neither drag nor are dragged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.spent.model import Conviction, Request
from bot.spent.outcome import NEVER, Outcome
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
    """Convictions held unspent together: the last day of their (finite) periods,
    and the members a never-spent sentence caught while they were unspent."""

    ends: date | None
    members: list[int] = field(default_factory=list)
    never: set[int] = field(default_factory=set)


def spent_outcomes(request: Request) -> list[Outcome]:
    """When each conviction in the request becomes spent, in input order."""
    convictions = request.convictions
    outcomes = [own_outcome(c) for c in convictions]
    windows = [dragging_outcome(c) for c in convictions]
    # By date; on the same day the never-spent come last, so they catch the others.
    order = sorted(
        (i for i, w in enumerate(windows) if w is not None),
        key=lambda i: (convictions[i].date, windows[i] == NEVER),
    )
    groups: list[_Group] = []
    for i in order:
        window = windows[i]
        assert window is not None
        last = groups[-1] if groups else None
        # Conservative: a conviction on or before the day the group ends falls inside it.
        if last and last.ends is not None and convictions[i].date <= last.ends:
            if window == NEVER:
                last.never.update(last.members)  # earlier unspent ones are never spent now
            else:
                last.ends = max(last.ends, window.on)
            last.members.append(i)
        else:
            groups.append(_Group(ends=window.on if window.is_date else None, members=[i]))
    for group in groups:
        for i in group.members:
            if i in group.never:
                outcomes[i] = NEVER
            elif group.ends is not None:
                outcomes[i] = max(outcomes[i], Outcome.on_day(group.ends))
    return outcomes
