"""Choice lists and places held in memory, so that resolving a cell costs no query.

A value is a code, or a name in French or English (case, accents and spaces
ignored); a name shared by several entries is an error that asks for the code,
never a guess.
"""

import re
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


def _aliases(label: str) -> list[str]:
    """“Violences … (VBG/VSBG)” is also “Violences …”, “VBG” and “VSBG”."""
    m = re.fullmatch(r"(.*?)\s*\(([^()]*)\)\s*", label)
    if not m:
        return []
    return [m[1], *(part for part in re.split(r"[/,]", m[2]) if len(part.strip()) >= 2)]


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
        self.index: dict[str, dict[str, list[Any]]] = {}
        for name, model in self.MODELS.items():
            table: dict[str, list[Any]] = {}
            for obj in model._default_manager.all():
                labels = [obj.code, getattr(obj, "name_fr", ""), getattr(obj, "name_en", "")]
                if model is Organisation:
                    labels += [obj.name, obj.acronym]
                for label in labels:
                    self._add(table, label, obj)
                    for alias in _aliases(label or ""):
                        self._add(table, alias, obj)
            self.index[name] = table
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
            table = {}
            for value, labels in _labels_in_both(choices).items():
                for label in [value, *labels]:
                    self._add(table, label, value)
            self.index[name] = table

    @staticmethod
    def _add(table: dict[str, list[Any]], label: str, obj: Any) -> None:
        key = fold(label or "")
        if key and obj not in table.setdefault(key, []):
            table[key].append(obj)

    def resolve(self, name: str, text: str) -> Any:
        found = self.index[name].get(fold(text), [])
        if not found:
            raise CellError(str(self.UNKNOWN[name]))
        if len(found) > 1:
            codes = ", ".join(sorted(getattr(o, "code", str(o)) for o in found))
            raise CellError(
                _("Ambiguous: it names several entries (%(codes)s); write the code.")
                % {"codes": codes}
            )
        return found[0]


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
