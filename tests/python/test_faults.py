"""Faults from the scenario schema (docs/faults.md), built as protobuf messages in Python, written
as text and run from the command line: the status codes and times each layer records, the event
records, and the errors of a bad fault. The device is the reference device with a 1 ms media time
on a private 4 GB/s bus, so a 4 KiB read takes 1 ms + 4096 B / 4 GB/s = 1,001,024 ns."""

import re

import pytest
from google.protobuf import text_format

from blocksim import scenario_pb2
from blocksim_analysis import read_trace

IO_ERROR = 0xE00002CA
TIMEOUT = 0xE00002D6
ABORTED = 0xE00002EB
ATTEMPT_NS = 1_000_000 + 1_024


def reader_scenario(requests=5):
    """One device, an application reading 4 KiB at a time, one request at a time."""
    s = scenario_pb2.Scenario(name="faults", seed=2)
    d = s.device.add(name="disk0", capacity="64MiB", block_size="512", interface_rate="4GB/s")
    d.reference.queue_depth = 4
    d.reference.service.fixed = "1ms"
    w = s.workload.add(name="app", device="disk0")
    w.aio.queue_depth = 1
    w.aio.request_size = "4KiB"
    w.aio.alignment = "4KiB"
    w.aio.requests = requests
    return s


def run(blocksim, tmp_path, scenario, check=True):
    path = tmp_path / "faults.textproto"
    path.write_text(text_format.MessageToString(scenario))
    trace = tmp_path / "faults.bstrace"
    result = blocksim("run", path, "--trace", trace, "--no-progress", check=check)
    return result, (read_trace(str(trace)) if check else None)


def test_unreadable_sectors_fail_after_the_devices_retries_at_every_layer(blocksim, tmp_path):
    s = reader_scenario()
    e = s.event.add(after_requests=2)  # from the third request on
    e.unreadable.device = "disk0"
    e.unreadable.lba = 0
    e.unreadable.blocks = 131072
    e.unreadable.retries = 2
    result, trace = run(blocksim, tmp_path, s)
    frame = trace.completions
    for layer in ("device", "driver", "aio"):
        rows = frame[frame.layer == layer].sort_values("submit_ns")
        assert list(rows.status) == [0, 0, IO_ERROR, IO_ERROR, IO_ERROR], layer
        failed = rows[rows.status == IO_ERROR]
        # Three tries on the device (the first and two retries), each a full read.
        assert (failed.latency_ns == 3 * ATTEMPT_NS).all(), layer
        assert (failed.bytes == 0).all()
    assert "app.aio.failed: 3 count" in result.stdout
    events = trace.events
    assert list(events.kind) == ["unreadable"]
    assert events.iloc[0].blocks == 131072 and events.iloc[0].target == "disk0"
    # It happened when the third request reached the device: after two reads of 1,001,024 ns.
    assert events.iloc[0].time_ns == 2 * ATTEMPT_NS


def test_a_silent_device_times_out_in_the_driver_and_the_application_sees_etimedout(blocksim, tmp_path):
    s = reader_scenario(requests=2)
    s.device[0].driver.timeout = "10ms"
    s.device[0].driver.retries = 1
    e = s.event.add(at="1500us")
    e.stop_responding = "disk0"
    _, trace = run(blocksim, tmp_path, s)
    frame = trace.completions
    device = frame[frame.layer == "device"].sort_values("complete_ns")
    # The first read completed at 1.001 ms; the second was sent then and is aborted twice, 10 ms
    # after each call: at 11.001 ms and at 21.001 ms.
    assert list(device.status) == [0, ABORTED, ABORTED]
    assert list(device.complete_ns)[1:] == [ATTEMPT_NS + 10_000_000, ATTEMPT_NS + 20_000_000]
    for layer in ("driver", "aio"):
        rows = frame[frame.layer == layer].sort_values("submit_ns")
        assert list(rows.status) == [0, TIMEOUT], layer
        assert rows.iloc[1].complete_ns == ATTEMPT_NS + 20_000_000
    assert list(trace.events.kind) == ["stop_responding"]


def test_a_slower_bus_stretches_the_transfers(blocksim, tmp_path):
    s = reader_scenario(requests=2)
    s.device[0].reference.service.fixed = "0ns"
    s.workload[0].aio.request_size = "4MiB"
    e = s.event.add(at="500us")
    e.slow_down.device = "disk0"  # its private interface bus
    e.slow_down.speed = 0.25
    _, trace = run(blocksim, tmp_path, s)
    aio = trace.completions[trace.completions.layer == "aio"].sort_values("submit_ns")
    # 4 MiB (4,194,304 B) at 4 GB/s; at 0.5 ms 2,000,000 B have moved and the bus drops to 1 GB/s:
    # the rest takes 2.194304 ms. The second request moves all of it at 1 GB/s: 4.194304 ms.
    assert list(aio.latency_ns) == [500_000 + 2_194_304, 4_194_304]
    assert list(trace.events.kind) == ["slow_down"]
    assert trace.events.iloc[0].target == "disk0-interface"


def test_the_shipped_mirror_scenario_loses_a_member_without_an_error(blocksim, source_dir, tmp_path):
    trace_path = tmp_path / "mirror.bstrace"
    result = blocksim("run", source_dir / "scenarios/faults_mirror.textproto", "--trace", trace_path, check=True)
    assert "mirror0.degraded: 1" in result.stdout
    trace = read_trace(str(trace_path))
    media = trace.completions[trace.completions.layer == "media"]
    assert len(media) == 8000 and (media.status == 0).all()
    device = trace.completions[trace.completions.layer == "device"]
    assert ((device.device == 0) & (device.status == IO_ERROR)).any()  # unreadable sectors were met
    kinds = list(trace.events.kind)
    assert kinds[:2] == ["unreadable", "remove_device"] and "raid_degraded" in kinds


def test_the_shipped_timeout_scenario_fails_requests_with_timeout(blocksim, source_dir, tmp_path):
    trace_path = tmp_path / "hang.bstrace"
    blocksim("run", source_dir / "scenarios/faults_timeout.textproto", "--trace", trace_path, check=True)
    trace = read_trace(str(trace_path))
    frame = trace.completions
    aio = frame[frame.layer == "aio"]
    assert (aio.status == TIMEOUT).any()
    assert (aio[aio.status == TIMEOUT].latency_ns == 60_000_000).all()  # three calls of 20 ms
    assert ((frame.layer == "device") & (frame.status == ABORTED)).any()
    assert list(trace.events.kind) == ["slow_down", "stop_responding"]


@pytest.mark.parametrize("event, message", [
    ('event { unreadable { device: "disk0" } }', r"event\[0\]: give an event either a time"),
    ('event { at: "1ms" after_requests: 3 stop_responding: "disk0" }', r"event\[0\]: give an event either a time"),
    ('event { after_requests: 3 power_cut {} }', r"event\[0\]\.after_requests: only a fault on a device"),
    ('event { at: "1ms" unreadable { device: "disk0" lba: 131072 } }', r"event\[0\]\.unreadable\.lba: is past"),
    ('event { at: "1ms" failing_writes { device: "disk0" lba: 10 blocks: 131070 } }',
     r"event\[0\]\.failing_writes\.blocks: runs past"),
    ('event { at: "1ms" remove_device: "disk9" }', r'event\[0\]\.remove_device: no device is named "disk9"'),
    ('event { at: "1ms" slow_down { bus: "usb" } }', r'event\[0\]\.slow_down\.bus: no bus is named "usb"'),
    ('event { at: "1ms" slow_down { device: "disk0" die: 0 } }', r"event\[0\]\.slow_down\.die: only an SSD has dies"),
    ('event { at: "1ms" slow_down { device: "disk0" speed: 0 } }', r"event\[0\]\.slow_down\.speed: must be at least"),
])
def test_a_bad_fault_is_an_error_with_its_place(blocksim, tmp_path, event, message):
    path = tmp_path / "bad.textproto"
    path.write_text(text_format.MessageToString(reader_scenario()) + event + "\n")
    result = blocksim("run", path)
    assert result.returncode == 2, result.stderr
    assert re.search(r"bad\.textproto:\d+:\d+: " + message, result.stderr), result.stderr


def test_both_trace_readers_give_the_same_events(blocksim, tmp_path):
    pytest.importorskip("blocksim._blocksim")
    s = reader_scenario()
    e = s.event.add(after_requests=1)
    e.unreadable.device = "disk0"
    e.unreadable.lba = 0
    e.unreadable.blocks = 8
    run(blocksim, tmp_path, s)
    in_cpp = read_trace(str(tmp_path / "faults.bstrace"), engine="c++").events
    in_python = read_trace(str(tmp_path / "faults.bstrace"), engine="python").events
    assert list(in_cpp.kind) == ["unreadable"]
    assert in_cpp.equals(in_python)
    assert dict(in_cpp.dtypes) == dict(in_python.dtypes)
