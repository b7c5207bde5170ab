"""The figures of `blocksim trace summary`, computed from a completions DataFrame.

Percentiles follow the C++ summary (sim/trace/latency_histogram.hpp) exactly: the value of rank
max(1, ceil(p * n)) is located, and the midpoint of its log-linear bucket (exact below 1024 ns,
then 1024 buckets per power of two) is reported, clamped to the smallest and largest value. That
is within 0.05 % of the exact order statistic, and equal to what blocksim prints.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

SUB_BUCKET_BITS = 10
SUMMARY_PERCENTILES = (0.5, 0.99, 0.999)
# The JSON summary's percentiles (sim/trace/summary_json.hpp): name and fraction.
DISTRIBUTION_PERCENTILES = (("p1", 0.01), ("p5", 0.05), ("p10", 0.10), ("p50", 0.50), ("p90", 0.90), ("p95", 0.95),
                            ("p99", 0.99), ("p99.9", 0.999), ("p99.99", 0.9999))
_LAYER_ORDER = ["device", "driver", "media", "aio"]
_OP_ORDER = ["read", "write", "flush", "unmap", "eject", "format", "all"]


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
    n = len(values)
    if n == 0:
        return 0.0
    rank = max(1, math.ceil(p * n))
    value = int(np.partition(values, rank - 1)[rank - 1])
    if exact:
        return float(value)
    low, high = _bucket_bounds(value)
    return float(min(max((low + high) / 2, values.min()), values.max()))


def _distribution(row: dict, prefix: str, values: np.ndarray) -> None:
    """min, mean, stdev (n - 1), p1 ... p99.99 and max of ``values`` (ns) as PREFIX + name + "_us"."""
    row[f"{prefix}min_us"] = int(values.min()) / 1e3
    row[f"{prefix}mean_us"] = int(values.sum()) / len(values) / 1e3
    row[f"{prefix}stdev_us"] = float(np.std(values, ddof=1)) / 1e3 if len(values) > 1 else 0.0
    for name, p in DISTRIBUTION_PERCENTILES:
        row[f"{prefix}{name}_us"] = percentile(values, p) / 1e3
    row[f"{prefix}max_us"] = int(values.max()) / 1e3


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
    rows = []
    for layer in [l for l in _LAYER_ORDER if l in set(completions["layer"])]:
        at_layer = completions[completions["layer"] == layer]
        groups = [(op, at_layer[at_layer["op"] == op]) for op in _OP_ORDER[:-1] if op in set(at_layer["op"])]
        groups.append(("all", at_layer))
        for op, group in groups:
            latency = group["latency_ns"].to_numpy(dtype=np.int64)
            count = len(group)
            row = {
                "layer": layer,
                "op": op,
                "requests": count,
                "errors": int((group["status"] != 0).sum()),
                "iops": count / span_s if span_s > 0 else 0.0,
                "mb_per_s": int(group["bytes"].sum()) / span_s / 1e6 if span_s > 0 else 0.0,
                "mean_us": int(latency.sum()) / count / 1e3,
            }
            for p in SUMMARY_PERCENTILES:
                row[f"p{p * 100:g}_us"] = percentile(latency, p) / 1e3
            row["max_us"] = int(latency.max()) / 1e3
            row["bytes"] = int(group["bytes"].sum())
            _distribution(row, "", latency)
            submit = group["submit_ns"].to_numpy(dtype=np.int64)
            complete = group["complete_ns"].to_numpy(dtype=np.int64)
            dispatch = np.clip(group["dispatch_ns"].to_numpy(dtype=np.int64), submit, complete)
            _distribution(row, "queueing_", dispatch - submit)
            _distribution(row, "service_", complete - dispatch)
            rows.append(row)
    return pd.DataFrame(rows)


def _groups(completions: pd.DataFrame, by) -> list:
    """(key dict, frame) per group present, in a stable order: layers and ops in enum order."""
    by = [by] if isinstance(by, str) else list(by or [])
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
    rows = []
    for key, group in _groups(completions, by):
        latency = group["latency_ns"].to_numpy(dtype=np.int64)
        row = dict(key, count=len(latency), mean_us=float(latency.mean()) / 1e3 if len(latency) else np.nan)
        for p in percentiles:
            row[f"p{p * 100:g}_us"] = percentile(latency, p, exact=True) / 1e3
        rows.append(row)
    return pd.DataFrame(rows)


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
