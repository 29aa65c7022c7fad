"""The caseworker pages: caseload, a candidate's review page, comments, decisions,
exports and the overview. Every route starts with `staff_auth.require` and reaches
a candidate only through `caseload.visible_case`, which says no (404) for anyone
else's candidate.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from urllib.parse import urlencode

from aiohttp import web
from sqlalchemy.orm import Session

from bot.coaching.engine import notes_shown
from bot.parts import PARTS, TITLES
from bot.review import caseload, decisions, overview
from bot.review.audit import record
from bot.review.diff import part_change
from bot.store.conversations import first_message_times
from bot.store.drafts import find_candidate
from bot.store.flags import flags_for
from bot.store.models import Candidate, ConversationKey, Role, StatementVersion, VersionStatus
from bot.web import keys
from bot.web.charts import bar_chart
from bot.web.database import db_of
from bot.web.downloads import exported
from bot.web.pages import notice_html, page, redirect, render
from bot.web.staff_auth import Staff, account_of, field, form_of, nav, require, row_id

e = html.escape
REVIEWERS = (Role.CASEWORKER, Role.ADMIN)


def staff_page(staff: Staff, title: str, content_html: str, status: int = 200) -> web.Response:
    return page(title, "staff/page", status=status, nav_html=nav(staff), content_html=content_html)


def label(state: Enum) -> str:
    """A status or decision as the staff pages write it in a sentence: "changes requested"."""
    return str(state.value).replace("_", " ")


def when(moment: datetime) -> str:
    return moment.strftime("%d %b %Y, %H:%M")


async def home(request: web.Request) -> web.Response:
    staff = await require(request)
    if staff.role in REVIEWERS:
        return redirect("/staff/caseload")
    return redirect("/staff/training")  # a trainer's work starts at the queue


def _visible(db: Session, staff: Staff, request: web.Request) -> ConversationKey:
    key = caseload.visible_case(db, account_of(db, staff), row_id(request, "key_id"))
    if key is None:  # not found and not yours look the same: nothing to learn from a 404
        raise web.HTTPNotFound()
    return key


# --- caseload ---------------------------------------------------------------------


async def caseload_page(request: web.Request) -> web.Response:
    return await show_caseload(request)


async def show_caseload(request: web.Request, notice: str = "", status: int = 200) -> web.Response:
    """The caseload, narrowed by the query's search and status, with a notice if any."""
    staff = await require(request, *REVIEWERS)
    search = request.query.get("q", "")[:80]
    wanted = request.query.get("status", "")
    if wanted and wanted not in caseload.STATUSES:
        raise web.HTTPBadRequest(text="Unknown status.")
    with db_of(request) as db:
        cases = caseload.caseload(db, account_of(db, staff), search, wanted)
        record(db, staff.email, "caseload_viewed", shown=len(cases))
    options = options_html([("", "Any status"), *caseload.STATUSES.items()], wanted)
    content = render(
        "staff/caseload", notice_html=notice_html(notice), search=search,
        options_html=options,
        table_html=_caseload_table(cases, staff.role == Role.ADMIN), csrf=staff.csrf_token,
        max_name=caseload.MAX_NAME,
    )  # fmt: skip
    return staff_page(staff, "Candidates", content, status=status)


def _caseload_table(cases: list[caseload.Case], with_caseworker: bool) -> str:
    """The caseload; on a phone each row is a block of labelled lines (style.css)."""
    if not cases:
        return render("staff/empty", text="No candidates match.")
    heads = ["Name", "Status", "Added", "Last activity", "Safety"]
    heads += ["Caseworker"] if with_caseworker else []
    rows = "".join(
        render(
            "staff/case_row",
            key_id=case.key_id,  # the number tells two candidates of one name apart
            name=case.name,
            status=case.status_label,
            added=when(case.added),
            last_activity=when(case.last_activity),
            flag_html=render("staff/case_flag", count=case.safety_flags)
            if case.safety_flags
            else "",
            caseworker_html=render("staff/case_caseworker", caseworker=case.caseworker)
            if with_caseworker
            else "",
        )
        for case in cases
    )
    head = "".join(render("staff/case_head", head=h) for h in heads)
    return render("staff/case_table", heads_html=head, rows_html=rows)


async def create_candidate(request: web.Request) -> web.Response:
    staff = await require(request, *REVIEWERS)
    form = await form_of(request, staff)
    name = field(form, "name", 500)
    with db_of(request) as db:
        try:
            token, key = caseload.create_case(db, account_of(db, staff), name)
        except caseload.CaseError as error:
            db.rollback()
            problem = str(error)
        else:
            problem, name = "", key.name
    if problem:
        return await show_caseload(request, f"{problem} Nobody was added.", 400)
    return _invite_page(request, staff, name, token)


def _invite_page(request: web.Request, staff: Staff, name: str, token: str) -> web.Response:
    base = request.app[keys.CONFIG].public_url or f"{request.scheme}://{request.host}"
    content = render("staff/invite", name=name, link=f"{base}/invite/{token}")
    return staff_page(staff, "Invite link", content)


async def reissue_invite(request: web.Request) -> web.Response:
    staff = await require(request, *REVIEWERS)
    await form_of(request, staff)
    with db_of(request) as db:
        key = _visible(db, staff, request)
        token = caseload.new_invite_link(db, account_of(db, staff), key)
        name = key.name
    return _invite_page(request, staff, name, token)


# --- one candidate ----------------------------------------------------------------


def _number(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise web.HTTPBadRequest(text="A version must be a number.") from None


def _pick(versions: list[StatementVersion], number: int | None) -> StatementVersion | None:
    if number is None:
        return decisions.version_under_review(versions)
    for version in versions:
        if version.number == number:
            return version
    raise web.HTTPNotFound(text="There is no such version.")


DONE_OF = {"changes": "changes", "approve": "approved"}
# What the caseworker reads where they acted, once the page is back (`?done=`).
DONE = {
    "comment": "Comment added to “{title}”.",
    "changes": "Changes requested: the candidate sees your message and comments in their chat.",
    "approved": "Version {version} approved. The candidate is told in their chat.",
}


@dataclass(frozen=True)
class Acted:
    """What the caseworker just did, so the page can say so where they did it."""

    done: str = ""  # a DONE key
    part: str = ""  # the part commented on
    confirm_approve: bool = False  # "Approve" pressed: ask before approving

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Acted:
        done = query.get("done", "")
        return cls(
            done=done if done in DONE else "",
            part=query.get("part", "") if query.get("part") in PARTS else "",
            confirm_approve=query.get("confirm") == "approve",
        )

    def said(self, version: int, part: str = "") -> str:
        """The confirmation for this place on the page ("" elsewhere)."""
        if not self.done or (self.done == "comment") != bool(part) or part != self.part:
            return ""
        text = DONE[self.done].format(title=TITLES.get(part, ""), version=version)
        return render("staff/done", text=text)


async def candidate_page(request: web.Request) -> web.Response:
    return await show_candidate(
        request, _number(request.query.get("v")), acted=Acted.from_query(request.query)
    )


async def show_candidate(
    request: web.Request,
    number: int | None,
    notice_html: str = "",
    status: int = 200,
    kept: dict[str, str] | None = None,
    acted: Acted | None = None,
) -> web.Response:
    """The review page, on version `number` (default: the one under review). `kept`
    puts back what was typed in a form that was refused ({part or "message": text})."""
    staff = await require(request, *REVIEWERS)
    with db_of(request) as db:
        key = _visible(db, staff, request)
        candidate = find_candidate(db, key.sender_id)
        statement = candidate.statements[-1] if candidate and candidate.statements else None
        versions = decisions.versions_of(statement) if statement else []
        shown = _pick(versions, number)
        record(
            db, staff.email, "candidate_viewed", candidate.id if candidate else None,
            invite=key.id, version=shown.number if shown else None,
        )  # fmt: skip
        content = [notice_html, _summary(db, key, candidate)]
        if shown is None:
            content.append(render("staff/nothing_written"))
        else:
            content.append(_newer_waiting(key, versions, shown))
            content.append(_version_block(db, staff, key, shown, kept or {}, acted or Acted()))
            content.append(_history(db, key, versions, shown))
            content.append(_compare(request, key, versions))
        content.append(_invite_form(staff, key))
    return staff_page(staff, key.name or "Candidate", "\n".join(content), status=status)


def _summary(db: Session, key: ConversationKey, candidate: Candidate | None) -> str:
    """The candidate's name, status, safety flags and practice rounds."""
    status = caseload.status_of(caseload.latest_version(candidate))
    flags = flags_for(db, key.sender_id)
    rounds = candidate.practice_rounds if candidate else []
    return render(
        "staff/summary",
        name=key.name or "(no name)",
        status=caseload.STATUSES[status],
        flags_html=render("staff/safety_flags", when=", ".join(when(f) for f in flags))
        if flags
        else "",
        rounds=len(rounds),
        last_round_html=render("staff/last_round", job=rounds[-1].job, setting=rounds[-1].setting)
        if rounds
        else "",
    )


def _newer_waiting(
    key: ConversationKey, versions: Sequence[StatementVersion], shown: StatementVersion
) -> str:
    """A pointer to the version waiting for a decision when another one is shown."""
    waiting = decisions.version_under_review(versions)
    if waiting is None or waiting.id == shown.id or waiting.number < shown.number:
        return ""
    return render(
        "staff/newer_waiting", key_id=key.id, number=waiting.number, status=label(waiting.status)
    )


def _version_block(
    db: Session,
    staff: Staff,
    key: ConversationKey,
    version: StatementVersion,
    kept: dict[str, str],
    acted: Acted,
) -> str:
    comments = decisions.comments_on(db, version)
    earlier = decisions.earlier_comments(db, version)
    parts = "".join(
        render(
            "staff/part",
            part=part,
            title=TITLES[part],
            key_id=key.id,
            text_html=e(getattr(version, part)) or render("staff/part_empty"),
            notes_html=_notes((version.findings or {}).get(part) or []),
            earlier_html=_earlier(earlier.get(part)),
            comments_html=render("staff/comments", items_html=_comment_items(comments[part]))
            if comments.get(part)
            else "",
            csrf=staff.csrf_token,
            version=version.number,
            max_comment=decisions.MAX_COMMENT,
            draft=kept.get(part, ""),
            done_html=acted.said(version.number, part),
        )
        for part in PARTS
    )
    return render(
        "staff/version",
        number=version.number,
        status=label(version.status),
        created=when(version.created_at),
        parts_html=parts,
        decision_html=_decision_forms(staff, key, version, kept.get("message", ""), acted),
    )


def _comment_items(comments: list) -> str:
    return "".join(
        render("staff/earlier_comment", body=c.body, who=c.author.email, at=when(c.created_at))
        for c in comments
    )


def _earlier(found: tuple[int, list] | None) -> str:
    """The comments on this part of an earlier version, to check the new text against."""
    if found is None:
        return ""
    number, comments = found
    return render("staff/earlier_comments", version=number, items_html=_comment_items(comments))


def _notes(findings: list[dict]) -> str:
    """What the chat said about a part, as the review page lists it."""
    chosen = notes_shown(findings)
    if not chosen:
        return ""
    items = "".join(render("staff/note", kind=f.kind, message=f.message) for f in chosen)
    return render("staff/notes", items_html=items)


def _decision_forms(
    staff: Staff, key: ConversationKey, version: StatementVersion, message: str, acted: Acted
) -> str:
    status = version.status.value
    done = acted.said(version.number)
    if status == "approved":
        return render("staff/approved", key_id=key.id, version=version.number, done_html=done)
    if status != "submitted":
        return render("staff/no_decision", status=label(version.status), done_html=done)
    # Approving cannot be undone: the button asks first, naming the version.
    approve = "staff/confirm_approve" if acted.confirm_approve else "staff/approve_button"
    return render(
        "staff/decide", key_id=key.id, version=version.number, csrf=staff.csrf_token,
        max_comment=decisions.MAX_COMMENT, message=message, done_html=done,
        approve_html=render(approve, key_id=key.id, version=version.number,
                            csrf=staff.csrf_token),
    )  # fmt: skip


def _history(
    db: Session,
    key: ConversationKey,
    versions: Sequence[StatementVersion],
    shown: StatementVersion,
) -> str:
    reviews = {r.version_id: r for r in decisions.reviews_of(db, versions)}
    rows = []
    for version in reversed(versions):
        review = reviews.get(version.id)
        said = ""
        if review:
            message = f": “{review.message}”" if review.message else ""
            said = render("staff/review_said", decision=label(review.decision),
                          reviewer=review.reviewer.email, message=message)  # fmt: skip
        rows.append(
            render(
                "staff/history_row",
                key_id=key.id,
                number=version.number,
                current_html=' aria-current="page"' if version.id == shown.id else "",
                status=label(version.status),
                created=when(version.created_at),
                said_html=said,
            )
        )
    return render("staff/history", rows_html="".join(rows))


def _compare(
    request: web.Request, key: ConversationKey, versions: Sequence[StatementVersion]
) -> str:
    """Two versions side by side, word by word (default: the newest two)."""
    if len(versions) < 2:
        return ""
    old_n = _number(request.query.get("from")) or versions[-2].number
    new_n = _number(request.query.get("to")) or versions[-1].number
    by_number = {v.number: v for v in versions}
    old, new = by_number.get(old_n), by_number.get(new_n)
    if old is None or new is None:
        raise web.HTTPNotFound(text="There is no such version.")
    parts = "".join(_compared(TITLES[p], getattr(old, p), getattr(new, p)) for p in PARTS)
    return render(
        "staff/compare", key_id=key.id, shown=request.query.get("v", ""),
        from_options_html=_version_options(versions, old_n),
        to_options_html=_version_options(versions, new_n), old=old_n, new=new_n, parts_html=parts,
    )  # fmt: skip


def _compared(title: str, old: str, new: str) -> str:
    """One part's change: word by word, or old and new whole if it was rewritten."""
    change = part_change(old, new)
    if change.rewritten:
        return render("staff/compare_rewritten", title=title, old=old, new=new)
    pieces = "".join(render(f"staff/diff_{kind}", text=text) for kind, text in change.pieces)
    return render("staff/compare_part", title=title, pieces_html=pieces)


def _version_options(versions: Sequence[StatementVersion], selected: int) -> str:
    return options_html([(str(v.number), f"Version {v.number}") for v in versions], str(selected))


def options_html(choices: list[tuple[str, str]], chosen: str) -> str:
    """A select's options, the chosen one selected (the value is never HTML)."""
    return "".join(
        render(
            "staff/option", value=value, label=text, selected_html=" selected" * (value == chosen)
        )
        for value, text in choices
    )


def _invite_form(staff: Staff, key: ConversationKey) -> str:
    return render("staff/invite_form", key_id=key.id, csrf=staff.csrf_token)


# --- comments and decisions -------------------------------------------------------


async def add_comment(request: web.Request) -> web.Response:
    return await _act(request, "comment")


async def request_changes(request: web.Request) -> web.Response:
    return await _act(request, "changes")


async def approve(request: web.Request) -> web.Response:
    return await _act(request, "approve")


async def _act(request: web.Request, what: str) -> web.Response:
    """A comment or decision on one version; errors come back on the page, nothing lost."""
    staff = await require(request, *REVIEWERS)
    form = await form_of(request, staff)
    number = _number(field(form, "version", 20))
    body = field(form, "body" if what == "comment" else "message", decisions.MAX_COMMENT * 2)
    with db_of(request) as db:
        key = _visible(db, staff, request)
        key_id = key.id
        candidate = find_candidate(db, key.sender_id)
        statement = candidate.statements[-1] if candidate and candidate.statements else None
        if number is None or statement is None:
            raise web.HTTPBadRequest(text="Say which version this is about.")
        version = _pick(decisions.versions_of(statement), number)
        if version is None:
            raise web.HTTPNotFound(text="There is no such version.")
        account = account_of(db, staff)
        part = field(form, "part", 40)
        if what == "approve" and field(form, "confirm", 3) != "yes":
            return redirect(f"/staff/candidates/{key_id}?v={number}&confirm=approve#decision")
        try:
            if what == "comment":
                decisions.add_comment(db, account, version, part, body)
            elif what == "changes":
                decisions.request_changes(db, account, version, body)
            else:
                decisions.approve(db, account, version)
        except decisions.ReviewError as error:
            db.rollback()
            problem = str(error)
        else:
            problem = ""
    if problem:
        kept = {part if what == "comment" else "message": body}
        notice = notice_html(problem + " Nothing was saved.")
        return await show_candidate(request, number, notice, 400, kept)
    # Back where they acted, with a word to say it was done.
    if what == "comment":
        place = f"{urlencode({'v': number, 'done': 'comment', 'part': part})}#part-{part}"
    else:
        place = f"{urlencode({'v': number, 'done': DONE_OF[what]})}#decision"
    return redirect(f"/staff/candidates/{key_id}?{place}")


# --- exports ----------------------------------------------------------------------


async def export_statement(request: web.Request) -> web.Response:
    staff = await require(request, *REVIEWERS)
    fmt = request.match_info["fmt"]
    with db_of(request) as db:
        key = _visible(db, staff, request)
        candidate = find_candidate(db, key.sender_id)
        if candidate is None:
            raise web.HTTPNotFound(text="Nothing is saved for this candidate.")
        version = _approved(candidate, _number(request.query.get("v")))
        record(db, staff.email, "exported", candidate.id, version=version.number, format=fmt)
        return exported(version, fmt)


def _approved(candidate: Candidate | None, number: int | None) -> StatementVersion:
    approved = [
        v
        for s in (candidate.statements if candidate else [])
        for v in s.versions
        if v.status == VersionStatus.APPROVED
    ]
    if number is not None:
        approved = [v for v in approved if v.number == number]
    if not approved:
        raise web.HTTPNotFound(text="There is no approved statement to download yet.")
    return approved[-1]


# --- overview ---------------------------------------------------------------------


def _counts(rows: list[tuple[str, int]]) -> str:
    return "".join(render("staff/count_row", label=name, count=n) for name, n in rows)


async def overview_page(request: web.Request) -> web.Response:
    staff = await require(request, *REVIEWERS)
    with db_of(request) as db:
        cases = caseload.caseload(db, account_of(db, staff))
        found = [db.get(ConversationKey, c.key_id) for c in cases]
        senders = [key.sender_id for key in found if key is not None]
        tracker_url = request.app[keys.CONFIG].tracker_store_url
        figures = overview.overview(db, cases, first_message_times(senders, tracker_url))
        record(db, staff.email, "overview_viewed", shown=len(cases))
    median = (
        f"{overview.median_text(figures.median_days_to_approval)}"
        f" (over {figures.approved_count} approved)"
        if figures.median_days_to_approval is not None
        else "no approvals yet"
    )
    top = figures.top_suggestions
    suggestions = render("staff/empty", text="No coaching suggestions yet.")
    if top:
        suggestions = bar_chart("Coaching suggestions raised most often", top)
        suggestions += render("staff/counts", items_html=_counts(top))
    content = render(
        "staff/overview",
        status_chart_html=bar_chart("Candidates by status", [*figures.by_status.items()]),
        status_list_html=_counts([*figures.by_status.items()]),
        median=median, suggestions_html=suggestions,
    )  # fmt: skip
    return staff_page(staff, "Overview", content)
