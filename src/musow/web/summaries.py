"""One sentence per group of activities, as the unit's page writes them, in each language.

    Organisation de conférences, de sondages et d'émissions radio dans le cadre de la
    journée portes ouvertes sur la Résolution 1325 dans le district de Bamako et dans
    les régions de Gao, Tombouctou et Mopti (12 activités)

    Conferences, surveys and radio programmes as part of the UNSCR 1325 Open Day in the
    Bamako Capital District and in the Gao, Timbuktu and Mopti regions (12 activities)

Each language has its own grammar here (articles, elision, where the places go),
not a word-for-word translation of the other: the sentences cannot be put
together from independent msgids. Known vocabulary codes (the shipped activity
types, themes and campaign series) have a written phrase per language; anything
added later through the back office falls back to its name, quoted.

This module does not touch the database: `musow.web.figures` builds the groups. Lists,
the partitive and places are `musow.lib.phrases`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.utils import translation

from musow.lib.i18n import current_lang, number
from musow.lib.phrases import Region, de, join_en, join_fr, places_en, places_fr

__all__ = ["Group", "Named", "Region", "Summary", "de", "join_en", "join_fr", "sentence", "summary"]

GroupKind = Literal["campaign", "project", "type"]


@dataclass(frozen=True)
class Named:
    """A vocabulary entry: its stable code and its name in the language of the sentence."""

    code: str
    name: str


@dataclass(frozen=True)
class Group:
    """Activities of one year that the page tells in one sentence.

    `kind` says what holds them together: a campaign series, a project, or
    (for the rest) their activity type; `subject` is that series, project or type.
    """

    kind: GroupKind
    subject: Named
    count: int
    activity_types: tuple[Named, ...] = ()
    themes: tuple[Named, ...] = ()
    regions: tuple[Region, ...] = ()


def _types(group: Group) -> tuple[Named, ...]:
    if group.activity_types or group.kind != "type":
        return group.activity_types
    return (group.subject,)


# --- French --------------------------------------------------------------------------

TYPES_FR = {
    "conference": "conférences",
    "awareness-session": "séances de sensibilisation",
    "radio-programme": "émissions radio",
    "survey": "sondages",
    "open-day": "journées portes ouvertes",
    "training": "formations",
    "advocacy": "actions de plaidoyer",
    "accompaniment": "actions d'accompagnement",
    "technical-support": "missions d'appui technique",
    "coordination-meeting": "réunions de coordination",
    "workshop": "ateliers",
}
THEMES_FR = {
    "gbv": "les violences faites aux femmes et aux filles",
    "wps-1325": "la Résolution 1325",
    "political-participation": "la participation politique des femmes",
    "peace-reconciliation": "le processus de paix et de réconciliation",
    "ssr-ddr": "la réforme du secteur de la sécurité (RSS/DDR)",
    "gender-mainstreaming": "l'intégration du genre",
    "empowerment": "l'autonomisation des femmes",
}
SERIES_FR = {
    "16-days": "de la campagne des 16 jours d'activisme contre la violence basée sur le genre",
    "open-day-1325": "de la journée portes ouvertes sur la Résolution 1325",
    "8-march": "de la Journée internationale des droits des femmes (8 mars)",
}


def _type_fr(t: Named) -> str:
    return TYPES_FR.get(t.code) or f"activités « {t.name} »"


def _frame_fr(group: Group) -> str:
    if group.kind == "campaign":
        series = SERIES_FR.get(group.subject.code) or f"de la campagne « {group.subject.name} »"
        return f"dans le cadre {series}"
    if group.kind == "project":
        return f"dans le cadre du projet « {group.subject.name} »"
    themes = [THEMES_FR.get(t.code) or f"« {t.name} »" for t in group.themes]
    return f"sur {join_fr(themes)}" if themes else ""


def _body_fr(group: Group) -> str:
    types = _types(group)
    what = join_fr([de(_type_fr(t)) for t in types]) if types else "d'activités"
    words = ["Organisation", what, _frame_fr(group), places_fr(group.regions)]
    return " ".join(word for word in words if word)


def _count_fr(count: int) -> str:
    return f"{number(count)} {'activité' if count <= 1 else 'activités'}"


# --- English -------------------------------------------------------------------------

TYPES_EN = {
    "conference": "conferences",
    "awareness-session": "awareness sessions",
    "radio-programme": "radio programmes",
    "survey": "surveys",
    "open-day": "open days",
    "training": "training sessions",
    "advocacy": "advocacy actions",
    "accompaniment": "accompaniment activities",
    "technical-support": "technical support missions",
    "coordination-meeting": "coordination meetings",
    "workshop": "workshops",
}
THEMES_EN = {
    "gbv": "violence against women and girls",
    "wps-1325": "UNSCR 1325",
    "political-participation": "women's political participation",
    "peace-reconciliation": "the peace and reconciliation process",
    "ssr-ddr": "security sector reform (SSR/DDR)",
    "gender-mainstreaming": "gender mainstreaming",
    "empowerment": "women's empowerment",
}
SERIES_EN = {
    "16-days": "the 16 Days of Activism against Gender-Based Violence",
    "open-day-1325": "the UNSCR 1325 Open Day",
    "8-march": "International Women's Day (8 March)",
}


def _type_en(t: Named) -> str:
    return TYPES_EN.get(t.code) or f"“{t.name}” activities"


def _frame_en(group: Group) -> str:
    if group.kind == "campaign":
        series = SERIES_EN.get(group.subject.code) or f"the “{group.subject.name}” campaign"
        return f"as part of {series}"
    if group.kind == "project":
        return f"as part of the project “{group.subject.name}”"
    themes = [THEMES_EN.get(t.code) or f"“{t.name}”" for t in group.themes]
    return f"on {join_en(themes)}" if themes else ""


def _body_en(group: Group) -> str:
    types = _types(group)
    what = join_en([_type_en(t) for t in types]) if types else "activities"
    words = [what[:1].upper() + what[1:], _frame_en(group), places_en(group.regions)]
    return " ".join(word for word in words if word)


def _count_en(count: int) -> str:
    return f"{number(count)} {'activity' if count == 1 else 'activities'}"


# --- the sentence ----------------------------------------------------------------------

_BUILDERS: dict[str, tuple[Callable[[Group], str], Callable[[int], str]]] = {
    "fr": (_body_fr, _count_fr),
    "en": (_body_en, _count_en),
}


@dataclass(frozen=True)
class Summary:
    """A group's sentence without its count, and the count (`12 activités`) apart, so that
    a page can make the count the link to the activities."""

    body: str
    count: str

    def __str__(self) -> str:
        return f"{self.body} ({self.count})"


def summary(group: Group, lang: str | None = None) -> Summary:
    """The group's sentence in `lang` (default: the active language)."""
    lang = lang or current_lang()
    body, count = _BUILDERS.get(lang, _BUILDERS["fr"])
    with translation.override(lang):
        return Summary(body(group), count(group.count))


def sentence(group: Group, lang: str | None = None) -> str:
    return str(summary(group, lang))
