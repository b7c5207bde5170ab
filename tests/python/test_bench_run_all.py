"""bench/run_all --quick, the one benchmark command, as a smoke run: it runs, prints its table, and
its JSON has every figure with a positive rate. Nothing about time is asserted (docs/testing.md)."""

import json
import os
import subprocess

import pytest

from conftest import BUILD_DIR

FIGURES = ["ref-qd32", "970evo-qd32-filled", "7200rpm-qd1", "7200rpm-qd32-sptf", "trace-replay", "ssd-write-gc",
           "memory", "jobs"]


def test_run_all_quick_gives_every_figure(source_dir, tmp_path):
    if not (BUILD_DIR / "bench" / "plain_loop_bench").exists():
        pytest.skip(f"the benchmarks are not built in {BUILD_DIR} (BLOCKSIM_BENCH=OFF)")
    out = tmp_path / "bench.json"
    run = subprocess.run(["/usr/bin/python3", str(source_dir / "bench" / "run_all"), "--quick", "--build",
                          str(BUILD_DIR), "--json", str(out)], capture_output=True, text=True, timeout=900,
                         cwd=tmp_path, env=dict(os.environ))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "x plain loop" in run.stdout and "plain loop" in run.stdout
    document = json.loads(out.read_text())
    assert document["quick"] and not document["failures"]
    assert document["plain_loop"]["rate"] > 0 and document["plain_loop"]["requests"] > 0
    assert sorted(document["figures"]) == sorted(FIGURES)
    for name in FIGURES:
        rows = document["figures"][name]
        assert rows, name
        for row in rows:
            assert row["requests"] > 0 and row["rate"] > 0 and row["peak_rss_mib"] > 0, row
            assert row["times_plain"] > 0, row
            assert row["name"] in run.stdout
    assert len(document["figures"]["memory"]) == 2  # two lengths, to show the peak is flat
    if not document["jobs_supported"]:
        assert "n/a (no --jobs)" in run.stdout


def test_run_all_only_runs_the_figures_named(source_dir, tmp_path):
    if not (BUILD_DIR / "bench" / "plain_loop_bench").exists():
        pytest.skip(f"the benchmarks are not built in {BUILD_DIR} (BLOCKSIM_BENCH=OFF)")
    out = tmp_path / "bench.json"
    run = subprocess.run(["/usr/bin/python3", str(source_dir / "bench" / "run_all"), "--quick", "--build",
                          str(BUILD_DIR), "--json", str(out), "--only", "ref-qd32", "--engine", "simgrid-only"],
                         capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    document = json.loads(out.read_text())
    assert list(document["figures"]) == ["ref-qd32"]
    assert document["figures"]["ref-qd32"][0]["rate"] > 0
