"""A trace read whole, and reading one through the C++ decoder: the whole file in one pass, the
completions straight into numpy. ``blocksim_analysis.read_trace`` uses this when the extension is
built and falls back to its pure-Python reader otherwise; both give a Trace with the same frame."""

from __future__ import annotations

import dataclasses
import os
from typing import Optional

import pandas as pd

from . import faults_pb2, trace_pb2
from .columns import completions_frame, events_frame


@dataclasses.dataclass
class Trace:
    """A trace read whole. ``completions`` is the DataFrame of its completion records (None when
    read without them); ``summary`` the table ``blocksim trace summary`` prints, as a DataFrame
    (``summary_text`` the text itself, empty from the pure-Python reader); ``end`` is None for a
    run cut short."""

    path: str
    header: trace_pb2.TraceHeader
    completions: Optional[pd.DataFrame]
    end: Optional[trace_pb2.RunEnd]
    summary: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    summary_text: str = ""
    # One row per event record (faults, scenario events, RAID sets going degraded), in the order
    # they happened; columns blocksim.columns.EVENT_COLUMNS.
    events: pd.DataFrame = dataclasses.field(default_factory=lambda: events_frame([]))

    @property
    def metrics(self) -> dict:
        """The RunEnd's device metrics, name -> value (``ssd0.write_amplification`` ...); empty
        for a run cut short."""
        return {m.name: m.value for m in self.end.metric} if self.end is not None else {}

    def device_model(self, index: int) -> str:
        """The model of device ``index`` ("reference", "hdd", "ssd" ...)."""
        return self.header.device[index].model if index < len(self.header.device) else ""


def read_trace(path, completions: bool = True) -> Trace:
    """Reads the trace at ``path`` (plain or gzip). With ``completions=False`` only the header,
    end and summary are kept (faster, and no memory for the records)."""
    # Imported here, not above: the Trace class serves the pure-Python reader without the extension.
    from . import _blocksim

    path = os.fspath(path)
    raw = _blocksim.read_trace(path, completions)
    header = trace_pb2.TraceHeader()
    header.ParseFromString(raw["header"])
    end = None
    if raw["end"] is not None:
        end = trace_pb2.RunEnd()
        end.ParseFromString(raw["end"])
    frame = completions_frame(raw["columns"]) if completions else None
    events = []
    for data in raw["events"]:
        event = faults_pb2.TraceEvent()
        event.ParseFromString(data)
        events.append(event)
    return Trace(path=path, header=header, completions=frame, end=end, summary=pd.DataFrame(raw["summary"]),
                 summary_text=raw["summary_text"], events=events_frame(events))
