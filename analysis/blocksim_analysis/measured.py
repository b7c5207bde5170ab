"""The measured latencies of a replayed trace beside the simulated ones, for the report.

A blocksim trace of a replay records the scenario, whose replay workload names the trace that was
replayed and its format. Where that trace recorded latencies (DiskSim's validate traces their
service times, MSR Cambridge its response times), they are read back with ``blocksim trace
convert`` (the same readers as the replay, so the same requests in the same order) and paired
with the replay's own requests in issue order: for a validate trace the device's dispatch to
completion (what the drive's access time measured), otherwise issue to completion at the driver.
"""

from __future__ import annotations

import csv
import os
import pathlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from typing import Optional

import numpy as np


@dataclass
class MeasuredComparison:
    source: str             # the replayed trace
    format: str
    interval: str           # what was compared, in words
    measured_ns: np.ndarray
    simulated_ns: np.ndarray


def _blocksim_binary() -> Optional[str]:
    for candidate in (os.environ.get("BLOCKSIM_BINARY"),
                      os.path.join(os.environ["BLOCKSIM_BUILD"], "blocksim") if os.environ.get("BLOCKSIM_BUILD") else None,
                      shutil.which("blocksim")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _measured_ns(binary: str, path: str, format_name: str) -> np.ndarray:
    with tempfile.TemporaryDirectory(prefix="blocksim-report-") as folder:
        out = pathlib.Path(folder) / "measured.csv"
        command = [binary, "trace", "convert", path, str(out)]
        if format_name:
            command += ["--format", format_name]
        subprocess.run(command, check=True, capture_output=True, timeout=600)
        with open(out, newline="") as f:
            return np.array([int(row["latency_ns"]) if row["latency_ns"] else -1 for row in csv.DictReader(f)],
                            dtype=np.int64)


def measured_comparison(trace) -> Optional[MeasuredComparison]:
    """The comparison for a Trace of a replay whose source trace (still where it was) recorded
    latencies; None otherwise."""
    replays = [w.replay for w in trace.header.scenario.workload if w.HasField("replay")]
    if len(replays) != 1 or replays[0].repeat > 1 or not os.path.exists(replays[0].path):
        return None
    replay = replays[0]
    binary = _blocksim_binary()
    if binary is None:
        return None
    measured = _measured_ns(binary, replay.path, replay.format if replay.format != "auto" else "")
    if (measured < 0).all():
        return None
    frame = trace.completions
    validate = replay.format == "disksim-validate"
    layer = "device" if validate else "driver"
    records = frame[frame["layer"] == layer].sort_values("request_id")
    start = records["dispatch_ns"] if validate else records["submit_ns"]
    simulated = (records["complete_ns"] - start).to_numpy(dtype=np.int64)
    count = min(len(simulated), len(measured))
    keep = measured[:count] >= 0
    interval = ("dispatch to completion at the device, against the trace's measured access time" if validate
                else "issue to completion at the driver, against the trace's measured response time")
    return MeasuredComparison(source=replay.path, format=replay.format, interval=interval,
                              measured_ns=measured[:count][keep], simulated_ns=simulated[:count][keep])
