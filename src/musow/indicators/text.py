"""Figures as sentences, in the active language.

A figure counted over everything reads as the indicator's headline sentence ("La
Résolution 1325 vulgarisée auprès de 520 femmes et jeunes filles dans les régions de Gao,
Tombouctou, Mopti et dans le district de Bamako"). A figure counted within a scope (a focal
point's region, a partner's activities, a report on one campaign) cannot use that sentence:
it may name places or a reach the scoped figure does not cover. It reads as the indicator's
name with the scope it was counted in, then the value ("Femmes et filles touchées par la
vulgarisation de la Résolution 1325, dans la région de Gao : 110").
"""

from decimal import Decimal

from musow.activities.models import Campaign, Organisation, Project
from musow.geo.models import Place
from musow.indicators.engine import Result, Scope
from musow.indicators.models import Indicator
from musow.lib.i18n import colon, current_lang, localized, number, percent
from musow.lib.phrases import Region, de, join_en, join_fr, places_en, places_fr


def format_value(result: Result, value: int | float | Decimal | None) -> str:
    if value is not None and result.indicator.rule == Indicator.Rule.RATIO:
        return percent(float(value))
    return number(value)


def headline_parts(result: Result) -> tuple[str, str, str]:
    """The figure's sentence split around its number: (before, value, after)."""
    value = format_value(result, result.total)
    if not result.scope.is_everything():
        label = f"{result.indicator.name}, {scope_phrase(result.scope)}"
        return colon(label, ""), value, ""
    template = result.indicator.headline
    if template and "{value}" in template:
        before, _sep, after = template.partition("{value}")
        return before, value, after
    return colon(result.indicator.name, ""), value, ""


def headline_sentence(result: Result) -> str:
    return "".join(headline_parts(result))


def scope_phrase(scope: Scope, lang: str | None = None) -> str:
    """Where a figure was counted, as a phrase of the active language: `dans la région de
    Gao`, `in the activities of CAFO`, `as part of “16 Days of Activism 2014”`."""
    lang = lang or current_lang()
    regions = [
        Region(localized(p, "name", lang), is_district="district" in (p.kind_en or "").lower())
        for p in Place.objects.filter(pk__in=scope.regions)
        .defer("boundary")
        .order_by("pcode", "pk")
    ]
    organisations = list(
        Organisation.objects.filter(pk__in=scope.organisations)
        .order_by("name")
        .values_list("name", flat=True)
    )
    campaigns = [
        localized(c, "name", lang)
        for c in Campaign.objects.filter(pk__in=scope.campaigns).order_by("start_date", "code")
    ]
    projects = [localized(p, "name", lang) for p in Project.objects.filter(pk__in=scope.projects)]
    parts = (
        _phrase_fr(regions, organisations, campaigns, projects)
        if lang == "fr"
        else _phrase_en(regions, organisations, campaigns, projects)
    )
    if parts:
        return ", ".join(parts)
    return "dans un périmètre restreint" if lang == "fr" else "within a restricted scope"


def _phrase_fr(
    regions: list[Region], organisations: list[str], campaigns: list[str], projects: list[str]
) -> list[str]:
    parts = [places_fr(regions)] if regions else []
    if organisations:
        parts.append(f"dans les activités {de(join_fr(organisations))}")
    if campaigns:
        parts.append("dans le cadre " + de(join_fr([f"« {c} »" for c in campaigns])))
    if projects:
        kind = "du projet" if len(projects) == 1 else "des projets"
        parts.append(f"dans le cadre {kind} " + join_fr([f"« {p} »" for p in projects]))
    return parts


def _phrase_en(
    regions: list[Region], organisations: list[str], campaigns: list[str], projects: list[str]
) -> list[str]:
    parts = [places_en(regions)] if regions else []
    if organisations:
        parts.append(f"in the activities of {join_en(organisations)}")
    if campaigns:
        parts.append("as part of " + join_en([f"“{c}”" for c in campaigns]))
    if projects:
        kind = "project" if len(projects) == 1 else "projects"
        parts.append(f"as part of the {kind} " + join_en([f"“{p}”" for p in projects]))
    return parts
