"""Twenty people of the unit browsing musow (driven by bench/load.py; not run on its own).

Each simulated user signs in with an account of their own (officers, regional focal
points, partner organisations, made by bench/load.py), then browses: the dashboard
(the default period and others), the activity list with filters and its next pages, and
the pages of activities found in the list. Everything goes to the loopback server that
bench/load.py started; the run stops itself after --run-time or LOAD_MAX_REQUESTS
requests, whichever comes first.

Settings come from the environment (set by bench/load.py):
    LOAD_URLS          JSON {"login": ..., "dashboard": ..., "activities": ...}
    LOAD_ACCOUNTS      JSON [[username, role, region P-code or ""], ...]
    LOAD_PASSWORD      their password
    LOAD_MAX_REQUESTS  stop after this many requests
    LOAD_WAIT          think time between pages, "min,max" seconds
    LOAD_SEED          seed of the users' random choices
"""

import itertools
import json
import os
import random
import re
from typing import Any

from locust import HttpUser, between, events, task

URLS: dict[str, str] = json.loads(os.environ["LOAD_URLS"])
ACCOUNTS: list[list[str]] = json.loads(os.environ["LOAD_ACCOUNTS"])
PASSWORD = os.environ["LOAD_PASSWORD"]
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "20000"))
WAIT_MIN, WAIT_MAX = (float(x) for x in os.environ.get("LOAD_WAIT", "0.5,1.5").split(","))
SEED = int(os.environ.get("LOAD_SEED", "1325"))

REGIONS = [f"ML0{i}" for i in range(1, 10)]
TYPES = ["conference", "awareness-session", "training", "open-day", "advocacy", "workshop"]
THEMES = ["gbv", "wps-1325", "political-participation", "ssr-ddr"]
YEARS = [str(y) for y in range(2015, 2025)]
RECENT = ["2024", "2023"]  # what people look at on the dashboard: this year and the last
WORDS = ["VBG", "1325", "formation", "femmes"]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEXT_PAGE = re.compile(r'href="(\?[^"]*after=[^"]+)"')
_accounts = itertools.cycle(ACCOUNTS)
_sent = itertools.count(1)


@events.request.add_listener
def _bound(**_kwargs: Any) -> None:
    """Stop the whole run after MAX_REQUESTS requests."""
    if next(_sent) == MAX_REQUESTS:
        runner = _environment.runner if _environment else None
        if runner is not None:
            runner.quit()


_environment: Any = None


@events.init.add_listener
def _keep(environment: Any, **_kwargs: Any) -> None:
    global _environment
    _environment = environment


class Staff(HttpUser):
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self) -> None:
        self.username, self.role, self.region = next(_accounts)
        self.random = random.Random(f"{SEED}-{self.username}")
        self.activity_links: list[str] = []
        self.next_pages: list[str] = []
        page = self.client.get(URLS["login"], name="sign-in page")
        token = CSRF.search(page.text)
        with self.client.post(
            URLS["login"],
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "next": URLS["dashboard"],
            },
            name="sign in",
            catch_response=True,
        ) as response:
            if response.url is None or URLS["login"] in response.url:
                response.failure(f"{self.username} could not sign in")

    # --- the dashboard -------------------------------------------------------------------

    @task(3)
    def dashboard(self) -> None:
        self.client.get(URLS["dashboard"], name="dashboard")

    @task(2)
    def dashboard_other_period(self) -> None:
        year = self.random.choice(RECENT)
        period = self.random.choice([year, f"{year}-Q{self.random.randint(1, 4)}"])
        provisional = "&provisional=on" if self.random.random() < 0.2 else ""
        self.client.get(
            f"{URLS['dashboard']}?period={period}{provisional}", name="dashboard (period)"
        )

    # --- the activity list ---------------------------------------------------------------

    def _list(self, query: str, name: str) -> None:
        response = self.client.get(f"{URLS['activities']}{query}", name=name)
        if response.status_code != 200:
            return
        links = re.findall(rf'href="({re.escape(URLS["activities"])}\d+/)"', response.text)
        if links:
            self.activity_links = (links + self.activity_links)[:50]
        pages = NEXT_PAGE.findall(response.text)
        if pages:
            self.next_pages = [pages[-1].replace("&amp;", "&")]

    @task(2)
    def activity_list(self) -> None:
        self._list("", "list")

    @task(4)
    def activity_list_filtered(self) -> None:
        filters = {"period": self.random.choice(YEARS)}
        if self.role != "focal_point" and self.random.random() < 0.5:
            filters["region"] = self.random.choice(REGIONS)
        if self.random.random() < 0.5:
            filters["type"] = self.random.choice(TYPES)
        if self.random.random() < 0.3:
            filters["theme"] = self.random.choice(THEMES)
        if self.random.random() < 0.3:
            filters["status"] = "validated"
        if self.random.random() < 0.15:
            filters["q"] = self.random.choice(WORDS)
        query = "?" + "&".join(f"{k}={v}" for k, v in filters.items())
        self._list(query, "list (filters)")

    @task(1)
    def activity_list_next_page(self) -> None:
        if self.next_pages:
            self._list(self.next_pages.pop(), "list (next page)")

    # --- activity pages ------------------------------------------------------------------

    @task(4)
    def activity_page(self) -> None:
        if self.activity_links:
            self.client.get(self.random.choice(self.activity_links), name="activity")
        else:
            self._list("", "list")
