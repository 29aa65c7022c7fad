"""The trainers' pages: where the assistant struggled, teaching it what a message
meant, and checking, publishing and rolling back models (bot.training).

Trainers and admins only. What a trainer reads here has been redacted and says
nothing of who wrote it. Every page opened and every change is written to the
audit log.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.review import audit
from bot.store.db import session_scope
from bot.store.models import PublishedModel, Role, TrainingExample, TrainingJob, as_utc
from bot.training import intents, jobs, published, teaching
from bot.training.struggles import Group, queue
from bot.web import keys
from bot.web.pages import notice_html, redirect, render
from bot.web.staff_auth import Staff, field, form_of, require, row_id
from bot.web.staff_pages import staff_page, when

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
}


def _db(request: web.Request) -> Any:
    return session_scope(request.app[keys.CONFIG].database_url)


# --- the queue and teaching ------------------------------------------------------------


async def _open_groups(request: web.Request) -> list[Group]:
    config = request.app[keys.CONFIG]
    groups = await asyncio.to_thread(queue, config.tracker_store_url)
    with _db(request) as db:
        return teaching.undecided(db, groups)


async def queue_page(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    groups = await _open_groups(request)
    with _db(request) as db:
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
    with _db(request) as db:
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


# --- checking, publishing and going back ------------------------------------------------


async def model_page(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    with _db(request) as db:
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
    """How many examples were taught since the model in use was trained."""
    taught = select(func.count()).select_from(TrainingExample)
    if model is not None:
        job = db.get(TrainingJob, model.job_id)
        if job is not None:
            taught = taught.where(TrainingExample.created_at > job.started_at)
    count = db.scalar(taught) or 0
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
    with _db(request) as db:
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
    with _db(request) as db:
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
    with _db(request) as db:
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
    with _db(request) as db:
        if jobs.active(db) is not None:
            raise web.HTTPConflict(text="Wait for the check or publish to finish first.")
        withdrawn = published.withdraw(db, staff.email)
        if withdrawn is None:
            raise web.HTTPConflict(text="There is no published model to go back from.")
        audit.record(db, staff.email, "went back to the previous model", model=withdrawn.id)
    return redirect("/staff/training/model?done=back")
