"""Helpers for the CI-mode tests: pair directories made to order, and the CLI run as a user runs it."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from align.cli import main

ROOT = Path(__file__).resolve().parent.parent

# A small Russian source and English renderings of it: all of it, all but its fifth sentence,
# and all but the fifth plus a sentence with no source.
RU = [
    "Министр иностранных дел провёл встречу с делегацией соседней страны.",
    "Стороны обсудили вопросы торговли и транспорта.",
    "В прошлом году товарооборот между странами вырос на двенадцать процентов.",
    "Министр подчеркнул важность строительства новой железной дороги.",
    "Отдельно обсуждались вопросы охраны окружающей среды в горных районах.",
    "По итогам встречи было подписано соглашение о сотрудничестве в области образования.",
]
EN_FULL = [
    "The foreign minister met a delegation from a neighbouring country.",
    "The two sides discussed trade and transport.",
    "Last year trade between the countries grew by twelve percent.",
    "The minister stressed the importance of building a new railway.",
    "They also discussed protecting the environment in mountain regions.",
    "At the end of the meeting an agreement on cooperation in education was signed.",
]
EN_DROP = EN_FULL[:4] + EN_FULL[5:]
EN_DROP_ADD = EN_DROP + ["Tickets for the football final went on sale yesterday and sold out within an hour."]


def write_pair(root: Path, pair_id: str, translation: list[str], *, extra: str = "",
               source: list[str] = RU, thresholds: str = "") -> Path:
    """pairs/<pair_id>/ with ru.txt, en.txt and a pair.toml (plus `extra` top-level lines)."""
    d = root / "pairs" / pair_id
    d.mkdir(parents=True, exist_ok=True)
    (d / "ru.txt").write_text("\n".join(source) + "\n", encoding="utf-8")
    (d / "en.txt").write_text("\n".join(translation) + "\n", encoding="utf-8")
    (d / "pair.toml").write_text(
        f'id = "{pair_id}"\n{extra}\n[source]\nfile = "ru.txt"\nlang = "ru"\n\n'
        f'[translation]\nfile = "en.txt"\nlang = "en"\n' + (f"\n[thresholds]\n{thresholds}\n" if thresholds else ""),
        encoding="utf-8",
    )
    return d


def set_translation(pair: Path, sentences: list[str]) -> None:
    (pair / "en.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")


def use_baseline(pair: Path, name: str = "baseline.json") -> None:
    """Point the manifest at a baseline file, as a user does after `align baseline`."""
    manifest = pair / "pair.toml"
    manifest.write_text(f'baseline = "{name}"\n' + manifest.read_text(encoding="utf-8"), encoding="utf-8")


def align(*args: str, env: dict[str, str] | None = None) -> Result:
    """The CLI in this process, stdout and stderr apart."""
    return CliRunner(env=env).invoke(main, list(args), catch_exceptions=False)


def align_process(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The CLI as its own process, as CI runs it."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}  # as if not under Actions
    return subprocess.run([sys.executable, "-m", "align.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env={**base, "HF_HUB_OFFLINE": "1", **(env or {})})


def report_of(reports: Path, pair_id: str) -> dict[str, Any]:
    return json.loads((reports / pair_id / "report.json").read_text(encoding="utf-8"))


def copy_repo_pair(name: str, root: Path) -> Path:
    dest = root / "pairs" / name
    shutil.copytree(ROOT / "pairs" / name, dest)
    for f in dest.iterdir():
        f.chmod(0o644)  # the seed texts are read-only in the repository
    return dest


def one_error_line(stderr: str, *needles: str) -> str:
    """The error as a user sees it: exactly one line, `align: error: ...`, naming every needle."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("align: error: ") and "Traceback" not in stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def refused(workspace: Path, command: str, name: str, content: str | bytes, *needles: str) -> str:
    """`align COMMAND` on a file `name` holding `content`: exit 2, one error line naming the file and every
    needle, and no report directory written."""
    path = workspace / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = align(command, str(path), "--out", "out")
    assert result.exit_code == 2, result.output
    assert not (workspace / "out").exists()
    return one_error_line(result.stderr, name, *needles)
