"""One self-contained HTML page about a run, from its trace: the devices, the summary table,
latency CDFs, throughput, IOPS and queue depth over time, where on each device requests went,
and the devices' end-of-run metrics, with garbage collection and write amplification called out
for SSDs. Plots are PNGs embedded as base64, so the page is one file that opens anywhere.

    python3 -m blocksim_analysis.report TRACE -o report.html      (what `blocksim report` runs)
"""

from __future__ import annotations

import argparse
import base64
import datetime
import html
import sys
from typing import Callable, Optional

import pandas as pd

from .plots import figure_png, plot_latency_cdf, plot_lba_heatmap, plot_queue_depth, plot_throughput
from .stats import summarize
from .trace import Trace, TraceFormatError, read_trace

# Metric names (after the device's name) that belong to an SSD's garbage collection and write
# amplification section; the SSD model reports them in the trace's RunEnd.
_SSD_WORDS = ("write_amplification", "gc", "garbage", "erase", "valid_pages", "relocat", "wear")

_STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
img { max-width: 100%; } .note { color: #666; font-size: 0.9em; }
.figures { font-size: 1.1em; } .figures b { font-size: 1.2em; }
"""


def _png(draw: Callable, size=(8, 3.6)) -> str:
    from matplotlib.figure import Figure
    fig = Figure(figsize=size)
    draw(fig.subplots())
    return '<img alt="plot" src="data:image/png;base64,' + base64.b64encode(figure_png(fig)).decode() + '">'


def _table(frame: pd.DataFrame, digits: int = 3) -> str:
    return frame.to_html(index=False, float_format=lambda v: f"{v:,.{digits}f}", border=0)


def _devices(trace: Trace) -> str:
    rows = [{"device": d.index, "name": d.name, "model": d.model, "block size": d.block_size,
             "capacity (bytes)": f"{d.capacity_bytes:,}"} for d in trace.header.device]
    return _table(pd.DataFrame(rows))


def _metrics(trace: Trace) -> str:
    if trace.end is None:
        return '<p class="note">The run was cut short (no RunEnd record): no end-of-run metrics.</p>'
    if not trace.end.metric:
        return '<p class="note">The devices reported no end-of-run metrics.</p>'
    rows = [{"metric": m.name, "value": m.value, "unit": m.unit} for m in trace.end.metric]
    return _table(pd.DataFrame(rows))


def _ssd_sections(trace: Trace) -> str:
    parts = []
    metrics = list(trace.end.metric) if trace.end is not None else []
    for device in trace.header.device:
        if device.model != "ssd":
            continue
        prefix = device.name + "."
        mine = [m for m in metrics if m.name.startswith(prefix)
                and any(word in m.name[len(prefix):].lower() for word in _SSD_WORDS)]
        parts.append(f"<h2>SSD {html.escape(device.name)}: garbage collection and write amplification</h2>")
        if not mine:
            parts.append('<p class="note">The trace holds no garbage collection or write amplification '
                         'metrics for this device.</p>')
            continue
        headline = [m for m in mine if "write_amplification" in m.name.lower()]
        if headline:
            parts.append('<p class="figures">' + "; ".join(
                f"{html.escape(m.name[len(prefix):])}: <b>{m.value:.3f}</b>" for m in headline) + "</p>")
        parts.append(_table(pd.DataFrame([{"metric": m.name[len(prefix):], "value": m.value, "unit": m.unit}
                                          for m in mine])))
    return "\n".join(parts)


def render(trace: Trace, title: Optional[str] = None) -> str:
    """The report page for ``trace`` as an HTML string."""
    frame = trace.completions
    scenario = trace.header.scenario
    title = title or f"blocksim run: {scenario.name or trace.header.scenario_path or trace.path}"
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
             f"<style>{_STYLE}</style></head><body>", f"<h1>{html.escape(title)}</h1>",
             f"<p class='note'>trace {html.escape(trace.path)}; scenario {html.escape(trace.header.scenario_path)}, "
             f"seed {scenario.seed}; blocksim {html.escape(trace.header.blocksim_version)}; "
             f"{len(frame):,} completion records; report written "
             f"{datetime.datetime.now().isoformat(timespec='seconds')}</p>",
             "<h2>Devices</h2>", _devices(trace), "<h2>Summary</h2>"]
    if frame.empty:
        parts.append('<p class="note">The trace holds no completions.</p>')
    else:
        span = (int(frame["complete_ns"].max()) - int(frame["submit_ns"].min())) * 1e-9
        parts += [f"<p>simulated time {span:.6f} s. Latency in microseconds, from submit to completion at each "
                  "layer; MB/s in 10<sup>6</sup> bytes.</p>", _table(summarize(frame))]
        layers = [str(layer) for layer in frame["layer"].cat.remove_unused_categories().cat.categories]
        parts.append("<h2>Latency</h2>")
        for layer in layers:
            parts += [f"<h3>{html.escape(layer)} layer</h3>", _png(lambda ax, l=layer: plot_latency_cdf(frame, ax, l))]
        base = "device" if "device" in layers else layers[0]
        parts += ["<h2>Throughput and IOPS over time</h2>",
                  _png(lambda ax: plot_throughput(frame, ax, layer=base, figure="mb_per_s")),
                  _png(lambda ax: plot_throughput(frame, ax, layer=base, figure="iops")),
                  f"<h2>Queue depth over time ({base} layer)</h2>",
                  _png(lambda ax: plot_queue_depth(frame, ax, layer=base))]
        parts.append("<h2>Where requests went</h2>")
        for device in sorted(set(int(d) for d in frame["device"].unique())):
            known = device < len(trace.header.device)
            info = trace.header.device[device] if known else None
            name = info.name if known else str(device)
            blocks = info.capacity_bytes // info.block_size if known and info.block_size else None
            parts += [f"<h3>{html.escape(name)}</h3>",
                      _png(lambda ax, d=device, b=blocks: plot_lba_heatmap(frame, ax, device=d, layer=base, max_lba=b))]
    parts += [_ssd_sections(trace), "<h2>Device metrics</h2>", _metrics(trace), "</body></html>"]
    return "\n".join(parts)


def write_report(trace_path: str, output: str, title: Optional[str] = None) -> None:
    """Reads the trace and writes its report page to ``output``."""
    page = render(read_trace(trace_path), title)
    with open(output, "w", encoding="utf-8") as out:
        out.write(page)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="blocksim report",
                                     description="Writes one self-contained HTML report of a blocksim trace.")
    parser.add_argument("trace")
    parser.add_argument("-o", "--output", required=True, help="the HTML file to write")
    parser.add_argument("--title", help="the page's title (default: from the scenario)")
    arguments = parser.parse_args(argv)
    try:
        write_report(arguments.trace, arguments.output, arguments.title)
    except (TraceFormatError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"report: {arguments.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
