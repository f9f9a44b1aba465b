"""The trainings of the 2014 demo: the induction course "Genre et maintien de la paix"
(its 23 sessions are the demo's induction activities: 1 113 newcomers, unchanged) and the
FDS course (the FAMa officers' training at Koulikoro). Their scores are ILLUSTRATIVE: the
seed records attendance only, so pre/post scores, completion and reaction are made up
(deterministically, from each attendee's key) to show the pages and figures. The courses
say so in their version."""

import hashlib
from decimal import Decimal
from typing import Any

from musow.activities.models import Activity, Attendance
from musow.trainings.inputs import TraineeInput
from musow.trainings.models import Course
from musow.trainings.services import course_save, question_save, session_link, trainees_save

ILLUSTRATIVE = "2014 — scores illustratifs (démo) / illustrative scores (demo)"
COMMENT = "Démo 2014 : scores illustratifs — 2014 demo: illustrative scores"
INDUCTION = "genre-maintien-paix-induction"
FDS = "genre-rss-fds"
# Troop- and police-contributing countries of 2014 (ISO 3166 alpha-2), for the uniformed.
TROOPS = ["BD", "TD", "SN", "NE", "TG", "BF", "NG", "GN", "BJ", "CN", "NL"]
POLICE = ["SN", "NE", "BF", "TG", "BJ", "NG", "TD", "CI"]
COMPONENT = {
    "mission-civilian": "civilian",
    "mission-military": "military",
    "mission-police": "police",
}
QUESTIONS = [
    (
        "r1325",
        "Quelle résolution du Conseil de sécurité a fondé l'agenda Femmes, paix et sécurité ?",
        "Which Security Council resolution founded the Women, Peace and Security agenda?",
        [
            ("a", "1325 (2000)", "1325 (2000)"),
            ("b", "2100 (2013)", "2100 (2013)"),
            ("c", "1888 (2009)", "1888 (2009)"),
        ],
        "a",
    ),
    (
        "ead",
        "L'exploitation et les abus sexuels par le personnel de la Mission sont :",
        "Sexual exploitation and abuse by Mission personnel are:",
        [
            ("a", "tolérés hors service", "tolerated off duty"),
            ("b", "interdits en toutes circonstances", "prohibited in all circumstances"),
            ("c", "une affaire privée", "a private matter"),
        ],
        "b",
    ),
    (
        "vslc",
        "À qui signaler un cas de violence sexuelle liée au conflit ?",
        "To whom is a case of conflict-related sexual violence reported?",
        [
            ("a", "À personne", "To no one"),
            (
                "b",
                "À la hiérarchie et à l'Unité Genre / protection",
                "To the chain of command and the Gender Unit / protection",
            ),
            ("c", "Aux médias", "To the media"),
        ],
        "b",
    ),
    (
        "genre",
        "Le « genre » désigne :",
        "“Gender” refers to:",
        [
            ("a", "le sexe biologique", "biological sex"),
            (
                "b",
                "les rôles et rapports sociaux entre femmes et hommes",
                "the social roles and relations of women and men",
            ),
            ("c", "les femmes seulement", "women only"),
        ],
        "b",
    ),
]


def _unit(key: str, salt: str) -> int:
    """A stable number 0–9999 from an attendee's key (the same on every run)."""
    return int(hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()[:8], 16) % 10_000


def demo_courses(user: Any = None) -> tuple[Course, Course]:
    """The demo's two courses (the induction one with its question bank); again: unchanged."""
    induction = course_save(
        code=INDUCTION,
        title_fr="Genre et maintien de la paix (module d'induction)",
        title_en="Gender and peacekeeping (induction module)",
        audience_fr="Nouveaux personnels de la Mission : civils, militaires, police",
        audience_en="Newly arrived Mission personnel: civilian, military, police",
        duration_hours=Decimal(3),
        version=ILLUSTRATIVE,
        pass_mark=70,
        user=user,
    )
    for order, (code, fr, en, choices, answer) in enumerate(QUESTIONS, start=1):
        question_save(
            course=induction,
            code=code,
            order=order,
            text_fr=fr,
            text_en=en,
            choices=[{"code": c, "fr": f, "en": e} for c, f, e in choices],
            answer=answer,
            user=user,
        )
    fds = course_save(
        code=FDS,
        title_fr="Genre et réforme du secteur de la sécurité (FDS)",
        title_en="Gender in security sector reform (national forces)",
        audience_fr="Officiers et sous-officiers des forces de défense et de sécurité maliennes",
        audience_en="Officers and NCOs of the Malian defence and security forces",
        duration_hours=Decimal(24),
        version=ILLUSTRATIVE,
        pass_mark=60,
        user=user,
    )
    return induction, fds


def _induction_trainee(key: str, audience: str) -> TraineeInput:
    n = _unit(key, "induction")
    component = COMPONENT.get(audience, "other")
    category = {"civilian": "staff", "police": "ipo" if n % 3 else "fpu"}.get(
        component, "staff-officer" if n % 9 == 0 else "contingent"
    )
    country = ""
    if component == "military":
        country = TROOPS[n % len(TROOPS)]
    elif component == "police":
        country = POLICE[n % len(POLICE)]
    pre = 30 + n % 35
    post = min(100, pre + 12 + (n // 35) % 30)
    return TraineeInput(
        key=key,
        component=component,
        category=category,
        country=country,
        completed=n % 40 != 0,
        reaction=3 + n % 3,
        pre=None if n % 23 == 0 else pre,  # a few missed the pre-test: no data
        post=None if n % 40 == 0 else post,
    )


def _fds_trainee(key: str) -> TraineeInput:
    n = _unit(key, "fds")
    pre = 25 + n % 30
    return TraineeInput(
        key=key,
        component="fds",
        category="national",
        country="ML",
        rank_band=["senior-officer", "officer", "officer", "nco"][n % 4],
        completed=True,
        reaction=3 + n % 3,
        pre=pre,
        post=min(100, pre + 15 + (n // 30) % 25),
        follow_ups={3: ["yes", "partly", "partly", "no"][n % 4]},
    )


def trainings_demo_load(*, source: str, user: Any = None) -> dict[str, int]:
    """Link the demo's training activities to their courses and record their trainees;
    again, nothing changes. Returns created / updated / unchanged trainees."""
    induction, fds = demo_courses(user)
    tally = {"created": 0, "updated": 0, "unchanged": 0}
    sessions = Activity.objects.filter(source=source, source_key__startswith="2014-induction-")
    plan = [(a, induction) for a in sessions.order_by("start_date")]
    plan += [(a, fds) for a in Activity.objects.filter(source=source, source_key=FDS_KEY)]
    for activity, course in plan:
        session = session_link(activity=activity, course=course, user=user)
        listed = Attendance.objects.filter(activity=activity).values_list(
            "attendee__key", "audience__code"
        )
        trainees = [
            _induction_trainee(key, audience) if course == induction else _fds_trainee(key)
            for key, audience in listed.order_by("attendee__key")
        ]
        outcome = trainees_save(session=session, trainees=trainees, user=user, comment=COMMENT)
        for name in tally:
            tally[name] += getattr(outcome, name)
    return tally


FDS_KEY = "2014-fds-fama-koulikoro"
