"""Template helpers of the public pages."""

from dataclasses import dataclass
from typing import Any

from django import template
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from musow.accounts import scopes
from musow.accounts.models import User
from musow.activities.models import Activity
from musow.lib.i18n import number

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # in the language itself: "Français", "English"
    url: str
    is_current: bool


@register.inclusion_tag("web/_languages.html", takes_context=True)
def language_switch(context: dict[str, Any]) -> dict[str, Any]:
    """Links to the same page in every language (the URL prefix sets the language)."""
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    links = [
        LanguageLink(
            code,
            str(get_language_info(code)["name_local"]).capitalize(),
            translate_url(path, code),
            code == current,
        )
        for code, _name in settings.LANGUAGES
    ]
    return {"languages": links}


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    is_current: bool


@register.inclusion_tag("web/_staff_nav.html", takes_context=True)
def staff_nav(context: dict[str, Any]) -> dict[str, Any]:
    """The signed-in menu: only the pages the user's role opens."""
    request = context.get("request")
    user = context.get("user")
    current = request.path if request is not None else ""
    wanted = [
        ("web:dashboard", _("Dashboard"), True),
        ("web:activities", _("Activities"), scopes.sees_records(user)),
        ("web:activity-new", _("New activity"), scopes.can_enter(user)),
        ("intake:home", _("Import"), scopes.can_enter(user)),
        ("reports:report", _("Reports"), True),
        ("web:users", _("Users"), scopes.can_manage(user)),
        ("web:figures", _("Public figures"), True),
        ("tokens:list", _("API tokens"), True),
    ]
    links = []
    for name, label, allowed in wanted:
        if not allowed:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a page not installed (yet)
            continue
        links.append(NavLink(str(label), url, current == url))
    return {
        "links": links,
        "user": user,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def num(value: Any) -> str:
    """A number in the page's language: 5 400 in French, 5,400 in English."""
    return number(value)


@register.filter
def field_label(name: str, model_label: str = "") -> str:
    """The name of a changed field as people read it (audit trail)."""
    model = apps.get_model(model_label) if model_label else None
    if model is None:
        return name
    first, _sep, rest = name.partition(" ")
    first = {"type": "activity_type"}.get(first, first)
    try:
        label = getattr(model._meta.get_field(first), "verbose_name", None)
    except FieldDoesNotExist:
        label = None
    if label is None:
        return name
    return f"{label} {rest}" if rest else str(label)


@register.filter
def audit_value(value: Any, name: str = "") -> str:
    """An old or new value of the audit trail as people read it: statuses and roles by
    their names, lists joined, nothing as a dash."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    labels = {"status": Activity.Status, "role": User.Role}.get(name)
    if labels is not None and value in labels.values:
        return str(labels(value).label)
    return str(value)
