"""The demerit figure of Ruemmler and Wilkes: the root-mean-square horizontal distance between two
response-time CDFs, the measured and the simulated, in ms and as a percentage of the measured
mean. It is how DiskSim reports a model's accuracy (../shared/reference/model-facts.md §1.1,
§3.3), and how blocksim's models are calibrated against real drives.

The horizontal distance is taken at 10,000 probabilities p = 0.0001, 0.0002, ... (accumulated as
DiskSim's rms.c does), each curve inverted by linear interpolation between its points. With
``binning="disksim"`` both samples are first binned with DiskSim's histogram edges (1 us steps to
0.1 ms, then about 1 % wider each bin: e(i+1) = e(i) + 1 + floor(e(i) / 100) us, 1750 bins), which
makes the figure comparable with DiskSim's own; by default each curve is the exact empirical CDF.
"""

from __future__ import annotations

import dataclasses
from typing import Optional

import numpy as np

_DISKSIM_BINS = 1750


@dataclasses.dataclass
class Demerit:
    rms_ms: float                # the demerit itself
    percent: float               # of the measured mean
    measured_mean_ms: float
    simulated_mean_ms: float
    mean_abs_ms: float           # the mean (not root-mean-square) horizontal distance


def _probabilities() -> np.ndarray:
    points = []
    p = 0.0001
    while p <= 1.0:  # DiskSim's loop, rounding and all: 10,000 points, the last just under 1
        points.append(p)
        p += 0.0001
    return np.array(points)


def disksim_edges_us() -> np.ndarray:
    edges = [0]
    for _ in range(_DISKSIM_BINS - 1):
        edges.append(edges[-1] + 1 + edges[-1] // 100)
    return np.array(edges, dtype=np.int64)


def _exact_curve(values_ms: np.ndarray) -> tuple:
    """(x, y) points of the empirical CDF, starting at (min, 0): the inverse by interpolation
    goes through every order statistic."""
    x = np.sort(values_ms)
    y = np.arange(1, len(x) + 1) / len(x)
    return np.concatenate([[x[0]], x]), np.concatenate([[0.0], y])


def _disksim_curve(values_ms: np.ndarray) -> tuple:
    """DiskSim's printed distribution: edge x_i (ms) with the fraction of values below it,
    values truncated to whole us, the rows up to the first that reaches 1."""
    edges = disksim_edges_us()
    micros = np.floor(values_ms * 1000).astype(np.int64)
    bucket = np.clip(np.searchsorted(edges, micros, side="right") - 1, 0, len(edges) - 1)
    counts = np.bincount(bucket, minlength=len(edges))
    below = np.concatenate([[0], np.cumsum(counts)[:-1]]) / len(values_ms)  # F_i = P(v < e_i)
    last = int(np.argmax(below >= 1.0)) if (below >= 1.0).any() else len(edges) - 1
    return edges[:last + 1] / 1000.0, below[:last + 1]


def _inverse(x: np.ndarray, y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """x(p): the first point with y >= p, interpolated linearly from the point before it."""
    i = np.searchsorted(y, p, side="left")
    i = np.clip(i, 1, len(y) - 1)
    y0, y1, x0, x1 = y[i - 1], y[i], x[i - 1], x[i]
    step = np.where(y1 > y0, (p - y0) / np.where(y1 > y0, y1 - y0, 1), 0.0)
    return x0 + step * (x1 - x0)


def demerit(measured_ns, simulated_ns, binning: Optional[str] = None) -> Demerit:
    """The demerit of ``simulated_ns`` against ``measured_ns`` (response times in ns; arrays or
    Series). ``binning`` None for the exact curves, "disksim" for DiskSim's histogram."""
    measured = np.asarray(measured_ns, dtype=np.float64) / 1e6
    simulated = np.asarray(simulated_ns, dtype=np.float64) / 1e6
    if len(measured) == 0 or len(simulated) == 0:
        raise ValueError("demerit needs response times on both sides")
    if binning not in (None, "disksim"):
        raise ValueError('binning must be None or "disksim"')
    curve = _disksim_curve if binning == "disksim" else _exact_curve
    p = _probabilities()
    distance = _inverse(*curve(simulated), p) - _inverse(*curve(measured), p)
    rms = float(np.sqrt(np.mean(distance ** 2)))
    mean = float(measured.mean())
    return Demerit(rms_ms=rms, percent=100.0 * rms / mean if mean > 0 else float("nan"), measured_mean_ms=mean,
                   simulated_mean_ms=float(simulated.mean()), mean_abs_ms=float(np.mean(np.abs(distance))))
