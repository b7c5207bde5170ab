"""The analysis package against figures worked out independently: exact order statistics, Little's
law for the queue depth, request counts for throughput and the heat map, the demerit figure on
distributions whose horizontal distance is known in closed form."""

import math
import re

import numpy as np
import pandas as pd
import pytest

import blocksim as bs
from blocksim.columns import completions_frame
from conftest import device_records
from blocksim_analysis import (compare, demerit, latency_cdf, latency_percentiles, lba_heatmap, queue_depth,
                               throughput)


def frame_of(submit, complete, op="read", lba=None, size=4096, layer=0):
    n = len(submit)
    ops = {"read": 0, "write": 1}
    return completions_frame({
        "request_id": np.arange(1, n + 1), "parent_id": np.zeros(n), "device": np.zeros(n),
        "op": np.full(n, ops[op]) if isinstance(op, str) else np.array([ops[o] for o in op]),
        "layer": np.full(n, layer), "flags": np.zeros(n), "lba": np.arange(n) if lba is None else lba,
        "blocks": np.ones(n), "bytes": np.full(n, size), "submit_ns": np.asarray(submit),
        "dispatch_ns": np.asarray(submit), "complete_ns": np.asarray(complete), "status": np.zeros(n),
        "queue_depth": np.zeros(n)})


def test_percentiles_are_order_statistics():
    latency = np.arange(1, 1001) * 1000  # 1 .. 1000 us
    frame = frame_of(np.zeros(1000, np.int64), latency)
    table = latency_percentiles(frame, percentiles=(0.5, 0.99, 0.999, 1.0), by=())
    row = table.iloc[0]
    # rank ceil(p n): 500, 990, 999, 1000
    assert (row["p50_us"], row["p99_us"], row["p99.9_us"], row["p100_us"]) == (500, 990, 999, 1000)
    assert row["mean_us"] == pytest.approx(500.5)


def test_percentile_ends_and_a_single_value():
    from blocksim_analysis import percentile
    values = [7000, 3000, 5000]
    assert [percentile(values, p, exact=True) for p in (0.0, 1 / 3, 0.34, 1.0)] == [3000, 3000, 5000, 7000]
    assert percentile([42], 0.0, exact=True) == percentile([42], 1.0, exact=True) == 42
    assert percentile([], 0.5) == 0.0


def test_cdf_reaches_one_and_has_every_point_for_small_groups():
    frame = frame_of(np.zeros(4, np.int64), [4000, 1000, 3000, 2000], op=["read", "write", "read", "write"])
    cdf = latency_cdf(frame, by="op")
    reads = cdf[cdf["op"] == "read"]
    assert list(reads["latency_us"]) == [3.0, 4.0] and list(reads["fraction"]) == [0.5, 1.0]
    many = latency_cdf(frame_of(np.zeros(10_000, np.int64), np.arange(10_000) + 1), by=(), points=100)
    assert len(many) == 100 and many["fraction"].iloc[-1] == 1.0 and many["latency_us"].is_monotonic_increasing


def test_queue_depth_obeys_littles_law(fixed_service_text):
    frame = device_records(bs.run(bs.load(fixed_service_text)))
    span = int(frame["complete_ns"].max()) - int(frame["submit_ns"].min())
    table = queue_depth(frame, interval_ns=span)  # one interval: the whole run
    # the time-average number outstanding is the sum of the time each request spent outstanding
    # over the span, exactly
    assert table["mean"].iloc[0] == pytest.approx(frame["latency_ns"].sum() / span, rel=1e-12)
    # a closed loop at 4: four outstanding at most, and each arrival saw the others (queue_depth)
    assert table["max"].max() == 4 == frame["queue_depth"].max() + 1


def test_queue_depth_of_a_hand_made_step():
    # outstanding: A [0, 10), B [5, 20), C [10, 20), D [30, 40): one then two in the first 10 ns
    # (mean 1.5), two in the next 10 (A leaves as C comes), none, then one
    frame = frame_of([0, 5, 10, 30], [10, 20, 20, 40])
    table = queue_depth(frame, interval_ns=10)
    assert list(table["time_s"] * 1e9) == pytest.approx([0, 10, 20, 30])
    assert list(table["mean"]) == [1.5, 2.0, 0.0, 1.0]
    assert list(table["max"]) == [2, 2, 0, 1]


def test_throughput_counts_every_request_once():
    complete = np.array([1, 2, 3, 11, 12, 25]) * 1_000_000
    frame = frame_of(np.zeros(6, np.int64), complete, op=["read", "write", "read", "read", "write", "read"])
    table = throughput(frame, interval_ns=10_000_000)
    reads = table[table["op"] == "read"]
    assert list(reads["iops"] * 0.01) == pytest.approx([2, 1, 1])
    assert list(reads["mb_per_s"]) == pytest.approx([2 * 4096 / 0.01 / 1e6, 4096 / 0.01 / 1e6, 4096 / 0.01 / 1e6])
    assert (table["iops"] * 0.01).sum() == pytest.approx(6)


def test_heatmap_of_a_sequential_sweep_is_a_diagonal():
    n = 1000
    frame = frame_of(np.arange(n) * 1000, np.arange(n) * 1000 + 500, lba=np.arange(n) * 8)
    heat = lba_heatmap(frame, time_bins=10, lba_bins=10, max_lba=n * 8)
    assert heat.counts.sum() == n
    assert (np.diag(heat.counts) == 100).all() and heat.counts.trace() == n
    volume = lba_heatmap(frame, time_bins=10, lba_bins=10, weight="bytes")
    assert volume.counts.sum() == n * 4096


def test_demerit_of_a_shifted_distribution_is_the_shift():
    rng = np.random.default_rng(1)
    measured = rng.exponential(5e6, 20_000)  # ns
    figure = demerit(measured, measured + 250_000)
    assert figure.rms_ms == pytest.approx(0.25, rel=1e-9)
    assert figure.percent == pytest.approx(100 * 0.25 / (measured.mean() / 1e6), rel=1e-9)
    assert demerit(measured, measured).rms_ms == 0


def test_demerit_of_uniform_against_twice_uniform():
    # x_real(p) = p ms, x_sim(p) = 2 p ms: RMS of p over (0, 1] is 1/sqrt(3) ms
    p = (np.arange(100_000) + 0.5) / 100_000
    figure = demerit(p * 1e6, 2 * p * 1e6)
    assert figure.rms_ms == pytest.approx(1 / math.sqrt(3), rel=1e-3)
    assert figure.percent == pytest.approx(100 / math.sqrt(3) / 0.5, rel=1e-3)


def test_disksim_binning_is_what_blocksim_replay_prints(blocksim, source_dir, project_data):
    trace = project_data / "disksim-validate" / "hp_c3323a.trace"
    profile = source_dir / "scenarios" / "profiles" / "reference_replay.textproto"
    printed = blocksim("replay", trace, "--format", "disksim-validate", "--device", profile, check=True).stdout
    figure_ms = float(re.search(r"demerit ([0-9.]+) ms", printed).group(1))
    scenario = bs.load(f'device {{ profile: "{profile}" }}\n'
                       f'workload {{ replay {{ path: "{trace}" format: "disksim-validate" }} }}\n')
    device = bs.run(scenario).completions.sort_values("request_id")
    measured = np.loadtxt(trace, usecols=4) * 1000
    ours = demerit(measured, device["complete_ns"] - device["dispatch_ns"], binning="disksim")
    assert ours.rms_ms == pytest.approx(figure_ms, abs=5e-5)  # printed with 4 decimals
    # a shift of whole bins near 50 us (1 us bins) is seen exactly through the binning
    narrow = np.repeat(np.arange(40, 60), 100) * 1000 + 500
    assert demerit(narrow, narrow + 3000, binning="disksim").rms_ms == pytest.approx(0.003, abs=1e-12)


def test_compare_a_run_with_itself_and_with_a_slower_one(fixed_service_text):
    scenario = bs.load(fixed_service_text)
    fast = bs.run(scenario).completions
    slower = bs.run(scenario.with_changes({"device[0].reference.service.fixed": "20us"})).completions
    same = compare(fast, fast, labels=("x", "y"))
    assert (same["iops_ratio"] == 1).all() and (same["demerit_ms"] == 0).all()
    table = compare(fast, slower, labels=("fast", "slow")).set_index("op")
    # one media server does the work: twice the service time, half the IOPS (DMA overlaps)
    assert table.loc["all", "iops_ratio"] == pytest.approx(0.5, rel=0.01)
    assert table.loc["all", "demerit_ms"] > 0.03


def test_latency_cdf_plot_of_requests_refused_at_once_stays_linear():
    import warnings
    import matplotlib
    matplotlib.use("Agg")
    from blocksim_analysis import plot_latency_cdf
    refused = frame_of(np.full(5, 1000), np.full(5, 1000))  # no time taken: nothing for a log axis
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plot_latency_cdf(refused, layer=None)
    assert ax.get_xscale() == "linear"
    assert plot_latency_cdf(frame_of(np.zeros(5), np.arange(1, 6) * 1000), layer=None).get_xscale() == "log"
