"""Where on the device requests went, and when: a 2-D histogram of LBA against simulated time."""

from __future__ import annotations

import dataclasses
from typing import Optional

import numpy as np
import pandas as pd


@dataclasses.dataclass
class Heatmap:
    """``counts[i, j]``: requests (or bytes) completed in time bin i whose first LBA is in LBA
    bin j. ``time_edges_s`` and ``lba_edges`` have one more entry than their axis."""

    counts: np.ndarray
    time_edges_s: np.ndarray
    lba_edges: np.ndarray
    weight: str


def lba_heatmap(completions: pd.DataFrame, time_bins: int = 100, lba_bins: int = 100, layer: Optional[str] = "device",
                device: int = 0, weight: str = "requests", max_lba: Optional[int] = None,
                used_range: bool = False) -> Heatmap:
    """The heat map of device ``device`` at ``layer``; ``weight`` "requests" or "bytes";
    ``max_lba`` (exclusive) fixes the LBA axis, e.g. the device's block count (default: the
    largest LBA touched + 1); ``used_range`` spans only the LBAs touched, smallest to largest (on a
    large device the activity is otherwise a thin band)."""
    if weight not in ("requests", "bytes"):
        raise ValueError('weight must be "requests" or "bytes"')
    frame = completions[completions["device"] == device]
    if layer is not None:
        frame = frame[frame["layer"] == layer]
    times = frame["complete_ns"].to_numpy(dtype=np.float64) * 1e-9
    lbas = frame["lba"].to_numpy(dtype=np.float64)
    top = float(max_lba if max_lba is not None else (lbas.max() + 1 if len(lbas) else 1))
    bottom = float(lbas.min()) if used_range and len(lbas) else 0.0
    if used_range and len(lbas):
        top = float(lbas.max() + 1)
    start = times.min() if len(times) else 0.0
    stop = times.max() if len(times) else 1.0
    if stop <= start:
        stop = start + 1e-9
    counts, time_edges, lba_edges = np.histogram2d(
        times, lbas, bins=(time_bins, lba_bins), range=((start, stop), (bottom, top)),
        weights=frame["bytes"].to_numpy(dtype=np.float64) if weight == "bytes" else None)
    return Heatmap(counts=counts, time_edges_s=time_edges, lba_edges=lba_edges, weight=weight)
