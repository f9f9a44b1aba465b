"""The Gender Unit's 2014, as records (see `musow.activities.records`), built deterministically.

Each of the seed's four figures comes from its own activities:

- 258 students: four GBV conferences / awareness sessions at the universities of
  Bamako, with attendance lists; some students came more than once (343 contacts,
  258 distinct persons). No student is counted in the 16 Days.
- 5 400 people: contacts of the fourteen validated 16 Days conferences and
  awareness sessions on GBV, in eight regions and the District of Bamako, without
  attendance lists (a draft session in Kati adds 180 to the provisional figure).
- 520 women and girls: female contacts (all ages) of the UNSCR 1325 open days and
  conference in Gao, Tombouctou, Mopti and Bamako; men came too; the open days'
  surveys count their respondents, their radio programmes an estimated audience only.
- 1 113 newly recruited Mission personnel: distinct persons on the attendance
  lists of 22 validated induction sessions (a submitted December session adds 38
  to the provisional figure); some came twice and a few attendees did not sign.

Plus the access-to-justice programme, the accompaniment of women leaders to the
Algiers talks, advocacy, and trainings of the defence and security forces.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

SOURCE = "demo"
UNIT = "minusma-unite-genre"

# The seed's four figures ("L'Unité Genre en chiffres"), and what drafts and
# submitted activities add to them when figures are provisional.
SEED_FIGURES: dict[str, int] = {
    "students-sensitised-gbv": 258,
    "people-sensitised-vawg": 5400,
    "women-girls-reached-1325": 520,
    "mission-staff-trained-gender": 1113,
}
PROVISIONAL_FIGURES: dict[str, int] = {
    "students-sensitised-gbv": 258,
    "people-sensitised-vawg": 5400 + 180,
    "women-girls-reached-1325": 520,
    "mission-staff-trained-gender": 1113 + 38,
}

Record = dict[str, Any]
Weights = Sequence[tuple[str, str, str, int]]  # audience, sex, age group, weight or count

# --- organisations, campaigns, project ----------------------------------------------

ORGANISATIONS: list[dict[str, str]] = [
    {"code": UNIT, "name": "MINUSMA — Unité Genre", "acronym": "UG", "kind": "un", "place": "ML09"},
    {"code": "onu-femmes", "name": "ONU Femmes Mali", "acronym": "", "kind": "un", "place": "ML09"},
    {
        "code": "pnud",
        "name": "Programme des Nations Unies pour le développement",
        "acronym": "PNUD",
        "kind": "un",
        "place": "ML09",
    },
    {
        "code": "mpfef",
        "name": "Ministère de la Promotion de la Femme, de l'Enfant et de la Famille",
        "acronym": "MPFEF",
        "kind": "ministry",
        "place": "ML09",
    },
    {
        "code": "ministere-justice",
        "name": "Ministère de la Justice et des Droits de l'Homme",
        "acronym": "",
        "kind": "ministry",
        "place": "ML09",
    },
    {
        "code": "ministere-defense",
        "name": "Ministère de la Défense et des Anciens Combattants",
        "acronym": "",
        "kind": "ministry",
        "place": "ML09",
    },
    {
        "code": "cafo",
        "name": "Coordination des Associations et ONG Féminines du Mali",
        "acronym": "CAFO",
        "kind": "womens_org",
        "place": "ML09",
    },
    {
        "code": "wildaf-mali",
        "name": "Women in Law and Development in Africa — Mali",
        "acronym": "WILDAF Mali",
        "kind": "womens_org",
        "place": "ML09",
    },
    {
        "code": "apdf",
        "name": "Association pour le Progrès et la Défense des Droits des Femmes",
        "acronym": "APDF",
        "kind": "womens_org",
        "place": "ML09",
    },
    {
        "code": "ajm",
        "name": "Association des Juristes Maliennes",
        "acronym": "AJM",
        "kind": "womens_org",
        "place": "ML09",
    },
    {
        "code": "repsfeco-mali",
        "name": "Réseau Paix et Sécurité des Femmes de l'espace CEDEAO — Mali",
        "acronym": "REPSFECO Mali",
        "kind": "womens_org",
        "place": "ML09",
    },
    {
        "code": "fama",
        "name": "Forces Armées Maliennes",
        "acronym": "FAMa",
        "kind": "security",
        "place": "ML09",
    },
    {
        "code": "police-nationale",
        "name": "Police nationale du Mali",
        "acronym": "",
        "kind": "security",
        "place": "ML09",
    },
    {
        "code": "gendarmerie-nationale",
        "name": "Gendarmerie nationale du Mali",
        "acronym": "",
        "kind": "security",
        "place": "ML09",
    },
    {
        "code": "usjpb",
        "name": "Université des Sciences Juridiques et Politiques de Bamako",
        "acronym": "USJPB",
        "kind": "other",
        "place": "ML09",
    },
    {
        "code": "ulshb",
        "name": "Université des Lettres et des Sciences Humaines de Bamako",
        "acronym": "ULSHB",
        "kind": "other",
        "place": "ML09",
    },
    {
        "code": "ortm",
        "name": "Office de Radiodiffusion Télévision du Mali",
        "acronym": "ORTM",
        "kind": "media",
        "place": "ML09",
    },
    {
        "code": "radio-guintan",
        "name": "Radio Guintan",
        "acronym": "",
        "kind": "media",
        "place": "ML09",
    },
    {"code": "radio-kledu", "name": "Radio Klédu", "acronym": "", "kind": "media", "place": "ML09"},
    {
        "code": "studio-tamani",
        "name": "Studio Tamani (Fondation Hirondelle)",
        "acronym": "",
        "kind": "media",
        "place": "ML09",
    },
    {"code": "radio-naata", "name": "Radio Naata", "acronym": "", "kind": "media", "place": "ML07"},
    {
        "code": "radio-bouctou",
        "name": "Radio Bouctou",
        "acronym": "",
        "kind": "media",
        "place": "ML06",
    },
    {
        "code": "radio-kaoural",
        "name": "Radio Kaoural",
        "acronym": "",
        "kind": "media",
        "place": "ML05",
    },
]

CAMPAIGNS: list[dict[str, str]] = [
    {
        "code": "journee-femmes-2014",
        "series": "8-march",
        "name_fr": "Journée internationale des droits des femmes 2014",
        "name_en": "International Women's Day 2014",
        "start_date": "2014-03-01",
        "end_date": "2014-03-08",
    },
    {
        "code": "jpo-1325-2014",
        "series": "open-day-1325",
        "name_fr": "Journées portes ouvertes sur la Résolution 1325 (2014)",
        "name_en": "UNSCR 1325 Open Days (2014)",
        "start_date": "2014-10-27",
        "end_date": "2014-11-07",
    },
    {
        "code": "16-jours-2014",
        "series": "16-days",
        "name_fr": "16 jours d'activisme contre la violence basée sur le genre 2014",
        "name_en": "16 Days of Activism against Gender-Based Violence 2014",
        "start_date": "2014-11-25",
        "end_date": "2014-12-10",
    },
]

JUSTICE_PROJECT = "acces-justice-vsbg"
PROJECTS: list[dict[str, str]] = [
    {
        "code": JUSTICE_PROJECT,
        "name_fr": (
            "Programme d'amélioration de l'accès des femmes victimes de violences sexuelles "
            "et basées sur le genre à la justice et la sécurité dans le processus de "
            "consolidation de la paix au Mali"
        ),
        "name_en": (
            "Programme to improve access to justice and security for women survivors of "
            "sexual and gender-based violence in Mali's peacebuilding process"
        ),
        "description_fr": (
            "Programme conjoint conçu en 2014 par l'Unité Genre de la MINUSMA avec ONU Femmes, "
            "le PNUD, le ministère de la Justice et le MPFEF : prise en charge juridique et "
            "judiciaire des survivantes, renforcement de la chaîne pénale et des unités de "
            "police et de gendarmerie, sensibilisation des acteurs de la justice."
        ),
        "description_en": (
            "Joint programme designed in 2014 by MINUSMA's Gender Unit with UN Women, UNDP, "
            "the Ministry of Justice and the MPFEF: legal aid for survivors, a stronger "
            "criminal justice chain and police and gendarmerie units, awareness of justice actors."
        ),
        "start_date": "2014-04-01",
        "end_date": "2016-12-31",
    },
]

# --- building records ---------------------------------------------------------------


def apportion(total: int, weights: Weights) -> list[dict[str, Any]]:
    """Split `total` over cells in proportion to their weights (largest remainder): the
    cells always add up to `total`, and the same input always gives the same split."""
    whole = sum(w for *_cell, w in weights)
    shares = [(total * w) // whole for *_cell, w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-((total * weights[i][3]) % whole), i))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return cells((a, s, g, n) for (a, s, g, _w), n in zip(weights, shares, strict=True))


def cells(rows: Iterable[tuple[str, str, str, int]]) -> list[dict[str, Any]]:
    return [{"audience": a, "sex": s, "age": g, "count": n} for a, s, g, n in rows if n > 0]


def record(
    key: str,
    kind: str,
    start: str,
    place: str,
    title: str,
    description: str,
    *,
    end: str | None = None,
    themes: Sequence[str],
    objectives: Sequence[str],
    campaign: str | None = None,
    project: str | None = None,
    organiser: str = UNIT,
    partners: Sequence[str] = (),
    status: str = "validated",
    participation: Sequence[dict[str, Any]] = (),
    media: Sequence[dict[str, Any]] = (),
    attendance: Sequence[dict[str, Any]] = (),
) -> Record:
    rec: Record = {
        "key": key,
        "type": kind,
        "title": title,
        "description": description,
        "start": start,
        "end": end or start,
        "place": place,
        "themes": list(themes),
        "campaign": campaign,
        "project": project,
        "organiser": organiser,
        "partners": list(partners),
        "objectives": list(objectives),
        "status": status,
        "participation": list(participation),
        "media": list(media),
        "attendance": list(attendance),
    }
    if participation:
        rec["total"] = sum(p["count"] for p in participation)
    return rec


def radio(outlet: str, audience: int, method: str) -> dict[str, Any]:
    return {"medium": "radio", "outlet": outlet, "audience": audience, "method": method}


STATION_ESTIMATE = "Estimation communiquée par la station (auditoire moyen d'une émission)."

# --- 258 students: university sessions with attendance lists -------------------------


@dataclass(frozen=True)
class Person:
    code: str
    sex: str
    audience: str
    age: str

    def attendance(self) -> dict[str, str]:
        return {"code": self.code, "sex": self.sex, "audience": self.audience, "age": self.age}


def student(n: int) -> Person:
    sex = "f" if (n * 37) % 100 < 46 else "m"
    age = "age-unknown" if n % 43 == 0 else "under-18" if n % 50 == 7 else "18-plus"
    return Person(f"ETU14-{n:04d}", sex, "students", age)


def participation_of(people: Sequence[Person], extra: Weights = ()) -> list[dict[str, Any]]:
    """The participation cells of an attendance list (plus attendees who did not sign)."""
    counter: Counter[tuple[str, str, str]] = Counter((p.audience, p.sex, p.age) for p in people)
    for audience, sex, age, n in extra:
        counter[(audience, sex, age)] += n
    return cells((a, s, g, n) for (a, s, g), n in sorted(counter.items()))


def _span(first: int, last: int) -> list[int]:
    return list(range(first, last + 1))


def students() -> list[Record]:
    sessions = [
        (
            "conference",
            "2014-03-06",
            "usjpb",
            "journee-femmes-2014",
            "Conférence sur les violences faites aux femmes et le droit malien",
            "Conférence à l'Université des Sciences Juridiques et Politiques de Bamako, dans le "
            "cadre du 8 mars : cadre juridique des violences faites aux femmes au Mali, "
            "protocole de Maputo, voies de recours. Liste de présence signée par code étudiant.",
            _span(1, 90),
        ),
        (
            "awareness-session",
            "2014-04-17",
            "ulshb",
            None,
            "Séance de sensibilisation des étudiants sur les violences basées sur le genre",
            "Séance de sensibilisation à la Faculté des Lettres de l'ULSHB : formes de violences "
            "basées sur le genre, violences en milieu universitaire, orientation des victimes.",
            _span(91, 170) + _span(1, 20),
        ),
        (
            "conference",
            "2014-05-22",
            "usjpb",
            None,
            "Conférence-débat : violences sexuelles en période de conflit au Nord du Mali",
            "Conférence-débat à l'USJPB sur les violences sexuelles liées au conflit de 2012, "
            "avec des juristes de l'AJM ; échanges avec les étudiants en droit.",
            _span(171, 230) + _span(21, 45),
        ),
        (
            "awareness-session",
            "2014-10-16",
            "ulshb",
            None,
            "Séance de sensibilisation des étudiants sur les VBG et le harcèlement",
            "Séance de sensibilisation à l'ULSHB sur les violences basées sur le genre et le "
            "harcèlement sexuel, animée avec WILDAF Mali.",
            _span(231, 258) + _span(91, 120) + _span(1, 10),
        ),
    ]
    out = []
    for i, (kind, day, university, campaign, title, description, numbers) in enumerate(
        sessions, start=1
    ):
        people = [student(n) for n in numbers]
        out.append(
            record(
                f"2014-etudiants-{i:02d}",
                kind,
                day,
                "ML09",
                title,
                description,
                themes=["gbv"],
                objectives=["m5"],
                campaign=campaign,
                partners=[university, "wildaf-mali"] if i == 4 else [university],
                participation=participation_of(people),
                attendance=[p.attendance() for p in people],
            )
        )
    return out


# --- 5 400 people: the 16 Days, contacts without attendance lists ---------------------

MIX_CONFERENCE: Weights = [
    ("general-public", "f", "18-plus", 38),
    ("general-public", "m", "18-plus", 24),
    ("general-public", "f", "under-18", 8),
    ("general-public", "m", "under-18", 5),
    ("women-leaders", "f", "18-plus", 8),
    ("cso-members", "f", "18-plus", 8),
    ("cso-members", "m", "18-plus", 2),
    ("authorities", "f", "18-plus", 2),
    ("authorities", "m", "18-plus", 3),
    ("community-leaders", "m", "18-plus", 2),
]
MIX_NEIGHBOURHOOD: Weights = [
    ("general-public", "f", "18-plus", 46),
    ("general-public", "m", "18-plus", 22),
    ("general-public", "f", "under-18", 12),
    ("general-public", "m", "under-18", 8),
    ("cso-members", "f", "18-plus", 6),
    ("community-leaders", "m", "18-plus", 4),
    ("community-leaders", "f", "18-plus", 1),
    ("general-public", "u", "age-unknown", 1),
]
MIX_LEADERS: Weights = [
    ("community-leaders", "m", "18-plus", 55),
    ("community-leaders", "f", "18-plus", 15),
    ("authorities", "m", "18-plus", 10),
    ("authorities", "f", "18-plus", 3),
    ("women-leaders", "f", "18-plus", 12),
    ("general-public", "m", "18-plus", 5),
]
MIX_FDS: Weights = [
    ("defence-security-forces", "m", "18-plus", 82),
    ("defence-security-forces", "f", "18-plus", 14),
    ("authorities", "m", "18-plus", 3),
    ("authorities", "f", "18-plus", 1),
]
MIX_WOMEN: Weights = [
    ("women-leaders", "f", "18-plus", 50),
    ("cso-members", "f", "18-plus", 35),
    ("general-public", "f", "18-plus", 10),
    ("general-public", "f", "under-18", 5),
]

SIXTEEN_DAYS_THEME = (
    "Thème mondial 2014 : « De la paix dans nos foyers à la paix dans le monde : "
    "militarisme et violences faites aux femmes »."
)


def sixteen_days() -> list[Record]:
    sessions: list[tuple[str, str, str, Weights, int, str, str, list[str]]] = [
        (
            "conference",
            "2014-11-25",
            "ML09",
            MIX_CONFERENCE,
            620,
            "Conférence de lancement des 16 jours d'activisme contre les violences faites "
            "aux femmes",
            "Lancement de la campagne au Centre international de conférences de Bamako avec le "
            "MPFEF et ONU Femmes.",
            ["mpfef", "onu-femmes"],
        ),
        (
            "awareness-session",
            "2014-11-26",
            "ML09",
            MIX_NEIGHBOURHOOD,
            480,
            "Séance de sensibilisation sur les VBG en Commune IV du District de Bamako",
            "Causeries dans les quartiers de Lafiabougou et Hamdallaye, animées par les "
            "relais de la CAFO.",
            ["cafo", "wildaf-mali"],
        ),
        (
            "conference",
            "2014-11-27",
            "ML07",
            MIX_CONFERENCE,
            410,
            "Conférence-débat sur les violences faites aux femmes à Gao",
            "Conférence-débat à la Maison de la femme de Gao avec la direction régionale de la "
            "promotion de la femme ; témoignages sur les violences subies pendant l'occupation.",
            ["mpfef", "cafo"],
        ),
        (
            "awareness-session",
            "2014-11-28",
            "ML06",
            MIX_NEIGHBOURHOOD,
            360,
            "Séance de sensibilisation sur les VBG à Tombouctou",
            "Sensibilisation dans les quartiers de Tombouctou sur les VBG, le mariage précoce "
            "et l'orientation des survivantes vers les services de prise en charge.",
            ["cafo"],
        ),
        (
            "conference",
            "2014-12-01",
            "ML05",
            MIX_CONFERENCE,
            390,
            "Conférence sur les violences basées sur le genre à Mopti",
            "Conférence à Sévaré avec les organisations féminines de la région de Mopti.",
            ["mpfef", "apdf"],
        ),
        (
            "awareness-session",
            "2014-12-02",
            "ML04",
            MIX_NEIGHBOURHOOD,
            340,
            "Séance de sensibilisation sur les VBG à Ségou",
            "Sensibilisation des femmes et des jeunes de Ségou sur les VBG et les recours.",
            ["wildaf-mali"],
        ),
        (
            "conference",
            "2014-12-03",
            "ML01",
            MIX_CONFERENCE,
            300,
            "Conférence-débat sur les violences faites aux femmes à Kayes",
            "Conférence-débat avec la direction régionale de la promotion de la femme de Kayes.",
            ["mpfef"],
        ),
        (
            "awareness-session",
            "2014-12-04",
            "ML03",
            MIX_NEIGHBOURHOOD,
            320,
            "Séance de sensibilisation sur les VBG à Sikasso",
            "Sensibilisation dans les quartiers et les marchés de Sikasso.",
            ["apdf"],
        ),
        (
            "awareness-session",
            "2014-12-04",
            "ML02",
            MIX_FDS,
            260,
            "Sensibilisation des forces de défense et de sécurité sur les VBG à Koulikoro",
            "Séance avec des militaires, policiers et gendarmes de Koulikoro sur la prévention "
            "des VBG et l'accueil des survivantes.",
            ["fama", "gendarmerie-nationale"],
        ),
        (
            "awareness-session",
            "2014-12-05",
            "ML07",
            MIX_LEADERS,
            280,
            "Sensibilisation des leaders communautaires et religieux de Gao sur les VBG",
            "Échanges avec les chefs de quartier, imams et notables de Gao sur leur rôle dans "
            "la prévention des VBG.",
            ["cafo"],
        ),
        (
            "awareness-session",
            "2014-12-06",
            "ML09",
            MIX_NEIGHBOURHOOD,
            450,
            "Sensibilisation sur les VBG au Grand marché et au marché de Médine (Bamako)",
            "Sensibilisation des commerçantes, commerçants et usagers des marchés de Bamako.",
            ["cafo", "wildaf-mali"],
        ),
        (
            "conference",
            "2014-12-08",
            "ML06",
            MIX_WOMEN,
            230,
            "Conférence des femmes leaders de Tombouctou sur les VBG en période de crise",
            "Conférence avec les femmes leaders et les associations féminines de Tombouctou.",
            ["cafo", "onu-femmes"],
        ),
        (
            "awareness-session",
            "2014-12-09",
            "ML05",
            MIX_LEADERS,
            310,
            "Sensibilisation des leaders communautaires et religieux de Mopti sur les VBG",
            "Séance avec les leaders communautaires et religieux de Mopti et de Sévaré.",
            ["apdf"],
        ),
        (
            "conference",
            "2014-12-10",
            "ML09",
            MIX_CONFERENCE,
            650,
            "Conférence de clôture des 16 jours : Journée des droits de l'homme",
            "Clôture de la campagne le 10 décembre, Journée des droits de l'homme, avec le "
            "MPFEF, ONU Femmes et les organisations féminines.",
            ["mpfef", "onu-femmes", "cafo"],
        ),
    ]
    out = []
    for i, (kind, day, place, mix, total, title, description, partners) in enumerate(
        sessions, start=1
    ):
        out.append(
            record(
                f"2014-16-jours-{i:02d}",
                kind,
                day,
                place,
                title,
                f"{description} {SIXTEEN_DAYS_THEME}",
                themes=["gbv"],
                objectives=["m5"],
                campaign="16-jours-2014",
                partners=partners,
                participation=apportion(total, mix),
            )
        )
    out += [
        record(
            "2014-16-jours-kati",
            "awareness-session",
            "2014-12-09",
            "ML02",
            "Séance de sensibilisation sur les VBG à Kati",
            "Sensibilisation dans les quartiers de Kati. Brouillon : la liste des participants "
            "est en attente de vérification.",
            themes=["gbv"],
            objectives=["m5"],
            campaign="16-jours-2014",
            partners=["cafo"],
            status="draft",
            participation=apportion(180, MIX_NEIGHBOURHOOD),
        ),
        record(
            "2014-16-jours-radio",
            "radio-programme",
            "2014-11-25",
            "ML09",
            "Série d'émissions radio sur les violences faites aux femmes (16 jours)",
            "Émissions et messages en bambara, songhaï, peul et français diffusés pendant les "
            "16 jours. Auditoire estimé, non additionné aux participants.",
            end="2014-12-10",
            themes=["gbv"],
            objectives=["m5"],
            campaign="16-jours-2014",
            partners=["studio-tamani", "radio-kledu"],
            media=[
                radio(
                    "Studio Tamani",
                    250000,
                    "Estimation de la Fondation Hirondelle (réseau de radios partenaires).",
                ),
                radio("Radio Klédu", 80000, STATION_ESTIMATE),
            ],
        ),
        record(
            "2014-16-jours-plaidoyer",
            "advocacy",
            "2014-12-03",
            "ML09",
            "Plaidoyer auprès des députées pour une loi contre les violences basées sur le genre",
            "Rencontre avec le réseau des femmes parlementaires de l'Assemblée nationale et le "
            "MPFEF sur l'avant-projet de loi relatif aux VBG.",
            themes=["gbv", "political-participation"],
            objectives=["m3"],
            campaign="16-jours-2014",
            partners=["mpfef", "wildaf-mali"],
            participation=cells(
                [("authorities", "f", "18-plus", 12), ("authorities", "m", "18-plus", 13)]
            ),
        ),
    ]
    return out


# --- 520 women and girls: UNSCR 1325 open days ----------------------------------------

MIX_SURVEY: Weights = [
    ("general-public", "f", "18-plus", 40),
    ("general-public", "m", "18-plus", 34),
    ("general-public", "f", "under-18", 14),
    ("general-public", "m", "under-18", 12),
]

OPEN_DAY_TEXT = (
    "Présentation de la Résolution 1325 (2000) et des résolutions suivantes sur les femmes, "
    "la paix et la sécurité, du plan d'action national du Mali, et échanges avec les "
    "femmes sur leur place dans le processus de paix."
)


def _open_day_cells(
    leaders: int, cso: int, women: int, girls: int, men: list[tuple[str, int]]
) -> list[dict[str, Any]]:
    return cells(
        [
            ("women-leaders", "f", "18-plus", leaders),
            ("cso-members", "f", "18-plus", cso),
            ("general-public", "f", "18-plus", women),
            ("general-public", "f", "under-18", girls),
        ]
        + [(audience, "m", "18-plus", n) for audience, n in men]
    )


def open_days_1325() -> list[Record]:
    common: dict[str, Any] = {
        "themes": ["wps-1325"],
        "objectives": ["m2"],
        "campaign": "jpo-1325-2014",
    }
    regions = [
        # key, P-code, town, date, open-day cells, survey respondents, radio outlet, audience
        (
            "gao",
            "ML07",
            "Gao",
            "2014-10-28",
            _open_day_cells(30, 35, 20, 25, [("community-leaders", 25), ("general-public", 35)]),
            90,
            "Radio Naata",
            40000,
        ),
        (
            "bko",
            "ML09",
            "Bamako",
            "2014-10-31",
            _open_day_cells(25, 35, 60, 40, [("general-public", 55), ("authorities", 15)]),
            150,
            "ORTM — Chaîne nationale",
            500000,
        ),
        (
            "tbu",
            "ML06",
            "Tombouctou",
            "2014-11-04",
            _open_day_cells(25, 30, 20, 20, [("community-leaders", 20), ("general-public", 35)]),
            80,
            "Radio Bouctou",
            30000,
        ),
        (
            "mpt",
            "ML05",
            "Mopti",
            "2014-11-06",
            _open_day_cells(20, 25, 23, 17, [("community-leaders", 15), ("general-public", 30)]),
            80,
            "Radio Kaoural",
            35000,
        ),
    ]
    out = [
        record(
            "2014-jpo-1325-bko-conference",
            "conference",
            "2014-10-30",
            "ML09",
            "Conférence sur la Résolution 1325 et la participation des femmes au processus de paix",
            f"Conférence au Centre international de conférences de Bamako. {OPEN_DAY_TEXT}",
            partners=["mpfef", "onu-femmes", "repsfeco-mali"],
            participation=_open_day_cells(30, 40, 0, 0, [("authorities", 10), ("cso-members", 15)]),
            **common,
        )
    ]
    for key, pcode, town, day, open_day, respondents, outlet, listeners in regions:
        out += [
            record(
                f"2014-jpo-1325-{key}",
                "open-day",
                day,
                pcode,
                f"Journée portes ouvertes sur la Résolution 1325 à {town}",
                f"Journée portes ouvertes avec les femmes de {town}. {OPEN_DAY_TEXT}",
                partners=["mpfef", "cafo"],
                participation=open_day,
                **common,
            ),
            record(
                f"2014-jpo-1325-{key}-sondage",
                "survey",
                day,
                pcode,
                f"Sondage sur la connaissance de la Résolution 1325 à {town}",
                f"Questionnaire administré aux visiteurs de la journée portes ouvertes de {town} : "
                "connaissance de la Résolution 1325 et de la place des femmes dans le processus "
                "de paix.",
                participation=apportion(respondents, MIX_SURVEY),
                **common,
            ),
            record(
                f"2014-jpo-1325-{key}-radio",
                "radio-programme",
                day,
                pcode,
                f"Émission radio sur la Résolution 1325 ({outlet})",
                f"Émission interactive en direct sur {outlet} avec des femmes leaders de {town}. "
                "Auditoire estimé, non additionné aux participants.",
                media=[radio(outlet, listeners, STATION_ESTIMATE)],
                **common,
            ),
        ]
    return out


# --- 1 113 newly recruited Mission personnel: induction trainings ----------------------

# (date, P-code, newcomers); the last session is submitted, not yet validated.
INDUCTIONS: list[tuple[str, str, int]] = [
    ("2014-01-14", "ML09", 48),
    ("2014-01-28", "ML09", 52),
    ("2014-02-11", "ML07", 61),
    ("2014-02-25", "ML09", 45),
    ("2014-03-11", "ML09", 50),
    ("2014-03-25", "ML06", 57),
    ("2014-04-08", "ML09", 49),
    ("2014-04-22", "ML07", 66),
    ("2014-05-13", "ML09", 44),
    ("2014-05-27", "ML05", 38),
    ("2014-06-10", "ML09", 53),
    ("2014-06-24", "ML08", 42),
    ("2014-07-08", "ML09", 47),
    ("2014-07-22", "ML07", 58),
    ("2014-08-12", "ML09", 51),
    ("2014-08-26", "ML06", 55),
    ("2014-09-09", "ML09", 46),
    ("2014-09-23", "ML07", 63),
    ("2014-10-14", "ML09", 52),
    ("2014-10-28", "ML05", 41),
    ("2014-11-11", "ML09", 49),
    ("2014-11-25", "ML07", 46),
    ("2014-12-09", "ML09", 38),
]
TOWNS = {
    "ML05": "Mopti",
    "ML06": "Tombouctou",
    "ML07": "Gao",
    "ML08": "Kidal",
    "ML09": "Bamako",
}
# Who comes to an induction: at headquarters mostly civilians and police, in the
# sectors mostly contingents (a pattern over ten newcomers).
_HQ = ["mission-civilian"] * 4 + ["mission-police"] * 3 + ["mission-military"] * 3
_SECTOR = ["mission-military"] * 6 + ["mission-police"] * 2 + ["mission-civilian"] * 2
# Women among newcomers: one in three civilians, one in seven police, one in sixteen military.
_WOMEN_EVERY = {"mission-civilian": 3, "mission-police": 7, "mission-military": 16}
# Attendees who did not sign the list (counted as contacts only), per session number.
UNSIGNED = {5: 3, 15: 5}
REPEATS_PER_SECTOR_SESSION = 4


def newcomer(n: int, position: int, place: str) -> Person:
    audience = (_HQ if place == "ML09" else _SECTOR)[position % 10]
    sex = "f" if n % _WOMEN_EVERY[audience] == 0 else "m"
    age = "age-unknown" if n % 53 == 0 else "18-plus"
    return Person(f"MINUSMA-IND14-{n:04d}", sex, audience, age)


def inductions() -> list[Record]:
    out = []
    next_number = 1
    last_hq: list[Person] = []
    for i, (day, place, size) in enumerate(INDUCTIONS, start=1):
        people = [newcomer(next_number + j, j, place) for j in range(size)]
        next_number += size
        # Some personnel trained at headquarters attend their sector's session again.
        repeats = last_hq[:REPEATS_PER_SECTOR_SESSION] if place != "ML09" else []
        unsigned = UNSIGNED.get(i, 0)
        submitted = i == len(INDUCTIONS)
        out.append(
            record(
                f"2014-induction-{i:02d}",
                "training",
                day,
                place,
                f"Formation d'induction « Genre et maintien de la paix » — {TOWNS[place]}",
                "Module genre de la formation d'induction des nouveaux arrivants (personnel "
                "civil, militaire et de police) : résolutions 1325 et 2100, code de conduite, "
                "exploitation et abus sexuels, violences sexuelles liées aux conflits. "
                "Liste de présence par numéro de personnel."
                + (" Soumise, en attente de validation." if submitted else ""),
                themes=["gender-mainstreaming", "wps-1325"],
                objectives=["m5"],
                status="submitted" if submitted else "validated",
                participation=participation_of(
                    people + repeats,
                    extra=[("mission-military", "u", "age-unknown", unsigned)],
                ),
                attendance=[p.attendance() for p in people + repeats],
            )
        )
        if place == "ML09":
            last_hq = people
    return out


# --- the access-to-justice programme -------------------------------------------------


def justice_programme() -> list[Record]:
    common: dict[str, Any] = {
        "themes": ["gbv"],
        "objectives": ["m4", "m5"],
        "project": JUSTICE_PROJECT,
    }
    meeting_partners = ["onu-femmes", "pnud", "ministere-justice", "mpfef"]

    def meeting(
        n: int, day: str, subject: str, women: int, men: int, status: str = "validated"
    ) -> Record:
        return record(
            f"2014-justice-coordination-{n:02d}",
            "coordination-meeting",
            day,
            "ML09",
            f"Réunion de coordination du programme d'accès à la justice : {subject}",
            "Réunion de coordination pour la conception et la mise en place du programme "
            f"d'amélioration de l'accès des survivantes de VSBG à la justice ({subject}).",
            partners=meeting_partners,
            status=status,
            participation=cells(
                [
                    ("authorities", "f", "18-plus", women // 2),
                    ("authorities", "m", "18-plus", men // 2),
                    ("justice-actors", "f", "18-plus", women - women // 2),
                    ("justice-actors", "m", "18-plus", men - men // 2),
                ]
            ),
            **common,
        )

    def workshop(
        key: str, start: str, end: str, place: str, title: str, text: str, mix: Weights, total: int
    ) -> Record:
        return record(
            f"2014-justice-{key}",
            "workshop",
            start,
            place,
            title,
            text,
            end=end,
            partners=["ministere-justice", "ajm", "police-nationale", "gendarmerie-nationale"],
            participation=apportion(total, mix),
            **common,
        )

    justice_mix: Weights = [
        ("justice-actors", "m", "18-plus", 45),
        ("justice-actors", "f", "18-plus", 15),
        ("defence-security-forces", "m", "18-plus", 20),
        ("defence-security-forces", "f", "18-plus", 5),
        ("cso-members", "f", "18-plus", 15),
    ]
    return [
        meeting(1, "2014-04-15", "lancement de la conception", 8, 10),
        meeting(2, "2014-05-20", "analyse de la chaîne pénale", 9, 13),
        workshop(
            "atelier-bamako",
            "2014-06-17",
            "2014-06-18",
            "ML09",
            "Atelier d'analyse de la prise en charge judiciaire des VSBG",
            "Atelier de deux jours avec magistrats, officiers de police judiciaire, "
            "gendarmes et juristes des organisations féminines : obstacles à l'accès des "
            "survivantes à la justice.",
            justice_mix,
            45,
        ),
        meeting(3, "2014-07-23", "cadre de résultats et budget", 8, 12),
        workshop(
            "atelier-mopti",
            "2014-09-10",
            "2014-09-11",
            "ML05",
            "Atelier avec les acteurs de la justice et de la sécurité de Mopti sur les VSBG",
            "Atelier régional : accueil des survivantes, procédure pénale et orientation "
            "vers les services, avec le tribunal de grande instance et les unités de Mopti.",
            justice_mix,
            38,
        ),
        workshop(
            "atelier-gao",
            "2014-09-24",
            "2014-09-25",
            "ML07",
            "Atelier avec les acteurs de la justice et de la sécurité de Gao sur les VSBG",
            "Atelier régional à Gao sur le retour de la justice et la prise en charge des "
            "survivantes de violences sexuelles liées au conflit.",
            justice_mix,
            35,
        ),
        workshop(
            "atelier-validation",
            "2014-10-21",
            "2014-10-21",
            "ML09",
            "Atelier de validation du document de programme d'accès à la justice",
            "Validation du document de programme par le ministère de la Justice, le MPFEF, "
            "les partenaires des Nations Unies et les organisations féminines.",
            justice_mix,
            52,
        ),
        meeting(4, "2014-11-18", "plan de mise en œuvre 2015", 7, 9, status="draft"),
    ]


# --- women leaders and the Algiers inclusive peace talks ------------------------------


def peace_talks() -> list[Record]:
    common: dict[str, Any] = {
        "themes": ["peace-reconciliation", "political-participation"],
        "objectives": ["m1", "m2"],
    }

    def delegation(n: int, start: str, end: str, phase: str, women: int) -> Record:
        return record(
            f"2014-alger-accompagnement-{n}",
            "accompaniment",
            start,
            "ML09",
            f"Accompagnement de femmes leaders à la {phase} des pourparlers inclusifs d'Alger",
            f"Préparation à Bamako et accompagnement à Alger (Algérie) de femmes leaders des "
            f"organisations féminines pendant la {phase} des pourparlers inclusifs inter-maliens : "
            "notes de position, rencontres avec la médiation et les délégations.",
            end=end,
            partners=["onu-femmes", "cafo", "repsfeco-mali"],
            participation=cells([("women-leaders", "f", "18-plus", women)]),
            **common,
        )

    return [
        record(
            "2014-alger-plaidoyer-gouvernement",
            "advocacy",
            "2014-06-26",
            "ML09",
            "Plaidoyer auprès du gouvernement pour l'inclusion des femmes aux pourparlers d'Alger",
            "Rencontre avec le ministère de la Réconciliation nationale et le MPFEF pour une "
            "meilleure représentation des femmes des organisations de la société civile dans "
            "les délégations aux pourparlers inclusifs d'Alger.",
            partners=["mpfef", "onu-femmes", "cafo"],
            participation=cells(
                [
                    ("authorities", "f", "18-plus", 4),
                    ("authorities", "m", "18-plus", 6),
                    ("women-leaders", "f", "18-plus", 8),
                ]
            ),
            **common,
        ),
        record(
            "2014-alger-atelier-preparation",
            "workshop",
            "2014-07-10",
            "ML09",
            "Atelier de préparation des femmes leaders aux pourparlers inclusifs d'Alger",
            "Atelier d'élaboration d'une plateforme commune des organisations féminines : "
            "priorités des femmes pour l'accord de paix, techniques de négociation.",
            end="2014-07-11",
            partners=["onu-femmes", "cafo", "wildaf-mali", "repsfeco-mali"],
            participation=cells(
                [("women-leaders", "f", "18-plus", 28), ("cso-members", "f", "18-plus", 17)]
            ),
            **common,
        ),
        delegation(1, "2014-07-16", "2014-07-24", "première phase", 6),
        delegation(2, "2014-09-01", "2014-09-05", "deuxième phase", 8),
        delegation(3, "2014-10-20", "2014-10-24", "troisième phase", 7),
        delegation(4, "2014-11-20", "2014-11-27", "quatrième phase", 9),
        record(
            "2014-alger-plaidoyer-mediation",
            "advocacy",
            "2014-10-22",
            "ML09",
            "Plaidoyer auprès de l'équipe de médiation pour la prise en compte du genre",
            "Transmission à l'équipe de médiation internationale des recommandations des "
            "organisations féminines sur le projet d'accord.",
            partners=["onu-femmes"],
            participation=cells(
                [("women-leaders", "f", "18-plus", 5), ("authorities", "m", "18-plus", 4)]
            ),
            **common,
        ),
        record(
            "2014-alger-restitution",
            "workshop",
            "2014-12-16",
            "ML09",
            "Atelier de restitution des pourparlers d'Alger aux organisations féminines",
            "Restitution par les femmes leaders accompagnées et échanges sur la suite du "
            "processus de paix et de réconciliation.",
            partners=["cafo", "onu-femmes", "repsfeco-mali"],
            participation=cells(
                [
                    ("women-leaders", "f", "18-plus", 22),
                    ("cso-members", "f", "18-plus", 31),
                    ("cso-members", "m", "18-plus", 7),
                ]
            ),
            **common,
        ),
    ]


# --- the defence and security forces -------------------------------------------------


def fds_trainings() -> list[Record]:
    common: dict[str, Any] = {"themes": ["ssr-ddr", "gender-mainstreaming"], "objectives": ["m4"]}

    def training(
        key: str,
        start: str,
        end: str,
        place: str,
        title: str,
        text: str,
        partners: list[str],
        men: int,
        women: int,
    ) -> Record:
        return record(
            f"2014-fds-{key}",
            "training",
            start,
            place,
            title,
            text,
            end=end,
            partners=partners,
            participation=cells(
                [
                    ("defence-security-forces", "m", "18-plus", men),
                    ("defence-security-forces", "f", "18-plus", women),
                ]
            ),
            **common,
        )

    return [
        training(
            "fama-koulikoro",
            "2014-02-18",
            "2014-02-20",
            "ML02",
            "Formation en genre et maintien de la paix des officiers des FAMa",
            "Formation de trois jours à Koulikoro : genre, droit international humanitaire, "
            "protection des civiles et violences sexuelles liées aux conflits.",
            ["fama", "ministere-defense"],
            36,
            4,
        ),
        training(
            "police-bamako",
            "2014-05-06",
            "2014-05-08",
            "ML09",
            "Formation en genre de la Police nationale",
            "Formation à l'École nationale de police : accueil des survivantes de VBG, "
            "enquête et orientation.",
            ["police-nationale"],
            27,
            8,
        ),
        training(
            "gendarmerie-bamako",
            "2014-08-19",
            "2014-08-21",
            "ML09",
            "Formation en genre de la Gendarmerie nationale",
            "Formation des brigades de gendarmerie sur le genre, les VBG et les droits humains.",
            ["gendarmerie-nationale"],
            28,
            4,
        ),
        training(
            "fds-gao",
            "2014-10-07",
            "2014-10-09",
            "ML07",
            "Formation en genre et maintien de la paix des FDS de Gao",
            "Formation conjointe de militaires, policiers, gendarmes et gardes de Gao.",
            ["fama", "police-nationale", "gendarmerie-nationale"],
            27,
            3,
        ),
        training(
            "fds-mopti",
            "2014-11-12",
            "2014-11-14",
            "ML05",
            "Formation en genre et maintien de la paix des FDS de Mopti",
            "Formation conjointe des FDS de Mopti et de Sévaré.",
            ["fama", "police-nationale", "gendarmerie-nationale"],
            24,
            4,
        ),
        record(
            "2014-fds-appui-rss",
            "technical-support",
            "2014-09-16",
            "ML09",
            "Appui technique à l'intégration du genre dans la réforme du secteur de la sécurité",
            "Appui au ministère de la Défense et des Anciens Combattants pour intégrer la "
            "dimension genre dans le programme de réforme des forces de défense et de sécurité.",
            partners=["ministere-defense"],
            participation=cells(
                [("authorities", "m", "18-plus", 9), ("authorities", "f", "18-plus", 3)]
            ),
            **common,
        ),
    ]


# --- 8 March -------------------------------------------------------------------------


def eight_march() -> list[Record]:
    common: dict[str, Any] = {
        "themes": ["political-participation", "empowerment"],
        "objectives": ["m3"],
        "campaign": "journee-femmes-2014",
    }
    return [
        record(
            "2014-8-mars-bko",
            "conference",
            "2014-03-07",
            "ML09",
            "Conférence-débat : participation politique des femmes et réconciliation",
            "Conférence-débat à l'occasion du 8 mars avec la CAFO et le MPFEF sur la place des "
            "femmes dans les instances de décision et le processus de réconciliation.",
            partners=["cafo", "mpfef"],
            participation=cells(
                [
                    ("women-leaders", "f", "18-plus", 50),
                    ("cso-members", "f", "18-plus", 60),
                    ("cso-members", "m", "18-plus", 10),
                    ("authorities", "f", "18-plus", 8),
                    ("authorities", "m", "18-plus", 12),
                ]
            ),
            **common,
        ),
        record(
            "2014-8-mars-gao",
            "awareness-session",
            "2014-03-08",
            "ML07",
            "Sensibilisation sur le rôle des femmes dans la réconciliation à Gao",
            "Séance de sensibilisation organisée avec les associations féminines de Gao pour le "
            "8 mars.",
            partners=["cafo"],
            participation=apportion(120, MIX_WOMEN),
            **common,
        ),
    ]


# --- everything ----------------------------------------------------------------------

GROUPS = {
    "students": students,
    "sixteen_days": sixteen_days,
    "open_days_1325": open_days_1325,
    "inductions": inductions,
    "justice_programme": justice_programme,
    "peace_talks": peace_talks,
    "fds_trainings": fds_trainings,
    "eight_march": eight_march,
}


def records() -> list[Record]:
    """Every 2014 demo record, in a stable order."""
    return [rec for build in GROUPS.values() for rec in build()]
