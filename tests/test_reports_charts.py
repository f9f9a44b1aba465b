"""Server-side SVG charts and the map of Mali's regions (musow.lib.charts): inline-safe,
accessible, numbers in the chart's language, the boundaries' source shown on the map."""

import re
import xml.etree.ElementTree as ET

import pytest

from musow.geo.shapes import map_shapes
from musow.lib.charts import bar_chart_svg, choropleth_svg, stacked_bar_chart_svg

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def assert_inline_safe(svg: str) -> None:
    assert "<script" not in svg and "javascript:" not in svg and "<foreignObject" not in svg
    assert "href" not in svg and "@import" not in svg and "style=" not in svg
    assert not re.search(r"url\((?!#)", svg)  # only references inside the SVG itself


def test_a_bar_chart_labels_each_bar_with_locale_numbers():
    rows = [("janvier", 5400), ("février", 12), ("Organisation des femmes leaders", 1113)]
    svg = bar_chart_svg(rows, title="Participants par mois", lang="fr")
    root = parse(svg)
    assert_inline_safe(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Participants par mois"
    desc = root.find(f"{SVG}desc").text
    assert "janvier\u00a0: 5\u202f400" in desc
    assert "5\u202f400" in texts(root) and "1\u202f113" in texts(root)
    english = parse(bar_chart_svg(rows, title="Participants by month", lang="en"))
    assert "5,400" in texts(english) and "1,113" in texts(english)


def test_long_labels_wrap_and_sixteen_rows_fit():
    rows = [
        (f"Région numéro {i} au nom particulièrement long pour un graphique", i) for i in range(16)
    ]
    root = parse(bar_chart_svg(rows, title="Par région", lang="fr", width=480))
    assert float(root.get("width")) == 480
    assert len(root.findall(f"{SVG}rect")) == 1 + 15  # background + non-zero bars
    assert all(len(t) <= 60 for t in texts(root))


def test_an_empty_chart_says_there_is_no_data():
    root = parse(bar_chart_svg([], title="Rien", lang="fr"))
    assert "Aucune donnée pour cette période." in texts(root)


def test_a_stacked_chart_has_a_legend_and_totals():
    svg = stacked_bar_chart_svg(
        [("18 ans et plus", [3000, 2100, 15]), ("moins de 18 ans", [120, 80, 0])],
        series=["femme", "homme", "non renseigné"],
        title="Participants par âge et par sexe",
        lang="fr",
    )
    root = parse(svg)
    assert {"femme", "homme", "non renseigné", "5\u202f115", "200"} <= set(texts(root))
    assert "total 5\u202f115" in root.find(f"{SVG}desc").text


@pytest.mark.parametrize(
    ("lang", "gao", "source"), [("fr", "Gao", "Limites"), ("en", "Gao", "Boundaries")]
)
def test_the_map_shades_regions_names_them_and_credits_its_source(lang, gao, source):
    svg = choropleth_svg(
        {"ML07": 1449, "ML09": 4175, "ML05": 1063, "ML10": 5},
        shapes=map_shapes(lang),
        title="Participants",
        lang=lang,
    )
    root = parse(svg)
    assert_inline_safe(svg)
    paths = [p for p in root.iter(f"{SVG}path") if p.find(f"{SVG}title") is not None]
    assert len(paths) == 9  # the nine regions of the 2013 frame, drawn from geo.Place
    words = " ".join(texts(root))
    assert gao in words and ("1\u202f449" if lang == "fr" else "1,449") in words
    assert "geoBoundaries" in words and "CC BY 3.0 IGO" in words and source in words
    assert ("Ménaka 5" in words) if lang == "fr" else ("Menaka 5" in words or "Ménaka 5" in words)
    district = "District de Bamako" if lang == "fr" else "Bamako Capital District"
    assert district in words  # too small to hold its label: named under the map
    regions_without_data = [p for p in paths if p.get("fill", "").startswith("url(#")]
    assert len(regions_without_data) == 6


def test_the_map_renders_in_weasyprint():
    weasyprint = pytest.importorskip("weasyprint")
    svg = choropleth_svg({"ML07": 10}, shapes=map_shapes("fr"), title="Carte", lang="fr")
    pdf = weasyprint.HTML(string=f"<html><body>{svg}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_regions_without_data_say_so_once_in_the_legend_not_under_the_map():
    """Five regions without data: each hatched, named where its name fits, and "no data"
    written once, in the legend (no pile of labels under the map)."""
    root = parse(
        choropleth_svg(
            {"ML07": 520, "ML06": 80, "ML09": 300, "ML05": 40},
            shapes=map_shapes("fr"),
            title="Personnes touchées",
            lang="fr",
            width=320,
            text_size=12,
            unit="Personnes touchées (contacts)",
        )
    )
    words = texts(root)
    assert words.count("pas de données") == 1
    assert "Personnes touchées (contacts)" in words
    assert all(float(t.get("font-size")) >= 12 for t in root.iter(f"{SVG}text"))
    hatched = [p for p in root.iter(f"{SVG}path") if p.get("fill", "").endswith("-nodata)")]
    assert len(hatched) == 5
