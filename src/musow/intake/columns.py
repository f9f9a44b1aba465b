"""The import template's columns: HXL hashtag, French and English headers, type, choices.

A template has four sheets. "Activities" has one row per activity, with its
participation as columns by sex and age (``#reached+f+adults``) for its main
audience — what a field officer fills in without training. "Participation"
(long format: one row per audience × sex × age group) is for activities that
reached several audiences; "Media" for several media estimates; "Attendance"
for attendance lists. Every sheet names its activity by ``#activity+id``.

Columns are recognised by their HXL hashtag (attributes in any order), by
their French or English header (case, accents and spaces ignored), or by
their XLSForm field name (KoboToolbox / ODK exports).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from django.utils.translation import gettext_lazy as _

Kind = Literal["key", "text", "date", "integer", "choice", "choices", "place"]
SheetKind = Literal["activities", "participation", "media", "attendance"]


@dataclass(frozen=True)
class Column:
    key: str  # also the XLSForm field name
    hxl: str
    fr: str
    en: str
    kind: Kind = "text"
    # The vocabulary whose codes and names are accepted (see importer.Vocabulary).
    choices: str = ""
    required: bool = False
    help: str = ""

    def header(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Text compared without case, accents, apostrophe style or extra spaces."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = text.replace("’", "'").lower()
    return " ".join(text.replace("_", " ").split())


def hxl_key(tag: str) -> str:
    """`#reached +adults+F` → `#reached+adults+f` with attributes sorted."""
    parts = [p.strip().lower() for p in str(tag).strip().split("+")]
    head, attrs = parts[0].replace(" ", ""), sorted(a for a in parts[1:] if a)
    return "+".join([head, *attrs])


HXL_TAG = re.compile(r"^\s*#[A-Za-z][A-Za-z0-9_]*(\s*\+\s*[A-Za-z][A-Za-z0-9_]*)*\s*$")

ID = Column("activity_id", "#activity+id", "Identifiant", "ID", "key", required=True)

# Counts by sex × age group on the Activities sheet: (column key, sex, age group code).
COUNT_CELLS: list[tuple[str, str, str]] = [
    (f"{sex}_{age}", sex, code)
    for sex in ("f", "m", "u")
    for age, code in (
        ("children", "under-18"),
        ("adults", "18-plus"),
        ("age_unknown", "age-unknown"),
    )
]
_SEX_WORDS = {
    "f": (("Filles", "Girls"), ("Femmes", "Women"), ("Femmes et filles", "Women and girls")),
    "m": (("Garçons", "Boys"), ("Hommes", "Men"), ("Hommes et garçons", "Men and boys")),
    "u": (("Sexe non noté", "Sex not recorded"),) * 3,
}
_AGE_WORDS = (
    ("moins de 18 ans", "under 18"),
    ("18 ans et plus", "18 and over"),
    ("âge non noté", "age not recorded"),
)
_HXL_SEX = {"f": "f", "m": "m", "u": "sex_unknown"}
_HXL_AGE = ("children", "adults", "age_unknown")


def _count_column(index: int) -> Column:
    key, sex, _code = COUNT_CELLS[index]
    age = index % 3
    who_fr, who_en = _SEX_WORDS[sex][age]
    return Column(
        key,
        f"#reached+{_HXL_SEX[sex]}+{_HXL_AGE[age]}",
        f"{who_fr} ({_AGE_WORDS[age][0]})",
        f"{who_en} ({_AGE_WORDS[age][1]})",
        "integer",
    )


AUDIENCE = Column("audience", "#reached+audience", "Public", "Audience", "choice", "audience")
SEX = Column("sex", "#reached+sex", "Sexe", "Sex", "choice", "sex")
AGE = Column("age_group", "#reached+age", "Tranche d'âge", "Age group", "choice", "age_group")
MEDIUM = Column("medium", "#meta+medium", "Média", "Medium", "choice", "medium")
OUTLET = Column("outlet", "#org+outlet", "Organe de presse", "Outlet")
ESTIMATE = Column(
    "estimated_audience", "#reached+estimated", "Auditoire estimé", "Estimated audience", "integer"
)
METHOD = Column("method", "#meta+method", "Méthode d'estimation", "Estimation method")

ACTIVITY_COLUMNS: list[Column] = [
    ID,
    Column("source", "#meta+source", "Source", "Source"),
    Column(
        "activity_type",
        "#activity+type",
        "Type d'activité",
        "Activity type",
        "choice",
        "activity_type",
        required=True,
    ),
    Column("title", "#activity+name", "Titre", "Title", required=True),
    Column("description", "#activity+description", "Description", "Description"),
    Column("start_date", "#date+start", "Date de début", "Start date", "date", required=True),
    Column("end_date", "#date+end", "Date de fin", "End date", "date"),
    Column("region_code", "#adm1+code", "Région (P-code)", "Region (P-code)", "place"),
    Column("region", "#adm1+name", "Région", "Region", "place", "region"),
    Column("cercle_code", "#adm2+code", "Cercle (P-code)", "Cercle (P-code)", "place"),
    Column("cercle", "#adm2+name", "Cercle", "Cercle", "place"),
    Column("commune_code", "#adm3+code", "Commune (P-code)", "Commune (P-code)", "place"),
    Column("commune", "#adm3+name", "Commune", "Commune", "place"),
    Column("themes", "#sector+theme", "Thèmes", "Themes", "choices", "theme"),
    Column("campaign", "#activity+campaign", "Campagne", "Campaign", "choice", "campaign"),
    Column("project", "#activity+project", "Projet", "Project", "choice", "project"),
    Column("organiser", "#org+organiser", "Organisateur", "Organiser", "choice", "organisation"),
    Column("partners", "#org+partner", "Partenaires", "Partners", "choices", "organisation"),
    Column(
        "objectives",
        "#activity+mandate",
        "Lignes du mandat",
        "Mandate lines",
        "choices",
        "objective",
    ),
    Column("status", "#status", "Statut", "Status", "choice", "status"),
    Column("review_comment", "#status+comment", "Commentaire de retour", "Review comment"),
    AUDIENCE,
    *(_count_column(i) for i in range(len(COUNT_CELLS))),
    Column("total", "#reached+total", "Total des participants", "Total participants", "integer"),
    MEDIUM,
    OUTLET,
    ESTIMATE,
    METHOD,
]

PARTICIPATION_COLUMNS: list[Column] = [
    ID,
    Column(AUDIENCE.key, AUDIENCE.hxl, AUDIENCE.fr, AUDIENCE.en, "choice", "audience", True),
    Column(SEX.key, SEX.hxl, SEX.fr, SEX.en, "choice", "sex", True),
    Column(AGE.key, AGE.hxl, AGE.fr, AGE.en, "choice", "age_group", True),
    Column(
        "count", "#reached", "Nombre de participants", "Number of participants", "integer", "", True
    ),
]

MEDIA_COLUMNS: list[Column] = [
    ID,
    Column(MEDIUM.key, MEDIUM.hxl, MEDIUM.fr, MEDIUM.en, "choice", "medium", True),
    OUTLET,
    Column(ESTIMATE.key, ESTIMATE.hxl, ESTIMATE.fr, ESTIMATE.en, "integer", "", True),
    METHOD,
]

ATTENDANCE_COLUMNS: list[Column] = [
    ID,
    Column("participant_code", "#beneficiary+code", "Code du participant", "Participant code"),
    Column("name", "#beneficiary+name", "Nom et prénom", "Full name"),
    Column("phone", "#contact+phone", "Téléphone", "Phone"),
    Column(
        "birth_year", "#beneficiary+birth_year", "Année de naissance", "Year of birth", "integer"
    ),
    SEX,
    AUDIENCE,
    AGE,
    Column("key", "#beneficiary+key", "Clé pseudonyme", "Pseudonymous key"),
]

SHEETS: dict[SheetKind, list[Column]] = {
    "activities": ACTIVITY_COLUMNS,
    "participation": PARTICIPATION_COLUMNS,
    "media": MEDIA_COLUMNS,
    "attendance": ATTENDANCE_COLUMNS,
}
SHEET_TITLES: dict[SheetKind, tuple[str, str]] = {
    "activities": ("Activités", "Activities"),
    "participation": ("Participation", "Participation"),
    "media": ("Médias", "Media"),
    "attendance": ("Présence", "Attendance"),
}
SHEET_NAMES = {
    "activities": _("Activities"),
    "participation": _("Participation"),
    "media": _("Media"),
    "attendance": _("Attendance"),
}

# Submission identifiers in KoboToolbox and ODK Central exports.
SUBMISSION_ID_HEADERS = {
    "meta/rootuuid",
    "_uuid",
    "meta/instanceid",
    "meta-instanceid",
    "instanceid",
    "key",
}
FORM_VERSION_HEADERS = {"__version__", "_version_", "meta/version", "version", "formversion"}
# Metadata that KoboToolbox and ODK Central add to every submission; not data.
SUBMISSION_METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "submissiondate",
    "submitterid",
    "submittername",
    "attachmentspresent",
    "attachmentsexpected",
    "reviewstate",
    "edits",
    "instancename",
    "meta/instancename",
}


def is_submission_id(header: str) -> bool:
    return str(header or "").strip().lower() in SUBMISSION_ID_HEADERS


def is_form_version(header: str) -> bool:
    return str(header or "").strip().lower() in FORM_VERSION_HEADERS


def sheet_kind(title: str) -> SheetKind | None:
    """The kind of a sheet from its title, in French or English."""
    folded = fold(re.sub(r"\.(csv|txt)$", "", title, flags=re.IGNORECASE))
    for kind, (fr, en) in SHEET_TITLES.items():
        if folded in (fold(fr), fold(en), kind):
            return kind
    if folded == "attendees":  # the XLSForm's attendance list, as KoboToolbox exports it
        return "attendance"
    return None


def _aliases(column: Column) -> set[str]:
    return {fold(column.fr), fold(column.en), fold(column.key)}


def match_header(kind: SheetKind, header: str, tag: str = "") -> Column | None:
    """The column of sheet `kind` that a header (or its HXL hashtag) names."""
    columns = SHEETS[kind]
    if tag and HXL_TAG.match(tag):
        wanted = hxl_key(tag)
        for column in columns:
            if hxl_key(column.hxl) == wanted:
                return column
    text = str(header or "").strip()
    if HXL_TAG.match(text):
        wanted = hxl_key(text)
        for column in columns:
            if hxl_key(column.hxl) == wanted:
                return column
    # "Titre *", "group_activity/title" (KoboToolbox), "group-title" (ODK Central)
    text = text.rstrip("* ").strip()
    folded = fold(text)
    last = fold(re.split(r"[/]", text)[-1])
    for column in columns:
        names = _aliases(column)
        if folded in names or last in names:
            return column
    return None


def guess_kind(headers: list[str], tags: list[str]) -> SheetKind | None:
    """The sheet kind whose columns the header names (for CSV files and unnamed sheets).

    The kind naming most columns wins; on a tie, the one whose required columns are
    all there (the submission UUID of a KoboToolbox/ODK export stands for the ID).
    """
    padded = tags + [""] * (len(headers) - len(tags))
    submission = any(is_submission_id(h) for h in headers)
    ranked: list[tuple[int, bool, bool, SheetKind]] = []
    for kind, columns in SHEETS.items():
        found = {
            c.key for h, t in zip(headers, padded, strict=False) if (c := match_header(kind, h, t))
        }
        if submission and kind == "activities":
            found.add(ID.key)
        complete = all(c.key in found for c in columns if c.required)
        ranked.append((len(found - {ID.key}), complete, kind == "activities", kind))
    best = max(ranked)
    return best[3] if best[0] > 0 else None
