"""Twenty API clients with personal tokens (driven by bench/api_load.py; not run alone):
the activity list (no filter, the web list's filters, next pages through the `next`
cursor) and the figures endpoint (headline indicators by period, breakdown, region).

Settings from the environment (set by bench/api_load.py):
    LOAD_CLIENTS       JSON [[username, role, region P-code or "", token], ...]
    LOAD_MAX_REQUESTS  stop after this many requests
    LOAD_WAIT          think time between requests, "min,max" seconds
    LOAD_SEED          seed of the clients' random choices
"""

import itertools
import json
import os
import random
from typing import Any
from urllib.parse import urlencode

from locust import HttpUser, between, events, task

CLIENTS: list[list[str]] = json.loads(os.environ["LOAD_CLIENTS"])
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "5000"))
WAIT_MIN, WAIT_MAX = (float(x) for x in os.environ.get("LOAD_WAIT", "0.5,1.5").split(","))
SEED = int(os.environ.get("LOAD_SEED", "1325"))

REGIONS = [f"ML0{i}" for i in range(1, 10)]
TYPES = ["conference", "awareness-session", "training", "open-day", "advocacy", "workshop"]
THEMES = ["gbv", "wps-1325", "political-participation", "ssr-ddr"]
YEARS = [str(y) for y in range(2015, 2025)]
INDICATORS = ["participants-all", "women-participants", "activities-all", "people-sensitised-vawg"]
BREAKDOWNS = ["", "region", "sex", "quarter", "activity_type", "region,sex"]
NO_SEX = {"women-participants", "activities-all"}
_clients = itertools.cycle(CLIENTS)
_sent = itertools.count(1)
_environment: Any = None


@events.init.add_listener
def _keep(environment: Any, **_kwargs: Any) -> None:
    global _environment
    _environment = environment


@events.request.add_listener
def _bound(**_kwargs: Any) -> None:
    if next(_sent) == MAX_REQUESTS and _environment and _environment.runner:
        _environment.runner.quit()


class ApiClient(HttpUser):
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self) -> None:
        self.username, self.role, self.region, token = next(_clients)
        self.client.headers["Authorization"] = f"Bearer {token}"
        self.random = random.Random(f"{SEED}-{self.username}")
        self.next_page: str | None = None

    def _list(self, query: dict[str, str], name: str) -> None:
        with self.client.get(
            "/api/v1/activities" + ("?" + urlencode(query) if query else ""),
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            self.next_page = response.json()["next"]

    @task(2)
    def activities(self) -> None:
        self._list({}, "activities")

    @task(4)
    def activities_filtered(self) -> None:
        query = {"period": self.random.choice(YEARS)}
        if self.role != "focal_point" and self.random.random() < 0.5:
            query["region"] = self.random.choice(REGIONS)
        if self.random.random() < 0.5:
            query["type"] = self.random.choice(TYPES)
        if self.random.random() < 0.3:
            query["theme"] = self.random.choice(THEMES)
        if self.random.random() < 0.3:
            query["status"] = "validated"
        self._list(query, "activities (filters)")

    @task(3)
    def activities_next_page(self) -> None:
        if not self.next_page:
            return self._list({}, "activities")
        with self.client.get(
            self.next_page, name="activities (next page)", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                self.next_page = None
                return
            self.next_page = response.json()["next"]

    @task(4)
    def figures(self) -> None:
        year = self.random.choice(YEARS)
        query = {
            "indicator": self.random.choice(INDICATORS),
            "period": self.random.choice([year, f"{year}-Q{self.random.randint(1, 4)}"]),
        }
        by = self.random.choice(BREAKDOWNS)
        if query["indicator"] in NO_SEX:  # their breakdowns do not include sex
            by = ",".join(d for d in by.split(",") if d != "sex")
        if by:
            query["by"] = by
        if self.role == "focal_point":
            query["region"] = self.region
        elif self.random.random() < 0.3:
            query["region"] = self.random.choice(REGIONS)
        if self.random.random() < 0.2:
            query["provisional"] = "true"
        with self.client.get(
            "/api/v1/figures?" + urlencode(query), name="figures", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
