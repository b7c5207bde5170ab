"""Two runs side by side: the summary figures of each per layer and operation, their ratio, and
the demerit of the second's latency distribution against the first's."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .demerit import demerit
from .stats import summarize

FIGURES = ["requests", "iops", "mb_per_s", "mean_us", "p50_us", "p99_us", "p99.9_us", "max_us"]


def _frame(run) -> pd.DataFrame:
    """The completions of a Trace, a blocksim.Result, or a DataFrame of completions."""
    if isinstance(run, pd.DataFrame):
        return run
    return run.completions


def compare(a, b, labels: Sequence[str] = ("a", "b"), layer: str = "device") -> pd.DataFrame:
    """One row per operation present in either run at ``layer`` (and "all"): each figure of the
    summary for both runs (columns ``<figure>_<label>``), the ratio second / first of each, and
    ``demerit_ms`` / ``demerit_pct``: the second's latency CDF against the first's."""
    first, second = _frame(a), _frame(b)
    first, second = first[first["layer"] == layer], second[second["layer"] == layer]
    sa, sb = summarize(first), summarize(second)
    ops = [op for op in dict.fromkeys(list(sa.get("op", [])) + list(sb.get("op", [])))]
    rows = []
    for op in ops:
        row = {"op": op}
        ra, rb = sa[sa["op"] == op], sb[sb["op"] == op]
        for figure in FIGURES:
            va = float(ra[figure].iloc[0]) if len(ra) else np.nan
            vb = float(rb[figure].iloc[0]) if len(rb) else np.nan
            row[f"{figure}_{labels[0]}"] = va
            row[f"{figure}_{labels[1]}"] = vb
            row[f"{figure}_ratio"] = vb / va if va else np.nan
        la = first["latency_ns"] if op == "all" else first.loc[first["op"] == op, "latency_ns"]
        lb = second["latency_ns"] if op == "all" else second.loc[second["op"] == op, "latency_ns"]
        if len(la) and len(lb):
            figure = demerit(la, lb)
            row["demerit_ms"], row["demerit_pct"] = figure.rms_ms, figure.percent
        else:
            row["demerit_ms"] = row["demerit_pct"] = np.nan
        rows.append(row)
    return pd.DataFrame(rows)
