"""A synthetic activity register, reproducible by seed, written as streaming TSV files.

The files use PostgreSQL's COPY text format (tab-separated, `\\N` for NULL) and
carry explicit ids, so that the same files load into SQLite and PostgreSQL and
give the same figures. Nothing is held in memory but the current activity and
the attendee pool's size: 10 000 000 participation rows stream to disk.

The generator needs the ids of the reference rows (types, themes, audiences,
places, campaigns…) of the database it is written for: `Catalog`, made by
`bench.worker setup` after `reference_load()`.
"""

import hashlib
import json
import random
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

YEARS = list(range(2015, 2025))
# Volume grows over the decade (2024 has ~2.4x the activities of 2015), so two
# years of different size show whether memory grows with rows.
YEAR_WEIGHTS = [1 + 0.15 * i for i in range(len(YEARS))]

TABLES = {
    # file stem -> (table, columns in file order)
    "activity": (
        "activities_activity",
        [
            "id",
            "title",
            "description",
            "start_date",
            "end_date",
            "status",
            "source",
            "source_key",
            "source_hash",
            "created_at",
            "updated_at",
            "validated_at",
            "place_id",
            "activity_type_id",
            "campaign_id",
            "organiser_id",
            "project_id",
        ],
    ),
    "activity_themes": ("activities_activity_themes", ["id", "activity_id", "theme_id"]),
    "participation": (
        "activities_participation",
        ["id", "activity_id", "audience_id", "sex", "age_group_id", "count"],
    ),
    "attendee": ("activities_attendee", ["id", "key", "sex", "created_at"]),
    "attendance": (
        "activities_attendance",
        ["id", "activity_id", "attendee_id", "audience_id", "age_group_id"],
    ),
    "mediareach": (
        "activities_mediareach",
        ["id", "activity_id", "medium", "outlet", "estimated_audience", "method"],
    ),
}
# Load order (foreign keys point backwards).
LOAD_ORDER = [
    "activity",
    "activity_themes",
    "participation",
    "attendee",
    "attendance",
    "mediareach",
]

TYPE_WEIGHTS = {
    "awareness-session": 26,
    "conference": 10,
    "radio-programme": 8,
    "survey": 2,
    "open-day": 3,
    "training": 14,
    "advocacy": 6,
    "accompaniment": 5,
    "technical-support": 6,
    "coordination-meeting": 10,
    "workshop": 10,
}
AUDIENCES_BY_TYPE = {
    "training": [
        "mission-civilian",
        "mission-military",
        "mission-police",
        "defence-security-forces",
        "justice-actors",
        "authorities",
    ],
    "workshop": ["defence-security-forces", "women-leaders", "cso-members", "justice-actors"],
    "accompaniment": ["women-leaders", "cso-members"],
    "advocacy": ["women-leaders", "cso-members", "authorities", "community-leaders"],
    "coordination-meeting": ["cso-members", "authorities", "women-leaders", "mission-personnel"],
    "technical-support": ["authorities", "cso-members", "justice-actors"],
}
PUBLIC = ["students", "general-public", "women-leaders", "community-leaders", "cso-members"]
ADULT_ONLY = {
    "mission-personnel",
    "mission-civilian",
    "mission-military",
    "mission-police",
    "defence-security-forces",
    "authorities",
    "justice-actors",
    "media",
}
OUTLETS = ["Radio Mikado FM", "ORTM", "Radio Kledu", "Radio communautaire", "Studio Tamani"]


@dataclass
class Catalog:
    """Ids of the reference rows in the target databases (equal in both, checked)."""

    types: dict[str, int]
    themes: dict[str, int]
    audiences: dict[str, int]
    age_groups: dict[str, int]
    places: list[int]  # regions and bench cercles where activities happen
    campaigns: list[tuple[str, int, str, str]]  # (series code, id, start, end)
    projects: list[int]
    organisations: list[int]

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Catalog":
        data = json.loads(text)
        data["campaigns"] = [tuple(c) for c in data["campaigns"]]
        return cls(**data)


class _Writer:
    def __init__(self, directory: Path) -> None:
        self.files: dict[str, IO[str]] = {
            stem: open(directory / f"{stem}.tsv", "w", encoding="utf-8", buffering=1 << 20)
            for stem in TABLES
        }
        self.counts = dict.fromkeys(TABLES, 0)

    def row(self, stem: str, values: list[Any]) -> None:
        self.files[stem].write("\t".join("\\N" if v is None else str(v) for v in values) + "\n")
        self.counts[stem] += 1

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()


def generate(catalog: Catalog, n: int, seed: int, directory: Path) -> dict[str, int]:
    """Write n activities and everything that hangs on them; return rows per file."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    out = _Writer(directory)
    types = list(TYPE_WEIGHTS)
    type_weights = list(TYPE_WEIGHTS.values())
    themes = list(catalog.themes)
    age = catalog.age_groups
    adult, minor, age_unknown = age["18-plus"], age["under-18"], age["age-unknown"]
    campaigns: dict[tuple[str, int], tuple[int, date, date]] = {
        (series, int(start[:4])): (cid, date.fromisoformat(start), date.fromisoformat(end))
        for series, cid, start, end in catalog.campaigns
    }
    pool = max(1000, n // 4)  # attendees: people come back, so unique < contacts
    participation_id = attendance_id = theme_row_id = media_id = 0

    for activity_id in range(1, n + 1):
        year = rng.choices(YEARS, YEAR_WEIGHTS)[0]
        draw = rng.random()
        series = (
            "16-days"
            if draw < 0.12
            else "open-day-1325"
            if draw < 0.17
            else "8-march"
            if draw < 0.20
            else None
        )
        campaign_id = None
        if series:
            campaign_id, c_start, c_end = campaigns[(series, year)]
            start = c_start + timedelta(days=rng.randrange((c_end - c_start).days + 1))
            end = min(c_end, start + timedelta(days=rng.choice((0, 0, 0, 1, 2))))
            kind = {
                "16-days": ["awareness-session", "conference", "radio-programme", "advocacy"],
                "open-day-1325": ["open-day", "conference", "awareness-session"],
                "8-march": ["conference", "awareness-session", "advocacy", "workshop"],
            }[series][rng.randrange(3 if series == "open-day-1325" else 4)]
        else:
            start = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            end = start + timedelta(days=rng.choice((0, 0, 0, 0, 1, 2, 4)))
            kind = rng.choices(types, type_weights)[0]
        # Themes: the campaign's own, then one or two more.
        chosen = set()
        if series == "16-days":
            chosen.add("gbv")
        elif series == "open-day-1325":
            chosen.add("wps-1325")
        elif series == "8-march":
            chosen.add("empowerment")
        elif kind == "training" and rng.random() < 0.6:
            chosen.add("gender-mainstreaming")
        for _i in range(rng.choice((0, 1, 1, 2)) if chosen else rng.choice((1, 1, 2))):
            chosen.add(rng.choice(themes))
        draw = rng.random()
        status = "validated" if draw < 0.9 else "submitted" if draw < 0.96 else "draft"
        stamp = f"{start.isoformat()} 09:00:00"
        out.row(
            "activity",
            [
                activity_id,
                f"Activité {activity_id}",
                "",
                start.isoformat(),
                end.isoformat(),
                status,
                "bench",
                "",
                "",
                stamp,
                stamp,
                stamp if status == "validated" else None,
                rng.choice(catalog.places),
                catalog.types[kind],
                campaign_id,
                rng.choice(catalog.organisations) if rng.random() < 0.5 else None,
                rng.choice(catalog.projects) if rng.random() < 0.3 else None,
            ],
        )
        for theme in sorted(chosen):
            theme_row_id += 1
            out.row("activity_themes", [theme_row_id, activity_id, catalog.themes[theme]])

        # Participation: 1-4 audiences x sex x age group, ~10 cells per activity.
        candidates = AUDIENCES_BY_TYPE.get(kind, PUBLIC)
        audiences = rng.sample(candidates, min(len(candidates), rng.choice((1, 2, 3, 3, 4))))
        total = 0
        for audience in audiences:
            aid = catalog.audiences[audience]
            ages = (adult,) if audience in ADULT_ONLY else (adult, minor)
            cells = [(s, a) for a in ages for s in ("f", "m")]
            if rng.random() < 0.6:
                cells.append(("u", age_unknown))
            if audience in ADULT_ONLY:
                cells.append(("f", age_unknown))
            scale = 40 if kind in ("conference", "awareness-session", "open-day") else 15
            for sex, age_id in cells:
                count = rng.randint(0 if sex == "u" else 1, 4 if sex == "u" else scale)
                participation_id += 1
                total += count
                out.row("participation", [participation_id, activity_id, aid, sex, age_id, count])

        # Attendance lists on ~12% of activities (half of trainings).
        if rng.random() < (0.5 if kind == "training" else 0.07):
            size = min(total, rng.randint(5, 30))
            people: set[int] = set()
            while len(people) < size:
                people.add(1 + int(pool * rng.random() ** 2))  # a few people come often
            for person in sorted(people):
                attendance_id += 1
                audience = rng.choice(audiences)
                age_id = (
                    None
                    if rng.random() < 0.05
                    else adult
                    if audience in ADULT_ONLY or rng.random() < 0.7
                    else minor
                )
                out.row(
                    "attendance",
                    [attendance_id, activity_id, person, catalog.audiences[audience], age_id],
                )

        if kind == "radio-programme":
            for _i in range(rng.choice((1, 1, 2))):
                media_id += 1
                out.row(
                    "mediareach",
                    [
                        media_id,
                        activity_id,
                        "radio" if rng.random() < 0.9 else "online",
                        rng.choice(OUTLETS),
                        rng.randint(2000, 150000),
                        "",
                    ],
                )

    for person in range(1, pool + 1):
        key = hashlib.sha256(f"musow-bench:{seed}:{person}".encode()).hexdigest()
        sex = "f" if person % 10 < 5 else "m" if person % 10 < 9 else "u"
        out.row("attendee", [person, key, sex, "2015-01-01 00:00:00"])
    out.close()
    return out.counts
