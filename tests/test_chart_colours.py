"""The colours of the charts and the map (musow.lib.charts), computed from the colours the
module draws with: WCAG 1.4.11 (non-text contrast, 3:1) for bars, map classes and
outlines, 1.4.3 (4.5:1) for the numbers written on them, and still apart for people
with protan, deutan or tritan colour vision (simulated with the matrices of Machado,
Oliveira and Fernandes 2009, full severity)."""

import itertools
import math
import xml.etree.ElementTree as ET

import pytest

from musow.geo.shapes import map_shapes
from musow.lib import svg as palette
from musow.lib.charts import choropleth_svg, stacked_bar_chart_svg
from musow.lib.svg import contrast

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
WHITE = "#ffffff"
MACHADO = {
    "protan": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deutan": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritan": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
VISIONS = ["typical", *MACHADO]


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def seen(colour: str, vision: str) -> str:
    """`colour` as a person with that colour vision sees it."""
    if vision == "typical":
        return colour
    rgb = [_linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5)]
    out = [
        min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True))))
        for row in MACHADO[vision]
    ]
    return "#" + "".join(f"{round(_gamma(c) * 255):02x}" for c in out)


def lab(colour: str) -> tuple[float, float, float]:
    r, g, b = (_linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


@pytest.mark.parametrize("vision", VISIONS)
def test_each_bar_colour_stands_out_from_the_page_and_from_the_next_one(vision):
    colours = [seen(c, vision) for c in palette.SERIES_COLOURS]
    background = seen(palette.BACKGROUND, vision)
    for colour in [*colours, seen(palette.BAR, vision)]:
        assert contrast(colour, background) >= 3, (vision, colour)
    for one, other in itertools.pairwise(colours):
        assert contrast(one, other) >= 3, (vision, one, other)
    for one, other in itertools.combinations(colours, 2):  # apart in hue and lightness
        assert math.dist(lab(one), lab(other)) >= 20, (vision, one, other)


@pytest.mark.parametrize("vision", VISIONS)
def test_neighbouring_map_classes_are_3_to_1_apart_from_light_to_dark(vision):
    colours = [seen(c, vision) for c in palette.CLASS_COLOURS]
    for lighter, darker in itertools.pairwise(colours):
        assert palette.luminance(lighter) > palette.luminance(darker), (vision, colours)
        assert contrast(lighter, darker) >= 3, (vision, lighter, darker)
    for one, other in itertools.combinations(colours, 2):
        assert math.dist(lab(one), lab(other)) >= 20, (vision, one, other)
    hatch, no_data = seen(palette.HATCH, vision), seen(palette.NO_DATA, vision)
    assert contrast(hatch, no_data) >= 3  # "no data" is hatched, never read as a class


def test_every_region_has_an_outline_that_shows_and_a_label_that_reads():
    values = {"ML01": 300, "ML02": 2000, "ML03": 3000, "ML04": 800, "ML05": 1063, "ML06": 50}
    values |= {"ML07": 1449, "ML09": 4175, "ML10": 5}
    root = parse(choropleth_svg(values, shapes=map_shapes("fr"), title="Participants", lang="fr"))
    background = root.find(f"{SVG}rect").get("fill")
    regions = {}
    for path in root.iter(f"{SVG}path"):
        title = path.find(f"{SVG}title")
        if title is None:
            continue
        fill = path.get("fill")
        colour = palette.NO_DATA if fill.startswith("url(") else fill
        outline = path.get("stroke")
        name = title.text.split(" – ")[0]
        regions[name] = colour
        # the outline shows against the region's fill…
        assert contrast(outline, colour) >= 3, (name, outline, colour)
        # …and the region's edge against the page: by its fill or by its outline
        assert max(contrast(colour, background), contrast(outline, background)) >= 3, name
        assert float(path.get("stroke-width")) >= 1
    assert len(regions) == 9
    assert set(regions.values()) >= set(palette.CLASS_COLOURS)  # every class drawn
    labelled = 0
    for text in root.iter(f"{SVG}text"):
        if text.text in regions and text.get("text-anchor") == "middle":
            labelled += 1
            if text.get("fill") is None:  # beside the map or in an inset: ink on white
                continue
            assert contrast(text.get("fill"), regions[text.text]) >= 4.5, text.text
    assert labelled >= 6
    # the country's outline is dark where a region is light
    light = [n for n, c in regions.items() if c == palette.CLASS_COLOURS[0]]
    assert light and all(palette.outline_of(regions[n]) == palette.INK for n in light)


def test_stacked_segments_are_parted_by_a_gap_and_their_numbers_read():
    svg = stacked_bar_chart_svg(
        [("18 ans et plus", [3000, 2100, 900]), ("moins de 18 ans", [400, 0, 380])],
        series=["femme", "homme", "non renseigné"],
        title="Participants par âge et par sexe",
        lang="fr",
    )
    root = parse(svg)
    children = list(root)
    segments = 0
    for i, element in enumerate(children):
        if element.tag != f"{SVG}rect" or element.find(f"{SVG}title") is None:
            continue
        segments += 1
        fill = element.get("fill")
        assert (
            element.get("stroke") == palette.BACKGROUND and float(element.get("stroke-width")) > 1
        )
        label = children[i + 1] if i + 1 < len(children) else None
        if label is not None and label.tag == f"{SVG}text" and label.get("text-anchor") == "middle":
            assert contrast(label.get("fill"), fill) >= 4.5, (label.text, fill)
    assert segments == 5  # a zero draws nothing: "femme" meets "non renseigné" across the gap


def test_a_chart_is_named_by_its_title_and_described_by_its_data():
    root = parse(
        stacked_bar_chart_svg([("Gao", [3, 2, 0])], series=["f", "m", "u"], title="T", lang="fr")
    )
    title_id = root.find(f"{SVG}title").get("id")
    desc_id = root.find(f"{SVG}desc").get("id")
    assert root.get("aria-labelledby") == title_id  # the name is not read twice
    assert root.get("aria-describedby") == desc_id


def test_one_region_far_above_the_others_does_not_wash_the_map_out():
    """The 2014 figures: Bamako's 4 175 dwarfs the rest. Bands follow the data's natural
    breaks, so the map still tells Gao and Mopti from Kidal, and Kidal (46) from
    Tombouctou (940); Bamako, alone in the top band, shows its colour in an inset."""
    values = {"ML01": 300, "ML02": 300, "ML03": 320, "ML04": 340, "ML05": 1063, "ML06": 940}
    values |= {"ML07": 1449, "ML08": 46, "ML09": 4175}
    root = parse(choropleth_svg(values, shapes=map_shapes("en"), title="Participants", lang="en"))
    fills = {}
    for path in root.iter(f"{SVG}path"):
        title = path.find(f"{SVG}title")
        if title is not None:
            fills[title.text.split(" – ")[0]] = path.get("fill")
    light, middle, dark = palette.CLASS_COLOURS
    assert fills["Gao"] == fills["Mopti"] == fills["Timbuktu"] == middle
    assert fills["Kidal"] == fills["Kayes"] == light
    assert fills["Bamako Capital District"] == dark
    inset = [p for p in root.iter(f"{SVG}path") if p.get("transform")]
    assert [p.get("fill") for p in inset] == [dark]  # the District, enlarged
    legend = [t.text for t in root.iter(f"{SVG}text") if t.text and " – " in t.text]
    assert legend[:3] == ["0 – 499", "500 – 1,999", "2,000 – 4,175"]
