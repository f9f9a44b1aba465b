"""Template helpers of the public pages."""

from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from musow.accounts import scopes
from musow.lib.i18n import colon, current_lang, number
from musow.lib.language import guess_language
from musow.web.history import retranslated

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
        ("bodies:list", _("Women at the table"), scopes.sees_records(user)),
        ("elections:elections", _("Elections"), scopes.sees_records(user)),
        ("security:home", _("Security and DDR"), scopes.sees_records(user)),
        ("intake:home", _("Import"), scopes.can_enter(user)),
        ("web:courses", _("Trainings"), scopes.sees_courses(user)),
        ("reports:report", _("Reports"), True),
        ("mainstreaming:reviews", _("Gender reviews"), scopes.sees_records(user)),
        ("web:protection", _("SGBV programme"), True),
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
        "password_url": reverse("web:password-change"),
    }


@register.inclusion_tag("web/_to_validate.html", takes_context=True)
def to_validate(context: dict[str, Any]) -> dict[str, Any]:
    """An officer's queue on the dashboard: how many activities within their scope wait
    for validation, linked to that list (nothing for the other roles)."""
    user = context.get("user")
    count = scopes.to_validate(user).count() if scopes.can_validate(user) else 0
    return {"count": count, "url": reverse("web:activities") + "?status=submitted"}


@register.filter
def origin(text: str) -> str:
    """An activity's origin in the page's language when the system wrote it ("saisie par
    gao" reads "entered by gao" on an English page)."""
    return retranslated(text)


@register.filter
def num(value: Any) -> str:
    """A number in the page's language: 5 400 in French, 5,400 in English."""
    return number(value)


# --- accessibility: the language of what people typed, errors tied to their fields -----


@register.filter
def text_lang(text: Any) -> str:
    """The language a title or description was typed in ("fr" or "en"), for its `lang`
    attribute; the page's language when the text does not say."""
    return guess_language(str(text or "")) or current_lang()


def field_anchor(field: forms.BoundField) -> str:
    """The id of the control an error summary links to: the field itself, or the first
    box of a group of checkboxes."""
    if field.use_fieldset:
        return f"{field.auto_id}_0" if field.auto_id else ""
    return str(field.id_for_label or field.auto_id or "")


@register.filter
def described_by(field: forms.BoundField) -> str:
    """`aria-describedby` of a group of checkboxes (its fieldset): Django sets it on
    single controls only."""
    if not field.auto_id:
        return ""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.filter
def item(values: Any, index: int) -> Any:
    """`values[index]`, or nothing when there is no such item."""
    try:
        return values[index]
    except (IndexError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class FormError:
    message: str
    anchor: str  # the id of the field to go to; empty for an error of the whole form


@register.simple_tag
def form_errors(form: forms.BaseForm) -> list[FormError]:
    """Every error of a form, in page order, for its error summary: the form's own
    errors first, then each field's, named by its label and linked to it."""
    items = [FormError(str(message), "") for message in form.non_field_errors()]
    for field in form:
        for message in field.errors:
            if field.is_hidden:
                items.append(FormError(str(message), ""))
            else:
                items.append(FormError(colon(str(field.label), str(message)), field_anchor(field)))
    return items
