"""Attendee keys: the pseudonyms of the people counted, and how their secret is rotated.

A key is HMAC-SHA256 of what identifies a person (normalised by
`services.attendee_key`) under the deployment secret `MUSOW_ATTENDEE_KEY`. Identities
are never kept, so a new secret cannot be applied to them: re-keying chains instead.
Each stored key k becomes HMAC(new, k), and from then on a key is made by the whole
chain of secrets, oldest first:

    key = HMAC(K_n, … HMAC(K_1, HMAC(K_0, identity)) …)

`MUSOW_ATTENDEE_KEY` then lists the chain, separated by spaces. The same person keeps one
key (so unique-person figures do not move), and a leaked old secret alone no longer
links the stored keys (nor an export made after the rotation) to people: the newest
secret is needed too.

The database keeps a check value for the chain that made its keys (`accounts.
AttendeeKeyCheck`: the chain's key of a fixed text, not a secret). A system check
refuses to start `musow serve` and the other commands when the configured chain does not
give it: a changed or forgotten key would otherwise split every person in two silently.
"""

import hashlib
import hmac
from dataclasses import replace

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musow.accounts.models import AttendeeKeyCheck
from musow.activities.models import Activity, Attendance, Attendee
from musow.audit.models import Entry
from musow.audit.services import diff, entry_record

# The text whose key is the database's check value (with a NUL character: not a code or
# a name anyone types; and nothing would break if it were).
CHECK_TEXT = "\x00musow attendee key check"
# A new secret must be at least this long (token_urlsafe(50) gives 67 characters).
MIN_KEY_LENGTH = 32
BATCH = 1000

WRONG_KEY = gettext_lazy(
    "The attendee keys in this database were made with other keys than the configured "
    "MUSOW_ATTENDEE_KEY: set it back to the keys that made them (after a re-keying, the "
    "old keys and then the new one, separated by spaces), or every person would be "
    "counted twice."
)


def key_chain() -> tuple[str, ...]:
    """The configured secrets, oldest first (one, until a first re-keying)."""
    chain = tuple(str(settings.ATTENDEE_KEY or "").split())
    if not chain:
        raise ImproperlyConfigured("MUSOW_ATTENDEE_KEY is not set.")
    return chain


def _step(key: str, text: str) -> str:
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()


def pseudonym(text: str, chain: tuple[str, ...] | None = None) -> str:
    """The key of an already normalised identity under the chain (the configured one by
    default)."""
    for key in key_chain() if chain is None else chain:
        text = _step(key, text)
    return text


def check_value(chain: tuple[str, ...] | None = None) -> str:
    return pseudonym(CHECK_TEXT, chain)


def stored_check() -> str | None:
    """The check value the database keeps, or None when it keeps none (yet)."""
    return AttendeeKeyCheck.objects.filter(pk=1).values_list("value", flat=True).first()


def configured_key_matches() -> bool:
    """Whether the configured chain made the keys stored (True when nothing says)."""
    stored = stored_check()
    return stored is None or stored == check_value()


def key_check_record() -> None:
    """Remember the configured chain's check value (a new database; see migrations)."""
    AttendeeKeyCheck.objects.update_or_create(
        pk=1, defaults={"value": check_value(), "keys": len(key_chain())}
    )


@transaction.atomic
def attendees_rekey(*, new_key: str, actor: object = None) -> int:
    """Re-key every attendee under `new_key`, appended to the configured chain; returns
    how many keys changed. All or nothing; the number of attendees, their attendance and
    every figure stay as they were. Afterwards MUSOW_ATTENDEE_KEY must list the old
    chain and then `new_key` (until then, nothing starts)."""
    chain = key_chain()
    new_key = new_key.strip()
    problems = []
    if len(new_key) < MIN_KEY_LENGTH or len(new_key.split()) != 1:
        problems.append(
            _(
                "The new key must be at least %(n)s characters long, without spaces "
                '(python3 -c "import secrets; print(secrets.token_urlsafe(50))").'
            )
            % {"n": MIN_KEY_LENGTH}
        )
    if new_key in chain or new_key == settings.SECRET_KEY:
        problems.append(_("The new key must differ from the keys in use and from the secret key."))
    check = AttendeeKeyCheck.objects.select_for_update().filter(pk=1).first()
    if check is not None and check.value != check_value(chain):
        problems.append(str(WRONG_KEY))
    if problems:
        raise ValidationError(problems)
    fingerprints = _fingerprints_rekeyed(new_key)
    changed = 0
    last = 0
    while True:
        rows = list(
            Attendee.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "key")[:BATCH]
        )
        if not rows:
            break
        Attendee.objects.bulk_update(
            [Attendee(pk=pk, key=_step(new_key, key)) for pk, key in rows], ["key"]
        )
        changed += len(rows)
        last = rows[-1][0]
    Activity.objects.bulk_update(fingerprints, ["source_hash"], batch_size=BATCH)
    new_chain = (*chain, new_key)
    check, _created = AttendeeKeyCheck.objects.update_or_create(
        pk=1, defaults={"value": check_value(new_chain), "keys": len(new_chain)}
    )
    entry_record(
        actor=actor,
        action=Entry.Action.UPDATE,
        target=check,
        changes=diff({"keys": len(chain)}, {"keys": len(new_chain)}),
        comment=_("%(n)s attendee keys re-keyed.") % {"n": changed},
    )
    return changed


def _fingerprints_rekeyed(new_key: str) -> list[Activity]:
    """The import fingerprints (`source_hash`) of activities with an attendance list, made
    again with the re-keyed keys, so that importing the same file after the rotation still
    says "unchanged". A fingerprint is of the content last written, with the status it had
    then (a later validation does not rewrite it): each status is tried; an activity whose
    fingerprint matches none keeps its own (its next import says "updated")."""
    from musow.activities.services import activity_input_from

    statuses = Activity.Status.values
    followed = []
    with_lists = (
        Activity.objects.exclude(source_hash="")
        .filter(pk__in=Attendance.objects.values("activity_id"))
        .order_by("pk")
    )
    for activity in with_lists.iterator(chunk_size=BATCH):
        data = activity_input_from(activity)
        for status in [activity.status, *statuses]:
            if replace(data, status=status).fingerprint() == activity.source_hash:
                rekeyed = [replace(a, key=_step(new_key, a.key)) for a in data.attendance]
                activity.source_hash = replace(
                    data, status=status, attendance=rekeyed
                ).fingerprint()
                followed.append(activity)
                break
    return followed
