"""Running a scenario from Python, each run in a process of its own.

SimGrid allows one engine per process, and a run that crashes must not take the notebook with
it, so ``run()`` starts ``blocksim-runner`` (built beside this package) for every run: it hands
over the scenario, the runner checks and runs it and writes the trace, and the trace is decoded
here in bulk by the C++ extension. A run that fails raises ScenarioError (bad input) or RunError
(with the process's message, or the signal that killed it); the interpreter carries on.
A run with a ``python`` workload or a completion callback keeps two pipes open to the runner
(conversation.py) for the requests and the completions.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import tempfile
import threading
import time
import weakref
from typing import Any, Callable, Optional

import pandas as pd

from . import scenario_pb2, trace_pb2
from .columns import LAYER_NAMES
from .conversation import Completion, Conversation
from .errors import RunError, ScenarioError
from .requests import RequestFeed, RequestPacker
from .scenario import Scenario, load
from .traces import Trace, read_trace

RUNNER = pathlib.Path(__file__).with_name("blocksim-runner")
_STDERR_SHOWN = 4000  # characters of the runner's stderr a RunError's message repeats


class Result:
    """What a run gives back. ``summary`` is the table ``blocksim run`` prints (a DataFrame;
    ``summary_text`` the text), ``completions`` the DataFrame of every completion record
    (blocksim.columns documents it), ``metrics`` the devices' end-of-run figures. The trace is
    read on first use; unless ``trace=`` named a file, it lives in a scratch folder that goes
    when the Result does."""

    def __init__(self, scenario: Scenario, trace_path: str, wall_seconds: float, scratch: Optional[str]):
        self.scenario = scenario
        self.trace_path = trace_path
        self.wall_seconds = wall_seconds
        self._trace: Optional[Trace] = None
        if scratch is not None:
            self._cleanup = weakref.finalize(self, shutil.rmtree, scratch, True)

    def _read(self, completions: bool) -> Trace:
        if self._trace is None or (completions and self._trace.completions is None):
            self._trace = read_trace(self.trace_path, completions=completions)
        return self._trace

    @property
    def header(self) -> trace_pb2.TraceHeader:
        return self._read(False).header

    @property
    def seed(self) -> int:
        return self.header.scenario.seed

    @property
    def end(self) -> Optional[trace_pb2.RunEnd]:
        return self._read(False).end

    @property
    def metrics(self) -> dict:
        return self._read(False).metrics

    @property
    def summary(self) -> pd.DataFrame:
        return self._read(False).summary

    @property
    def summary_text(self) -> str:
        return self._read(False).summary_text

    @property
    def completions(self) -> pd.DataFrame:
        return self._read(True).completions

    def __repr__(self) -> str:
        return f"<blocksim.Result of {self.scenario.source}, seed {self.seed}>\n{self.summary_text}"


def _with_python_workload(scenario: Scenario, device: Optional[str], keep_workloads: bool) -> Scenario:
    if not keep_workloads and any(not w.HasField("python") for w in scenario.message.workload):
        # The requests given are the workload: the scenario's own ones are dropped (its python
        # workload, if it has one, is what they feed, and stays).
        scenario = scenario.copy()
        kept = [w for w in scenario.message.workload if w.HasField("python")]
        del scenario.message.workload[:]
        scenario.message.workload.extend(kept)
    for workload in scenario.message.workload:
        if workload.HasField("python"):
            if device is not None and workload.device != device:
                raise ValueError(f"the scenario's python workload drives {workload.device or 'the first device'!r}, "
                                 f"not {device!r}")
            return scenario
    scenario = scenario.copy()
    workload = scenario.message.workload.add()
    workload.name = "python"
    if device is not None:
        workload.device = device
    workload.python.SetInParent()
    return scenario


def _layer_mask(layers: Any) -> int:
    """Bit i for the i-th of LAYER_NAMES, for the runner's --observe-layers."""
    if layers is None:
        return (1 << len(LAYER_NAMES)) - 1
    names = [layers] if isinstance(layers, str) else list(layers)
    unknown = [name for name in names if name not in LAYER_NAMES]
    if unknown or not names:
        raise ValueError(f"layers: {unknown or names!r} is not a choice of {', '.join(LAYER_NAMES)}")
    return sum(1 << LAYER_NAMES.index(name) for name in set(names))


def _raise_for(returncode: int, stderr: str, source: str) -> None:
    message = stderr.strip()
    if returncode == 2 and message.startswith("error: "):
        raise ScenarioError(message[len("error: "):], file=source)
    shown = message[-_STDERR_SHOWN:]
    raise RunError(f"{RunError.describe_exit(returncode)}" + (f":\n{shown}" if shown else ""), returncode, message)


_ENGINES = {"fast": scenario_pb2.FAST, "simgrid-only": scenario_pb2.SIMGRID_ONLY}


def _bad_engine(engine: Any):
    raise ValueError(f"engine must be one of {', '.join(_ENGINES)}, not {engine!r}")


def run(scenario: Any, *, seed: Optional[int] = None, trace: Any = None, requests: Any = None,
        device: Optional[str] = None, on_completion: Optional[Callable[[Completion], Any]] = None,
        layers: Any = None, timeout: Optional[float] = None, keep_workloads: bool = False,
        engine: Optional[str] = None) -> Result:
    """Runs a scenario (a Scenario, a blocksim.scenario_pb2.Scenario, a path or scenario text) in
    a process of its own and returns its Result.

    seed           overrides the scenario's seed
    trace          keep the trace in this file (otherwise a scratch file)
    requests       a workload from Python: an iterable of Requests, or a table of them
                   (blocksim.requests); it drives ``device`` (default: the first device) and
                   replaces the scenario's own workloads, unless keep_workloads=True (then they
                   run beside it)
    on_completion  called with every Completion, in order, while the run waits; it may answer with
                   requests (a Request or an iterable of them) when the run has a python workload
    layers         the layers whose completions on_completion sees: a name ("driver") or several;
                   default every layer (a request records a completion at each layer it crosses)
    timeout        wall seconds before the run is stopped (RunError)
    engine         who times a transfer that shares no link: "fast" (the engine, exactly) or
                   "simgrid-only" (SimGrid times every transfer: the same trace, slower);
                   overrides the scenario's ``engine``
    """
    scenario = load(scenario)
    if engine is not None:
        scenario = scenario.with_changes(engine=_ENGINES[engine] if engine in _ENGINES else _bad_engine(engine))
    layer_mask = _layer_mask(layers)
    if requests is not None:
        scenario = _with_python_workload(scenario, device, keep_workloads)
    scenario.check()
    packer = RequestPacker(scenario.device_names())
    has_python = any(w.HasField("python") for w in scenario.message.workload)
    feed = RequestFeed(requests if requests is not None else [], packer) if has_python else None

    scratch = None if trace is not None else tempfile.mkdtemp(prefix="blocksim-run-")
    trace_path = os.fspath(trace) if trace is not None else os.path.join(scratch, "run.bstrace")
    command = [str(RUNNER), "--name", scenario.source, "--folder", scenario.folder, "--trace", trace_path]
    if seed is not None:
        command += ["--seed", str(int(seed))]
    started = time.perf_counter()
    try:
        with tempfile.TemporaryFile() as stderr:
            if feed is not None or on_completion is not None:
                returncode = _run_talking(command, scenario, stderr, feed, packer, on_completion, layer_mask,
                                          timeout)
            else:
                returncode = _run_quietly(command, scenario, stderr, timeout)
            stderr.seek(0)
            message = stderr.read().decode(errors="replace")
        if returncode != 0:
            _raise_for(returncode, message, scenario.source)
    except BaseException:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        raise
    return Result(scenario, trace_path, time.perf_counter() - started, scratch)


def _run_quietly(command: list, scenario: Scenario, stderr: Any, timeout: Optional[float]) -> int:
    with _start(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=stderr) as process:
        try:
            process.communicate(scenario.message.SerializeToString(), timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise RunError(f"the run took longer than {timeout} s and was stopped") from None
        except BaseException:
            process.kill()
            process.wait()
            raise
        return process.returncode


def _run_talking(command: list, scenario: Scenario, stderr: Any, feed: Optional[RequestFeed],
                 packer: RequestPacker, on_completion: Optional[Callable], layer_mask: int,
                 timeout: Optional[float]) -> int:
    runner_reads, python_writes = os.pipe()
    python_reads, runner_writes = os.pipe()
    command = command + ["--channel-in", str(runner_reads), "--channel-out", str(runner_writes)]
    if on_completion is not None:
        command += ["--observe", "--observe-layers", str(layer_mask)]
    try:
        process = _start(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=stderr,
                         pass_fds=(runner_reads, runner_writes))
    finally:
        os.close(runner_reads)
        os.close(runner_writes)
    conversation = Conversation(python_reads, python_writes, feed, packer, on_completion)
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        process.kill()

    watchdog = threading.Timer(timeout, stop) if timeout is not None else None
    try:
        if watchdog is not None:
            watchdog.start()
        try:
            process.stdin.write(scenario.message.SerializeToString())
            process.stdin.close()
            conversation.serve()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the runner went away; its exit status says why
        returncode = process.wait()
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        if watchdog is not None:
            watchdog.cancel()
        conversation.close()
    if timed_out.is_set():
        raise RunError(f"the run took longer than {timeout} s and was stopped")
    return returncode


def _start(command: list, **options: Any) -> subprocess.Popen:
    try:
        return subprocess.Popen(command, **options)
    except FileNotFoundError:
        raise RunError(f"{command[0]} is missing: build blocksim first (cmake --build build)") from None
