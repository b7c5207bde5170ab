"""One self-contained HTML page about a run, from its trace: a table of contents, the devices, the
summary table, for a replay of a trace that recorded latencies the measured-vs-simulated
comparison, latency CDFs, throughput, IOPS and queue depth over time, where on each device
requests went (over the LBAs used), and the devices' end-of-run metrics, with garbage collection
and write amplification called out for SSDs. Every plot gives an operation the same colour. Plots are PNGs embedded as base64, so the page is one file that opens anywhere.

    python3 -m blocksim_analysis.report TRACE -o report.html      (what `blocksim report` runs)
"""

from __future__ import annotations

import argparse
import base64
import datetime
import html
import sys
from typing import Callable, Optional

import numpy as np
import pandas as pd

from .demerit import demerit
from .measured import measured_comparison
from .plots import cdf_axes, figure_png, plot_latency_cdf, plot_lba_heatmap, plot_queue_depth, plot_throughput
from .stats import percentile, summarize
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
nav { background: #f7f7f7; padding: 0.5em 1em; display: inline-block; } nav ul { margin: 0.3em 0; }
"""


def _png(draw: Callable, size=(8, 3.6)) -> str:
    from matplotlib.figure import Figure
    fig = Figure(figsize=size)
    draw(fig.subplots())
    return '<img alt="plot" src="data:image/png;base64,' + base64.b64encode(figure_png(fig)).decode() + '">'


def _table(frame: pd.DataFrame, digits: int = 3) -> str:
    # Units in the headers as people write them: "mean_us" -> "mean µs".
    frame = frame.rename(columns=lambda c: c[:-3] + " µs" if str(c).endswith("_us") else c)
    # Counts as integers with thousands separators, like the other figures.
    integers = {c: (lambda v: f"{v:,}") for c in frame.columns if pd.api.types.is_integer_dtype(frame[c])}
    return frame.to_html(index=False, float_format=lambda v: f"{v:,.{digits}f}", formatters=integers, border=0)


def _value(value: float, unit: str) -> str:
    """A metric's value: counts (and any whole number) as integers."""
    if unit == "count" or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}"


def _measured(trace: Trace) -> str:
    """The measured-vs-simulated section, or "" when the trace is not of such a replay."""
    try:
        comparison = measured_comparison(trace)
    except Exception as error:  # the replayed trace moved or changed: say so, draw the rest
        return f'<p class="note">The replayed trace\'s measured latencies could not be read: {html.escape(str(error))}</p>'
    if comparison is None or len(comparison.measured_ns) == 0:
        return ""
    measured, simulated = comparison.measured_ns, comparison.simulated_ns
    figure = demerit(measured, simulated, binning="disksim")
    error = 100 * (figure.simulated_mean_ms / figure.measured_mean_ms - 1)

    def draw(ax):
        for label, values, color in (("measured", measured, "#000000"), ("simulated", simulated, "#ff7f0e")):
            values = np.sort(values) / 1e3
            ax.step(values, np.arange(1, len(values) + 1) / len(values), where="post", label=label, color=color)
        ax.set_xscale("log")
        cdf_axes(ax)

    rows = []
    for label, values in (("measured", measured), ("simulated", simulated)):
        row = {"": label, "requests": len(values), "mean_us": values.mean() / 1e3}
        for p in (0.1, 0.5, 0.9, 0.99, 0.999):
            row[f"p{p * 100:g}_us"] = percentile(values, p) / 1e3
        row["max_us"] = values.max() / 1e3
        rows.append(row)
    return "\n".join([
        f"<p class='figures'>mean error <b>{error:+.2f} %</b>, demerit <b>{figure.rms_ms:.4f} ms</b> "
        f"({figure.percent:.2f} % of the measured mean)</p>",
        f"<p class='note'>{len(measured):,} requests of {html.escape(comparison.source)} "
        f"({html.escape(comparison.format)}): {html.escape(comparison.interval)}. The demerit is the root-mean-square "
        "horizontal distance between the two CDFs, binned as DiskSim bins them (docs/replay.md).</p>",
        _png(draw), _table(pd.DataFrame(rows))])


def _same_latencies(frame: pd.DataFrame, layer: str, other: str) -> bool:
    """Whether two layers recorded the very same requests with the very same latencies."""
    a = frame[frame["layer"] == layer].sort_values("request_id")
    b = frame[frame["layer"] == other].sort_values("request_id")
    return (len(a) == len(b) and np.array_equal(a["latency_ns"].to_numpy(), b["latency_ns"].to_numpy())
            and np.array_equal(a["op"].astype(str).to_numpy(), b["op"].astype(str).to_numpy()))


def _devices(trace: Trace) -> str:
    rows = [{"device": d.index, "name": d.name, "model": d.model, "block size": d.block_size,
             "capacity (bytes)": f"{d.capacity_bytes:,}"} for d in trace.header.device]
    return _table(pd.DataFrame(rows))


def _metrics(trace: Trace) -> str:
    if trace.end is None:
        return '<p class="note">The run was cut short (no RunEnd record): no end-of-run metrics.</p>'
    if not trace.end.metric:
        return '<p class="note">The devices reported no end-of-run metrics.</p>'
    rows = [{"metric": m.name, "value": _value(m.value, m.unit), "unit": m.unit} for m in trace.end.metric]
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
        parts.append(_heading(f"SSD {device.name}: garbage collection and write amplification"))
        if not mine:
            parts.append('<p class="note">The trace holds no garbage collection or write amplification '
                         'metrics for this device.</p>')
            continue
        headline = [m for m in mine if "write_amplification" in m.name.lower()]
        if headline:
            parts.append('<p class="figures">' + "; ".join(
                f"{html.escape(m.name[len(prefix):])}: <b>{m.value:.3f}</b>" for m in headline) + "</p>")
        parts.append(_table(pd.DataFrame([{"metric": m.name[len(prefix):], "value": _value(m.value, m.unit),
                                           "unit": m.unit} for m in mine])))
    return "\n".join(parts)


def _heading(title: str) -> str:
    """An <h2> with an anchor for the table of contents (render() collects them)."""
    anchor = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    return f'<h2 id="{anchor}">{html.escape(title)}</h2>'


def _contents(parts: list) -> str:
    import re
    entries = re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', "\n".join(parts))
    return "<nav><b>Contents</b><ul>" + "".join(f'<li><a href="#{a}">{t}</a></li>' for a, t in entries) + "</ul></nav>"


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
             "<!--contents-->", _heading("Devices"), _devices(trace), _heading("Summary")]
    if frame.empty:
        parts.append('<p class="note">The trace holds no completions.</p>')
    else:
        span = (int(frame["complete_ns"].max()) - int(frame["submit_ns"].min())) * 1e-9
        parts += [f"<p>simulated time {span:.6f} s. Latency in microseconds, from submit to completion at each "
                  "layer; MB/s in 10<sup>6</sup> bytes.</p>", _table(summarize(frame))]
        measured = _measured(trace)
        if measured:
            parts += [_heading("Measured vs simulated"), measured]
        layers = [str(layer) for layer in frame["layer"].cat.remove_unused_categories().cat.categories]
        parts.append(_heading("Latency"))
        drawn = []
        for layer in layers:
            same = next((d for d in drawn if _same_latencies(frame, layer, d)), None)
            if same is not None:
                parts.append(f'<p class="note">The {html.escape(layer)} layer recorded the same requests with the '
                             f'same latencies as the {html.escape(same)} layer: its CDF is the one above.</p>')
                continue
            drawn.append(layer)
            parts += [f"<h3>{html.escape(layer)} layer</h3>", _png(lambda ax, l=layer: plot_latency_cdf(frame, ax, l))]
        base = "device" if "device" in layers else layers[0]
        parts += [_heading("Throughput and IOPS over time"),
                  _png(lambda ax: plot_throughput(frame, ax, layer=base, figure="mb_per_s")),
                  _png(lambda ax: plot_throughput(frame, ax, layer=base, figure="iops")),
                  _heading(f"Queue depth over time ({base} layer)"),
                  _png(lambda ax: plot_queue_depth(frame, ax, layer=base))]
        parts.append(_heading("Where requests went"))
        parts.append('<p class="note">Over the range of LBAs the requests used, smallest to largest.</p>')
        for device in sorted(set(int(d) for d in frame["device"].unique())):
            known = device < len(trace.header.device)
            info = trace.header.device[device] if known else None
            name = info.name if known else str(device)
            parts += [f"<h3>{html.escape(name)}</h3>",
                      _png(lambda ax, d=device: plot_lba_heatmap(frame, ax, device=d, layer=base, used_range=True))]
    parts += [_ssd_sections(trace), _heading("Device metrics"), _metrics(trace), "</body></html>"]
    parts[parts.index("<!--contents-->")] = _contents(parts)
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
