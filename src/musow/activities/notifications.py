"""Who is told, by e-mail, when an activity moves through the workflow:

- submitted → the gender officers, who validate it (their queue is on the dashboard);
- returned or validated → its author.

Who is told is the roles table's to say (`accounts.scopes.told_of_*`); this module says
when and what. Messages leave only once the change is committed (`on_commit`): a refused
or undone transition tells no one. Each speaks the recipient's language (the language of
the pages they last signed in on). A mail server that is down or refuses never undoes
nor fails the change: the failure is logged, the activity stays as it was saved.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from musow.accounts import scopes
from musow.accounts.models import User
from musow.activities.models import Activity
from musow.audit.models import Entry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    subject: str
    body: str


def _notice_submitted(activity: Activity, actor: str, comment: str) -> Notice:
    return Notice(
        _("To validate: %(title)s") % {"title": activity.title},
        _(
            "%(actor)s submitted an activity for validation:\n\n%(title)s\n\n"
            "Validate it, or return it to its author saying why:\n%(url)s"
        )
        % {"actor": actor, "title": activity.title, "url": _link(activity)},
    )


def _notice_returned(activity: Activity, actor: str, comment: str) -> Notice:
    return Notice(
        _("Returned to you: %(title)s") % {"title": activity.title},
        _(
            "%(actor)s returned your activity to you:\n\n%(title)s\n\n"
            "Their comment:\n%(comment)s\n\nCorrect it and submit it again:\n%(url)s"
        )
        % {"actor": actor, "title": activity.title, "comment": comment, "url": _link(activity)},
    )


def _notice_validated(activity: Activity, actor: str, comment: str) -> Notice:
    return Notice(
        _("Validated: %(title)s") % {"title": activity.title},
        _(
            "%(actor)s validated your activity:\n\n%(title)s\n\n"
            "It now counts in official figures.\n%(url)s"
        )
        % {"actor": actor, "title": activity.title, "url": _link(activity)},
    )


# For each action: who is told, and what they read.
RULES: dict[str, tuple[Callable[..., list[User]], Callable[[Activity, str, str], Notice]]] = {
    Entry.Action.SUBMIT: (scopes.told_of_submission, _notice_submitted),
    Entry.Action.RETURN: (scopes.told_of_review, _notice_returned),
    Entry.Action.VALIDATE: (scopes.told_of_review, _notice_validated),
}


def _link(activity: Activity) -> str:
    return settings.SITE_URL + reverse("web:activity", args=[activity.pk])


def activity_transition_notify(
    *, activity: Activity, action: str, actor: Any = None, comment: str = ""
) -> None:
    """Tell who needs to know of `action` on `activity`, once the transaction commits."""
    rule = RULES.get(action)
    if rule is None:
        return
    transaction.on_commit(lambda: _send(activity.pk, rule, actor, comment))


def _send(
    pk: int,
    rule: tuple[Callable[..., list[User]], Callable[[Activity, str, str], Notice]],
    actor: Any,
    comment: str,
) -> None:
    try:
        activity = Activity.objects.select_related("created_by").get(pk=pk)
        who, notice = rule
        messages = []
        for person in who(activity, actor=actor):
            with translation.override(person.language or settings.LANGUAGE_CODE):
                name = actor.get_username() if getattr(actor, "pk", None) else _("musow")
                text = notice(activity, name, comment)
                messages.append(EmailMessage(text.subject, text.body, to=[person.email]))
        if messages:
            get_connection().send_messages(messages)
    except Exception:  # a mail server down never fails a change already committed
        log.exception("the e-mails about activity %s were not sent", pk)
