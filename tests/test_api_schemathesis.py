"""Schemathesis against the served application: `musow serve` (gunicorn, DEBUG off) on a
free loopback port over the 2014 demo data, in a database of the kind the suite runs on.
Every operation of the published OpenAPI description is fuzzed (examples, coverage,
fuzzing and stateful phases) with a bounded number of cases; the run must find no
server error, no undocumented status or content type, no response that does not match
its schema, and no schema-violating request accepted.

Not checked: that every schema-valid request is accepted (`positive_data_acceptance`).
The schema says a code is a string; whether that code exists (an activity type, a
P-code, an indicator) is the server's answer, a 400 naming the field.
"""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import _database_url, _free_port

MAX_EXAMPLES = 10  # per operation and phase: the whole run stays within a few minutes


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("schemathesis")
    database_url, drop = _database_url(tmp)
    env = {
        **os.environ,
        "MUSOW_DATABASE_URL": database_url,
        "MUSOW_VAR_DIR": str(tmp),
        "MUSOW_DEBUG": "0",
        "MUSOW_SECURE_COOKIES": "0",
        "MUSOW_ALLOWED_HOSTS": "127.0.0.1",
        "MUSOW_API_RATE": "1000000/minute",  # the fuzzer is not what the limit is for
        # Long fuzzed query strings: gunicorn's own limit would answer before musow.
        "GUNICORN_CMD_ARGS": "--limit-request-line 8190",
        "DJANGO_SETTINGS_MODULE": "musow.settings",
    }
    musow = [sys.executable, "-m", "musow.cli"]
    for step in (["demo"], ["token", "create", "admin", "schemathesis"]):
        done = subprocess.run([*musow, *step], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            drop()
            raise RuntimeError(f"musow {step[0]} failed:\n{done.stdout}\n{done.stderr}")
    token = done.stdout.strip().splitlines()[-1]
    port = _free_port()
    log = (tmp / "server.log").open("w")
    process = subprocess.Popen(
        [*musow, "serve", "--addr", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/api/v1/schema", process, tmp / "server.log")
        yield base, token
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        drop()


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until the server answers (collectstatic first: minutes on a loaded machine)."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer within 600 s:\n{log.read_text()}")


def test_schemathesis_finds_nothing_in_the_served_api(served: tuple[str, str], tmp_path):
    base, token = served
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{base}/api/v1/schema",
        "--header",
        f"Authorization: Bearer {token}",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        "1325",
        # One worker: Python 3.11's ast.parse, which Hypothesis calls to describe its
        # strategies, is not thread-safe ("AST constructor recursion depth mismatch").
        "--workers",
        "1",
        "--request-timeout",
        "60",
        "--exclude-checks",
        "positive_data_acceptance",
        "--no-color",
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=1200)
    assert done.returncode == 0, done.stdout[-20000:] + done.stderr[-5000:]
