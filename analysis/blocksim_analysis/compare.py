"""Two runs side by side: the summary figures of each per layer and operation, their ratio, and
the demerit of the second's latency distribution against the first's."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .demerit import demerit
from .stats import completions_of, summarize

FIGURES = ["requests", "iops", "mb_per_s", "mean_us", "p50_us", "p99_us", "p99.9_us", "max_us"]


def _figures(summary: pd.DataFrame, label: str) -> pd.DataFrame:
    """op and each of FIGURES as ``<figure>_<label>``, in floating point (the summary of no
    completions has no columns at all)."""
    figures = summary.reindex(columns=["op", *FIGURES]).astype({figure: float for figure in FIGURES})
    return figures.rename(columns={figure: f"{figure}_{label}" for figure in FIGURES})


def _demerit(first: pd.DataFrame, second: pd.DataFrame, op: str) -> tuple[float, float]:
    """The demerit of the second run's latencies of ``op`` ("all": every one) against the first's."""
    la = first["latency_ns"] if op == "all" else first.loc[first["op"] == op, "latency_ns"]
    lb = second["latency_ns"] if op == "all" else second.loc[second["op"] == op, "latency_ns"]
    if len(la) == 0 or len(lb) == 0:
        return np.nan, np.nan
    figure = demerit(la, lb)
    return figure.rms_ms, figure.percent


def compare(a, b, labels: Sequence[str] = ("a", "b"), layer: str = "device") -> pd.DataFrame:
    """One row per operation present in either run at ``layer`` (and "all"): each figure of the
    summary for both runs (columns ``<figure>_<label>``), the ratio second / first of each, and
    ``demerit_ms`` / ``demerit_pct``: the second's latency CDF against the first's."""
    first, second = completions_of(a), completions_of(b)
    first, second = first[first["layer"] == layer], second[second["layer"] == layer]
    sa, sb = summarize(first), summarize(second)
    ops = list(dict.fromkeys([*sa.get("op", []), *sb.get("op", [])]))
    if not ops:
        return pd.DataFrame()  # neither run completed anything at this layer
    # Left merges onto the ops keep their order: the first run's, then those only the second has.
    table = pd.DataFrame({"op": ops}).merge(_figures(sa, labels[0]), on="op", how="left").merge(
        _figures(sb, labels[1]), on="op", how="left")
    columns = ["op"]
    for figure in FIGURES:
        va, vb = table[f"{figure}_{labels[0]}"], table[f"{figure}_{labels[1]}"]
        table[f"{figure}_ratio"] = (vb / va).where(va != 0)
        columns += [f"{figure}_{labels[0]}", f"{figure}_{labels[1]}", f"{figure}_ratio"]
    demerits = pd.DataFrame([_demerit(first, second, op) for op in ops], columns=["demerit_ms", "demerit_pct"])
    return pd.concat([table[columns], demerits], axis=1)
