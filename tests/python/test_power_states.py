"""scenarios/power_idle.textproto against the same scenario without its APST tables, standby
timer and power_state event: each device-layer read must take exactly as long as without power
states, plus the wait the rules of docs/stack.md ("Power states") give, worked out by hand from
the profiles' latencies (970 EVO Plus PS3 exit 1.2 ms, PS4 exit 8 ms; the 7200 rpm disk's 13.5 s
spin-up). The disk's service after a spin-up depends on where the platter then is, so its wait
is bounded by one revolution and a full seek rather than matched exactly."""

import re

import pytest

from blocksim_analysis import read_trace

MS = 1_000_000
SCENARIO = "scenarios/power_idle.textproto"


def metrics(stdout):
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\S+): ([-\d.e+]+)( \S+)?$", stdout, re.M)}


def without_power(source_dir, tmp_path):
    text = (source_dir / SCENARIO).read_text()
    text = re.sub(r"\n  power \{.*?\n  \}", "", text, flags=re.S)  # the nvme tables
    text = re.sub(r"\n  power \{ autonomous.*?\}\n", "\n", text)      # the disk's timer
    text = re.sub(r"\nevent \{.*?\n", "\n", text)
    text = text.replace('"profiles/', f'"{source_dir}/scenarios/profiles/')
    assert "autonomous" not in text and "power_state" not in text
    path = tmp_path / "no_power.textproto"
    path.write_text(text)
    return path


def device_latencies(trace, device):
    frame = read_trace(str(trace)).completions
    rows = frame[(frame.layer == "device") & (frame.device == device)].sort_values("submit_ns")
    return list(rows.complete_ns - rows.submit_ns)


def test_the_first_request_after_idle_waits_the_exit(blocksim, source_dir, tmp_path):
    with_trace, without_trace = tmp_path / "power.bstrace", tmp_path / "none.bstrace"
    result = blocksim("run", source_dir / SCENARIO, "--trace", with_trace, "--no-progress", check=True)
    blocksim("run", without_power(source_dir, tmp_path), "--trace", without_trace, "--no-progress", check=True)

    # A fixed-interval job's first read comes one interval after the start, and the devices are
    # idle from the start, so the first read of each device meets the same as the later ones.
    # nvme0, read every second: each read finds the drive in PS4 (entered 500 ms after the
    # previous read, or the start, and 2 ms to get there) and waits its 8 ms exit.
    extra = [a - b for a, b in zip(device_latencies(with_trace, 0), device_latencies(without_trace, 0))]
    assert len(extra) == 10
    assert extra == [8 * MS] * 10

    # nvme1, read every 50 ms from 50 ms on, never idle 70.5 ms; the event at 5.01 s puts it in PS3
    # (idle since the 5.00 s read ended), and the 5.05 s read (the 101st) waits the 1.2 ms exit.
    extra = [a - b for a, b in zip(device_latencies(with_trace, 1), device_latencies(without_trace, 1))]
    assert len(extra) == 200
    assert extra[100] == 1.2 * MS
    assert extra[:100] + extra[101:] == [0] * 199

    # hdd0, read every minute: spun down 10 s after each read (20 s to stop), so each read waits
    # the 13.5 s spin-up, then a seek and rotation of its own: the two runs' services differ by
    # at most a full-stroke seek and a revolution (17.06 ms + 8.33 ms).
    extra = [a - b for a, b in zip(device_latencies(with_trace, 2), device_latencies(without_trace, 2))]
    assert len(extra) == 5
    for wait in extra:
        assert 13_500 * MS - 26 * MS <= wait <= 13_500 * MS + 26 * MS

    m = metrics(result.stdout)
    # nvme0: PS3 then PS4 before each of its 10 reads and after the last one; one exit a read.
    assert m["nvme0.power.waited_requests"] == 10
    assert m["nvme0.power.entries"] == 22 and m["nvme0.power.exits"] == 10
    assert m["nvme1.power.waited_requests"] == 1
    assert m["hdd0.power.waited_requests"] == 5
    assert m["hdd0.power.entries"] == 6 and m["hdd0.power.exits"] == 5
    for device in ("nvme0", "nvme1", "hdd0"):
        states = [k for k in m if k.startswith(device + ".power.") and k.endswith("_ns")]
        assert {device + ".power.active_ns", device + ".power.transition_ns"} <= set(states)
        assert m[device + ".power.active_ns"] > 0
    # Each device's times add up to the same end of the run (the summary prints 6 digits; the
    # C++ test checks the sum to the nanosecond): the fixed-interval job of the disk asks for its
    # sixth read at 360 s and stops there.
    for device in ("nvme0", "nvme1", "hdd0"):
        total = sum(m[k] for k in m if k.startswith(device + ".power.") and k.endswith("_ns"))
        assert total == pytest.approx(360e9, rel=1e-5), device


GOOD = """\
bus { name: "bus" bandwidth: "4GB/s" }
device {
  name: "d0"
  capacity: "1GiB"
  reference { service { fixed: "10us" } }
  power {
    state { name: "light" exit_latency: "1ms" }
    state { name: "deep" exit_latency: "10ms" }
    autonomous { state: "light" idle_time: "5ms" }
    autonomous { state: "deep" idle_time: "50ms" }
  }
}
workload { job { requests: 10 } }
event { at: "1ms" power_state { device: "d0" state: "deep" } }
"""


def run_bad(blocksim, tmp_path, text):
    path = tmp_path / "bad.textproto"
    path.write_text(text)
    result = blocksim("run", path)
    assert result.returncode == 2, result.stderr
    return result.stderr.strip(), str(path)


def test_a_good_file_runs(blocksim, tmp_path):
    path = tmp_path / "good.textproto"
    path.write_text(GOOD)
    result = blocksim("run", path, "--no-progress")
    assert result.returncode == 0, result.stderr
    assert metrics(result.stdout)["d0.power.entries"] >= 1


@pytest.mark.parametrize("change, where, says", [
    (('idle_time: "50ms"', 'idle_time: "5ms"'), "10:32: device[0].power.autonomous[1].idle_time",
     "must be longer than a shallower state's"),
    (('state: "deep" idle', 'state: "dep" idle'), "10:18: device[0].power.autonomous[1].state",
     'no power state is named "dep"'),
    (('name: "deep"', 'name: "light"'), "8:13: device[0].power.state[1].name", 'is named twice'),
    (('state: "deep" }', 'state: "PS9" }'), "14:19: event[0].power_state", 'no power state "PS9"'),
])
def test_bad_power_states_name_the_field(blocksim, tmp_path, change, where, says):
    message, path = run_bad(blocksim, tmp_path, GOOD.replace(*change))
    assert message.startswith(f"error: {path}:{where}: "), message
    assert says in message
