"""blocksim.run from Python: the same records as the command line for the same scenario and seed,
scenarios from a file, a string or a message built in Python, any field changed."""

import numpy as np
import pandas as pd
import pytest

import blocksim as bs
from blocksim import scenario_pb2
from blocksim_analysis import read_trace
from conftest import device_records


def test_same_records_as_the_command_line(blocksim, tmp_path, quickstart):
    cli_trace, py_trace = tmp_path / "cli.bstrace", tmp_path / "py.bstrace"
    blocksim("run", quickstart, "--seed", "7", "--trace", cli_trace, check=True)
    result = bs.run(quickstart, seed=7, trace=py_trace)
    # the trace is the same file, byte for byte (the header names the same scenario path)
    assert py_trace.read_bytes() == cli_trace.read_bytes()
    pd.testing.assert_frame_equal(result.completions, read_trace(cli_trace).completions)
    assert result.seed == 7
    assert (result.completions["layer"].value_counts()[["device", "driver"]] == 100000).all()


def test_summary_is_the_command_lines_table(blocksim, tmp_path, quickstart):
    printed = blocksim("run", quickstart, "--seed", "3", check=True).stdout
    result = bs.run(quickstart, seed=3)
    table = printed[printed.index("simulated time"):]
    assert result.summary_text.strip() == table.strip()
    device_all = result.summary[(result.summary["layer"] == "device") & (result.summary["op"] == "all")]
    assert int(device_all["requests"].iloc[0]) == 100000


def test_file_string_and_message_give_the_same_run(quickstart):
    text = quickstart.read_text()
    from_file = bs.Scenario.from_file(quickstart)
    from_text = bs.Scenario.from_text(text, source=str(quickstart), folder=quickstart.parent)
    message = scenario_pb2.Scenario()
    message.CopyFrom(from_file.message)
    from_message = bs.Scenario(message, source=str(quickstart), folder=quickstart.parent)
    for scenario in (from_file, from_text, from_message):
        scenario.set("workload[0].job.requests", 2000)
    frames = [bs.run(s).completions for s in (from_file, from_text, from_message)]
    pd.testing.assert_frame_equal(frames[0], frames[1])
    pd.testing.assert_frame_equal(frames[0], frames[2])


def test_a_message_built_in_python_runs():
    s = scenario_pb2.Scenario(name="built", seed=9)
    s.bus.add(name="pcie", bandwidth="4GB/s")
    device = s.device.add(name="r0", capacity="1GiB", block_size="4KiB")
    device.reference.service.fixed = "20us"
    job = s.workload.add().job
    job.block_size = "4KiB"
    job.requests = 500
    result = bs.run(s)
    frame = device_records(result)
    assert len(frame) == 500 and set(frame["op"]) == {"read"}
    # closed loop at depth 1 (the default), one media server: 20 us media + 4096 B / 4e9 B/s DMA
    assert (frame["latency_ns"] == 20_000 + 1_024).all()
    assert result.header.scenario.name == "built"


def test_changing_a_field_changes_the_run(fixed_service_text):
    scenario = bs.load(fixed_service_text)
    deep = device_records(bs.run(scenario))
    assert deep["queue_depth"].max() == 3  # closed loop at 4: three others outstanding
    scenario.workload[0].job.closed.queue_depth = 1
    assert scenario.get("workload[0].job.closed.queue_depth") == 1
    shallow = device_records(bs.run(scenario))
    assert shallow["queue_depth"].max() == 0
    assert (shallow["latency_ns"] == 10_000 + 1_024).all()
    # a oneof member by path switches the oneof: open loop, one request every 50 us
    scenario.set("workload[0].job.fixed.interval", "50us")
    assert scenario.workload[0].job.WhichOneof("arrival") == "fixed"
    spaced = device_records(bs.run(scenario)).sort_values("submit_ns")
    assert (np.diff(spaced["submit_ns"].to_numpy()) == 50_000).all()


def test_with_changes_leaves_the_original_alone(fixed_service_text):
    base = bs.load(fixed_service_text)
    changed = base.with_changes({"device[0].reference.service.fixed": "5us"}, seed=11)
    assert base.device[0].reference.service.fixed == "10us" and base.seed == 3
    assert changed.device[0].reference.service.fixed == "5us" and changed.seed == 11


def test_profiles_merge_as_in_a_file(tmp_path, blocksim):
    (tmp_path / "ref.textproto").write_text(
        'capacity: "1GiB" block_size: "4KiB" reference { queue_depth: 8 service { fixed: "30us" } }\n')
    (tmp_path / "s.textproto").write_text(
        'bus { name: "b" bandwidth: "4GB/s" }\n'
        'device { name: "d" profile: "ref.textproto" reference { service { fixed: "7us" } } }\n'
        'workload { job { requests: 50 } }\n')
    scenario = bs.load(tmp_path / "s.textproto")
    # as written: the profile is not merged in, the scenario's own field is there
    assert not scenario.device[0].HasField("capacity")
    resolved = scenario.resolved()
    assert resolved.device[0].capacity == "1GiB" and resolved.device[0].reference.service.fixed == "7us"
    scenario.device[0].reference.service.fixed = "3us"  # overrides the profile, as in the file
    frame = bs.run(scenario, trace=tmp_path / "py.bstrace").completions
    assert (frame["latency_ns"] == 3_000 + 1_024).all()  # 3 us media, 4 KiB over 4 GB/s
