"""Plots of a run with matplotlib: latency CDFs, throughput and queue depth over time, the LBA
heat map, and two runs compared. Each function draws on ``ax`` (a new figure's when None) and
returns it, so plots compose into figures of one's own."""

from __future__ import annotations

from typing import Mapping, Optional

from .heatmap import lba_heatmap
from .stats import completions_of, latency_cdf
from .timeseries import queue_depth, throughput


# One colour per operation in every plot (matplotlib's default cycle otherwise gives write blue in
# one plot and read blue in the next, by order of appearance).
OP_COLORS = {"read": "#1f77b4", "write": "#d62728", "flush": "#2ca02c", "unmap": "#9467bd", "eject": "#8c564b",
             "format": "#7f7f7f", "all": "#000000"}


def op_color(op) -> Optional[str]:
    """The fixed colour of operation ``op`` (None for anything else: matplotlib's cycle)."""
    return OP_COLORS.get(str(op))


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt
    # constrained layout: the axis labels and legend fit inside the saved figure
    return plt.subplots(figsize=(7, 4), layout="constrained")[1]


def plot_latency_cdf(runs, ax=None, layer: Optional[str] = "device", by_op: bool = True, log: bool = True):
    """The latency CDF of one run (a Trace, Result or completions frame) per op, or of several
    runs (a dict label -> run) one curve each. The legend names the layer (``layer=None``: every
    layer's records together, "all layers")."""
    ax = _axes(ax)
    runs = runs if isinstance(runs, Mapping) else {"": runs}
    positive = False  # a log axis needs a latency above 0 (requests refused at once take none)
    for label, run in runs.items():
        frame = completions_of(run)
        if layer is not None:
            frame = frame[frame["layer"] == layer]
        cdf = latency_cdf(frame, by=("op",) if by_op else ())
        for op, group in cdf.groupby("op", sort=False) if by_op else [("", cdf)]:
            name = " ".join(part for part in (label, layer or "all layers", str(op)) if part)
            color = op_color(op) if by_op and len(runs) == 1 else None
            ax.step(group["latency_us"], group["fraction"], where="post", label=name, color=color)
            positive = positive or bool((group["latency_us"] > 0).any())
    if log and positive:
        ax.set_xscale("log")
    return cdf_axes(ax)


def cdf_axes(ax):
    """Labels, limits, grid and legend of a latency CDF drawn on ``ax``."""
    ax.set_xlabel("latency (µs)")
    ax.set_ylabel("fraction of requests")
    ax.set_ylim(0, 1.01)
    ax.grid(True, alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend()
    return ax


def plot_throughput(run, ax=None, interval_ns: Optional[int] = None, layer: Optional[str] = "device",
                    figure: str = "mb_per_s"):
    """Throughput (``figure`` "mb_per_s" or "iops") per op over simulated time."""
    ax = _axes(ax)
    table = throughput(completions_of(run), interval_ns=interval_ns, layer=layer)
    for op, group in table.groupby("op", sort=False):
        ax.plot(group["time_s"], group[figure], label=str(op), drawstyle="steps-post", color=op_color(op))
    ax.set_xlabel("simulated time (s)")
    ax.set_ylabel("MB/s" if figure == "mb_per_s" else "IOPS")
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    if len(table):
        ax.legend()
    return ax


def plot_queue_depth(run, ax=None, interval_ns: Optional[int] = None, layer: Optional[str] = "device"):
    """Requests outstanding at ``layer`` over simulated time: the mean per interval, and the max."""
    ax = _axes(ax)
    table = queue_depth(completions_of(run), interval_ns=interval_ns, layer=layer)
    ax.plot(table["time_s"], table["mean"], label="mean", drawstyle="steps-post")
    ax.plot(table["time_s"], table["max"], label="max", drawstyle="steps-post", alpha=0.6)
    ax.set_xlabel("simulated time (s)")
    ax.set_ylabel("requests outstanding")
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend()
    return ax


def plot_lba_heatmap(run, ax=None, device: int = 0, time_bins: int = 100, lba_bins: int = 100,
                     layer: Optional[str] = "device", weight: str = "requests", max_lba: Optional[int] = None,
                     used_range: bool = False):
    """Where requests went on device ``device`` over simulated time (colour: requests or bytes);
    ``max_lba`` fixes the LBA axis (e.g. the device's block count), ``used_range`` spans only the
    LBAs touched."""
    ax = _axes(ax)
    heat = lba_heatmap(completions_of(run), time_bins=time_bins, lba_bins=lba_bins, layer=layer, device=device,
                       weight=weight, max_lba=max_lba, used_range=used_range)
    mesh = ax.pcolormesh(heat.time_edges_s, heat.lba_edges, heat.counts.T, shading="flat", cmap="viridis")
    ax.figure.colorbar(mesh, ax=ax, label=weight)
    ax.set_xlabel("simulated time (s)")
    ax.set_ylabel("LBA")
    return ax


def plot_comparison(runs: Mapping[str, object], ax=None, layer: Optional[str] = "device"):
    """The latency CDFs of several runs (label -> run), all operations together, one curve each."""
    return plot_latency_cdf(runs, ax=ax, layer=layer, by_op=False)


def figure_png(fig) -> bytes:
    """A figure as PNG bytes, for embedding in a page."""
    import io
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()
