"""Template helpers of the public pages."""

from dataclasses import dataclass
from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

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
