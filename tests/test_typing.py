"""The public API type-checks under `mypy --strict`, and so does code a user writes against it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLIENT = '''
from pathlib import Path

import align


def majors(path_en: str, path_ru: str) -> list[str]:
    with align.load_encoder() as encoder:
        report: align.Report = align.compare(path_en, path_ru, source_lang="ru", encoder=encoder)
    keys: list[str] = [f.key for f in report.findings if f.severity is align.Severity.MAJOR]
    written: list[Path] = report.write("out", formats=["json"])
    again = align.Report.from_json(report.to_json())
    coverage: float = again.summary.coverage.source + len(written)
    return keys if coverage else []
'''


def test_the_public_api_and_a_client_of_it_pass_mypy_strict(tmp_path):
    pytest.importorskip("mypy")
    client = tmp_path / "client.py"
    client.write_text(CLIENT, encoding="utf-8")
    public = [ROOT / "align" / name for name in ("__init__.py", "api.py", "model.py", "steps/report.py")]
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--python-version", "3.11",
         "--cache-dir", str(tmp_path / "mypy-cache"), *map(str, public), str(client)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
