"""blocksim from Python: load a scenario, change it, run it, look at the results.

    import blocksim
    scenario = blocksim.load("scenarios/quickstart.textproto")
    scenario.device[0].reference.queue_depth = 8
    result = blocksim.run(scenario, seed=7)
    result.summary          # the table `blocksim run` prints, as a DataFrame
    result.completions      # every completion record, as a DataFrame (blocksim.columns)

Each run happens in a process of its own (SimGrid allows one engine per process), so runs can
follow one another in a notebook and a crash is an exception, not a dead kernel. docs/python.md
tells the rest: Python workloads and completion callbacks, sweeps, the DataFrame's columns.

The generated schema modules live here too: ``blocksim.scenario_pb2`` (scenarios, device
profiles), ``blocksim.trace_pb2`` (trace header and records) and the models' messages. They,
the errors, the column definitions and the Trace class work without the C++ extension; the rest
needs it built.
"""

from .columns import COMPLETION_COLUMNS, LAYER_NAMES, OP_NAMES
from .errors import RunError, ScenarioError, TraceFormatError
from .requests import Request
from .traces import Trace

try:
    from . import _blocksim  # noqa: F401  (the C++ extension, built by CMake beside this file)
except ImportError as _error:  # not built: the schema modules above still serve blocksim_analysis
    EXTENSION_ERROR = _error
else:
    EXTENSION_ERROR = None
    from .conversation import Completion
    from .runs import Result, run
    from .scenario import Scenario, load
    from .sweeps import summary_row, sweep, vary
    from .traces import read_trace

if EXTENSION_ERROR is not None:
    def __getattr__(name: str):
        if name in __all__:
            raise ImportError(f"blocksim.{name} needs the C++ extension blocksim._blocksim (build blocksim: "
                              f"cmake --build build), which did not load: {EXTENSION_ERROR}")
        raise AttributeError(name)


__all__ = ["COMPLETION_COLUMNS", "LAYER_NAMES", "OP_NAMES", "Completion", "Request", "Result", "RunError", "Scenario",
           "ScenarioError", "Trace", "TraceFormatError", "load", "read_trace", "run", "summary_row", "sweep", "vary"]
