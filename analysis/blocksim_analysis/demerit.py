"""The demerit figure of Ruemmler and Wilkes: the root-mean-square horizontal distance between two
response-time CDFs, the measured and the simulated, in ms and as a percentage of the measured
mean. It is how DiskSim reports a model's accuracy (../shared/reference/model-facts.md §1.1,
§3.3), and how blocksim's models are calibrated against real drives.

Both ways invert each CDF by linear interpolation at 10,000 probabilities p = 0.0001, 0.0002, ...
and take the RMS of the differences:

- ``binning="disksim"``: both samples are first counted in DiskSim's histogram (1 us steps to
  0.1 ms, then about 1 % wider each bin). The figure compares with DiskSim's own and with what
  ``blocksim replay`` prints, because it is the same C++ code (sim/replay/demerit.hpp, through the
  blocksim extension).
- ``binning=None`` (the default): each curve is the exact empirical CDF, through every order
  statistic, with no binning error (DiskSim's bins are about 0.15 ms wide near 15 ms).
"""

from __future__ import annotations

import dataclasses
from typing import Optional

import numpy as np


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
        from blocksim import _blocksim
        rms = _blocksim.disksim_demerit_ms(simulated.astype(np.int64), measured.astype(np.int64))
    elif binning is None:
        p = _probabilities()
        distance = _exact_inverse(simulated / 1e6, p) - _exact_inverse(measured / 1e6, p)
        rms = float(np.sqrt(np.mean(distance ** 2)))
    else:
        raise ValueError('binning must be None or "disksim"')
    mean = float(measured.mean()) / 1e6
    return Demerit(rms_ms=rms, percent=100.0 * rms / mean if mean > 0 else float("nan"), measured_mean_ms=mean,
                   simulated_mean_ms=float(simulated.mean()) / 1e6)
