"""Choice lists and places held in memory, so that resolving a cell costs no query.

A value is a code, or a name in French or English (case, accents and spaces
ignored), whole. A label's official short forms count as its name too: the name
without its parenthesis ("Résolution 1325") and the acronyms in it ("VBG", "VSBG",
"FDS"). Any other part of a label ("Femmes", "Women", "paix et sécurité" in
"Résolution 1325 (Femmes, paix et sécurité)") is not a name: it is reported with the
entry it may mean, never taken as it. A name shared by several entries is an error
that asks for the code, never a guess.

A cell of several values (themes, partners, mandate lines) is read whole labels
first: "Résolution 1325 (Femmes, paix et sécurité); VBG" is two themes. The
documented separator is the semicolon, which no label contains; commas and line
breaks between whole names or codes are read too.
"""

import re
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musow.activities.models import (
    Activity,
    ActivityType,
    AgeGroup,
    Audience,
    Campaign,
    MediaReach,
    Objective,
    Organisation,
    Project,
    Sex,
    Theme,
)
from musow.geo.models import Place
from musow.intake.columns import fold
from musow.intake.readers import CellError, excerpt
from musow.lib.spreadsheet import same_day, spreadsheet_dates

# What separates the values of a cell of several: the semicolon is the documented one.
SEPARATOR = ";"
_SEPARATORS = re.compile(r"([;,\n])")


def _labels_in_both(choices: Any) -> dict[str, list[str]]:
    from django.utils import translation

    labels: dict[str, list[str]] = {}
    for lang in ("fr", "en"):
        with translation.override(lang):
            for value, label in choices:
                labels.setdefault(value, []).append(str(label))
    return labels


_SEX_WORDS = {
    Sex.FEMALE: ["f", "femme", "femmes", "feminin", "female", "woman", "women", "fille", "girl"],
    Sex.MALE: ["m", "h", "homme", "hommes", "masculin", "male", "man", "men", "garcon", "boy"],
    Sex.UNKNOWN: ["u", "inconnu", "unknown", "non note", "not recorded", "nr"],
}
_ACRONYM = re.compile(r"[A-Z0-9][A-Z0-9&.\-]*")


def short_forms(label: str) -> tuple[list[str], list[str]]:
    """A label's exact short forms and its loose parts.

    “Violences faites aux femmes et aux filles (VBG/VSBG)”: exact “Violences faites aux
    femmes et aux filles”, “VBG”, “VSBG”. “Résolution 1325 (Femmes, paix et sécurité)”:
    exact “Résolution 1325”; loose “Femmes”, “paix et sécurité” and the whole
    parenthesis, which name the entry only loosely.
    """
    m = re.fullmatch(r"(.*?)\s*\(([^()]*)\)\s*", label or "")
    if not m:
        return [], []
    exact, loose = [m[1]], [m[2]]
    for part in (p.strip() for p in re.split(r"[/,]", m[2])):
        if len(part) < 2:
            continue
        if _ACRONYM.fullmatch(part) and any(c.isalpha() for c in part):
            exact.append(part)
        else:
            loose.append(part)
    return exact, loose


class Vocabulary:
    """Every choice list in memory: a value is a code, or a name in French or English."""

    MODELS: dict[str, Any] = {
        "activity_type": ActivityType,
        "theme": Theme,
        "audience": Audience,
        "age_group": AgeGroup,
        "campaign": Campaign,
        "project": Project,
        "organisation": Organisation,
        "objective": Objective,
    }
    UNKNOWN = {
        "activity_type": gettext_lazy("Unknown activity type."),
        "theme": gettext_lazy("Unknown theme."),
        "audience": gettext_lazy("Unknown audience."),
        "age_group": gettext_lazy("Unknown age group."),
        "campaign": gettext_lazy("Unknown campaign."),
        "project": gettext_lazy("Unknown project."),
        "organisation": gettext_lazy("Unknown organisation."),
        "objective": gettext_lazy("Unknown mandate line."),
        "sex": gettext_lazy("Unknown sex: write f (female), m (male) or u (not recorded)."),
        "medium": gettext_lazy("Unknown medium."),
        "status": gettext_lazy("Unknown status."),
    }

    def __init__(self) -> None:
        # name of a list → folded label → entries; `loose`: parts of labels, for suggestions.
        self.index: dict[str, dict[str, list[Any]]] = {}
        self.loose: dict[str, dict[str, list[Any]]] = {}
        # The most separators one exact label of a list holds (“…(Femmes, paix…)”: 1).
        self.span: dict[str, int] = {}
        for name, model in self.MODELS.items():
            self.index[name], self.loose[name], self.span[name] = {}, {}, 0
            for obj in model._default_manager.all():
                self.add(name, obj)
        sex: dict[str, list[Any]] = {}
        for sex_code, words in _SEX_WORDS.items():
            for word in words:
                self._add(sex, word, str(sex_code))
        for value, labels in _labels_in_both(Sex.choices).items():
            for label in labels:
                self._add(sex, label, value)
        self.index["sex"] = sex
        for name, choices in (
            ("medium", MediaReach.Medium.choices),
            ("status", Activity.Status.choices),
        ):
            table: dict[str, list[Any]] = {}
            for value, labels in _labels_in_both(choices).items():
                for label in [value, *labels]:
                    self._add(table, label, value)
            self.index[name] = table

    def add(self, name: str, obj: Any) -> None:
        """Make an entry (new, or created by this import) known by its code and names."""
        labels = [obj.code, getattr(obj, "name_fr", ""), getattr(obj, "name_en", "")]
        if isinstance(obj, Organisation):
            labels += [obj.name, obj.acronym, str(obj)]
        table, loose = self.index[name], self.loose[name]
        for label in labels:
            exact, parts = short_forms(label or "")
            for text in [label, *exact]:
                if self._add(table, text, obj):
                    self.span[name] = max(self.span[name], len(_SEPARATORS.findall(text or "")))
            for part in parts:
                self._add(loose, part, obj)

    @staticmethod
    def _add(table: dict[str, list[Any]], label: str, obj: Any) -> bool:
        key = fold(label or "")
        if key and obj not in table.setdefault(key, []):
            table[key].append(obj)
            return True
        return False

    def resolve(self, name: str, text: str) -> Any:
        found = self.index[name].get(fold(text), [])
        if not found:
            raise CellError(self._unknown(name, text))
        if len(found) > 1:
            codes = ", ".join(sorted(getattr(o, "code", str(o)) for o in found))
            raise CellError(
                _("Ambiguous: it names several entries (%(codes)s); write the code.")
                % {"codes": codes}
            )
        return found[0]

    def by_date(self, name: str, value: Any) -> Any:
        """The entry whose code a spreadsheet turned into the date `value` holds (a code
        such as `8-mars-2014` typed or re-saved in French Excel or LibreOffice), or a
        CellError saying why none is taken; None when `value` is not a date."""
        dates = spreadsheet_dates(value)
        if not dates:
            return None
        found = []
        for entries in self.index.get(name, {}).values():
            for obj in entries:
                code = getattr(obj, "code", None)
                if (
                    isinstance(code, str)
                    and obj not in found
                    and same_day(spreadsheet_dates(code), dates)
                ):
                    found.append(obj)
        if len(found) == 1:
            return found[0]
        shown = value.date() if isinstance(value, datetime) else value
        shown = shown.isoformat() if isinstance(shown, date) else str(shown).strip()
        if found:
            return CellError(
                _(
                    "“%(value)s” is a date: the spreadsheet turned a code into a date, and "
                    "several codes read as this date (%(codes)s). Format the column as Text "
                    "and write the code again."
                )
                % {"value": excerpt(shown), "codes": ", ".join(sorted(o.code for o in found))}
            )
        return CellError(
            _(
                "“%(value)s” is a date, not a code: the spreadsheet turned what was typed into "
                "a date, and no code of this list reads as this date. Format the column as "
                "Text and write the code again."
            )
            % {"value": excerpt(shown)}
        )

    def _unknown(self, name: str, text: str) -> str:
        """Unknown, or only part of a name: then say which entry it may mean."""
        close = self.loose.get(name, {}).get(fold(text), [])
        if not close:
            return str(self.UNKNOWN[name])
        meant = "; ".join(
            _("“%(name)s” (%(code)s)") % {"name": _label(o), "code": o.code} for o in close
        )
        return _(
            "This is only part of a name, so it is not taken as one: did you mean %(meant)s? "
            "Write the whole name or the code."
        ) % {"meant": meant}

    def resolve_many(self, name: str, text: str) -> list[tuple[str, Any]]:
        """The values of a cell of several, whole labels first: (the text read, the entry,
        or the CellError that says why it is not one)."""
        found: list[tuple[str, Any]] = []
        pieces = _SEPARATORS.split(text)  # values and, at odd places, their separators
        values = pieces[0::2]
        span = self.span.get(name, 0)
        i = 0
        while i < len(values):
            if not values[i].strip():
                i += 1
                continue
            for j in range(min(len(values) - 1, i + span), i - 1, -1):
                candidate = "".join(pieces[2 * i : 2 * j + 1]).strip()
                if fold(candidate) in self.index[name]:
                    found.append((candidate, self._entry(name, candidate)))
                    i = j + 1
                    break
            else:
                part = values[i].strip()
                words = part.split()
                # KoboToolbox and ODK write a multiple choice as codes separated by spaces.
                if len(words) > 1 and all(fold(w) in self.index[name] for w in words):
                    found.extend((w, self._entry(name, w)) for w in words)
                else:
                    found.append((part, self._entry(name, part)))
                i += 1
        return found

    def _entry(self, name: str, text: str) -> Any:
        try:
            return self.resolve(name, text)
        except CellError as exc:
            return exc


def _label(obj: Any) -> str:
    return str(getattr(obj, "name", None) or obj)


_PLACE_PREFIX = re.compile(r"^(district|region|cercle|commune) (de |du |d')?")
_PLACE_SUFFIX = re.compile(r" (capital district|district|region)$")


class Places:
    """Places in memory: by P-code, or by name (French or English, accents optional)."""

    def __init__(self) -> None:
        self.by_id: dict[int, Place] = {}
        self.by_code: dict[str, list[Place]] = {}
        self.by_name: dict[tuple[int, str], list[Place]] = {}
        for place in Place.objects.filter(level__lte=3).only(
            "id", "pcode", "iso_3166_2", "level", "parent_id", "region_id", "name_fr", "name_en"
        ):
            self.by_id[place.pk] = place
            for code in {place.pcode.upper(), place.iso_3166_2.upper()} - {""}:
                self.by_code.setdefault(code, []).append(place)
            for name in self.names(place):
                bucket = self.by_name.setdefault((place.level, name), [])
                if place not in bucket:
                    bucket.append(place)

    @staticmethod
    def names(place: Place) -> set[str]:
        names = set()
        for name in (place.name_fr, place.name_en):
            folded = fold(name)
            names |= {folded, _PLACE_SUFFIX.sub("", _PLACE_PREFIX.sub("", folded))}
        return names - {""}

    def within(self, place: Place, ancestor: Place | None) -> bool:
        node: Place | None = place
        while ancestor is not None and node is not None:
            if node.pk == ancestor.pk:
                return True
            node = self.by_id.get(node.parent_id) if node.parent_id else None
        return ancestor is None

    def resolve(self, level: int, code: str, name: str, parent: Place | None) -> Place:
        if code:
            found = [p for p in self.by_code.get(code.strip().upper(), []) if p.level == level]
            if not found:
                raise CellError(_("Unknown P-code."))
            if len(found) > 1:
                raise CellError(
                    _("This P-code exists in several gazetteers; ask the unit to say which.")
                )
            place = found[0]
            if name and fold(name) not in self.names(place):
                raise CellError(
                    _("The P-code %(code)s is %(name)s, not “%(given)s”.")
                    % {"code": place.pcode, "name": place.name, "given": excerpt(name)}
                )
        else:
            found = [p for p in self.by_name.get((level, fold(name)), []) if self.within(p, parent)]
            if not found:  # a P-code written in the name column
                found = [p for p in self.by_code.get(name.strip().upper(), []) if p.level == level]
            if not found:
                raise CellError(_("Unknown place name."))
            if len(found) > 1:
                raise CellError(
                    _("Several places have this name (%(codes)s): write the P-code.")
                    % {"codes": ", ".join(sorted(p.pcode for p in found))}
                )
            place = found[0]
        if parent is not None and not self.within(place, parent):
            raise CellError(
                _("%(place)s is not in %(parent)s.") % {"place": place.name, "parent": parent.name}
            )
        return place
