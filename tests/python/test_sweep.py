"""Sweeps: eight scenarios give eight rows, locally in parallel and on a local Dask cluster, and
the figures follow queueing theory: k requests kept outstanding on k idle servers of mean service
S complete at k / S per second (Little's law, no waiting)."""

import pytest

import blocksim as bs

SWEEP = """\
name: "sweep"
seed: 5
bus { name: "pcie" bandwidth: "4GB/s" }
device {
  name: "r0" capacity: "16GiB" block_size: "4KiB"
  reference { queue_depth: 32 media_servers: 8 service { exponential: "80us" } }
}
workload { job { block_size: "4KiB" closed { queue_depth: 1 } requests: 4000 } }
"""
DEPTHS = list(range(1, 9))
MEAN_NS = 80_000 + 1_024  # media, then 4 KiB of DMA at 4 GB/s


@pytest.fixture(scope="module")
def runs():
    return bs.vary(bs.load(SWEEP), "workload[0].job.closed.queue_depth", DEPTHS)


@pytest.fixture(scope="module")
def local_table(runs):
    return bs.sweep(runs, processes=2, progress=False)


def test_eight_scenarios_eight_rows(local_table):
    assert len(local_table) == 8
    assert list(local_table["workload[0].job.closed.queue_depth"]) == DEPTHS
    assert (local_table["requests"] == 4000).all() and (local_table["errors"] == 0).all()


def test_rows_follow_littles_law(local_table):
    for depth, iops in zip(DEPTHS, local_table["iops"]):
        assert iops == pytest.approx(depth / (MEAN_NS * 1e-9), rel=0.05), depth


def test_a_failed_run_is_recorded_or_raised(runs):
    broken = runs[:2] + [({"broken": True}, runs[0][1].with_changes({"device[0].capacity": "lots"}))]
    table = bs.sweep(broken, progress=False, errors="record")
    assert len(table) == 3 and table["error"].isna().sum() == 2
    assert "invalid size" in table["error"].iloc[2]
    with pytest.raises(bs.ScenarioError):
        bs.sweep(broken, progress=False)


def test_own_row_function_and_named_scenarios(runs):
    table = bs.sweep({"one": runs[0][1], "four": runs[3][1]}, progress=False,
                     row=lambda result: {"reads": int(((result.completions["op"] == "read")
                                                       & (result.completions["layer"] == "device")).sum())})
    assert list(table["name"]) == ["one", "four"] and list(table["reads"]) == [4000, 4000]


def test_progress_bar_counts_runs(runs, capsys):
    bs.sweep(runs[:3], processes=1, progress=True)
    assert "3/3" in capsys.readouterr().err


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # tornado, inside distributed
def test_on_a_local_dask_cluster(runs, local_table):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        table = bs.sweep(runs, dask=client, progress=False)
    assert len(table) == 8
    # the same runs, the same figures (runs are deterministic wherever they happen)
    figures = ["requests", "iops", "mean_us", "p99_us"]
    assert table[figures].equals(local_table[figures])
