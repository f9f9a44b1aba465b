"""axe-core (Deque's accessibility engine) in the browser tests.

Where axe-core comes from: the PyPI package `axe-playwright-python` (a dev dependency,
pinned in pyproject.toml, installed by `make test` with everything else) ships
axe-core's `axe.min.js` (MPL-2.0); version 0.1.8 carries axe-core 4.12.1. We take the
file from it and run axe ourselves, with our own options. `MUSOW_AXE_JS=/path/axe.min.js`
runs another build instead (e.g. `npm pack axe-core@4.14.1`, whose `package/axe.min.js`
we checked the pages with too): no Node is needed otherwise.

The script is evaluated through the DevTools protocol, so the pages' strict
Content-Security-Policy (no inline script) stays on, as in production.
"""

import os
from functools import cache
from pathlib import Path
from typing import Any

# WCAG 2.0 and 2.1, levels A and AA: what the United Nations' sites are held to.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# …and the axe "best practice" rules that the audit of issue 17 met: one name per
# landmark, one main, all content in landmarks, headings in order, one h1.
BEST_PRACTICES = [
    "landmark-unique",
    "landmark-one-main",
    "landmark-no-duplicate-main",
    "region",
    "heading-order",
    "page-has-heading-one",
]

RUN = """async ([tags, rules]) => {
  const wcag = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  });
  const best = await axe.run(document, {
    runOnly: {type: "rule", values: rules}, resultTypes: ["violations"],
  });
  return {version: axe.version, violations: [...wcag.violations, ...best.violations]};
}"""

OPEN_DISCLOSURES = """() => {
  document.querySelectorAll("details:not([open])").forEach((d) => { d.open = true; });
}"""


@cache
def axe_source() -> str:
    override = os.getenv("MUSOW_AXE_JS")
    if override:
        return Path(override).read_text(encoding="utf-8")
    from axe_playwright_python.base import AXE_FILE_PATH

    return Path(AXE_FILE_PATH).read_text(encoding="utf-8")


def axe_version(page: Any) -> str:
    page.evaluate(axe_source())
    return str(page.evaluate("axe.version"))


def axe_violations(page: Any, where: str, *, open_disclosures: bool = True) -> list[str]:
    """The page's WCAG 2.0/2.1 A and AA violations (and the best practices above), one
    line per rule with the elements concerned; empty when axe finds none. Every
    disclosure (`<details>`) is opened first, so what it hides is checked too."""
    if open_disclosures:
        page.evaluate(OPEN_DISCLOSURES)
    page.evaluate(axe_source())
    result = page.evaluate(RUN, [WCAG_TAGS, BEST_PRACTICES])
    lines = []
    for violation in result["violations"]:
        nodes = violation["nodes"]
        targets = "; ".join(" ".join(map(str, n["target"])) for n in nodes[:5])
        more = f" (+{len(nodes) - 5})" if len(nodes) > 5 else ""
        summary = nodes[0].get("failureSummary", "").replace("\n", " ")[:300]
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}, {len(nodes)}×) "
            f"{violation['help']} — {targets}{more} — {summary}"
        )
    return lines


REFERENCES = """() => {
  const problems = [];
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + (e.getAttribute("name") ? "[name=" + e.getAttribute("name") + "]" : "");
  for (const e of document.querySelectorAll("[aria-describedby], [aria-labelledby]")) {
    for (const attr of ["aria-describedby", "aria-labelledby"]) {
      for (const id of (e.getAttribute(attr) || "").split(/\\s+/).filter(Boolean)) {
        const named = document.getElementById(id);
        if (!named) {
          problems.push(`${name(e)} ${attr} names #${id}, which is not in the page`);
        } else if (!named.textContent.trim()) {
          problems.push(`${name(e)} ${attr} names #${id}, which says nothing`);
        }
      }
    }
  }
  for (const label of document.querySelectorAll("label[for]")) {
    if (!document.getElementById(label.htmlFor)) {
      problems.push(`a label is for #${label.htmlFor}, which is not in the page`);
    }
  }
  for (const e of document.querySelectorAll("[aria-invalid=true]")) {
    const group = e.closest("fieldset[aria-describedby]");
    const own = e.getAttribute("aria-describedby");
    const ids = [own, group && group.getAttribute("aria-describedby")]
      .join(" ").split(/\\s+/).filter(Boolean);
    const said = ids.map((id) => document.getElementById(id))
      .filter((d) => d && d.id.endsWith("_error") && d.textContent.trim());
    if (!said.length) {
      problems.push(`${name(e)} is marked invalid but its description does not say why`);
    }
  }
  return problems;
}"""


def reference_problems(page: Any, where: str) -> list[str]:
    """What axe leaves to a person: every id an `aria-describedby`, `aria-labelledby`
    or `<label for>` names is in the page (and has something to say), and every field
    marked invalid is described by its error message (WCAG 1.3.1 and 3.3.1: a screen
    reader says why, not only that)."""
    return [f"{where}: {problem}" for problem in page.evaluate(REFERENCES)]
