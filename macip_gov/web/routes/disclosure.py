"""Disclosure checks and the decision log pages (mounted at ``/disclosure``).

Privacy officers (and admins) only. Every page calls the library and shows what it returns:

- ``/disclosure``: the request as a form (:mod:`macip_gov.disclosure.form`).
- ``POST /disclosure/check``: the form read back into a request, decided and recorded in the
  workspace's decision log with the signed-in user, by the path ``disclosure check`` takes
  (:func:`macip_gov.disclosure.run.check_and_log`); then the logged row's page.
- ``/disclosure/log``: search the log (:mod:`macip_gov.disclosure.log_query`), a row in
  full with its decision card, its explanation (``disclosure explain``), the chain's
  verification and the search as CSV.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from ...disclosure import log_query
from ...disclosure.explain import explain, provision_titles
from ...disclosure.form import OTHER_PROVIDER, FormDescription, FormErrors, describe, form_values, request_from_form
from ...disclosure.log import ChainedLog, open_log, sqlite_path
from ...disclosure.models import Decision, DisclosureRequest, Outcome
from ...disclosure.report import verify_text
from ...disclosure.run import check_and_log
from ...errors import InvalidInputError, PolicyError
from ..deps import User, require, state
from ..state import WebState
from ..templating import fragment, page

router = APIRouter()

OFFICERS = ("privacy_officer",)
"""Who may check disclosures and read the decision log (admin always may)."""

Officer = Annotated[User, Depends(require(*OFFICERS))]
"""The signed-in privacy officer or admin (anyone else gets the 403 page)."""

OUTCOME_WORDS = {
    "allow": ("Allow", "The disclosure may go ahead."),
    "allow_with_conditions": (
        "Allow with conditions",
        "The disclosure may go ahead if it meets every condition below.",
    ),
    "refer": ("Refer", "Do not disclose yet: a privacy officer reviews it first."),
    "deny": ("Deny", "The disclosure must not go ahead."),
}
"""Each outcome in words, and what it means for the person about to disclose."""

VERDICT_WORDS = {
    "required": "Required: a statute obliges the disclosure",
    "permitted": "Permitted: an exception holds on the facts",
    "prohibited": "Prohibited: no exception holds",
    "uncertain": "Uncertain: facts are missing",
}

STATUS_WORDS = {
    "holds": "Holds",
    "does_not_hold": "Does not hold",
    "not_engaged": "Not engaged",
    "uncertain": "Uncertain",
}

"""The pages' own layout: the outcome banner, answer lists, fact sections and the log's filters."""


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _form(st: WebState) -> FormDescription:
    """The form for the policies the app decides with (their data names the agencies)."""
    return describe(st.engine().policy_set)


def _log_target(st: WebState) -> str:
    return st.workspace.decision_log.target()


def _open(st: WebState) -> ChainedLog | None:
    """The workspace's decision log, or None when it has not been created yet (nothing logged)."""
    target = _log_target(st)
    path = sqlite_path(target)
    if path is not None and not path.exists():
        return None
    try:
        return open_log(target, create=False)
    except InvalidInputError:
        if path is None:
            raise
        # The first check may be making the file at this moment (it exists, its tables not yet):
        # opening it as its maker does waits for that to finish (making the tables is idempotent).
        # A file that is no decision log is refused the same way.
        return open_log(target, create=True)


# --------------------------------------------------------------------------- the form


def _form_context(
    form: FormDescription, values: Mapping[str, Any], errors: Mapping[str, str] | None = None
) -> dict[str, Any]:
    errors = dict(errors or {})
    open_sections = {
        g.key
        for g in form.groups
        if g.toggle is not None and (values.get(g.key) or g.key in errors or any(f.name in errors for f in g.fields))
    }
    summary = [(_field_id(name), f"{form.label_of(name)}: {message}") for name, message in errors.items()]
    return {
        "form": form,
        "values": values,
        "field_errors": errors,
        "error_items": summary,
        "open_sections": open_sections,
        "other_provider": OTHER_PROVIDER,
    }


def _field_id(name: str) -> str:
    return "f-" + name.replace(".", "-").replace("_", "-")


@router.get("", response_class=HTMLResponse)
def disclosure_form(request: Request, user: Officer) -> HTMLResponse:
    """The disclosure form, empty or filled from a logged request (``?from=SEQ``: check it again, changed)."""
    st = state(request)
    form = _form(st)
    values: dict[str, Any] = {f.name: f.default for f in form.fields() if f.default}
    from_seq = request.query_params.get("from", "")
    if from_seq:
        if not from_seq.isdigit() or len(from_seq) > 18:
            raise InvalidInputError(f"from: {from_seq[:20]!r} is not a row number")
        log = _open(st)
        if log is None:
            raise InvalidInputError(f"no row {from_seq}: nothing has been logged yet")
        with log:
            record = log_query.record(log, int(from_seq))
        values = dict(form_values(DisclosureRequest.model_validate(record.request), form))
    return page(request, "disclosure/form.html.j2", _form_context(form, values))


def _submitted(data: FormData, form: FormDescription) -> dict[str, str | list[str]]:
    """The submitted values by field: a list for fields that take several, else a string (a list when repeated)."""
    multiple = {f.name for f in form.fields() if f.widget == "checkboxes"}
    out: dict[str, str | list[str]] = {}
    for key in data:
        values = [v for v in data.getlist(key) if isinstance(v, str)]
        if key in multiple:
            out[key] = values
        elif values:
            out[key] = values[0] if len(values) == 1 else values
    return out


@dataclass(frozen=True)
class _Checked:
    seq: int
    decision: Decision


def _check(st: WebState, request: DisclosureRequest, user: str) -> _Checked:
    """Decide and log one request as ``disclosure check`` does, under the engine lock.

    The lock covers the log's write too: checks then reach the log one after another,
    instead of several writers waiting on SQLite's busy timeout, which measured slower.
    """
    seq, decision = None, None
    with (
        st.engine_lock,
        check_and_log(
            request.model_dump_json(),
            "form",
            spec=None,
            engine=st.engine,
            log=_log_target(st),
            user=user,
        ) as run,
    ):
        for chunk in run:
            for checked in chunk:
                decision = Decision.model_validate_json(checked.entry.decision_json)
        rows = run.summary.rows
        if rows is not None:
            seq = rows[1]
    if decision is None or seq is None:
        raise PolicyError("the check decided nothing or logged nothing; nothing is shown as decided")
    return _Checked(seq=seq, decision=decision)


@router.post("/check", response_model=None)
async def disclosure_check(request: Request, user: Officer) -> HTMLResponse | Response:
    """Read the form, decide the request, record it in the decision log, and show the logged decision."""
    st = state(request)
    data = await request.form()
    form = await run_in_threadpool(_form, st)
    values = _submitted(data, form)
    try:
        disclosure = request_from_form(values, form)
    except FormErrors as exc:
        return page(request, "disclosure/form.html.j2", _form_context(form, values, exc.errors), status=400)
    checked = await run_in_threadpool(_check, st, disclosure, user.name)
    return _see_other(f"/disclosure/log/{checked.seq}")


# --------------------------------------------------------------------------- the decision log


def _agency_options(form: FormDescription) -> list[tuple[str, str]]:
    return [(c.value, c.label) for c in form.field("to_agency").choices if c.value != OTHER_PROVIDER]


@dataclass(frozen=True)
class _Shown:
    """A table line with its words."""

    row: log_query.LogRow
    when: str
    outcome: str


def _when(recorded_at: str) -> str:
    """``2026-03-20T09:15:02.123456Z`` -> ``2026-03-20 09:15 UTC``."""
    return f"{recorded_at[:10]} {recorded_at[11:16]} UTC" if len(recorded_at) >= 16 else recorded_at


@router.get("/log", response_class=HTMLResponse)
def log_page(request: Request, user: Officer) -> HTMLResponse:
    """The decision log: search and filters, newest first, a page at a time."""
    st = state(request)
    form = _form(st)
    params = dict(request.query_params)
    context: dict[str, Any] = {
        "params": params,
        "outcomes": [(o.value, OUTCOME_WORDS[o.value][0]) for o in Outcome],
        "agencies": _agency_options(form),
        "problem": None,
        "result": None,
        "rows": [],
        "created": True,
    }
    try:
        where = log_query.filter_from_query(params)
    except InvalidInputError as exc:
        context["problem"] = exc.one_line()
        return page(request, "disclosure/log.html.j2", context, status=400)
    log = _open(st)
    if log is None:
        context["created"] = False
        return page(request, "disclosure/log.html.j2", context)
    with log:
        result = log_query.search(log, where)
    context.update(
        where=where,
        result=result,
        rows=[_Shown(r, _when(r.recorded_at), OUTCOME_WORDS.get(r.outcome, (r.outcome, ""))[0]) for r in result.rows],
        csv_query=where.query(page=1),
        previous_query=where.query(page=where.page - 1) if where.page > 1 else None,
        next_query=where.query(page=where.page + 1) if where.page < result.pages else None,
    )
    return page(request, "disclosure/log.html.j2", context)


@router.get("/log.csv", response_model=None)
def log_csv(request: Request, user: Officer) -> Response:
    """The decisions the current search finds (every page), as CSV for a spreadsheet."""
    st = state(request)
    where = log_query.filter_from_query(dict(request.query_params))
    log = _open(st)
    headers = {"Content-Disposition": 'attachment; filename="decision-log.csv"'}
    if log is None:
        return Response(log_query.csv_header(), media_type="text/csv; charset=utf-8", headers=headers)

    def lines() -> Iterator[str]:
        with log:
            yield from log_query.export_csv(log, where)

    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/log/verify", response_class=HTMLResponse)
def log_verify(request: Request, user: Officer) -> HTMLResponse:
    """Check the whole chain as ``disclosure log verify`` does, and say what was found."""
    st = state(request)
    log = _open(st)
    context: dict[str, Any] = {"report": None, "text": "The decision log is empty: nothing has been logged yet."}
    if log is not None:
        with log:
            report = log_query.verify(log)
        context = {"report": report, "text": verify_text(report)}
    status = 200 if context["report"] is None or context["report"].ok else 409
    if request.headers.get("HX-Request"):
        return fragment(request, "disclosure/_verify.html.j2", context, status=200)
    return page(request, "disclosure/verify.html.j2", context, status=status)


def _logged(st: WebState, seq: int) -> Any:
    log = _open(st)
    if log is None:
        raise InvalidInputError(f"no row {seq}: nothing has been logged yet")
    with log:
        return log_query.record(log, seq)


def _programme_words(decision: Decision, request: DisclosureRequest | None) -> list[str]:
    """Why the programme does or does not cover the disclosure, in sentences."""
    p = decision.programme
    if p.covered:
        return [f"Covered by the approved PIA information flow {p.flow} on the sharing-matrix route {p.route}."]
    words = []
    route = f"{request.from_agency} to {request.to_agency}" if request is not None else "this route"
    words.append(
        f"Approved PIA information flow: {p.flow}." if p.flow else "No approved PIA information flow covers it."
    )
    words.append(f"Sharing-matrix route: {p.route}." if p.route else f"The sharing matrix lists no route {route}.")
    if p.lines_crossed:
        words.append("A proportionality line the programme does not cross is crossed.")
    return words


def _card(st: WebState, form: FormDescription, decision: Decision, request: DisclosureRequest | None) -> dict[str, Any]:
    # Read once per policy revision: the lock is taken only for that first evaluation, so
    # showing a card never waits behind other people's checks.
    titles = provision_titles(st.locked_engine())
    agencies = form.field("to_agency")
    return {
        "decision": decision,
        "disclosure": request,
        "route_words": (
            f"{agencies.choice_label(request.from_agency)} to {agencies.choice_label(request.to_agency)}"
            if request is not None
            else ""
        ),
        "outcome_word": OUTCOME_WORDS[decision.outcome.value],
        "verdict_word": VERDICT_WORDS.get(decision.legal.verdict.value, decision.legal.verdict.value),
        "titles": titles,
        "programme_words": _programme_words(decision, request),
        "missing": [(m, form.label_of(m)) for m in decision.legal.missing],
    }


@router.get("/log/{seq}", response_class=HTMLResponse)
def log_row(request: Request, seq: int, user: Officer) -> HTMLResponse:
    """One logged decision in full: its decision card, the request's facts, and the row's place in the chain."""
    st = state(request)
    form = _form(st)
    record = _logged(st, seq)
    try:
        disclosure: DisclosureRequest | None = DisclosureRequest.model_validate(record.request)
    except ValueError:
        disclosure = None  # logged under an older request shape: its stored facts are still shown
    context: dict[str, Any]
    try:
        context = _card(st, form, Decision.model_validate(record.decision), disclosure)
    except ValueError:
        # Logged under an older decision shape: shown as stored, never guessed at.
        context = {
            "decision": None,
            "disclosure": disclosure,
            "outcome_word": OUTCOME_WORDS.get(record.outcome, (record.outcome, "")),
            "stored_decision": json.dumps(record.decision, indent=2, sort_keys=True, ensure_ascii=False),
        }
    context.update(record=record, when=_when(record.recorded_at), facts=_facts(form, record.request))
    return page(request, "disclosure/row.html.j2", context)


def _facts(form: FormDescription, stored: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The request's stated facts as (question, answer) lines, in the form's order."""
    flat: dict[str, Any] = {}
    for key, value in stored.items():
        if isinstance(value, dict):
            for inner, v in value.items():
                flat[f"{key}.{inner}"] = v
            flat.setdefault(key, True)
        else:
            flat[key] = value
    lines = []
    for field in form.fields():
        if field.widget == "toggle" or field.name not in flat:
            continue
        lines.append((field.label, _answer(field, flat[field.name])))
    if flat.get("overseas"):
        lines.append(("The recipient is outside New Zealand", "Yes"))
    return lines


def _answer(field: Any, value: Any) -> str:
    if value is None:
        return "Not known"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(field.choice_label(str(v)) for v in value) or "None"
    return str(field.choice_label(str(value)))


@router.get("/log/{seq}/explain", response_class=HTMLResponse)
def log_row_explain(request: Request, seq: int, user: Officer) -> HTMLResponse:
    """How a logged request is decided, provision by provision (``disclosure explain``), with today's policies."""
    st = state(request)
    form = _form(st)
    record = _logged(st, seq)
    try:
        disclosure = DisclosureRequest.model_validate(record.request)
    except ValueError as exc:
        raise InvalidInputError(
            f"row {seq}'s request no longer fits the request model, so it cannot be explained: "
            f"{str(exc).splitlines()[0]}"
        ) from None
    explanation = explain(st.locked_engine(), disclosure)
    context = {
        "record": record,
        "explanation": explanation,
        "status_words": STATUS_WORDS,
        "outcome_word": OUTCOME_WORDS[explanation.decision.outcome.value],
        "missing": [(m, form.label_of(m)) for m in explanation.decision.legal.missing],
        "same_revision": explanation.decision.policy_revision == record.policy_revision,
        "fact_label": {f.name: f.label for f in form.fields()} | {g.key: g.legend for g in form.groups},
    }
    if request.headers.get("HX-Request"):
        return fragment(request, "disclosure/_explanation.html.j2", context)
    return page(request, "disclosure/explain.html.j2", context)


__all__ = ["OFFICERS", "router"]
