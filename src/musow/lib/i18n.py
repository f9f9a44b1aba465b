"""Bilingual helpers: names kept as `<field>_fr` / `<field>_en`, numbers in the locale's format."""

from decimal import Decimal
from typing import Any

from django.utils import formats, translation

LANGS = ("fr", "en")


def current_lang() -> str:
    lang = (translation.get_language() or "fr")[:2]
    return lang if lang in LANGS else "fr"


def localized(obj: Any, field: str, lang: str | None = None) -> str:
    """`obj.<field>_<lang>`, falling back to the other language when empty."""
    lang = lang or current_lang()
    value = getattr(obj, f"{field}_{lang}", "") or ""
    if not value:
        other = "en" if lang == "fr" else "fr"
        value = getattr(obj, f"{field}_{other}", "") or ""
    return str(value)


def number(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    """A number in the active locale: `5 400` (narrow no-break space) in French, `5,400` in
    English."""
    if value is None:
        return "–"
    if decimals is not None:
        value = round(Decimal(str(value)), decimals)
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def percent(share: float | None, decimals: int = 1) -> str:
    """A share (0.453) as a percentage: `45,3 %` in French, `45.3%` in English."""
    if share is None:
        return "–"
    text = number(share * 100, decimals)
    return f"{text}\u202f%" if current_lang() == "fr" else f"{text}%"


def colon(label: str, value: str) -> str:
    """`label : value` in French (space before the colon), `label: value` in English."""
    return f"{label}\u00a0: {value}" if current_lang() == "fr" else f"{label}: {value}"


def command_language(lang: str | None) -> str:
    """The language a command was asked to speak; refused in both languages if unknown."""
    from django.core.management.base import CommandError

    lang = lang or current_lang()
    if lang not in LANGS:
        raise CommandError(
            f"Langue inconnue « {lang} » : fr ou en. / Unknown language “{lang}”: fr or en."
        )
    return lang
