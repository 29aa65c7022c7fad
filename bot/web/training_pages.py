"""The trainers' pages: where the assistant struggled, teaching it what a message
meant, and checking, publishing and rolling back models (bot.training).

Trainers and admins only. What a trainer reads here has been redacted and says
nothing of who wrote it. Every page opened and every change is written to the
audit log.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timezone
from typing import Any

from aiohttp import web
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.review import audit
from bot.store.models import (
    PublishedModel,
    Role,
    TrainingExample,
    TrainingJob,
    TrainingStory,
    as_utc,
)
from bot.training import answers, intents, jobs, published, stories, teaching, versions
from bot.training.struggles import Group, queue
from bot.web import keys
from bot.web.database import db_of
from bot.web.pages import notice_html, redirect, render
from bot.web.staff_auth import Staff, field, form_of, require, row_id
from bot.web.staff_pages import options_html, staff_page, when

TRAINERS = (Role.TRAINER, Role.ADMIN)
# How each kind of struggle is named on the page.
KIND_NAMES = {
    "fallback": "did not understand",
    "unsure": "was unsure",
    "asked_again": "asked again after the answer",
    "not_what_i_meant": "“that’s not what I meant” next",
}
STATUS_NAMES = {"running": "Running", "passed": "Passed", "failed": "Failed"}
NOTICES = {
    "taught": "Saved. The next model you check or publish learns it.",
    "set_aside": "Saved. The message has left the list.",
    "back": "The assistant has gone back to the previous model.",
    "added": "Added. The next model you check or publish learns it.",
    "removed": "Taken back. The next model you check or publish no longer learns it.",
    "story": "Saved. The story runs with the next check.",
    "story_removed": "Taken back. The story no longer runs.",
    "from_conversation": (
        "This story starts from the conversation where the assistant struggled: the last"
        " message is the one it got wrong. Messages it understood are shown in the"
        " project's words, with what they meant; say what the last one meant."
    ),
    "answer": "Saved. The next model you publish gives this answer.",
    "answer_back": "The project's wording is back. The next model you publish gives it.",
}
CHANGE_NAMES = {"added": "Added", "removed": "Took back"}
ANSWER_CHANGE_NAMES = {"reworded": "Reworded", "replaced": "No longer in force"}


# --- the queue and teaching ------------------------------------------------------------


async def _open_groups(request: web.Request) -> list[Group]:
    config = request.app[keys.CONFIG]
    groups = await asyncio.to_thread(queue, config.tracker_store_url)
    with db_of(request) as db:
        return teaching.undecided(db, groups)


async def queue_page(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    groups = await _open_groups(request)
    with db_of(request) as db:
        audit.record(db, staff.email, "viewed the trainers' queue", groups=len(groups))
    content = render(
        "staff/training",
        notice_html=notice_html(NOTICES.get(request.query.get("done", ""), "")),
        rows_html="".join(_row(group) for group in groups),
        empty="" if groups else "Nothing yet: no message has been missed.",
    )
    return staff_page(staff, "Where the assistant struggled", content)


def _row(group: Group) -> str:
    return render(
        "staff/struggle_row",
        text=group.text,
        count=group.count,
        kinds=", ".join(KIND_NAMES[kind] for kind in group.kinds),
        reply=group.newest.reply,
        seen=when(datetime.fromtimestamp(group.newest.at, timezone.utc)),
        key=group.key,
    )


async def _group(request: web.Request) -> Group:
    key = request.match_info["key"]
    found = next((g for g in await _open_groups(request) if g.key == key), None)
    if found is None:
        raise web.HTTPNotFound(text="That message is no longer in the list.")
    return found


async def teach_form(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    group = await _group(request)
    return _teach_page(staff, group, group.text, "")


def _teach_page(
    staff: Staff, group: Group, wording: str, chosen: str, problem: str = "", status: int = 200
) -> web.Response:
    choices = "".join(
        render(
            "staff/intent_choice",
            index=index,
            name=intent.name,
            description=intent.description,
            examples="; ".join(f"“{example}”" for example in intent.examples),
            checked_html=" checked" if intent.name == chosen else "",
        )
        for index, intent in enumerate(intents.catalogue())
    )
    content = render(
        "staff/teach",
        notice_html=notice_html(problem),
        text=group.text,
        reply=group.newest.reply,
        key=group.key,
        csrf=staff.csrf_token,
        wording=wording,
        max_wording=teaching.MAX_EXAMPLE,
        choices_html=choices,
        not_for_assistant=teaching.NOT_FOR_ASSISTANT,
        none_checked_html=" checked" if chosen == teaching.NOT_FOR_ASSISTANT else "",
    )
    return staff_page(staff, "What did this message mean?", content, status)


async def teach(request: web.Request) -> web.Response:
    """A trainer's decision on one wording; a problem comes back on the form, their
    edit kept."""
    staff = await require(request, *TRAINERS)
    form = await form_of(request, staff)
    group = await _group(request)
    wording = field(form, "wording", teaching.MAX_EXAMPLE * 4)
    intent = field(form, "intent", 100)
    with db_of(request) as db:
        try:
            text = teaching.teach(db, group.key, wording, intent, staff.email)
        except teaching.TeachingError as error:
            db.rollback()
            return _teach_page(staff, group, wording, intent, f"{error} Nothing was saved.", 400)
        if text:
            audit.record(db, staff.email, "taught an example", intent=intent)
        else:
            audit.record(db, staff.email, "set a message aside as not for the assistant")
    return redirect(f"/staff/training?done={'taught' if text else 'set_aside'}")


# --- what the assistant understands: each intent and its examples ----------------------


async def intents_page(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    known = intents.known_examples()
    with db_of(request) as db:
        taught = Counter(example.intent for example in teaching.in_force(db))
        audit.record(db, staff.email, "viewed what the assistant understands")
    rows = "".join(
        render(
            "staff/intent_row",
            name=intent.name,
            description=intent.description,
            known=len(known.get(intent.name, [])),
            taught=taught[intent.name],
        )
        for intent in intents.catalogue()
    )
    content = render(
        "staff/intents",
        notice_html=notice_html(NOTICES.get(request.query.get("done", ""), "")),
        rows_html=rows,
    )
    return staff_page(staff, "What the assistant understands", content)


def _intent(request: web.Request) -> intents.Intent:
    found = intents.by_name(request.match_info["name"])
    if found is None:
        raise web.HTTPNotFound(text="The assistant knows no such kind of message.")
    return found


async def intent_page(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    intent = _intent(request)
    with db_of(request) as db:
        audit.record(db, staff.email, "viewed an intent's examples", intent=intent.name)
        notice = NOTICES.get(request.query.get("done", ""), "")
        return _intent_page(db, staff, intent, notice)


def _intent_page(
    db: Session,
    staff: Staff,
    intent: intents.Intent,
    notice: str,
    wording: str = "",
    status: int = 200,
    draft: tuple[int, str] | None = None,
) -> web.Response:
    """An intent's page; `wording` and `draft` (an answer's variant and its text)
    put back what a trainer typed when it could not be saved."""
    taught = "".join(
        render(
            "staff/taught_example_row",
            text=example.text,
            by=example.author,
            at=when(as_utc(example.created_at)),
            example_id=example.id,
            csrf=staff.csrf_token,
        )
        for example in teaching.in_force(db, intent.name)
    )
    content = render(
        "staff/intent",
        notice_html=notice_html(notice),
        answer_html=_answer_section(db, staff, intent, draft),
        description=intent.description,
        name=intent.name,
        csrf=staff.csrf_token,
        wording=wording,
        max_wording=teaching.MAX_EXAMPLE,
        taught_html=render("staff/taught_example_table", rows_html=taught)
        if taught
        else render("staff/empty", text="None yet."),
        known_html="".join(
            render("staff/known_example", text=text)
            for text in intents.known_examples().get(intent.name, [])
        ),
        history_html=history_html(teaching.history(db, intent.name), CHANGE_NAMES),
    )
    return staff_page(staff, intent.description, content, status)


def _answer_section(
    db: Session, staff: Staff, intent: intents.Intent, draft: tuple[int, str] | None
) -> str:
    """A question's or small talk's answer, each variant in its own form (or read
    only, for the answers that are promises about data)."""
    response = answers.response_of(intent.name)
    if response is None:
        return ""
    variants = answers.variants(db, response)
    if answers.locked_reason(response):
        return render(
            "staff/answer_locked_section",
            reason=answers.locked_reason(response),
            variants_html="".join(
                render("staff/answer_locked", audience=v.audience, text=v.text) for v in variants
            ),
        )
    forms = "".join(
        render(
            "staff/answer_variant",
            name=intent.name,
            csrf=staff.csrf_token,
            index=v.index,
            audience=v.audience,
            text=draft[1] if draft and draft[0] == v.index else v.text,
            max_answer=answers.MAX_ANSWER,
            source=(
                f"Reworded by {v.changed_by.author}, {when(as_utc(v.changed_by.created_at))} (UTC)."
                if v.changed_by
                else "The project's own wording."
            ),
            back_html=render("staff/answer_back", name=intent.name) if v.changed_by else "",
        )
        for v in variants
    )
    changes = answers.history(db, response)
    return render(
        "staff/answer_section",
        variants_html=forms,
        history_html=history_html(changes, ANSWER_CHANGE_NAMES) if changes else "",
    )


def history_html(changes: list[versions.Change], names: dict[str, str]) -> str:
    """A table of trainers' changes, newest first, each named as `names` says."""
    if not changes:
        return render("staff/empty", text="No changes yet.")
    rows = "".join(
        render(
            "staff/change_row",
            at=when(change.at),
            who=change.who,
            what=names[change.what],
            text=change.text,
        )
        for change in changes
    )
    return render("staff/change_table", rows_html=rows)


async def reword_answer(request: web.Request) -> web.Response:
    """A new wording of one variant; a problem comes back on the page."""
    staff = await require(request, *TRAINERS)
    form = await form_of(request, staff)
    intent, response = _answered(request)
    variant = _variant(field(form, "variant", 3))
    text = field(form, "answer", answers.MAX_ANSWER * 4)
    with db_of(request) as db:
        try:
            answers.reword(db, response, variant, text, staff.email)
        except answers.AnswerError as error:
            db.rollback()
            problem = f"{error} Nothing was saved."
            return _intent_page(db, staff, intent, problem, status=400, draft=(variant, text))
        audit.record(db, staff.email, "reworded an answer", response=response)
    return redirect(f"/staff/training/intents/{intent.name}?done=answer")


async def answer_back(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    form = await form_of(request, staff)
    intent, response = _answered(request)
    variant = _variant(field(form, "variant", 3))
    with db_of(request) as db:
        answers.back_to_project(db, response, variant, staff.email)
        audit.record(db, staff.email, "went back to the project's answer", response=response)
    return redirect(f"/staff/training/intents/{intent.name}?done=answer_back")


def _answered(request: web.Request) -> tuple[intents.Intent, str]:
    """The question or small talk in the URL, and the response that answers it."""
    intent = _intent(request)
    response = answers.response_of(intent.name)
    if response is None:
        raise web.HTTPNotFound(text="This kind of message has no answer of its own.")
    return intent, response


def _variant(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) < 3):
        raise web.HTTPBadRequest(text="Choose which answer to change.")
    return int(text)


async def add_example(request: web.Request) -> web.Response:
    """A wording typed in on an intent's page; a problem comes back on the page,
    the wording kept."""
    staff = await require(request, *TRAINERS)
    form = await form_of(request, staff)
    intent = _intent(request)
    wording = field(form, "wording", teaching.MAX_EXAMPLE * 4)
    with db_of(request) as db:
        try:
            teaching.add_example(db, intent.name, wording, staff.email)
        except teaching.TeachingError as error:
            db.rollback()
            return _intent_page(db, staff, intent, f"{error} Nothing was saved.", wording, 400)
        audit.record(db, staff.email, "added an example", intent=intent.name)
    return redirect(f"/staff/training/intents/{intent.name}?done=added")


async def remove_example(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    await form_of(request, staff)
    with db_of(request) as db:
        example = teaching.remove_example(db, row_id(request, "example_id"), staff.email)
        if example is None:
            raise web.HTTPNotFound(text="There is no such example.")
        audit.record(db, staff.email, "took back an example", intent=example.intent)
        intent = example.intent
    return redirect(f"/staff/training/intents/{intent}?done=removed")


# --- test stories -----------------------------------------------------------------------


async def stories_page(request: web.Request) -> web.Response:
    """The stories and a form for a new one; `?from=<wording>` starts it from a
    message in the queue (redacted, as the queue shows it)."""
    staff = await require(request, *TRAINERS)
    turns, notice = [stories.Turn("", "", "")], NOTICES.get(request.query.get("done", ""), "")
    if "from" in request.query:
        groups = await _open_groups(request)
        found = next((g for g in groups if g.key == request.query["from"]), None)
        if found is None:
            raise web.HTTPNotFound(text="That message is no longer in the list.")
        turns, notice = stories.turns_from(found.newest), NOTICES["from_conversation"]
    with db_of(request) as db:
        audit.record(db, staff.email, "viewed the test stories")
        return _stories_page(db, staff, notice, turns=turns)


def _stories_page(
    db: Session,
    staff: Staff,
    notice: str,
    name: str = "",
    turns: list[stories.Turn] | None = None,
    status: int = 200,
) -> web.Response:
    given = list(turns or [])
    given += [stories.Turn("", "", "")] * (stories.MAX_TURNS - len(given))
    saved = "".join(_story_row(staff, story) for story in stories.every_story(db))
    content = render(
        "staff/stories",
        notice_html=notice_html(notice),
        csrf=staff.csrf_token,
        name=name,
        max_name=stories.MAX_NAME,
        turns_html="".join(_turn_fields(n, turn) for n, turn in enumerate(given, start=1)),
        saved_html=render("staff/story_table", rows_html=saved)
        if saved
        else render("staff/empty", text="None yet."),
    )
    return staff_page(staff, "Test stories", content, status)


def _turn_fields(number: int, turn: stories.Turn) -> str:
    meanings = [("", "Choose…"), *((i.name, i.description) for i in intents.catalogue())]
    answers = [("", "Choose…"), *((r.name, _short(r.text)) for r in stories.replies())]
    return render(
        "staff/story_turn",
        number=number,
        optional="" if number == 1 else " (if the story goes on)",
        text=turn.text,
        max_text=stories.MAX_TEXT,
        intent_options_html=options_html(meanings, turn.intent),
        reply_options_html=options_html(answers, turn.reply),
    )


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _story_row(staff: Staff, story: TrainingStory) -> str:
    answers = {reply.name: reply.text for reply in stories.replies()}
    steps = "".join(
        render(
            "staff/story_step",
            text=step["user"],
            meaning=_meaning(step["intent"]).rstrip("."),
            reply=_short(answers.get(step["reply"], "its own answer")),
        )
        for step in story.steps
    )
    if story.removed_at is None:
        status = render("staff/story_take_back", story_id=story.id, csrf=staff.csrf_token,
                        name=story.name)  # fmt: skip
    else:
        status = render(
            "staff/story_taken_back", by=story.removed_by, at=when(as_utc(story.removed_at))
        )
    return render(
        "staff/story_row",
        name=story.name,
        steps_html=steps,
        by=story.author,
        at=when(as_utc(story.created_at)),
        status_html=status,
    )


async def add_story(request: web.Request) -> web.Response:
    """A story from the form; a problem comes back on the form, everything kept."""
    staff = await require(request, *TRAINERS)
    form = await form_of(request, staff)
    name = field(form, "name", stories.MAX_NAME * 4)
    turns = [
        stories.Turn(
            field(form, f"text-{n}", stories.MAX_TEXT * 4),
            field(form, f"intent-{n}", 100),
            field(form, f"reply-{n}", 100),
        )
        for n in range(1, stories.MAX_TURNS + 1)
    ]
    written = [turn for turn in turns if turn.text.strip() or turn.intent or turn.reply]
    with db_of(request) as db:
        try:
            story = stories.add_story(db, name, written, staff.email)
        except stories.StoryError as error:
            db.rollback()
            return _stories_page(db, staff, f"{error} Nothing was saved.", name, turns, 400)
        audit.record(db, staff.email, "wrote a test story", story=story.id)
    return redirect("/staff/training/stories?done=story")


async def remove_story(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    await form_of(request, staff)
    with db_of(request) as db:
        story = stories.remove_story(db, row_id(request, "story_id"), staff.email)
        if story is None:
            raise web.HTTPNotFound(text="There is no such story.")
        audit.record(db, staff.email, "took back a test story", story=story.id)
    return redirect("/staff/training/stories?done=story_removed")


# --- checking, publishing and going back ------------------------------------------------


async def model_page(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    with db_of(request) as db:
        running = jobs.active(db)
        in_force = published.current(db)
        models = published.history(db)
        content = render(
            "staff/model",
            notice_html=notice_html(NOTICES.get(request.query.get("done", ""), "")),
            in_use_html=_in_use(in_force),
            pending=_pending(db, in_force),
            running_html=_running_notice(running),
            csrf=staff.csrf_token,
            disabled_html=" disabled" if running else "",
            check_minutes=_minutes(db),
            back_html=_go_back(staff, models, running) if in_force else "",
            jobs_html="".join(_job_row(job) for job in jobs.recent(db)),
            models_html="".join(_model_row(model, in_force) for model in models),
        )
        audit.record(db, staff.email, "viewed the model page")
    return staff_page(staff, "Check and publish", content)


def _in_use(model: PublishedModel | None) -> str:
    if model is None:
        return "The assistant runs the model built from the project's own files."
    return render("staff/in_use", by=model.published_by, at=when(as_utc(model.published_at)))


def _pending(db: Session, model: PublishedModel | None) -> str:
    """How many examples were added or taken back since the model in use was trained."""
    changed = select(func.count()).select_from(TrainingExample)
    if model is not None:
        job = db.get(TrainingJob, model.job_id)
        if job is not None:
            since = job.started_at
            changed = changed.where(
                or_(TrainingExample.created_at > since, TrainingExample.removed_at > since)
            )
    count = db.scalar(changed) or 0
    return "none" if count == 0 else f"{count} example{'s' if count != 1 else ''}"


def _running_notice(job: TrainingJob | None) -> str:
    if job is None:
        return ""
    return render("staff/job_running", what=jobs.KINDS[job.kind], job_id=job.id)


def _minutes(db: Session) -> int:
    timings = {**jobs.FIRST_GUESS, **jobs.last_timings(db)}
    seconds = timings["validate"] + timings["train"] + timings["evaluate"]
    return max(1, round(seconds / 60))


def _go_back(staff: Staff, models: list[PublishedModel], running: TrainingJob | None) -> str:
    live = [model for model in models if model.withdrawn_at is None]
    previous = (
        f"the model published by {live[1].published_by} on {when(as_utc(live[1].published_at))}"
        if len(live) > 1
        else "the model built from the project's own files"
    )
    return render(
        "staff/go_back",
        csrf=staff.csrf_token,
        previous=previous,
        disabled_html=" disabled" if running else "",
    )


def _job_row(job: TrainingJob) -> str:
    return render(
        "staff/job_row",
        started=when(as_utc(job.started_at)),
        what=jobs.KINDS[job.kind],
        by=job.started_by,
        job_id=job.id,
        result=STATUS_NAMES[job.status],
    )


def _model_row(model: PublishedModel, in_force: PublishedModel | None) -> str:
    if in_force is not None and model.id == in_force.id:
        status = "In use"
    elif model.withdrawn_at is not None:
        status = f"Withdrawn by {model.withdrawn_by} on {when(as_utc(model.withdrawn_at))}"
    else:
        status = "Replaced by a newer one"
    return render(
        "staff/model_row",
        published=when(as_utc(model.published_at)),
        by=model.published_by,
        status=status,
        job_id=model.job_id,
    )


async def start_job(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    form = await form_of(request, staff)
    kind = field(form, "kind", 20)
    if kind not in jobs.KINDS:
        raise web.HTTPBadRequest(text="Choose “Check my changes” or “Train and publish”.")
    with db_of(request) as db:
        try:
            job = jobs.start(db, kind, staff.email)
        except jobs.JobRunning:
            db.rollback()
            raise web.HTTPConflict(
                text="Another check or publish is running. Wait for it to finish, then try again."
            ) from None
        job_id = job.id
        audit.record(db, staff.email, f"started: {jobs.KINDS[kind]}", job=job_id)
    jobs.launch(job_id)
    return redirect(f"/staff/training/jobs/{job_id}")


def _job(db: Session, request: web.Request) -> TrainingJob:
    job = db.get(TrainingJob, row_id(request, "job_id"))
    if job is None:
        raise web.HTTPNotFound(text="There is no such check or publish.")
    jobs.fail_stale(db)
    return job


async def job_page(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    with db_of(request) as db:
        job = _job(db, request)
        content = render(
            "staff/job",
            title=jobs.KINDS[job.kind],
            by=job.started_by,
            started=when(as_utc(job.started_at)),
            status=job.status,
            job_id=job.id,
            step=job.step,
            progress=job.progress,
            outcome_html=_outcome(job),
        )
        audit.record(db, staff.email, "viewed a check or publish", job=job.id)
    return staff_page(staff, jobs.KINDS[job.kind], content)


async def job_status(request: web.Request) -> web.Response:
    """What the job page's script polls while the job runs."""
    await require(request, *TRAINERS)
    with db_of(request) as db:
        job = _job(db, request)
        return web.json_response({"status": job.status, "progress": job.progress, "step": job.step})


def _outcome(job: TrainingJob) -> str:
    if job.status == "failed":
        return render("staff/job_failed", error=job.error or "")
    if job.status != "passed" or not job.report:
        return ""
    return _report(job.kind, job.report)


def _report(kind: str, found: dict[str, Any]) -> str:
    failed = found["failed_stories"]
    if failed:
        verdict = "Some test stories fail with the new model: do not publish it yet."
    elif found["worse"]:
        verdict = "The new model works, but understands some things less well (below)."
    else:
        verdict = "The new model understands everything the one in use did."
    if kind == "publish":
        verdict = "Published: the assistant switches to this model within a minute. " + verdict
    taught = "".join(
        render(
            "staff/taught_row",
            text=row["text"],
            meant=_meaning(row["intent"]),
            before=_meaning(row["before"]),
            after=_meaning(row["after"]) + ("" if row["understood"] else " (still wrong)"),
        )
        for row in found["taught"]
    )
    changed = [row for row in found["intents"] if row["change"] != "same"]
    return render(
        "staff/job_report",
        verdict=verdict,
        taught_html=render("staff/taught_table", rows_html=taught)
        if taught
        else render("staff/taught_none"),
        stories=(
            f"All {found['stories_total']} test stories pass."
            if not failed
            else f"{len(failed)} of {found['stories_total']} fail: {', '.join(failed)}."
        ),
        summary=f"Better: {_meanings(found['better'])}. Worse: {_meanings(found['worse'])}.",
        intents_html="".join(
            render(
                "staff/intent_change_row",
                intent=_meaning(row["intent"]),
                before=round(100 * row["before"]),
                after=round(100 * row["after"]),
                change=row["change"],
            )
            for row in changed or found["intents"]
        ),
    )


def _meaning(intent: str | None) -> str:
    """An intent as the teaching page describes it, not by its Rasa name."""
    if intent in (None, "nlu_fallback"):
        return "Nothing: it did not understand"
    known = intents.by_name(intent)
    return known.description if known else intent


def _meanings(names: list[str]) -> str:
    return "; ".join(_meaning(name).rstrip(".") for name in names) or "none"


async def go_back(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    await form_of(request, staff)
    with db_of(request) as db:
        if jobs.active(db) is not None:
            raise web.HTTPConflict(text="Wait for the check or publish to finish first.")
        withdrawn = published.withdraw(db, staff.email)
        if withdrawn is None:
            raise web.HTTPConflict(text="There is no published model to go back from.")
        audit.record(db, staff.email, "went back to the previous model", model=withdrawn.id)
    return redirect("/staff/training/model?done=back")
