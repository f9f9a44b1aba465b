"""The dashboard in a real browser: an officer and a viewer on the 2014 demo data, on a
desktop and on a phone, in French and English."""

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import new_page, sign_in

NNBSP = "\u202f"


def figure(page: Any, code: str) -> Any:
    return page.locator(f'[data-indicator="{code}"]')


def test_an_officer_reads_the_dashboard_and_goes_down_to_the_activities(
    browser: Any, server: str, screenshot: Any
) -> None:
    page = new_page(browser, server)
    sign_in(page, "agent")
    page.get_by_role("link", name="Tableau de bord", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau de bord")
    expect(figure(page, "people-sensitised-vawg")).to_contain_text(f"5{NNBSP}400")
    expect(figure(page, "students-sensitised-gbv")).to_contain_text("258")
    expect(page.get_by_role("img", name=re.compile("par région"))).to_be_visible()
    screenshot(page, "dashboard-fr")

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dashboard")
    expect(figure(page, "people-sensitised-vawg")).to_contain_text("5,400")
    screenshot(page, "dashboard-en")

    figure(page, "people-sensitised-vawg").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"indicator=people-sensitised-vawg"))
    expect(page).to_have_url(re.compile(r"period=2014"))
    screenshot(page, "activities-behind-a-figure-en")


def test_provisional_figures_are_marked_as_such(browser: Any, server: str) -> None:
    page = new_page(browser, server)
    sign_in(page, "agent")
    page.goto("/fr/tableau-de-bord/?period=2014")
    page.get_by_role("checkbox", name=re.compile("provisoires")).check()
    page.get_by_role("button", name="Afficher").click()
    card = figure(page, "people-sensitised-vawg")
    expect(card).to_contain_text(
        f"Provisoire, avec les activités pas encore validées : 5{NNBSP}580"
    )
    expect(card).to_contain_text(f"5{NNBSP}400")


def test_a_viewer_sees_the_figures_on_a_phone_but_not_the_records(
    browser: Any, server: str, screenshot: Any
) -> None:
    page = new_page(browser, server, phone=True)
    sign_in(page, "lecteur")
    page.goto("/fr/tableau-de-bord/")
    expect(figure(page, "people-sensitised-vawg")).to_contain_text(f"5{NNBSP}400")
    expect(figure(page, "people-sensitised-vawg").get_by_role("link")).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the dashboard scrolls sideways on a phone ({width} px)"
    screenshot(page, "dashboard-phone-viewer")


def test_a_focal_point_reads_figures_that_say_their_region_on_a_phone_and_a_desktop(
    browser: Any, server: str, screenshot: Any
) -> None:
    for phone in (True, False):
        page = new_page(browser, server, phone=phone)
        sign_in(page, "gao")
        size = "phone" if phone else "desktop"
        page.goto("/fr/tableau-de-bord/?period=2014")
        card = figure(page, "women-girls-reached-1325")
        expect(card).to_contain_text("dans la région de Gao")
        expect(card).not_to_contain_text("Tombouctou")
        svg_map = page.get_by_role("img", name=re.compile("par région"))
        expect(svg_map).to_contain_text("hors de votre périmètre")
        expect(svg_map).not_to_contain_text("pas de données")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"scrolls sideways ({width} px)"
        screenshot(page, f"dashboard-gao-fr-{size}")
        page.goto("/en/dashboard/?period=2014")
        expect(figure(page, "women-girls-reached-1325")).to_contain_text("in the Gao region")
        expect(page.get_by_role("img", name=re.compile("by region"))).to_contain_text(
            "outside your scope"
        )
        screenshot(page, f"dashboard-gao-en-{size}")


def test_the_filters_apply_on_the_button_only(browser: Any, server: str) -> None:
    """WCAG 3.2.2: going down the region list with the arrow keys, or ticking the box,
    neither reloads the page nor moves the focus; "Show" applies them."""
    page = new_page(browser, server)
    sign_in(page, "agent", lang="en")
    page.goto("/en/dashboard/?period=2014")
    region = page.get_by_label("Region", exact=True)
    region.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    chosen = region.input_value()
    assert chosen != ""
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the "provisional" box
    page.wait_for_timeout(300)
    assert "region=" not in page.url
    expect(page.get_by_role("checkbox", name=re.compile("provisional"))).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"region={chosen}"))
    expect(page).to_have_url(re.compile("provisional=on"))


# Every piece of text in the charts and the map, with its size as the reader sees it: an
# SVG text's size times the drawing's scale on the page, an HTML text's computed size.
TEXT_SIZES = """() => {
  const out = [];
  const panels = document.querySelectorAll(".dash-panel");
  for (const panel of panels) {
    for (const el of panel.querySelectorAll("text, .dash-bars span, .dash-legend li")) {
      if (!el.getBoundingClientRect().width || !el.textContent.trim()) continue;
      let size = parseFloat(getComputedStyle(el).fontSize);
      if (el.tagName === "text") {
        const svg = el.ownerSVGElement;
        size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      }
      out.push([size, el.textContent.trim()]);
    }
  }
  return out;
}"""

# Boxes of the map's labels (in page pixels) that overlap another label.
LABEL_COLLISIONS = """() => {
  const svg = document.querySelector("#dash-map svg");
  const boxes = Array.from(svg.querySelectorAll("text"))
    .map((t) => [t.textContent, t.getBoundingClientRect()]);
  const hits = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, r] = boxes[i], [b, s] = boxes[j];
      const apart = r.right - 1 <= s.left || s.right - 1 <= r.left
        || r.bottom - 1 <= s.top || s.bottom - 1 <= r.top;
      if (!apart) {
        hits.push(`${a} / ${b}`);
      }
    }
  }
  return hits;
}"""


def test_the_dashboard_reads_on_a_phone_text_at_12_px_and_labels_apart(
    browser: Any, server: str, screenshot: Any
) -> None:
    """Charts laid out for 360 px: no text under 12 px, no label over another, the District
    of Bamako in an inset where its colour shows, the legend stating what it counts."""
    page = new_page(browser, server, phone=True)
    sign_in(page, "agent")
    for lang, path in (("fr", "/fr/tableau-de-bord/?period=2014"), ("en", "/en/dashboard/")):
        page.goto(path if lang == "fr" else path + "?period=2014")
        sizes = page.evaluate(TEXT_SIZES)
        assert len(sizes) > 40, sizes
        small = [(round(size, 1), text) for size, text in sizes if size < 11.95]
        assert not small, f"text under 12 px on a phone: {small}"
        assert not page.evaluate(LABEL_COLLISIONS)
        svg_map = page.locator("#dash-map svg")
        inset = svg_map.locator("path[transform]")
        expect(inset).to_have_count(1)  # the District of Bamako, enlarged
        expect(svg_map).to_contain_text(f"4{NNBSP}175" if lang == "fr" else "4,175")
        unit = "Personnes touchées (contacts)" if lang == "fr" else "People reached (contacts)"
        expect(svg_map).to_contain_text(unit)
        expect(svg_map).not_to_contain_text("pas de données" if lang == "fr" else "no data")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the dashboard scrolls sideways on a phone ({width} px)"
        screenshot(page, f"dashboard-phone-{lang}")
