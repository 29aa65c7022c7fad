"""The spent checker as a plain web form, for caseworkers and candidates.

It calls the same library and shows the same explanations as the chat, each
conviction's answer opening with a one-line verdict. Nothing entered here is
stored. Without JavaScript: one block to start with, and "Add another
conviction" (a button that sends the form back with one more block, up to
five); the form comes back filled in with the answer or with a message naming
what to fix. Helplines and advice are links.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from aiohttp import web

from bot.spent import InputError, parse_request
from bot.spent.answers import build_sentence
from bot.spent.dates import UNITS, Length
from bot.spent.explain import explained
from bot.spent.words import outcome_options, result_text, vocabulary
from bot.web.pages import page, render
from bot.web.security import read_form

BLOCKS = 5  # at most
TITLE = "Do I need to tell an employer?"
LENGTH_TYPES = frozenset({"custody", "suspended_custody"})  # a length is required


def _field(form: Any, name: str) -> str:
    return str(form.get(name) or "").strip()[:100]


def _options(choices: list[tuple[str, str]], chosen: str) -> str:
    return "".join(
        render("option", value=value, label=text, selected_html=" selected" * (value == chosen))
        for value, text in choices
    )


def _block(i: int, form: Any) -> str:
    """One conviction's fields, filled with what was sent."""
    outcomes = [("", "Choose..."), *((o.type, o.label) for o in outcome_options())]
    return render(
        "spent_block",
        i=i,
        number=i + 1,
        optional=" (optional)" if i else "",
        date=_field(form, f"date_{i}"),
        under_checked_html=" checked" * bool(_field(form, f"under_18_{i}")),
        outcome_options_html=_options(outcomes, _field(form, f"outcome_{i}")),
        amount=_field(form, f"amount_{i}"),
        unit_options_html=_options([(u, u) for u in UNITS], _field(form, f"unit_{i}") or "months"),
        indefinite_checked_html=" checked" * bool(_field(form, f"indefinite_{i}")),
    )


def _shown(form: Any) -> int:
    """How many blocks the form shows: as many as were shown (or filled in), one
    more after "Add another conviction", at least one, at most BLOCKS."""
    shown = int(_field(form, "blocks")) if _field(form, "blocks").isdigit() else 1
    filled = max((i + 1 for i in range(BLOCKS) if _field(form, f"date_{i}")), default=1)
    shown = max(shown, filled) + (1 if _field(form, "add") else 0)
    return min(max(shown, 1), BLOCKS)


def _form_html(form: Any) -> str:
    shown = _shown(form)
    return render(
        "spent_form",
        shown=shown,
        blocks_html="".join(_block(i, form) for i in range(shown)),
        more_html=render("spent_more") if shown < BLOCKS else "",
    )


def linked(text: str) -> str:
    """`text` escaped, with the helplines and advice it names made links (tel: for
    a phone number; bot/data/spent.yml `links`)."""
    out = html.escape(text)
    for name, href in sorted(vocabulary()["links"].items(), key=lambda item: -len(item[0])):
        shown = html.escape(name)
        out = out.replace(shown, render("link", href=href, text=name), 1)
    return out


def request_from_form(form: Any, today: date) -> tuple[dict[str, Any], list[int]]:
    """The contract input for the filled-in blocks, and which block each came from."""
    convictions, blocks = [], []
    for i in range(BLOCKS):
        day, outcome = _field(form, f"date_{i}"), _field(form, f"outcome_{i}")
        if not day and not outcome:
            continue
        where = f"Conviction or caution {i + 1}"
        if not day or not outcome:
            raise InputError(where, "give both the date and what they got")
        if outcome not in {o.type for o in outcome_options()}:
            raise InputError(where, "choose what they got from the list")
        amount, unit = _field(form, f"amount_{i}"), _field(form, f"unit_{i}") or "months"
        length: Length | str | None = None
        if _field(form, f"indefinite_{i}"):
            length = "indefinite"
        elif amount:
            if not amount.isdigit() or int(amount) < 1 or unit not in UNITS:
                raise InputError(where, "the length must be a whole number above 0")
            length = Length(int(amount), unit)
        if outcome in LENGTH_TYPES and not isinstance(length, Length):
            raise InputError(where, "a prison or suspended sentence needs its length")
        sentence = build_sentence(outcome, length)
        entry: dict[str, Any] = {"type": sentence.type}
        if sentence.length:
            entry["length"] = {sentence.length.unit: sentence.length.amount}
        if sentence.indefinite:
            entry["indefinite"] = True
        if sentence.endorsement:
            entry["endorsement"] = True
        convictions.append(
            {"date": day, "under_18": bool(_field(form, f"under_18_{i}")), "sentences": [entry]}
        )
        blocks.append(i)
    if not convictions:
        raise InputError("Conviction or caution 1", "give the date and what they got")
    return {"convictions": convictions, "as_of": today.isoformat()}, blocks


def _friendly(error: InputError, blocks: list[int]) -> str:
    """ "convictions[1].date: ..." as the form names it: "Conviction or caution 2, date: ..." """
    message = str(error)
    if error.conviction is not None and blocks:
        block = blocks[error.conviction] + 1
        message = f"Conviction or caution {block}, {error.field}: {error.problem}"
    return message.replace(" (or after as_of)", "")


async def spent_form(request: web.Request) -> web.Response:
    return _page({}, "")


def _page(form: Any, result_html: str, status: int = 200) -> web.Response:
    return page(
        TITLE, "spent", status=status, heading=TITLE, form_html=_form_html(form),
        result_html=result_html, elsewhere_html=linked(vocabulary()["page_elsewhere"]),
    )  # fmt: skip


async def spent_check(request: web.Request) -> web.Response:
    form = await read_form(request)
    if _field(form, "add"):  # "Add another conviction": the form again, one block more
        return _page(form, "")
    blocks: list[int] = []
    try:
        data, blocks = request_from_form(form, date.today())
        answers = "".join(
            render("spent_answer", heading=a.heading, verdict=a.verdict,
                   details_html=linked(" ".join(a.details)))
            for a in explained(parse_request(data))
        )  # fmt: skip
        result = render(
            "spent_result", answers_html=answers, advice_html=linked(result_text("disclaimer"))
        )
        status = 200
    except InputError as error:
        result = render("spent_problem", message=_friendly(error, blocks))
        status = 400
    return _page(form, result, status)
