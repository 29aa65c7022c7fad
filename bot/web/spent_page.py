"""The spent checker as a plain web form, for caseworkers and candidates.

It calls the same library and shows the same explanations as the chat. Nothing
entered here is stored. Without JavaScript: five optional blocks, one per
conviction or caution; the form comes back filled in with the answer or with
a message naming what to fix.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from aiohttp import web

from bot.spent import InputError, parse_request
from bot.spent.answers import build_sentence
from bot.spent.dates import UNITS, Length
from bot.spent.explain import explain
from bot.spent.words import outcome_options
from bot.web.pages import page
from bot.web.security import read_form

BLOCKS = 5
LENGTH_TYPES = frozenset({"custody", "suspended_custody"})  # a length is required


def _field(form: Any, name: str) -> str:
    return str(form.get(name) or "").strip()[:100]


def _select(
    name: str, label: str, options: list[tuple[str, str]], chosen: str, hide_label: bool = False
) -> str:
    items = "".join(
        f'<option value="{html.escape(v)}"{" selected" if v == chosen else ""}>'
        f"{html.escape(t)}</option>"
        for v, t in options
    )
    hidden = ' class="visually-hidden"' if hide_label else ""
    return (
        f'<label for="{name}"{hidden}>{label}</label>'
        f'<select id="{name}" name="{name}">{items}</select>'
    )


def _block(i: int, form: Any) -> str:
    """One conviction's fields, filled with what was sent."""
    n = i + 1
    outcomes = [("", "Choose...")] + [(o.type, o.label) for o in outcome_options()]
    units = [(u, u) for u in UNITS]
    under = " checked" if _field(form, f"under_18_{i}") else ""
    indefinite = " checked" if _field(form, f"indefinite_{i}") else ""
    return f"""<fieldset>
<legend>Conviction or caution {n}{" (optional)" if i else ""}</legend>
<label for="date_{i}">Date of conviction or caution</label>
<input type="date" id="date_{i}" name="date_{i}" value="{html.escape(_field(form, f"date_{i}"))}">
<label class="check"><input type="checkbox" name="under_18_{i}" value="yes"{under}>
Under 18 on that date</label>
{_select(f"outcome_{i}", "What they got", outcomes, _field(form, f"outcome_{i}"))}
<label for="amount_{i}">Length (if it had one)</label>
<div class="length">
<input type="number" min="1" max="1200" id="amount_{i}" name="amount_{i}"
 value="{html.escape(_field(form, f"amount_{i}"))}" aria-label="Length, number">
<div>{_select(f"unit_{i}", "Unit", units, _field(form, f"unit_{i}") or "months", True)}</div>
</div>
<label class="check"><input type="checkbox" name="indefinite_{i}" value="yes"{indefinite}>
Made "until further order" (no end date)</label>
</fieldset>"""


def _form_html(form: Any) -> str:
    blocks = "".join(_block(i, form) for i in range(BLOCKS))
    return (
        '<form method="post" action="/spent" class="spent-form">'
        f'{blocks}<button type="submit" class="primary">Check</button></form>'
    )


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
    """ "convictions[1].date: ..." -> "Conviction or caution 2, date: ..." """
    message = str(error)
    if message.startswith("convictions[") and blocks:
        index = int(message.split("[", 1)[1].split("]", 1)[0])
        rest = message.split("]", 1)[1].lstrip(".")
        field = rest.split(":", 1)[0].split(".")[-1].split("[")[0].replace("_", " ")
        message = f"Conviction or caution {blocks[index] + 1}, {field}:{rest.split(':', 1)[1]}"
    return message.replace(" (or after as_of)", "")


async def spent_form(request: web.Request) -> web.Response:
    return page("Do I need to disclose?", "spent", form_html=_form_html({}), result_html="")


async def spent_check(request: web.Request) -> web.Response:
    form = await read_form(request)
    blocks: list[int] = []
    try:
        data, blocks = request_from_form(form, date.today())
        paragraphs = explain(parse_request(data))
        items = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        result = (
            '<section class="result" aria-labelledby="result-h">'
            f'<h2 id="result-h">The answer</h2>{items}</section>'
        )
        status = 200
    except InputError as error:
        message = html.escape(_friendly(error, blocks))
        result = f'<div class="notice" role="alert"><p>Please check: {message}</p></div>'
        status = 400
    return page(
        "Do I need to disclose?", "spent", status=status,
        form_html=_form_html(form), result_html=result,
    )  # fmt: skip
