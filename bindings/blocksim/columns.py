"""The completions DataFrame: its columns, their dtypes, and building it from numpy columns.

One row per completion record of a trace, at every layer that completes something. The columns
(docs/python.md has the table):

    request_id uint64, parent_id uint64, device uint32, op category, layer category,
    flags uint32, lba uint64, blocks uint64, bytes uint64, submit_ns int64, dispatch_ns int64,
    complete_ns int64, status uint32, queue_depth uint32, latency_ns int64

``op`` and ``layer`` are pandas categoricals whose categories are every name of trace.proto's
enums in enum order (``read write flush unmap eject format``; ``device driver media aio``), so
frames from different runs concatenate and compare cleanly. Times are integer nanoseconds of
simulated time; ``latency_ns`` is ``complete_ns - submit_ns``.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from . import trace_pb2

OP_NAMES = [v.name[len("OP_"):].lower() for v in sorted(trace_pb2.Op.DESCRIPTOR.values, key=lambda v: v.number)]
LAYER_NAMES = [v.name[len("LAYER_"):].lower()
               for v in sorted(trace_pb2.Layer.DESCRIPTOR.values, key=lambda v: v.number)]
OP_DTYPE = pd.CategoricalDtype(OP_NAMES, ordered=False)
LAYER_DTYPE = pd.CategoricalDtype(LAYER_NAMES, ordered=False)

COMPLETION_COLUMNS: dict = {
    "request_id": np.dtype(np.uint64),
    "parent_id": np.dtype(np.uint64),
    "device": np.dtype(np.uint32),
    "op": OP_DTYPE,
    "layer": LAYER_DTYPE,
    "flags": np.dtype(np.uint32),
    "lba": np.dtype(np.uint64),
    "blocks": np.dtype(np.uint64),
    "bytes": np.dtype(np.uint64),
    "submit_ns": np.dtype(np.int64),
    "dispatch_ns": np.dtype(np.int64),
    "complete_ns": np.dtype(np.int64),
    "status": np.dtype(np.uint32),
    "queue_depth": np.dtype(np.uint32),
    "latency_ns": np.dtype(np.int64),
}


# One row per event record (TraceEvent, faults.proto: faults, scenario events, RAID sets going
# degraded), in the order they happened. ``device`` is -1 for an event of no one device.
EVENT_COLUMNS: dict = {
    "time_ns": np.dtype(np.int64),
    "kind": np.dtype(object),
    "device": np.dtype(np.int32),
    "target": np.dtype(object),
    "lba": np.dtype(np.uint64),
    "blocks": np.dtype(np.uint64),
    "detail": np.dtype(object),
}


def events_frame(events) -> pd.DataFrame:
    """The events DataFrame from TraceEvent messages."""
    return pd.DataFrame({name: np.asarray([getattr(e, name) for e in events], dtype=dtype)
                         for name, dtype in EVENT_COLUMNS.items()})


def _categorical(codes: np.ndarray, dtype: pd.CategoricalDtype) -> pd.Categorical:
    codes = np.asarray(codes)
    if len(codes) and int(codes.max()) >= len(dtype.categories):
        raise ValueError(f"a record has a code ({int(codes.max())}) beyond {list(dtype.categories)}")
    return pd.Categorical.from_codes(codes.astype(np.int8, copy=False), dtype=dtype)


def completions_frame(columns: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """The completions DataFrame from one array per trace Completion field, ``op`` and ``layer``
    given as their enum codes."""
    data = {}
    for name, dtype in COMPLETION_COLUMNS.items():
        if name == "latency_ns":
            continue
        if name == "op":
            data[name] = _categorical(columns[name], OP_DTYPE)
        elif name == "layer":
            data[name] = _categorical(columns[name], LAYER_DTYPE)
        else:
            data[name] = np.asarray(columns[name], dtype=dtype)
    data["latency_ns"] = data["complete_ns"] - data["submit_ns"]
    return pd.DataFrame(data, copy=False)

