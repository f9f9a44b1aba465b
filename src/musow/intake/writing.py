"""Writing an import's rows, a chunk at a time: what each row keeps of its stored
activity, who may change what (accounts.scopes), and the write itself.

An empty cell keeps what the stored activity has: its status, its review comment,
and — when the attendance sheet has no row for it, or the file has no such sheet —
its attendance list. A new activity
without a status is a draft (a phone submission: submitted). A status change is
allowed by `scopes.may_set_status`, listed in the report (dry run too) and audited
with the update that makes it (activity_save's audit entry names the old and new
status).
"""

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from musow.accounts import scopes
from musow.activities.models import Activity
from musow.activities.services import (
    DELETED_ACTIVITY,
    BatchInvalid,
    Stored,
    activities_attendance,
    activities_stored,
    activity_unchanged,
    activity_upsert_batch,
    activity_validate_input,
)
from musow.intake.report import ImportReport
from musow.intake.rows import Prepared

if TYPE_CHECKING:
    from musow.intake.importer import Importer

Status = Activity.Status


def write_chunk(importer: "Importer", chunk: list[Prepared], report: ImportReport) -> None:
    """Check a chunk of rows against the database (what they keep, rights on what exists),
    then write it through the write path, which validates it; once the file has a
    problem, nothing more is written and the rows are only validated, to list every
    problem."""
    # Which activity each row is about, within what the user may know exists
    # (intake.keyspace): rows about what they cannot see are kept apart, never refused.
    refused = importer.keyspace.resolve(chunk)
    chunk_ok = [p for p in chunk if p.row.number not in refused]
    stored = activities_stored(keys=[_key(p) for p in chunk_ok])
    _settle(importer, chunk_ok, stored)
    refused |= _check_rights(importer, chunk_ok, stored, report)
    report.rejected += len(refused)
    if not report.ok:
        for prepared in chunk:
            if prepared.row.number in refused:
                continue
            try:
                activity_validate_input(prepared.item.data)
            except ValidationError as exc:
                for name, message in messages(exc):
                    prepared.problem(name, message)
                report.rejected += 1
        return
    try:
        outcomes = activity_upsert_batch(
            items=[p.item for p in chunk], user=importer.user, stored=stored
        )
    except BatchInvalid as exc:
        # The write path's validation, done once here for the rows written while the
        # file had no problem: its messages go back to their cells.
        for index, error in sorted(exc.errors.items()):
            for name, message in messages(error):
                chunk[index].problem(name, message)
            report.rejected += 1
        return
    for outcome in outcomes:
        setattr(report, outcome, getattr(report, outcome) + 1)


def _key(p: Prepared) -> tuple[str, str]:
    return (p.item.data.source, p.item.data.source_key)


def _settle(importer: "Importer", chunk: list[Prepared], stored: dict[Any, Stored]) -> None:
    """Fill in what a row leaves empty from its stored activity."""
    keep_lists = []
    for p in chunk:
        found = stored.get(_key(p))
        if found is None:
            continue
        data = p.item.data
        if p.keep_status:
            data.status = found.status
        if p.keep_comment:
            data.review_comment = found.review_comment
        if p.keep_attendance:
            keep_lists.append((p, found.pk))
    if keep_lists:
        lists = activities_attendance(pks=[pk for _p, pk in keep_lists])
        for p, pk in keep_lists:
            p.item.data.attendance = lists[pk]


def _check_rights(
    importer: "Importer", chunk: list[Prepared], stored: dict[Any, Stored], report: ImportReport
) -> set[int]:
    """What the user may do to what already exists: change an activity only within their
    scope and while it is theirs to edit (`scopes.edit_refusal`: its author's draft or
    returned activity; validators: always), and give it a status
    only as `scopes.may_set_status` allows. Status changes go to the report. Returns the
    numbers of the rows refused."""
    user, validator = importer.user, importer.validator
    changed: dict[int, tuple[Prepared, Stored]] = {}
    refused: set[int] = set()
    for p in chunk:
        found = stored.get(_key(p))
        if found is None:
            continue
        if found.status == Status.DELETED:
            p.row.problem("activity_id", str(DELETED_ACTIVITY))
            refused.add(p.row.number)
        elif not validator and not activity_unchanged(stored=found, data=p.item.data):
            changed[found.pk] = (p, found)
    if changed:
        visible = set(
            scopes.activities_for(user).filter(pk__in=list(changed)).values_list("pk", flat=True)
        )
        for pk, (p, found) in changed.items():
            message = (
                _("This activity exists and is outside what you may change.")
                if pk not in visible
                else scopes.edit_refusal(user, status=found.status, author_id=found.author_id)
            )
            if message is None:
                continue
            p.row.problem("activity_id", message)
            refused.add(p.row.number)
    for p in chunk:
        if p.row.number in refused:
            continue
        found = stored.get(_key(p))
        old, new = (found.status if found else None), p.item.data.status
        if old == new or new == Status.DELETED:  # a written "deleted": the write path says
            continue
        if user is not None and not scopes.may_set_status(user, old, new):
            p.row.problem("status", _status_refusal(new))
            refused.add(p.row.number)
        elif found is not None:
            report.status_change(p.item.data.source_key, found.status, new)
    return refused


def _status_refusal(new: str) -> str:
    if new == Status.VALIDATED:
        return _(
            "You may not validate activities: leave the status empty, or write draft or submitted."
        )
    if new == Status.RETURNED:
        return _(
            "Only a gender officer or the unit admin returns an activity to its author, "
            "with a comment: leave the status empty, or write draft or submitted."
        )
    return _(
        "This activity has been submitted or validated: only a gender officer or the unit "
        "admin can change its status now."
    )


def messages(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [(name, str(m)) for name, messages in exc.message_dict.items() for m in messages]
    return [("", str(m)) for m in exc.messages]
