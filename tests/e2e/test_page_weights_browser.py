"""Page weights on a slow link (the field goal: every page under 100 kB transferred after
the first visit). Measured against the served app (gunicorn, DEBUG off) over the 2014
demo data: each page's HTML as it goes over the wire when the browser accepts gzip, and
the static files it loads, which must be cached for a long time so that a second visit
fetches the HTML only."""

import gzip
import urllib.request
from typing import Any

import pytest

from tests.e2e.conftest import new_page, sign_in
from tests.e2e.test_accessibility_browser import url

LIMIT = 100_000
A_DAY = 86_400


def fetch(server: str, path: str, cookies: str) -> tuple[int, int, dict[str, str]]:
    """(bytes transferred, bytes once decompressed, headers) of a GET with gzip accepted."""
    request = urllib.request.Request(
        server + path, headers={"Accept-Encoding": "gzip", "Cookie": cookies}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        headers = {k.lower(): v for k, v in response.headers.items()}
    plain = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
    return len(body), len(plain), headers


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_main_page_weighs_under_100_kb_and_its_static_files_are_cached(
    browser: Any, server: str, lang: str
) -> None:
    page = new_page(browser, server)
    sign_in(page, "agent", lang=lang)
    L = lang
    pages = {
        "dashboard": url(L, "web:dashboard", query="period=2014"),
        "public figures": url(L, "web:figures-year", 2014),
        "figure's activities": url(L, "web:figure-activities", 2014, "people-sensitised-vawg"),
        "activity list": url(L, "web:activities", query="period=2014"),
        "new activity form": url(L, "web:activity-new"),
        "reports page with a report": url(L, "reports:report", query="period=2014"),
    }
    page.goto(pages["activity list"])
    pages["activity page"] = page.locator("table.activity-list tbody a").first.get_attribute("href")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    statics: set[str] = set()
    page.on("response", lambda r: statics.add(r.url) if "/static/" in r.url else None)
    weights = {}
    for name, path in pages.items():
        sent, plain, headers = fetch(server, path, cookies)
        assert headers.get("content-encoding") == "gzip", name
        assert "accept-encoding" in headers.get("vary", "").lower(), name
        weights[name] = f"{sent / 1000:.1f} kB ({plain / 1000:.1f} kB uncompressed)"
        assert sent < LIMIT, f"{name}: {sent} bytes transferred"
        assert sent < plain / 2, f"{name}: {sent} of {plain} bytes, poorly compressed"
        page.goto(path)  # what the page loads besides its HTML
    print(weights)
    # …is cached for long: a second visit fetches the HTML only
    assert statics
    for static in statics:
        _sent, _plain, headers = fetch(server, static.removeprefix(server), "")
        control = headers.get("cache-control", "")
        max_age = int(control.split("max-age=")[1].split(",")[0]) if "max-age=" in control else 0
        assert max_age >= A_DAY, f"{static} is not cached ({control!r})"
