"""LibreOffice Calc, headless, in French: what a gender officer's spreadsheet program does
to the files musow writes (Debian's libreoffice-calc-nogui; `.ci/run` installs it)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui; .ci/run does)",
)

# A user profile whose locale is French (France), whatever the machine's own locale.
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N">
 <prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>fr-FR</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N">
 <prop oor:name="ooLocale" oor:op="fuse"><value>fr-FR</value></prop></item>
</oor:items>
"""
# CSV in the French dialect: ";" between cells, '"' around texts, UTF-8 (76), from line 1,
# cell types detected as French LibreOffice does when it opens a file (language 1036).
CSV_FR_IN = "CSV:59,34,76,1,,1036"
CSV_FR_OUT = "csv:Text - txt - csv (StarCalc):59,34,76,1"


def profile(base: Path) -> Path:
    folder = base / "lo-profile"
    user = folder / "user"
    if not user.exists():
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
    return folder


def convert(
    sources: Path | list[Path], to: str, outdir: Path, *, infilter: str | None = None
) -> list[Path]:
    """`soffice --convert-to` in French: open each source as LibreOffice does and save it
    as `to` (xlsx, pdf, or a csv filter) in `outdir`; the paths written."""
    assert SOFFICE is not None
    files = sources if isinstance(sources, list) else [sources]
    outdir.mkdir(parents=True, exist_ok=True)
    args = [
        SOFFICE,
        f"-env:UserInstallation={profile(outdir.parent).as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
    ]
    if infilter:
        args.append(f"--infilter={infilter}")
    args += ["--convert-to", to, "--outdir", str(outdir), *map(str, files)]
    env = {**os.environ, "LANG": "fr_FR.UTF-8", "HOME": str(outdir.parent)}
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    extension = to.split(":", 1)[0]
    written = [outdir / f"{source.stem}.{extension}" for source in files]
    assert done.returncode == 0 and all(w.exists() for w in written), (done.stdout, done.stderr)
    assert "Error" not in done.stderr, done.stderr
    return written
