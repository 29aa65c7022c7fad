"""The trainers' pages for the practice question bank (bot.training.questions):
every question with what it suits, a form to add one, and one page per
question to change it, leave it out of practice, or go back to the project's
version. Trainers and admins only; every page and change is audited.
"""

from __future__ import annotations

from aiohttp import web
from multidict import MultiDictProxy
from sqlalchemy.orm import Session

from bot.parts import TITLES
from bot.practice import bank
from bot.practice.bank import ANY, Question
from bot.review import audit
from bot.store.models import as_utc
from bot.training import questions
from bot.web.database import db_of
from bot.web.pages import notice_html, redirect, render
from bot.web.staff_auth import Staff, field, form_of, require
from bot.web.staff_pages import staff_page, when
from bot.web.training_pages import TRAINERS, history_html

NOTICES = {
    "added": "Added. The next practice round can ask it.",
    "saved": "Saved. The next practice round asks it this way.",
    "back": "The project's version is back for the next practice round.",
}
CHANGE_NAMES = {"changed": "Changed", "replaced": "No longer in force"}
# An empty form for a new question: every job and setting, asked in practice.
NEW = Question("", "", (ANY,), (ANY,), bank.topics()[0], "", ())


async def questions_page(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    with db_of(request) as db:
        audit.record(db, staff.email, "viewed the practice questions")
        return _questions_page(db, staff, NOTICES.get(request.query.get("done", ""), ""), NEW)


def _questions_page(
    db: Session, staff: Staff, notice: str, draft: Question, status: int = 200
) -> web.Response:
    rows = "".join(
        render(
            "staff/question_row",
            id=entry.question.id,
            text=entry.question.text,
            jobs=_names(entry.question.jobs, bank.jobs(), "Every job"),
            settings=_names(entry.question.settings, bank.settings(), "Every setting"),
            covers=entry.question.covers,
            source=_source(entry),
        )
        for entry in questions.entries(db)
    )
    content = render(
        "staff/questions",
        notice_html=notice_html(notice),
        rows_html=rows,
        follow_ups=bank.bank()["follow_ups"],
        csrf=staff.csrf_token,
        fields_html=_fields(draft),
    )
    return staff_page(staff, "Practice questions", content, status)


def _names(keys: tuple[str, ...], labels: dict[str, str], every: str) -> str:
    return every if ANY in keys else ", ".join(labels[key] for key in keys if key in labels)


def _source(entry: questions.Entry) -> str:
    """Whose version is in force, and whether rounds ask it."""
    if entry.changed_by is None:
        whose = "The project's."
    else:
        made = "Changed" if entry.project else "Added"
        whose = f"{made} by {entry.changed_by.author}, {when(as_utc(entry.changed_by.created_at))}."
    return whose if entry.question.in_practice else f"{whose} Left out of practice."


def _fields(draft: Question) -> str:
    return render(
        "staff/question_fields",
        text=draft.text,
        max_text=questions.MAX_TEXT,
        jobs_html=_boxes("jobs", bank.jobs(), draft.jobs),
        settings_html=_boxes("settings", bank.settings(), draft.settings),
        asks_html=_boxes("asks", TITLES, draft.asks),
        topics_html="".join(
            render(
                "staff/option",
                value=topic,
                label=topic.capitalize(),
                selected_html=" selected" * (topic == draft.topic),
            )
            for topic in bank.topics()
        ),
        covers=draft.covers,
        max_covers=questions.MAX_COVERS,
        in_practice_html=" checked" * draft.in_practice,
    )


def _boxes(name: str, labels: dict[str, str], chosen: tuple[str, ...]) -> str:
    return "".join(
        render(
            "staff/checkbox",
            name=name,
            value=key,
            label=label,
            checked_html=" checked" * (ANY in chosen or key in chosen),
        )
        for key, label in labels.items()
    )


def _posted(form: MultiDictProxy, question_id: str = "") -> Question:
    """The question as the form sent it (checked when saved)."""
    return Question(
        id=question_id,
        text=field(form, "text", questions.MAX_TEXT * 4),
        jobs=_chosen(form, "jobs"),
        settings=_chosen(form, "settings"),
        topic=field(form, "topic", 40),
        covers=field(form, "covers", questions.MAX_COVERS * 4),
        asks=_chosen(form, "asks"),
        in_practice=field(form, "in_practice", 3) == "yes",
    )


def _chosen(form: MultiDictProxy, name: str) -> tuple[str, ...]:
    values = form.getall(name, [])
    if len(values) > 20 or not all(isinstance(v, str) and len(v) <= 40 for v in values):
        raise web.HTTPBadRequest(text=f"The field '{name}' must be a few choices from the list.")
    return tuple(values)


def _save(db: Session, staff: Staff, question_id: str | None, draft: Question) -> Question:
    return questions.save(db, question_id, draft.text, list(draft.jobs), list(draft.settings),
                          draft.topic, draft.covers, list(draft.asks), draft.in_practice,
                          staff.email)  # fmt: skip


async def add_question(request: web.Request) -> web.Response:
    """A new question; a problem comes back on the form, everything kept."""
    staff = await require(request, *TRAINERS)
    draft = _posted(await form_of(request, staff))
    with db_of(request) as db:
        try:
            added = _save(db, staff, None, draft)
        except questions.QuestionError as error:
            db.rollback()
            return _questions_page(db, staff, f"{error} Nothing was saved.", draft, 400)
        audit.record(db, staff.email, "added a practice question", question=added.id)
    return redirect("/staff/training/questions?done=added")


def _entry(db: Session, request: web.Request) -> questions.Entry:
    found = questions.entry(db, request.match_info["question_id"])
    if found is None:
        raise web.HTTPNotFound(text="There is no such practice question.")
    return found


async def question_page(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    with db_of(request) as db:
        entry = _entry(db, request)
        audit.record(db, staff.email, "viewed a practice question", question=entry.question.id)
        notice = NOTICES.get(request.query.get("done", ""), "")
        return _question_page(db, staff, entry, notice, entry.question)


def _question_page(
    db: Session,
    staff: Staff,
    entry: questions.Entry,
    notice: str,
    draft: Question,
    status: int = 200,
) -> web.Response:
    content = render(
        "staff/question",
        notice_html=notice_html(notice),
        source=_source(entry),
        id=entry.question.id,
        csrf=staff.csrf_token,
        fields_html=_fields(draft),
        back_html=render("staff/question_back", id=entry.question.id)
        if entry.changed_by and entry.project
        else "",
        history_html=history_html(questions.history(db, entry.question.id), CHANGE_NAMES),
    )
    return staff_page(staff, "A practice question", content, status)


async def save_question(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    form = await form_of(request, staff)
    with db_of(request) as db:
        entry = _entry(db, request)
        draft = _posted(form, entry.question.id)
        try:
            _save(db, staff, entry.question.id, draft)
        except questions.QuestionError as error:
            db.rollback()
            return _question_page(db, staff, entry, f"{error} Nothing was saved.", draft, 400)
        audit.record(db, staff.email, "changed a practice question", question=entry.question.id)
    return redirect(f"/staff/training/questions/{entry.question.id}?done=saved")


async def question_back(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    await form_of(request, staff)
    with db_of(request) as db:
        entry = _entry(db, request)
        try:
            questions.back_to_project(db, entry.question.id, staff.email)
        except questions.QuestionError as error:
            db.rollback()
            problem = f"{error} Nothing was changed."
            return _question_page(db, staff, entry, problem, entry.question, 400)
        audit.record(
            db, staff.email, "put back the project's practice question", question=entry.question.id
        )
    return redirect(f"/staff/training/questions/{entry.question.id}?done=back")
