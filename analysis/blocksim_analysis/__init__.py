"""Analysis of blocksim traces and runs: read a trace into pandas, summarise it as `blocksim trace
summary` does, percentiles and CDFs per operation and layer, throughput and queue depth over
time, the LBA heat map, two runs compared, the demerit figure, plots and an HTML report.

    from blocksim_analysis import read_trace, summarize, plot_latency_cdf
    trace = read_trace("run.bstrace")
    print(summarize(trace.completions))

Every function that takes completions takes the DataFrame of a Trace or of a blocksim.Result.
The schema modules come from the build (``build/python/blocksim``); put ``build/python`` and
``analysis`` on ``PYTHONPATH``.
"""

from .compare import compare
from .demerit import Demerit, demerit, demerit_ms, mean_error_percent
from .heatmap import Heatmap, lba_heatmap
from .plots import (plot_comparison, plot_latency_cdf, plot_lba_heatmap, plot_queue_depth,
                    plot_throughput)
from .stats import SUMMARY_PERCENTILES, latency_cdf, latency_percentiles, percentile, summarize
from .timeseries import queue_depth, throughput
from .trace import COMPLETION_COLUMNS, EVENT_COLUMNS, Trace, TraceFormatError, read_trace

__all__ = ["COMPLETION_COLUMNS", "Demerit", "EVENT_COLUMNS", "Heatmap", "SUMMARY_PERCENTILES", "Trace", "TraceFormatError", "compare",
           "demerit", "demerit_ms", "latency_cdf", "latency_percentiles", "lba_heatmap", "mean_error_percent",
           "percentile", "plot_comparison", "plot_latency_cdf", "plot_lba_heatmap", "plot_queue_depth",
           "plot_throughput", "queue_depth", "read_trace", "summarize", "throughput"]
