"""The completions DataFrame: its columns and dtypes are the ones docs/python.md documents, and
the C++ bulk decoder and the pure-Python reader give the same frame and the same summary."""

import pathlib
import re

import numpy as np
import pandas as pd
import pytest

import blocksim as bs
from blocksim.columns import COMPLETION_COLUMNS
from blocksim_analysis import read_trace, summarize


def documented_columns(source_dir):
    """The table under "## The completions DataFrame" in docs/python.md: column -> dtype."""
    text = (source_dir / "docs" / "python.md").read_text()
    section = text[text.index("## The completions DataFrame"):]
    section = section[:section.index("\n## ", 1)]
    return {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \| `([\w]+)` \|", section, re.M)}


def test_columns_and_dtypes_are_as_documented(source_dir, fixed_service_text):
    frame = bs.run(bs.load(fixed_service_text)).completions
    documented = documented_columns(source_dir)
    assert list(frame.columns) == list(documented) == list(COMPLETION_COLUMNS)
    for name, dtype in documented.items():
        assert str(frame[name].dtype) == dtype, name
    assert list(frame["op"].cat.categories) == ["read", "write", "flush", "unmap", "eject", "format"]
    assert list(frame["layer"].cat.categories) == ["device", "driver", "media", "aio"]
    assert (frame["latency_ns"] == frame["complete_ns"] - frame["submit_ns"]).all()


@pytest.mark.parametrize("compress", [False, True])
def test_both_readers_give_the_same_frame(blocksim, tmp_path, quickstart, compress):
    path = tmp_path / "q.bstrace"
    blocksim("run", quickstart, "--trace", path, check=True)
    if compress:
        import gzip
        zipped = tmp_path / "q.bstrace.gz"
        zipped.write_bytes(gzip.compress(path.read_bytes()))
        path = zipped
    fast, slow = read_trace(path, engine="c++"), read_trace(path, engine="python")
    assert type(fast) is type(slow) is bs.Trace
    pd.testing.assert_frame_equal(fast.completions, slow.completions)
    assert fast.header == slow.header and fast.end == slow.end
    # the C++ summary (what blocksim prints) and the Python one agree to the digit
    ours = summarize(slow.completions)
    theirs = bs.read_trace(path, completions=False).summary
    pd.testing.assert_frame_equal(ours, theirs, check_exact=False, rtol=1e-12)
    pd.testing.assert_frame_equal(slow.summary, fast.summary, check_exact=False, rtol=1e-12)


def test_an_empty_trace_reads_as_an_empty_frame(tmp_path, fixed_service_text):
    scenario = bs.load(fixed_service_text)
    del scenario.workload[:]
    result = bs.run(scenario, requests=[])
    assert result.completions.empty and list(result.completions.columns) == list(COMPLETION_COLUMNS)
    assert read_trace(result.trace_path, engine="python").completions.dtypes.equals(result.completions.dtypes)


def test_a_damaged_trace_is_an_error_from_both_readers(tmp_path, blocksim, quickstart):
    path = tmp_path / "t.bstrace"
    blocksim("run", quickstart, "--trace", path, check=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    for engine in ("c++", "python"):
        with pytest.raises(bs.TraceFormatError, match=str(path)):
            read_trace(path, engine=engine)
    path.write_bytes(b"not a trace at all")
    with pytest.raises(bs.TraceFormatError, match="not a blocksim trace"):
        read_trace(path)


def test_result_metrics_and_end(fixed_service_text):
    result = bs.run(bs.load(fixed_service_text))
    assert result.end is not None and result.end.completions == 2 * 2000  # at the driver and the device
    assert result.end.end_ns == int(result.completions["complete_ns"].max())
    assert isinstance(result.metrics, dict)
    assert np.issubdtype(result.completions["submit_ns"].dtype, np.integer)


def test_without_the_extension_the_pure_python_reader_serves(tmp_path, blocksim, quickstart, source_dir):
    import os
    import shutil
    import subprocess
    import sys
    package = pathlib.Path(bs.__file__).parent
    shutil.copytree(package, tmp_path / "blocksim", ignore=shutil.ignore_patterns("*.so", "blocksim-runner"))
    trace = tmp_path / "q.bstrace"
    blocksim("run", quickstart, "--trace", trace, check=True)
    code = f"""
import blocksim, blocksim_analysis
frame = blocksim_analysis.read_trace({str(trace)!r}).completions
print(len(frame), frame["op"].dtype)
try:
    blocksim.run
except ImportError as error:
    print("ImportError:", "needs the C++ extension" in str(error))
"""
    environment = dict(os.environ, PYTHONPATH=f"{tmp_path}:{source_dir / 'analysis'}")
    out = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["200000 category", "ImportError: True"]


def test_a_converted_trace_reads_the_same_both_ways(blocksim, tmp_path, project_data):
    # a converted trace leaves out the times its source did not record: both readers fill them in
    converted = tmp_path / "tpcc.bstrace"
    blocksim("trace", "convert", project_data / "traces" / "mqsim-tpcc-small.trace", converted, check=True)
    fast, slow = read_trace(converted, engine="c++"), read_trace(converted, engine="python")
    pd.testing.assert_frame_equal(fast.completions, slow.completions)
    assert len(fast.completions) == 6999
