"""The figures of `blocksim trace summary`, computed from a completions DataFrame.

Percentiles follow the C++ summary (sim/trace/latency_histogram.hpp) exactly: the value of rank
max(1, ceil(p * n)) is located, and the midpoint of its log-linear bucket (exact below 1024 ns,
then 1024 buckets per power of two) is reported, clamped to the smallest and largest value. That
is within 0.05 % of the exact order statistic, and equal to what blocksim prints.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from blocksim.columns import LAYER_DTYPE, OP_DTYPE, OP_NAMES

SUB_BUCKET_BITS = 10
SUMMARY_PERCENTILES = (0.5, 0.99, 0.999)
# The JSON summary's percentiles (sim/trace/summary_json.hpp): name and fraction.
DISTRIBUTION_PERCENTILES = (("p1", 0.01), ("p5", 0.05), ("p10", 0.10), ("p50", 0.50), ("p90", 0.90), ("p95", 0.95),
                            ("p99", 0.99), ("p99.9", 0.999), ("p99.99", 0.9999))
_DISTRIBUTION = ["min_us", "mean_us", "stdev_us", *(f"{name}_us" for name, _ in DISTRIBUTION_PERCENTILES), "max_us"]
# The table blocksim prints first, in its order, then the rest of the JSON summary.
_TABLE = ["requests", "errors", "iops", "mb_per_s", "mean_us", *(f"p{p * 100:g}_us" for p in SUMMARY_PERCENTILES),
          "max_us"]
_SUMMARY = ["layer", "op", *_TABLE, "bytes", *(c for c in _DISTRIBUTION if c not in _TABLE),
            *(f"{stage}_{c}" for stage in ("queueing", "service") for c in _DISTRIBUTION)]


def _bucket_bounds(value: int) -> tuple[int, int]:
    if value < (1 << SUB_BUCKET_BITS):
        return value, value
    shift = value.bit_length() - 1 - SUB_BUCKET_BITS
    mantissa = value >> shift
    return mantissa << shift, ((mantissa + 1) << shift) - 1


def percentile(latencies_ns, p: float, exact: bool = False) -> float:
    """The p-quantile (0 <= p <= 1) of integer nanosecond latencies, as the summary reports it;
    with exact=True, the order statistic itself."""
    values = np.asarray(latencies_ns, dtype=np.int64)
    if len(values) == 0:
        return 0.0
    # inverted_cdf is the order statistic of rank max(1, ceil(p n)), the one the C++ histogram
    # locates; on integers numpy takes it without going through floating point.
    value = int(np.quantile(values, p, method="inverted_cdf"))
    if exact:
        return float(value)
    low, high = _bucket_bounds(value)
    return float(min(max((low + high) / 2, values.min()), values.max()))


def completions_of(run) -> pd.DataFrame:
    """The completions of a Trace, a blocksim.Result, or a DataFrame of completions."""
    return run if isinstance(run, pd.DataFrame) else run.completions


def _ns(values) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


def _percentile_us(p: float, exact: bool = False):
    """percentile() in microseconds, as an aggregation of one group's latencies."""
    return lambda values: percentile(values, p, exact) / 1e3


def _distribution(values: pd.Series) -> pd.Series:
    """min, mean, stdev (n - 1), p1 ... p99.99 and max (us) of one group's nanoseconds, as the
    JSON summary computes them: sums in integers, so that means do not depend on the order of
    the rows."""
    ns = _ns(values)
    figures = {"min_us": int(ns.min()) / 1e3, "mean_us": int(ns.sum()) / len(ns) / 1e3,
               "stdev_us": float(np.std(ns, ddof=1)) / 1e3 if len(ns) > 1 else 0.0}
    figures.update((f"{name}_us", percentile(ns, p) / 1e3) for name, p in DISTRIBUTION_PERCENTILES)
    figures["max_us"] = int(ns.max()) / 1e3
    return pd.Series(figures)


def _figures(grouped, span_s: float) -> pd.DataFrame:
    """The summary's figures of each group of ``grouped`` (a groupby of the completions with
    ``failed``, ``queueing_ns`` and ``service_ns`` added)."""
    table = grouped.agg(requests=("latency_ns", "size"), errors=("failed", "sum"), bytes=("bytes", "sum"))
    table["bytes"] = table["bytes"].astype(np.int64)  # as the C++ summary's, not the frame's uint64
    table["iops"] = table["requests"] / span_s if span_s > 0 else 0.0
    table["mb_per_s"] = table["bytes"] / span_s / 1e6 if span_s > 0 else 0.0
    for column, prefix in (("latency_ns", ""), ("queueing_ns", "queueing_"), ("service_ns", "service_")):
        table = table.join(grouped[column].apply(_distribution).unstack().add_prefix(prefix))
    return table.reset_index()


def summarize(completions: pd.DataFrame) -> pd.DataFrame:
    """One row per (layer, op) present, plus an "all" row per layer: requests, errors, IOPS,
    MB/s (1e6 bytes), latency mean/p50/p99/p99.9/max in microseconds (the table blocksim prints);
    then the rest of the JSON summary's figures (docs/trace_format.md): bytes, the whole latency
    distribution (min, stdev, p1 ... p99.99), and that of queueing (submit to dispatch,
    ``queueing_*``) and service (dispatch to completion, ``service_*``). IOPS and MB/s are over
    the span from the first submit to the last completion."""
    if completions.empty:
        return pd.DataFrame()
    span_s = (int(completions["complete_ns"].max()) - int(completions["submit_ns"].min())) * 1e-9
    submit, complete = _ns(completions["submit_ns"]), _ns(completions["complete_ns"])
    dispatch = np.clip(_ns(completions["dispatch_ns"]), submit, complete)
    # The enums' categories put the rows in enum order whatever dtypes the frame came with.
    frame = completions.astype({"layer": LAYER_DTYPE, "op": OP_DTYPE}).assign(
        failed=completions["status"] != 0, queueing_ns=dispatch - submit, service_ns=complete - dispatch)
    per_op = _figures(frame.groupby(["layer", "op"], observed=True), span_s)
    per_layer = _figures(frame.groupby("layer", observed=True), span_s).assign(op="all")
    order = {"layer": LAYER_DTYPE, "op": pd.CategoricalDtype([*OP_NAMES, "all"])}  # "all" last in its layer
    table = pd.concat([per_op, per_layer]).astype(order).sort_values(["layer", "op"], kind="stable")
    return table.astype({"layer": object, "op": object})[_SUMMARY].reset_index(drop=True)


def _keys(by) -> list:
    return [by] if isinstance(by, str) else list(by or [])


def _groups(completions: pd.DataFrame, by) -> list:
    """(key dict, frame) per group present, in a stable order: layers and ops in enum order."""
    by = _keys(by)
    if not by:
        return [({}, completions)]
    out = []
    for key, group in completions.groupby(by if len(by) > 1 else by[0], observed=True, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        out.append((dict(zip(by, key)), group))
    return out


def latency_percentiles(completions: pd.DataFrame, percentiles=(0.5, 0.9, 0.99, 0.999, 0.9999),
                        by=("layer", "op")) -> pd.DataFrame:
    """Exact latency percentiles (order statistics of rank ceil(p n)) in microseconds, one row per
    group of ``by`` (columns of the completions; () for one row over everything), with count
    and mean."""
    figures = {
        "count": len,
        "mean_us": lambda v: float(_ns(v).mean()) / 1e3 if len(v) else np.nan,
        **{f"p{p * 100:g}_us": _percentile_us(p, exact=True) for p in percentiles},
    }
    by = _keys(by)
    if not by:
        latency = completions["latency_ns"]
        return pd.DataFrame([{name: function(latency) for name, function in figures.items()}])
    if completions.empty:
        return pd.DataFrame()  # no group, so no row and no column to name
    table = completions.groupby(by if len(by) > 1 else by[0], observed=True, sort=True)["latency_ns"].agg(**figures)
    # The keys as plain values: names rather than categories, integers as int64.
    keys = table.index.to_frame(index=False).astype(object).infer_objects()
    return pd.concat([keys, table.reset_index(drop=True)], axis=1)


def latency_cdf(completions: pd.DataFrame, by=("layer", "op"), points: int = 1000) -> pd.DataFrame:
    """The empirical CDF of latency per group of ``by``: columns ``latency_us`` and ``fraction``
    (of the group's requests with a latency at most that), at most ``points`` points a group
    (equally spaced in rank, always including the smallest and the largest)."""
    frames = []
    for key, group in _groups(completions, by):
        latency = np.sort(group["latency_ns"].to_numpy(dtype=np.int64))
        n = len(latency)
        if n == 0:
            continue
        ranks = np.unique(np.linspace(0, n - 1, min(points, n)).round().astype(np.int64))
        frame = pd.DataFrame({"latency_us": latency[ranks] / 1e3, "fraction": (ranks + 1) / n})
        for column, value in key.items():
            frame.insert(0, column, value)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*by, "latency_us", "fraction"])
