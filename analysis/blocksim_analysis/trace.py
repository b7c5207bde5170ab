"""Reads a blocksim trace (docs/trace_format.md) into a pandas DataFrame of completions.

The file is the magic ``BSIMTRC1``, a length-delimited TraceHeader, then length-delimited
TraceRecords; gzip-compressed files are read as they are.
"""

from __future__ import annotations

import dataclasses
import gzip
from typing import BinaryIO, Optional

import numpy as np
import pandas as pd

from blocksim import trace_pb2

MAGIC = b"BSIMTRC1"

# Column name -> numpy dtype. Times are integer nanoseconds; ``op`` and ``layer`` are the names
# of the trace.proto enums without their prefix ("read", "device"); ``status`` is the IOReturn.
COMPLETION_COLUMNS = {
    "request_id": np.uint64,
    "parent_id": np.uint64,
    "device": np.uint32,
    "op": object,
    "layer": object,
    "flags": np.uint32,
    "lba": np.uint64,
    "blocks": np.uint64,
    "bytes": np.uint64,
    "submit_ns": np.int64,
    "dispatch_ns": np.int64,
    "complete_ns": np.int64,
    "status": np.uint32,
    "queue_depth": np.uint32,
    "latency_ns": np.int64,
}

# The trace's event records (TraceEvent: faults, scenario events, RAID sets going degraded).
EVENT_COLUMNS = {
    "time_ns": np.int64,
    "kind": object,
    "device": np.int32,
    "target": object,
    "lba": np.uint64,
    "blocks": np.uint64,
    "detail": object,
}

_OP_NAMES = {v.number: v.name[len("OP_"):].lower() for v in trace_pb2.Op.DESCRIPTOR.values}
_LAYER_NAMES = {v.number: v.name[len("LAYER_"):].lower() for v in trace_pb2.Layer.DESCRIPTOR.values}


class TraceFormatError(ValueError):
    """The file is not a blocksim trace, or it ends inside a record."""


@dataclasses.dataclass
class Trace:
    header: trace_pb2.TraceHeader
    completions: pd.DataFrame
    end: Optional[trace_pb2.RunEnd]
    # One row per event record, in the order they happened (columns EVENT_COLUMNS).
    events: pd.DataFrame = dataclasses.field(
        default_factory=lambda: pd.DataFrame({name: np.asarray([], dtype=t) for name, t in EVENT_COLUMNS.items()}))


def _read_varint(stream: BinaryIO) -> Optional[int]:
    result = 0
    shift = 0
    while True:
        byte = stream.read(1)
        if not byte:
            if shift == 0:
                return None
            raise TraceFormatError("the file ends inside a record length")
        value = byte[0]
        result |= (value & 0x7F) << shift
        if value < 0x80:
            return result
        shift += 7
        if shift > 63:
            raise TraceFormatError("a record length is damaged")


def _read_message(stream: BinaryIO, message, what: str) -> bool:
    length = _read_varint(stream)
    if length is None:
        return False
    data = stream.read(length)
    if len(data) != length:
        raise TraceFormatError(f"the file ends inside {what}")
    message.ParseFromString(data)
    return True


def _open(path: str) -> BinaryIO:
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else open(path, "rb")


def read_trace(path: str) -> Trace:
    """Reads the whole trace at ``path``; raises TraceFormatError naming the file on bad input."""
    with _open(path) as stream:
        if stream.read(len(MAGIC)) != MAGIC:
            raise TraceFormatError(f"{path}: not a blocksim trace (it does not start with {MAGIC.decode()})")
        header = trace_pb2.TraceHeader()
        if not _read_message(stream, header, "the trace header"):
            raise TraceFormatError(f"{path}: the file ends before the trace header")
        columns = {name: [] for name in COMPLETION_COLUMNS if name != "latency_ns"}
        events = {name: [] for name in EVENT_COLUMNS}
        end = None
        record = trace_pb2.TraceRecord()
        count = 0
        while True:
            try:
                if not _read_message(stream, record, f"record {count + 1}"):
                    break
            except TraceFormatError as error:
                raise TraceFormatError(f"{path}: {error}") from None
            count += 1
            kind = record.WhichOneof("kind")
            if kind == "completion":
                c = record.completion
                columns["request_id"].append(c.request_id)
                columns["parent_id"].append(c.parent_id)
                columns["device"].append(c.device)
                columns["op"].append(_OP_NAMES.get(c.op, str(c.op)))
                columns["layer"].append(_LAYER_NAMES.get(c.layer, str(c.layer)))
                columns["flags"].append(c.flags)
                columns["lba"].append(c.lba)
                columns["blocks"].append(c.blocks)
                columns["bytes"].append(c.bytes)
                columns["submit_ns"].append(c.submit_ns)
                # A converted trace leaves out times its source did not record (as the C++ reader does).
                columns["dispatch_ns"].append(c.dispatch_ns if c.HasField("dispatch_ns") else c.submit_ns)
                columns["complete_ns"].append(c.complete_ns if c.HasField("complete_ns") else c.submit_ns)
                columns["status"].append(c.status)
                columns["queue_depth"].append(c.queue_depth)
            elif kind == "end":
                end = trace_pb2.RunEnd()
                end.CopyFrom(record.end)
            elif kind == "event":
                e = record.event
                for name in EVENT_COLUMNS:
                    events[name].append(getattr(e, name))
    frame = pd.DataFrame({name: np.asarray(values, dtype=COMPLETION_COLUMNS[name]) for name, values in columns.items()})
    frame["latency_ns"] = (frame["complete_ns"] - frame["submit_ns"]).astype(np.int64)
    event_frame = pd.DataFrame({name: np.asarray(values, dtype=EVENT_COLUMNS[name]) for name, values in events.items()})
    return Trace(header=header, completions=frame, end=end, events=event_frame)
