"""Sweeps: many runs, one table. Runs go to local processes in parallel (each run is a runner
process of its own, so a pool of threads waiting on them keeps that many cores busy), or to a
Dask distributed cluster for more than one machine. A progress bar counts finished runs.

    runs = blocksim.vary(base, "workload[0].job.closed.queue_depth", [1, 2, 4, 8, 16, 32])
    table = blocksim.sweep(runs)                      # one row per run: the values, then the figures
    table = blocksim.sweep(runs, dask=client)         # the same on a distributed.Client
"""

from __future__ import annotations

import concurrent.futures
import itertools
import os
import sys
from typing import Any, Callable, Iterable, Optional

import pandas as pd

from .errors import RunError, ScenarioError
from .runs import Result, run
from .scenario import Scenario, load

_FIGURES = ["requests", "errors", "iops", "mb_per_s", "mean_us", "p50_us", "p99_us", "p99.9_us", "max_us"]


def vary(base: Any, changes: Any, values: Optional[Iterable[Any]] = None) -> list:
    """Scenarios that differ from ``base`` in some fields, as (values, Scenario) pairs for sweep().
    ``vary(base, "seed", range(8))`` varies one field; ``vary(base, {"seed": [1, 2], "device[0]
    .reference.queue_depth": [8, 32]})`` every combination of several."""
    base = load(base)
    grid = {changes: list(values)} if isinstance(changes, str) else {k: list(v) for k, v in changes.items()}
    runs = []
    for combination in itertools.product(*grid.values()):
        chosen = dict(zip(grid, combination))
        runs.append((chosen, base.with_changes(chosen)))
    return runs


def summary_row(result: Result) -> dict:
    """A sweep's default row: the device layer's totals from the summary, then the metrics."""
    summary = result.summary
    row = {}
    total = summary[(summary["layer"] == "device") & (summary["op"] == "all")] if len(summary) else summary
    for figure in _FIGURES:
        row[figure] = total[figure].iloc[0] if len(total) else float("nan")
    row.update(result.metrics)
    row["wall_s"] = result.wall_seconds
    return row


def _one(scenario: Scenario, row: Callable[[Result], dict], options: dict, errors: str) -> dict:
    try:
        return row(run(scenario, **options))
    except (ScenarioError, RunError) as error:
        if errors == "raise":
            raise
        return {"error": str(error)}


def _labelled(scenarios: Any) -> list:
    if isinstance(scenarios, dict):
        return [({"name": name}, load(s)) for name, s in scenarios.items()]
    out = []
    for item in scenarios:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], dict):
            out.append((item[0], load(item[1])))
        else:
            scenario = load(item)
            out.append(({"scenario": scenario.message.name or scenario.source}, scenario))
    return out


def _progress(total: int, show: bool):
    if not show:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="run", file=sys.stderr, desc="blocksim sweep")


def sweep(scenarios: Any, *, processes: Optional[int] = None, dask: Any = None, progress: bool = True,
          row: Callable[[Result], dict] = summary_row, errors: str = "raise", **run_options: Any) -> pd.DataFrame:
    """Runs every scenario and returns one row per run, in the order given.

    scenarios    Scenarios (or paths, texts, messages), (values, Scenario) pairs as vary() makes
                 them, or a dict name -> scenario; the values (or the name) open each row
    processes    runs at once on this machine (default: the number of cores)
    dask         a distributed.Client, or a scheduler's address: run there instead
    progress     show a progress bar (tqdm) while runs finish
    row          result -> dict of figures (default summary_row); it runs where the run ran
    errors       "raise" stops at the first failed run; "record" puts its message in an
                 ``error`` column and carries on
    run_options  passed to every run() (seed, timeout ...)
    """
    if errors not in ("raise", "record"):
        raise ValueError('errors must be "raise" or "record"')
    labelled = _labelled(scenarios)
    bar = _progress(len(labelled), progress)
    try:
        if dask is not None:
            rows = _on_dask(dask, labelled, row, run_options, errors, bar)
        else:
            rows = _on_this_machine(labelled, processes or os.cpu_count() or 1, row, run_options, errors, bar)
    finally:
        if bar is not None:
            bar.close()
    return pd.DataFrame([{**values, **figures} for (values, _), figures in zip(labelled, rows)])


def _on_this_machine(labelled: list, processes: int, row: Callable, options: dict, errors: str, bar: Any) -> list:
    rows: list = [None] * len(labelled)
    with concurrent.futures.ThreadPoolExecutor(max_workers=processes) as pool:
        futures = {pool.submit(_one, scenario, row, options, errors): i for i, (_, scenario) in enumerate(labelled)}
        try:
            for future in concurrent.futures.as_completed(futures):
                rows[futures[future]] = future.result()
                if bar is not None:
                    bar.update(1)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return rows


def _on_dask(dask: Any, labelled: list, row: Callable, options: dict, errors: str, bar: Any) -> list:
    import distributed

    client = dask if isinstance(dask, distributed.Client) else distributed.Client(dask)
    try:
        futures = [client.submit(_one, scenario, row, options, errors, pure=False) for _, scenario in labelled]
        index = {future.key: i for i, future in enumerate(futures)}
        rows: list = [None] * len(labelled)
        for future in distributed.as_completed(futures):
            rows[index[future.key]] = future.result()
            if bar is not None:
                bar.update(1)
        return rows
    finally:
        if client is not dask:
            client.close()
