"""Analysis of blocksim traces: read a trace into pandas, summarise it as `blocksim trace summary`
does.

    from blocksim_analysis import read_trace, summarize
    trace = read_trace("run.bstrace")
    print(summarize(trace.completions))

`demerit_ms` and `mean_error_percent` compare simulated with measured latencies as
`blocksim replay` does.

The schema modules come from the build (``build/python/blocksim``); put ``build/python`` and
``analysis`` on ``PYTHONPATH``.
"""

from .trace import Trace, read_trace, COMPLETION_COLUMNS, EVENT_COLUMNS
from .stats import summarize, percentile, SUMMARY_PERCENTILES
from .demerit import demerit_ms, mean_error_percent

__all__ = ["Trace", "read_trace", "COMPLETION_COLUMNS", "EVENT_COLUMNS", "summarize", "percentile", "SUMMARY_PERCENTILES",
           "demerit_ms", "mean_error_percent"]
