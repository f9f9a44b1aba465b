"""Pieces of sentences each language writes its own way: lists (`A, B et C` / `A, B and
C`), the French partitive (`de conférences`, `d'ateliers`) and places (`dans le district de
Bamako et dans les régions de Gao et Mopti` / `in the Bamako Capital District and in the Gao
and Mopti regions`). Used by the public page's group sentences and by the figures that say
the scope they were counted in. No database access here."""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    name: str
    is_district: bool = False  # the District of Bamako reads "dans le district de Bamako"


def join_fr(items: Sequence[str]) -> str:
    """`A`, `A et B`, `A, B et C`."""
    return _join(items, " et ")


def join_en(items: Sequence[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    return _join(items, " and ")


def _join(items: Sequence[str], last: str) -> str:
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + last + items[-1]


_VOWELS = "aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ"


def de(words: str) -> str:
    """The French partitive: `de conférences`, `d'émissions radio`."""
    return f"d'{words}" if words[:1] in _VOWELS else f"de {words}"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def places_fr(regions: Sequence[Region]) -> str:
    parts = [
        f"dans le {lower_first(r.name)}" if r.name.startswith("District") else f"à {r.name}"
        for r in regions
        if r.is_district
    ]
    others = [r.name for r in regions if not r.is_district]
    if len(others) == 1:
        parts.append(f"dans la région {de(others[0])}")
    elif others:
        parts.append(f"dans les régions {de(join_fr(others))}")
    return " et ".join(parts)


def places_en(regions: Sequence[Region]) -> str:
    parts = [
        f"in the {r.name}" if "District" in r.name else f"in {r.name}"
        for r in regions
        if r.is_district
    ]
    others = [r.name for r in regions if not r.is_district]
    if len(others) == 1:
        parts.append(f"in the {others[0]} region")
    elif others:
        parts.append(f"in the {join_en(others)} regions")
    return " and ".join(parts)
