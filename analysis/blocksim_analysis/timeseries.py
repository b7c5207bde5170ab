"""Figures over simulated time: throughput and IOPS per interval, and the queue depth at a
layer (requests outstanding), computed exactly from the records' submit and complete times.

Intervals are half-open ``[start, start + interval)`` from the first submit of the frame; a
request counts toward the interval in which it completed.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd


def _at_layer(completions: pd.DataFrame, layer: Optional[str], device: Optional[int]) -> pd.DataFrame:
    frame = completions
    if layer is not None:
        frame = frame[frame["layer"] == layer]
    if device is not None:
        frame = frame[frame["device"] == device]
    return frame


def default_interval_ns(completions: pd.DataFrame, intervals: int = 100) -> int:
    """An interval that cuts the frame's span into about ``intervals`` pieces, at least 1 ns."""
    if completions.empty:
        return 1
    span = int(completions["complete_ns"].max()) - int(completions["submit_ns"].min())
    return max(1, -(-span // intervals))


def throughput(completions: pd.DataFrame, interval_ns: Optional[int] = None, layer: Optional[str] = "device",
               device: Optional[int] = None, by_op: bool = True) -> pd.DataFrame:
    """Completions per interval: one row per interval (``time_s`` its start), and per op (when
    ``by_op``) ``iops`` and ``mb_per_s`` (1e6 bytes). Intervals without completions are zero."""
    frame = _at_layer(completions, layer, device)
    interval_ns = interval_ns or default_interval_ns(frame)
    if frame.empty:
        return pd.DataFrame(columns=["time_s", "op", "iops", "mb_per_s"])
    start = int(frame["submit_ns"].min())
    bins = (frame["complete_ns"].to_numpy(dtype=np.int64) - start) // interval_ns
    count = int(bins.max()) + 1
    ops = list(frame["op"].cat.remove_unused_categories().cat.categories) if by_op else ["all"]
    rows = []
    for op in ops:
        mask = (frame["op"] == op).to_numpy() if by_op else np.ones(len(frame), bool)
        requests = np.bincount(bins[mask], minlength=count)
        volume = np.bincount(bins[mask], weights=frame["bytes"].to_numpy(dtype=np.float64)[mask], minlength=count)
        seconds = interval_ns * 1e-9
        rows.append(pd.DataFrame({"time_s": (start + np.arange(count) * interval_ns) * 1e-9, "op": op,
                                  "iops": requests / seconds, "mb_per_s": volume / seconds / 1e6}))
    return pd.concat(rows, ignore_index=True)


def queue_depth(completions: pd.DataFrame, interval_ns: Optional[int] = None, layer: Optional[str] = "device",
                device: Optional[int] = None) -> pd.DataFrame:
    """Requests outstanding at ``layer`` (submitted there, not yet completed) over time: per
    interval the time-weighted ``mean`` and the ``max``. The mean over the whole span is the sum
    of latencies divided by the span (Little's law), exactly."""
    frame = _at_layer(completions, layer, device)
    interval_ns = interval_ns or default_interval_ns(frame)
    if frame.empty:
        return pd.DataFrame(columns=["time_s", "mean", "max"])
    times, depth = depth_steps(frame)
    start, end = int(times[0]), int(times[-1])
    edges = np.arange(start, end + interval_ns, interval_ns, dtype=np.int64)
    if edges[-1] < end:
        edges = np.append(edges, edges[-1] + interval_ns)
    # area under the step function up to each event, then at each edge (linear in between)
    area = np.concatenate([[0.0], np.cumsum(depth[:-1] * np.diff(times).astype(np.float64))])
    area_at_edges = np.interp(edges, times, area, right=area[-1])
    mean = np.diff(area_at_edges) / interval_ns
    # the largest depth reached in each interval: the depth carried in, and after each event in it
    carried = depth[np.clip(np.searchsorted(times, edges[:-1], side="right") - 1, 0, None)]
    settled = np.append(times[1:] != times[:-1], True)  # the depth once every event at a time is in
    bins = np.clip((times[settled] - start) // interval_ns, 0, len(edges) - 2)
    reached = np.zeros(len(edges) - 1, dtype=np.int64)
    np.maximum.at(reached, bins, depth[settled])
    return pd.DataFrame({"time_s": edges[:-1] * 1e-9, "mean": mean, "max": np.maximum(carried, reached)})


def depth_steps(frame: pd.DataFrame) -> tuple:
    """The outstanding-request step function of a frame: event times (sorted, completions before
    arrivals at the same ns) and the depth from each event until the next."""
    submit = frame["submit_ns"].to_numpy(dtype=np.int64)
    complete = frame["complete_ns"].to_numpy(dtype=np.int64)
    times = np.concatenate([complete, submit])
    change = np.concatenate([-np.ones(len(complete), np.int64), np.ones(len(submit), np.int64)])
    order = np.lexsort((change, times))  # by time, then -1 before +1
    return times[order], np.cumsum(change[order])
