"""Reads a blocksim trace (docs/trace_format.md) into a pandas DataFrame of completions.

The C++ decoder of the ``blocksim`` package reads the whole file in one pass, straight into
numpy (a million records in well under a second); when the extension is not built, the
pure-Python reader here reads the same file into the same frame, record by record (about a
hundred times slower), and works the summary out with ``summarize`` (the same figures; no
``summary_text``). The frame's columns and dtypes are ``blocksim.columns.COMPLETION_COLUMNS``;
the Trace is ``blocksim.Trace``.

The file is the magic ``BSIMTRC1``, a length-delimited TraceHeader, then length-delimited
TraceRecords; gzip-compressed files are read as they are.
"""

from __future__ import annotations

import gzip
import os
from typing import BinaryIO, Optional

import numpy as np

from blocksim import faults_pb2, trace_pb2
from blocksim.columns import COMPLETION_COLUMNS, EVENT_COLUMNS, completions_frame, events_frame
from blocksim.errors import TraceFormatError
from blocksim.traces import Trace

from .stats import summarize

MAGIC = b"BSIMTRC1"

__all__ = ["COMPLETION_COLUMNS", "EVENT_COLUMNS", "MAGIC", "Trace", "TraceFormatError", "read_trace"]


def read_trace(path, engine: str = "auto") -> Trace:
    """Reads the whole trace at ``path``; raises TraceFormatError naming the file on bad input.
    ``engine`` is "c++" (the blocksim extension), "python" (this module) or "auto" (C++ when
    the extension is built)."""
    path = os.fspath(path)
    if engine not in ("auto", "c++", "python"):
        raise ValueError('engine must be "auto", "c++" or "python"')
    if engine != "python":
        try:
            from blocksim import _blocksim, traces  # noqa: F401  (whether the extension is built)
        except ImportError:
            if engine == "c++":
                raise
        else:
            return traces.read_trace(path)
    return _read_in_python(path)


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


_FIELDS = [name for name in COMPLETION_COLUMNS if name != "latency_ns"]


def _read_in_python(path: str) -> Trace:
    with _open(path) as stream:
        if stream.read(len(MAGIC)) != MAGIC:
            raise TraceFormatError(f"{path}: not a blocksim trace (it does not start with {MAGIC.decode()})")
        header = trace_pb2.TraceHeader()
        if not _read_message(stream, header, "the trace header"):
            raise TraceFormatError(f"{path}: the file ends before the trace header")
        columns = {name: [] for name in _FIELDS}
        end = None
        events = []
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
                for name in _FIELDS:
                    columns[name].append(getattr(c, name))
                # A converted trace leaves out times its source did not record (as the C++ reader does).
                if not c.HasField("dispatch_ns"):
                    columns["dispatch_ns"][-1] = c.submit_ns
                if not c.HasField("complete_ns"):
                    columns["complete_ns"][-1] = c.submit_ns
            elif kind == "end":
                end = trace_pb2.RunEnd()
                end.CopyFrom(record.end)
            elif kind == "event":
                event = faults_pb2.TraceEvent()
                event.CopyFrom(record.event)
                events.append(event)
    arrays = {name: np.asarray(values, dtype=np.int64 if name in ("op", "layer") else COMPLETION_COLUMNS[name])
              for name, values in columns.items()}
    frame = completions_frame(arrays)
    return Trace(path=path, header=header, completions=frame, end=end, summary=summarize(frame),
                 events=events_frame(events))
