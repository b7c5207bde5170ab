"""Simulated against measured latencies: the mean error and the demerit of Ruemmler and Wilkes, the
root-mean-square horizontal distance between two response-time CDFs, in ms and as a percentage of
the measured mean. It is how DiskSim reports a model's accuracy and how blocksim's models are
calibrated against real drives (docs/replay.md, ../shared/reference/model-facts.md §1.1, §3.3).

``demerit_ms`` computes it as DiskSim 4.0's `rms` does, and so as `blocksim replay` prints it:

- each latency truncated to whole microseconds and counted in DiskSim's 1750 buckets, with edges
  e0 = 0, e(i+1) = e(i) + 1 + e(i) // 100 us; values at or above e(1748) share the last bucket;
- each CDF the points (e(i) in ms, share of values below e(i) rounded to 6 decimals), cut after
  the first that reaches 1;
- both inverted by linear interpolation at p = 0.0001, 0.0002, ... (10,000 points, p advanced by
  repeated addition), and the RMS of the differences taken, in ms.

``demerit(measured, simulated)`` gives the figure with its percentage and both means, on the exact
empirical CDFs by default (the same inversion through every order statistic, no binning: DiskSim's
bins are about 0.15 ms wide near 15 ms), or with ``binning="disksim"`` as ``demerit_ms``.

    from blocksim_analysis import demerit, demerit_ms, mean_error_percent
    demerit_ms(simulated_ns, measured_ns)
    demerit(measured_ns, simulated_ns).percent
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from typing import Optional

import numpy as np

BUCKETS = 1750


def _edges() -> list[int]:
    edges = [0]
    for _ in range(BUCKETS - 1):
        edges.append(edges[-1] + 1 + edges[-1] // 100)
    return edges


EDGES_US = _edges()


def cdf_points(latencies_ns) -> list[tuple[float, float]]:
    """The CDF of the latencies as DiskSim prints it: (edge in ms, share below it)."""
    counts = [0] * BUCKETS
    values = np.asarray(latencies_ns, dtype=np.int64)
    for us in (np.maximum(values, 0) // 1000).tolist():
        bucket = bisect.bisect_right(EDGES_US, us, 1, BUCKETS - 1)  # first i >= 1 with us < e(i), at most 1749
        counts[bucket] += 1
    points, below = [], 0
    for i in range(BUCKETS):
        below += counts[i]
        y = round(below / len(values) * 1e6) / 1e6
        points.append((EDGES_US[i] / 1000.0, y))
        if y >= 1.0:
            break
    return points


def _inverse(points, p, at):
    while at + 1 < len(points) and points[at][1] < p:
        at += 1
    if at == 0:
        return points[0][0], at
    (x0, y0), (x1, y1) = points[at - 1], points[at]
    return (x1 if y1 <= y0 else x0 + (p - y0) / (y1 - y0) * (x1 - x0)), at


def demerit_ms(simulated_ns, measured_ns) -> float:
    """The demerit in ms between the simulated and measured latencies (ns); 0 if either is empty."""
    if len(simulated_ns) == 0 or len(measured_ns) == 0:
        return 0.0
    sim, real = cdf_points(simulated_ns), cdf_points(measured_ns)
    at_sim = at_real = 0
    total, points, p = 0.0, 0, 0.0001
    while p <= 1.0:
        x_sim, at_sim = _inverse(sim, p, at_sim)
        x_real, at_real = _inverse(real, p, at_real)
        total += (x_sim - x_real) ** 2
        points += 1
        p += 0.0001
    return math.sqrt(total / points)


def mean_error_percent(simulated_ns, measured_ns) -> float:
    """(simulated mean - measured mean) / measured mean, in %."""
    real = float(np.mean(measured_ns))
    return (float(np.mean(simulated_ns)) - real) / real * 100.0 if real > 0 else 0.0


@dataclasses.dataclass
class Demerit:
    rms_ms: float                # the demerit itself
    percent: float               # of the measured mean
    measured_mean_ms: float
    simulated_mean_ms: float


def _probabilities() -> np.ndarray:
    points = []
    p = 0.0001
    while p <= 1.0:  # DiskSim's loop, rounding and all: 10,000 points, the last just under 1
        points.append(p)
        p += 0.0001
    return np.array(points)


def _exact_inverse(values_ms: np.ndarray, p: np.ndarray) -> np.ndarray:
    """x(p) on the empirical CDF drawn through (min, 0) and (x_k, k/n): the first point with
    y >= p, interpolated linearly from the point before it."""
    x = np.concatenate([[values_ms.min()], np.sort(values_ms)])
    y = np.arange(len(x)) / (len(x) - 1)
    i = np.clip(np.searchsorted(y, p, side="left"), 1, len(y) - 1)
    return x[i - 1] + (p - y[i - 1]) / (y[i] - y[i - 1]) * (x[i] - x[i - 1])


def demerit(measured_ns, simulated_ns, binning: Optional[str] = None) -> Demerit:
    """The demerit of ``simulated_ns`` against ``measured_ns`` (response times in ns; arrays or
    Series). ``binning`` None for the exact curves, "disksim" for DiskSim's histogram."""
    measured = np.asarray(measured_ns, dtype=np.float64)
    simulated = np.asarray(simulated_ns, dtype=np.float64)
    if len(measured) == 0 or len(simulated) == 0:
        raise ValueError("demerit needs response times on both sides")
    if binning == "disksim":
        rms = demerit_ms(simulated.astype(np.int64), measured.astype(np.int64))
    elif binning is None:
        p = _probabilities()
        rms = float(np.sqrt(np.mean((_exact_inverse(simulated / 1e6, p) - _exact_inverse(measured / 1e6, p)) ** 2)))
    else:
        raise ValueError('binning must be None or "disksim"')
    mean = float(measured.mean()) / 1e6
    return Demerit(rms_ms=rms, percent=100.0 * rms / mean if mean > 0 else float("nan"), measured_mean_ms=mean,
                   simulated_mean_ms=float(simulated.mean()) / 1e6)
