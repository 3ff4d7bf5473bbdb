"""`align batch` and `align check` on a real local Dask cluster of two worker processes.

One worker is killed while it writes a pair's reports: the pair is retried on the other, its report
folder appears once and whole, the summary says it was retried, and every report is the same as a
single-process run's (all bytes but the `run` object and the review page's timestamp line).
"""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

import cloudpickle  # noqa: E402
import cluster_helpers  # noqa: E402
from ci_helpers import (  # noqa: E402
    EN_DROP,
    EN_DROP_ADD,
    EN_FULL,
    RU,
    align,
    align_process,
    write_pair,
)

cloudpickle.register_pickle_by_value(cluster_helpers)  # the plugin travels to the workers by value

HEADER = "id,translation,source,source_lang,translation_lang,max_new"
PAIRS = {"full": EN_FULL, "drop": EN_DROP, "add": EN_DROP_ADD}


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each, as `--cluster local:2` starts them."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR, env={"OMP_NUM_THREADS": "1"}) as c:
        with distributed.Client(c) as client:
            yield c, client


def write_list(root: Path) -> Path:
    docs = root / "docs"
    docs.mkdir()
    (docs / "ru.txt").write_text("\n".join(RU) + "\n", encoding="utf-8")
    rows = [HEADER]
    for pair_id, sentences in PAIRS.items():
        (docs / f"{pair_id}.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
        rows.append(f"{pair_id},docs/{pair_id}.txt,docs/ru.txt,ru,en,")
    (root / "pairs.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root / "pairs.csv"


def same_reports(a: Path, b: Path, pair_id: str) -> None:
    """Every report file of the pair is the same, apart from the `run` object and the page's timestamp."""
    names = sorted(p.name for p in (a / pair_id).iterdir())
    assert names == sorted(p.name for p in (b / pair_id).iterdir())
    for name in names:
        x, y = ((d / pair_id / name).read_text(encoding="utf-8") for d in (a, b))
        if name == "report.json":
            x, y = (json.loads(t) for t in (x, y))
            x.pop("run"), y.pop("run")
        else:
            x, y = (re.sub(r"report generated \S+", "", t) for t in (x, y))
        assert x == y, (pair_id, name)


def summary(out: Path) -> dict[str, dict]:
    rows = [json.loads(line) for line in (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()]
    return {r.get("id", "batch"): r for r in rows}


def test_a_worker_killed_mid_write_loses_nothing(workspace, cluster):
    local, client = cluster
    pairs = write_list(workspace)
    reference = align("batch", str(pairs), "--out", "one", "--format", "json,html,md")
    assert reference.exit_code == 0, reference.output

    marker = workspace / "killed"
    client.register_plugin(cluster_helpers.KillWhileWriting("drop", marker))
    before = set(client.scheduler_info()["workers"])
    run = align_process("batch", str(pairs), "--out", "two", "--format", "json,html,md",
                        "--cluster", local.scheduler_address, cwd=workspace)
    assert run.returncode == 0, run.stdout + run.stderr

    assert marker.exists(), "the worker was killed"
    staged = Path(marker.with_suffix(".path").read_text(encoding="utf-8"))
    assert staged.name == "report.json" and not staged.parent.exists()  # the killed attempt's half set is gone
    assert set(client.scheduler_info()["workers"]) != before  # the nanny restarted the killed worker
    out = workspace / "two"
    assert sorted(p.name for p in out.iterdir()) == ["add", "drop", "full", "summary.jsonl", "summary.md"]
    rows = summary(out)
    assert rows["drop"]["attempts"] == 2 and rows["drop"]["retried_after"] == ["worker lost"]
    assert rows["full"]["attempts"] == 1 and rows["add"]["attempts"] == 1
    assert rows["batch"]["retried"] == 1 and rows["batch"]["pass"] == 3
    assert "drop" in run.stdout and "retried after worker lost" in run.stdout
    assert "*drop was retried:* attempt 2, after worker lost" in (out / "summary.md").read_text(encoding="utf-8")
    for pair_id in PAIRS:
        same_reports(workspace / "one", out, pair_id)


def test_a_task_that_raises_is_retried_and_says_so(workspace, tmp_path_factory):
    from align.ci.batch import Execution, execute
    from align.ci.batch.listing import read_list
    from align.ci.check import Job
    from align.pipeline import EmbedOptions

    write_list(workspace)
    pairs = read_list(Path("pairs.csv"))
    marker = workspace / "failed-once"
    options = EmbedOptions(workers=1, progress=False)  # the shared SQLite cache of the session ($ALIGN_CACHE_DIR)
    jobs = [Job(p, workspace / "out" / p.id, frozenset({"json"}), options) for p in pairs]
    # A cluster of its own, so the plugin below stays out of the other tests' workers.
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR) as local, distributed.Client(local) as client:
        client.register_plugin(cluster_helpers.FailFirstWrite("add", marker))
        outcomes = {o.pair_id: o for o in execute(jobs, Execution(retries=1), client=client)}
    assert marker.exists()
    assert outcomes["add"].run is not None and outcomes["add"].attempts == 2
    assert outcomes["add"].retry_reasons == ["task error"]
    assert outcomes["full"].attempts == 1
    assert sorted(p.name for p in (workspace / "out").iterdir()) == ["add", "drop", "full"]  # no staging left
    assert (workspace / "out" / "add" / "report.json").is_file()


def test_local_cluster_with_shared_files_cache_matches_one_process(workspace, tmp_path_factory):
    pairs = write_list(workspace)
    files_cache = tmp_path_factory.mktemp("files-cache")
    reference = align("batch", str(pairs), "--out", "one")
    assert reference.exit_code == 0, reference.output
    run = align_process("batch", str(pairs), "--out", "two", "--cluster", "local:2", "--cache-kind", "files",
                        "--cache-dir", str(files_cache), cwd=workspace)
    assert run.returncode == 0, run.stdout + run.stderr
    assert list((files_cache / "files-v1").rglob("*.vec"))  # the workers filled the shared cache
    assert not (files_cache / "embeddings.sqlite3").exists()
    for pair_id in PAIRS:
        same_reports(workspace / "one", workspace / "two", pair_id)
    assert {r["worker"] for r in summary(workspace / "two").values() if "worker" in r}  # who ran each pair


def test_a_long_pair_is_split_into_chunk_tasks_and_reports_the_same(workspace, cluster, tmp_path_factory):
    from align.ci.batch import Execution, execute
    from align.ci.batch.listing import read_list
    from align.ci.check import Job
    from align.pipeline import EmbedOptions

    _, client = cluster
    write_list(workspace)
    pairs = read_list(Path("pairs.csv"))  # relative, as the reference run reads it: the reports record the paths
    reference = align("batch", "pairs.csv", "--out", "one")
    assert reference.exit_code == 0, reference.output
    options = EmbedOptions(cache_dir=tmp_path_factory.mktemp("split-cache"), cache_kind="files", workers=1,
                           progress=False)
    jobs = [Job(p, workspace / "two" / p.id, frozenset({"json", "html"}), options) for p in pairs]
    outcomes = list(execute(jobs, Execution(split_bytes=0), client=client))  # every pair counts as long
    assert all(o.run is not None and o.chunks == 1 for o in outcomes)  # 6-7 sentences a side: one chunk each
    for o in outcomes:
        # The chunk task embedded the sentences before the pair ran: the pair found them all in the cache.
        assert o.run.report.run.embedding["cached"] >= len(RU)
        same_reports(workspace / "one", workspace / "two", o.pair_id)


def test_check_on_a_cluster_prints_and_exits_as_without(workspace, cluster):
    local, _ = cluster
    write_pair(workspace, "meeting", EN_DROP)
    write_pair(workspace, "full", EN_FULL)
    here = align_process("check", "--reports", "here", cwd=workspace)
    there = align_process("check", "--reports", "there", "--cluster", local.scheduler_address, cwd=workspace)
    assert here.returncode == there.returncode == 1, there.stderr

    def lines(out: str) -> list[str]:
        return [re.sub(r"\d+\.\d s(, \d+ embedded)?", "", line) for line in out.splitlines()]

    assert lines(there.stdout) == lines(here.stdout)
    for pair_id in ("meeting", "full"):
        same_reports(workspace / "here", workspace / "there", pair_id)


def test_a_scheduler_nobody_runs_is_one_error_line(workspace):
    write_list(workspace)
    run = align_process("batch", "pairs.csv", "--cluster", "tcp://127.0.0.1:9", cwd=workspace)
    assert run.returncode == 2
    assert run.stderr.strip().startswith("align: error: --cluster tcp://127.0.0.1:9: cannot reach")
    assert len(run.stderr.strip().splitlines()) == 1
