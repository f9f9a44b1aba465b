"""Short sentences that tell the report's figures, written for each language.

Not a translation of one language into the other: French agrees its participles and
nouns with the number ("1 femme formée", "2 femmes formées", "1 activité validée"),
puts a space before its colons and percent signs, and orders phrases its own way;
English has its own singulars ("1 woman", "2 women"). Numbers are formatted in the
language of the report (`5 400` / `5,400`).
"""

from datetime import date
from typing import Any

from django.utils import formats, translation

from musow.indicators.codes import LEADERS
from musow.lib.i18n import number, percent
from musow.reports.types import CampaignSection, Report


def _n(value: Any) -> str:
    return number(int(value or 0))


def _day(d: date) -> str:
    """`1er mars 2014`, `25 novembre 2014`; `1 March 2014`."""
    text = formats.date_format(d, "j F Y")
    if d.day == 1 and translation.get_language() == "fr":
        text = "1er" + text[1:]
    return text


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


# --- French ------------------------------------------------------------------------------


def _when_fr(report: Report) -> str:
    code = report.period.code
    label = report.period.label("fr")
    if len(code) == 4:
        return f"En {label}"
    if "-Q" in code:
        quarter = int(code[-1])
        return f"Au {'1er' if quarter == 1 else f'{quarter}e'} trimestre {code[:4]}"
    if ".." in code:
        return label[:1].upper() + label[1:]
    return f"En {label}"


def _sentences_fr(r: Report) -> list[str]:
    t = r.totals
    if not r.has_data:
        return [
            f"{_when_fr(r)}, aucune activité validée n'est enregistrée pour ce périmètre "
            f"({r.scope_label}) : ce rapport ne contient donc aucun chiffre."
        ]
    n, regions = int(t["activities"]), int(t["regions"])
    out = [
        f"{_when_fr(r)}, l'Unité Genre a mené {_n(n)} "
        f"{_plural(n, 'activité validée', 'activités validées')} "
        f"{'dans une seule région' if regions == 1 else f'dans {_n(regions)} régions'}."
    ]
    p, w = int(t["participants"]), int(t["women"])
    if p:
        subject = "Elle a réuni" if n == 1 else "Elles ont réuni"
        women = _plural(w, "femme ou fille", "femmes et filles")
        out.append(
            f"{subject} {_n(p)} {_plural(p, 'participant', 'participants')} (contacts), "
            f"dont {_n(w)} {women}, soit {percent(t['share_women'])}."
        )
    trained = t.get("women_trained")
    if trained is not None and t.get("trainees"):
        k = int(trained)
        out.append(
            f"Les formations comptent {_n(k)} {_plural(k, 'femme formée', 'femmes formées')} "
            f"sur {_n(t['trainees'])} {_plural(int(t['trainees']), 'participant', 'participants')}."
        )
    leaders = _line(r, LEADERS)
    if leaders:
        k = int(leaders)
        accompanied = _plural(
            k, "femme leader a été accompagnée", "femmes leaders ont été accompagnées"
        )
        out.append(f"{_n(k)} {accompanied} dans le processus de paix.")
    if t.get("list_coverage") is not None:
        out.append(
            f"Les listes de présence couvrent {percent(t['list_coverage'])} des contacts\u00a0: "
            "là où elles existent, chaque personne n'est comptée qu'une fois."
        )
    m = int(t["media_audience"])
    if m:
        out.append(
            f"Les médias ont touché environ {_n(m)} {_plural(m, 'personne', 'personnes')} "
            "(audience estimée), un chiffre présenté à part et jamais ajouté aux participants."
        )
    met, with_target = _targets(r)
    if with_target:
        reached = _plural(met, "l'a atteinte", "l'ont atteinte")
        out.append(
            f"{_n(met)} {_plural(met, 'indicateur', 'indicateurs')} sur {_n(with_target)} "
            f"assortis d'une cible {reached}."
        )
    return out


def _campaign_fr(c: CampaignSection) -> str:
    n, p, w = c.activities, c.participants, c.women
    text = (
        f"{c.name} : {_n(n)} {_plural(n, 'activité', 'activités')} "
        f"du {_day(c.start)} au {_day(c.end)}"
    )
    if p:
        text += (
            f", qui {_plural(n, 'a', 'ont')} réuni {_n(p)} "
            f"{_plural(p, 'participant', 'participants')}, dont {_n(w)} "
            f"{_plural(w, 'femme ou fille', 'femmes et filles')}"
        )
    return text + "."


# --- English -----------------------------------------------------------------------------


def _when_en(report: Report) -> str:
    label = report.period.label("en")
    if ".." in report.period.code:
        return f"From {label.replace(' – ', ' to ')}"
    return f"In {label}"


def _sentences_en(r: Report) -> list[str]:
    t = r.totals
    if not r.has_data:
        return [
            f"{_when_en(r)}, no validated activity is recorded for this scope "
            f"({r.scope_label}): this report therefore holds no figures."
        ]
    n, regions = int(t["activities"]), int(t["regions"])
    out = [
        f"{_when_en(r)}, the Gender Unit carried out {_n(n)} validated "
        f"{_plural(n, 'activity', 'activities')} in "
        f"{'one region' if regions == 1 else f'{_n(regions)} regions'}."
    ]
    p, w = int(t["participants"]), int(t["women"])
    if p:
        women = "a woman or girl" if w == 1 else "women and girls"
        out.append(
            f"{'It' if n == 1 else 'They'} reached {_n(p)} "
            f"{_plural(p, 'participant', 'participants')} (contacts), {_n(w)} of them {women} "
            f"({percent(t['share_women'])})."
        )
    trained = t.get("women_trained")
    if trained is not None and t.get("trainees"):
        k = int(trained)
        out.append(
            f"Training sessions trained {_n(k)} {_plural(k, 'woman', 'women')} out of "
            f"{_n(t['trainees'])} {_plural(int(t['trainees']), 'participant', 'participants')}."
        )
    leaders = _line(r, LEADERS)
    if leaders:
        k = int(leaders)
        out.append(
            f"{_n(k)} {_plural(k, 'woman leader was', 'women leaders were')} accompanied "
            "in the peace process."
        )
    if t.get("list_coverage") is not None:
        out.append(
            f"Attendance lists cover {percent(t['list_coverage'])} of contacts: where they "
            "exist, each person is counted once."
        )
    m = int(t["media_audience"])
    if m:
        out.append(
            f"Media reached an estimated {_n(m)} {_plural(m, 'person', 'people')}, a figure "
            "shown apart and never added to participants."
        )
    met, with_target = _targets(r)
    if with_target:
        out.append(
            f"{_n(met)} of {_n(with_target)} {_plural(with_target, 'indicator', 'indicators')} "
            f"with a target {_plural(met, 'has', 'have')} met it."
        )
    return out


def _campaign_en(c: CampaignSection) -> str:
    n, p, w = c.activities, c.participants, c.women
    text = (
        f"{c.name}: {_n(n)} {_plural(n, 'activity', 'activities')} from {_day(c.start)} "
        f"to {_day(c.end)}"
    )
    if p:
        women = "a woman or girl" if w == 1 else "women and girls"
        text += (
            f", reaching {_n(p)} {_plural(p, 'participant', 'participants')}, "
            f"{_n(w)} of them {women}"
        )
    return text + "."


# --- shared ------------------------------------------------------------------------------


def _line(r: Report, code: str) -> Any:
    for mandate in r.framework:
        for line in mandate.lines:
            if line.code == code:
                return line.actual
    return None


def _targets(r: Report) -> tuple[int, int]:
    lines = [line for m in r.framework for line in m.lines if line.status]
    return sum(1 for line in lines if line.status == "met"), len(lines)


def sentences(report: Report) -> list[str]:
    with translation.override(report.lang):
        if report.lang == "en":
            return _sentences_en(report)
        return _sentences_fr(report)


def campaign_sentence(section: CampaignSection, lang: str) -> str:
    with translation.override(lang):
        return _campaign_en(section) if lang == "en" else _campaign_fr(section)
