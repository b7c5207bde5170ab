"""Driving a run from Python: requests from an iterable or a table, a callback that watches every
completion, and a callback that answers completions with new requests (a policy in Python).
Expected times are worked out by hand on the fixed-service device of conftest.py: one media
server, 10 us a request, then 4 KiB of DMA over 4 GB/s (1.024 us). Each request is recorded by the
driver and by the device; the figures here are the device's."""

import numpy as np
import pandas as pd
import pytest

import blocksim as bs
from conftest import device_records

SERVICE_NS = 10_000 + 1_024


@pytest.fixture
def idle(fixed_service_text):
    """The fixed-service device with no workload of its own."""
    scenario = bs.load(fixed_service_text)
    del scenario.workload[:]
    return scenario


def test_requests_from_an_iterable_arrive_when_they_say(idle):
    requests = [bs.Request(time_ns=i * 100_000, op="write" if i % 2 else "read", offset=i * 8192, size=4096)
                for i in range(50)]
    frame = device_records(bs.run(idle, requests=requests)).sort_values("submit_ns").reset_index(drop=True)
    assert len(frame) == 50
    assert (frame["submit_ns"] == np.arange(50) * 100_000).all()
    assert (frame["lba"] == np.arange(50) * 2).all()
    assert list(frame["op"]) == ["read", "write"] * 25
    assert (frame["latency_ns"] == SERVICE_NS).all()  # spaced apart: nobody waits


def test_a_generator_a_tuple_and_a_dict_are_requests_too(idle):
    def requests():
        yield (0, "read", 0, 4096)
        yield {"time_ns": 20_000, "op": "write", "offset": 4096, "size": 8192}
        yield bs.Request(40_000, "read", 0, 4096, fua=False)
    frame = device_records(bs.run(idle, requests=requests())).sort_values("submit_ns")
    assert list(frame["blocks"]) == [1, 2, 1]
    assert list(frame["latency_ns"]) == [SERVICE_NS, 10_000 + 2_048, SERVICE_NS]


def test_requests_at_the_same_time_queue_behind_each_other(idle):
    # four at time 0 on one media server: completions 11.024, 21.024, 31.024, 41.024 us (the
    # DMA of one overlaps the media of the next)
    frame = device_records(bs.run(idle, requests=[(None, "read", i * 4096, 4096) for i in range(4)]))
    assert sorted(frame["complete_ns"]) == [SERVICE_NS + k * 10_000 for k in range(4)]
    assert sorted(frame["queue_depth"]) == [0, 1, 2, 3]


def test_a_long_iterable_is_pulled_in_batches(idle):
    count = 20_000  # several batches of 4096
    frame = device_records(bs.run(idle, requests=((i * 20_000, "read", (i % 1000) * 4096, 4096)
                                                  for i in range(count))))
    assert len(frame) == count
    assert frame["request_id"].is_unique


def test_a_table_is_the_same_as_an_iterable(idle):
    n = 3000
    table = pd.DataFrame({"time_ns": np.arange(n) * 15_000, "op": np.where(np.arange(n) % 3 == 0, "write", "read"),
                          "offset": (np.arange(n) * 7 % 1000) * 4096, "size": 4096})
    listed = [(int(r.time_ns), r.op, int(r.offset), int(r.size)) for r in table.itertuples()]
    a = bs.run(idle, requests=table).completions
    b = bs.run(idle, requests=listed).completions
    pd.testing.assert_frame_equal(a, b)
    structured = np.zeros(n, dtype=[("time_ns", "i8"), ("op", "u1"), ("offset", "u8"), ("size", "u8")])
    structured["time_ns"], structured["offset"], structured["size"] = table["time_ns"], table["offset"], 4096
    structured["op"] = np.where(table["op"] == "write", 1, 0)
    pd.testing.assert_frame_equal(a, bs.run(idle, requests=structured).completions)


def test_requests_name_their_device(fixed_service_text):
    two = fixed_service_text.replace(
        "workload {", 'device { name: "d1" capacity: "1GiB" block_size: "4KiB" '
                     'reference { service { fixed: "20us" } } }\nworkload {')
    scenario = bs.load(two)
    del scenario.workload[:]
    # d1 shares the bus: its request comes after d0's are done, so its DMA has the bus alone
    frame = device_records(bs.run(scenario, requests=[(0, "read", 0, 4096, 0), (0, "read", 0, 4096),
                                                      (100_000, "read", 0, 4096, "d1")]))
    assert sorted(frame["device"]) == [0, 0, 1]
    assert frame.loc[frame["device"] == 1, "latency_ns"].iloc[0] == 20_000 + 1_024
    with pytest.raises(ValueError, match="names device 'd7'"):
        bs.run(scenario, requests=[(0, "read", 0, 4096, "d7")])


def test_bad_requests_are_refused_in_python(idle):
    with pytest.raises(ValueError, match="read, write or flush"):
        bs.run(idle, requests=[(0, "trim", 0, 4096)])
    with pytest.raises(TypeError):
        bs.run(idle, requests=[42])
    # past the end of the device: the media refuses it, with an error record and nothing below
    past_end = 1 << 30
    frame = bs.run(idle, requests=[(0, "read", past_end, 4096), (0, "read", 0, 4096)]).completions
    refused = frame[frame["layer"] == "media"]
    assert len(refused) == 1 and refused["status"].iloc[0] != 0 and refused["lba"].iloc[0] == past_end // 4096
    assert list(frame.loc[frame["layer"] == "device", "lba"]) == [0]
    # not whole blocks: the driver reads the blocks around it (4 KiB from byte 100 touch two)
    frame = device_records(bs.run(idle, requests=[(0, "read", 100, 4096)]))
    assert list(frame["blocks"]) == [2] and list(frame["bytes"]) == [8192]


def test_a_callback_watches_every_completion(fixed_service_text):
    seen = []
    result = bs.run(bs.load(fixed_service_text), on_completion=seen.append)
    frame = result.completions
    assert len(seen) == len(frame) == 2 * 2000  # driver and device
    watched = pd.DataFrame(seen, columns=bs.Completion._fields)
    assert list(watched["request_id"]) == list(frame["request_id"])  # in trace order
    assert list(watched["complete_ns"]) == list(frame["complete_ns"])
    assert list(watched["layer"]) == list(frame["layer"])
    assert set(watched["op"]) == {"read", "write"} and set(watched["layer"]) == {"device", "driver"}
    assert all(c.latency_ns == c.complete_ns - c.submit_ns for c in seen)


def test_a_callback_sees_the_layers_it_asks_for(fixed_service_text):
    scenario = bs.load(fixed_service_text)
    for layers in ("device", ["driver"], ("device", "driver")):
        seen = []
        bs.run(scenario, on_completion=seen.append, layers=layers)
        expected = {layers} if isinstance(layers, str) else set(layers)
        assert {c.layer for c in seen} == expected and len(seen) == 2000 * len(expected)
    with pytest.raises(ValueError, match="not a choice of device, driver, media, aio"):
        bs.run(scenario, on_completion=seen.append, layers="disk")


def test_a_callback_answers_with_requests_a_closed_loop_in_python(idle):
    total, depth = 400, 4
    issued = [depth]

    def keep_four(completion):
        if issued[0] >= total:
            return None
        issued[0] += 1
        return bs.Request(op="read", offset=(issued[0] % 100) * 4096, size=4096)  # now

    first = [(0, "read", i * 4096, 4096) for i in range(depth)]
    # the driver's records: one for each request the workload issued
    frame = device_records(bs.run(idle, requests=first, on_completion=keep_four, layers="driver"))
    frame = frame.sort_values("submit_ns")
    assert len(frame) == total
    assert frame["queue_depth"].max() == depth - 1
    # one media server kept busy: a completion every 10 us once the pipeline is full
    ends = np.sort(frame["complete_ns"].to_numpy())
    assert (np.diff(ends) == 10_000).all()
    # each answered request arrived when the completion that asked for it happened
    assert set(frame["submit_ns"].iloc[depth:]) <= set(frame["complete_ns"])


def test_a_callback_answer_at_a_later_time(idle):
    def once(completion):
        if completion.request_id == 1:
            return [bs.Request(time_ns=completion.complete_ns + 1_000_000, op="write", offset=0, size=4096)]
    frame = device_records(bs.run(idle, requests=[(0, "read", 0, 4096)], on_completion=once, layers="driver"))
    assert list(frame["submit_ns"]) == [0, SERVICE_NS + 1_000_000]


def test_answering_without_a_python_workload_is_an_error(fixed_service_text):
    with pytest.raises(ValueError, match="pass requests=\\[\\]"):
        bs.run(bs.load(fixed_service_text), on_completion=lambda c: bs.Request(op="read"))


def test_an_exception_in_the_callback_stops_the_run_and_propagates(fixed_service_text, idle):
    def fails(completion):
        if completion.request_id == 10:
            raise KeyError("the policy broke")
    with pytest.raises(KeyError, match="the policy broke"):
        bs.run(bs.load(fixed_service_text), on_completion=fails)
    with pytest.raises(KeyError):
        bs.run(idle, requests=[(0, "read", 0, 4096)] * 20, on_completion=fails)
    assert len(device_records(bs.run(idle, requests=[(0, "read", 0, 4096)]))) == 1


def test_the_header_records_the_python_workload(idle):
    result = bs.run(idle, requests=[(0, "read", 0, 4096)], device="d0")
    workloads = result.header.scenario.workload
    assert len(workloads) == 1 and workloads[0].HasField("python") and workloads[0].device == "d0"
