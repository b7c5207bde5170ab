"""The engine's fast path is exact: a scenario gives the same trace records, byte for byte, whether
the engine times the transfers that share no link (the default, `--engine fast`) or SimGrid times
every transfer (`--engine simgrid-only`). Only the header differs: it records the scenario as run,
engine included. Checked on every shipped scenario, on replays on every shipped profile, and on
random scenarios whose devices share one bus, where transfers go from the engine to SimGrid mid-way
(with bus latency, half and full duplex, a bus slowing down and a power cut). The contract
configurations are checked the same way by tests/contract/engine_exactness_test.cpp."""
import random

import pytest

from blocksim import scenario_pb2, trace_pb2

from conftest import SOURCE_DIR

SCENARIOS = sorted((SOURCE_DIR / "scenarios").glob("*.textproto"))
PROFILES = sorted((SOURCE_DIR / "scenarios" / "profiles").glob("*.textproto"))


def split_trace(path):
    """(header bytes, record bytes) of a blocksim trace: magic, varint length, header, records."""
    data = path.read_bytes()
    assert data[:8] == b"BSIMTRC1", path
    position, length, shift = 8, 0, 0
    while True:
        byte = data[position]
        position += 1
        length |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    return data[position:position + length], data[position + length:]


def engine_of(header):
    parsed = trace_pb2.TraceHeader()
    parsed.ParseFromString(header)
    return parsed.scenario.engine


def both_ways(blocksim, tmp_path, command, *args):
    """Runs `blocksim command args` with each engine; returns the two results and record bytes."""
    outcomes = []
    for engine in ("fast", "simgrid-only"):
        trace = tmp_path / f"{engine}.bstrace"
        result = blocksim(command, *args, "--trace", trace, "--engine", engine, "--no-progress")
        assert result.returncode in (0, 1), result.stderr
        header, records = split_trace(trace)
        outcomes.append((result, header, records))
    (fast, fast_header, fast_records), (slow, slow_header, slow_records) = outcomes
    assert fast.returncode == slow.returncode
    assert len(fast_records) > 0
    assert fast_records == slow_records, f"{command} {args}: the records differ between the engines"
    assert engine_of(fast_header) == scenario_pb2.FAST
    assert engine_of(slow_header) == scenario_pb2.SIMGRID_ONLY
    return without_trace_line(fast.stdout), without_trace_line(slow.stdout)


def without_trace_line(stdout):
    return "\n".join(line for line in stdout.splitlines() if not line.startswith("trace: "))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.stem for s in SCENARIOS])
def test_every_shipped_scenario(blocksim, tmp_path, scenario):
    fast, slow = both_ways(blocksim, tmp_path, "run", scenario)
    assert fast == slow


@pytest.mark.parametrize("profile", PROFILES, ids=[p.stem for p in PROFILES])
def test_replays_on_every_profile(blocksim, tmp_path, profile):
    data = SOURCE_DIR / "data" / "traces"
    both_ways(blocksim, tmp_path, "replay", data / "mqsim-tpcc-small.trace", "--device", profile, "--lba", "wrap",
              "--requests", "3000", "--timing", "closed:16")
    both_ways(blocksim, tmp_path, "replay", data / "disksim-ascii-100k.trace", "--device", profile, "--lba", "wrap",
              "--requests", "3000")


def random_shared_bus_scenario(seed):
    """Two to four devices on one bus that is often the bottleneck, each driven by its own job."""
    rng = random.Random(seed)
    duplex = rng.random() < 0.5
    latency = rng.choice(["0ns", "0ns", "700ns", "2us"])
    bandwidth = rng.choice(["300MB/s", "1GB/s", "2.5GB/s"])
    lines = [f"name: \"shared-bus-{seed}\"", f"seed: {seed}",
             f"bus {{ name: \"shared\" bandwidth: \"{bandwidth}\" latency: \"{latency}\" full_duplex: {str(duplex).lower()} }}"]
    devices = rng.randint(2, 4)
    for d in range(devices):
        kind = rng.random()
        dma = f" dma_rate: \"{rng.choice(['400MB/s', '3GB/s'])}\"" if rng.random() < 0.3 else ""
        if kind < 0.55:
            service = rng.choice(["fixed: \"20us\"", "exponential: \"50us\"", "fixed: \"3us\""])
            lines.append(f"device {{ name: \"d{d}\" bus: \"shared\"{dma} capacity: \"4GiB\" block_size: \"4KiB\" "
                         f"reference {{ queue_depth: 32 media_servers: {rng.choice([1, 4, 16])} service {{ {service} }} }} }}")
        else:
            profile = rng.choice(["samsung-970-evo-plus-1tb", "samsung-870-evo-1tb"])
            lines.append(f"device {{ name: \"d{d}\" bus: \"shared\"{dma} profile: \"{SOURCE_DIR}/scenarios/profiles/"
                         f"{profile}.textproto\" ssd {{ precondition {{ fill: 0.3 }} }} }}")
        size = rng.choice(["4KiB", "16KiB", "128KiB"])
        arrival = (f"closed {{ queue_depth: {rng.choice([1, 4, 32])} }}" if rng.random() < 0.7
                   else f"poisson {{ rate: \"{rng.choice(['20k/s', '100k/s'])}\" }}")
        lines.append(f"workload {{ device: \"d{d}\" job {{ read_fraction: {rng.choice([0, 0.5, 1])} "
                     f"block_size: \"{size}\" span: \"1GiB\" {arrival} requests: {rng.randint(200, 1500)} }} }}")
    if rng.random() < 0.4:
        lines.append(f"event {{ at: \"{rng.randint(50, 3000)}us\" slow_down {{ bus: \"shared\" speed: 0.4 }} }}")
    if rng.random() < 0.3:
        lines.append(f"event {{ at: \"{rng.randint(100, 5000)}us\" power_cut {{}} }}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(1, 25))
def test_random_scenarios_on_a_shared_bus(blocksim, tmp_path, seed):
    scenario = tmp_path / "shared.textproto"
    scenario.write_text(random_shared_bus_scenario(seed))
    fast, slow = both_ways(blocksim, tmp_path, "run", scenario)
    assert fast == slow, scenario.read_text()


def test_the_engine_is_a_scenario_field_and_a_bad_value_is_named(blocksim, tmp_path, quickstart):
    scenario = tmp_path / "simgrid.textproto"
    scenario.write_text(quickstart.read_text() + "\nengine: SIMGRID_ONLY\n")
    trace = tmp_path / "t.bstrace"
    blocksim("run", scenario, "--trace", trace, "--no-progress", check=True)
    header, _ = split_trace(trace)
    assert engine_of(header) == scenario_pb2.SIMGRID_ONLY
    bad = blocksim("run", quickstart, "--engine", "quick")
    assert bad.returncode == 2
    assert "--engine" in bad.stderr and "simgrid-only" in bad.stderr


def test_python_runs_either_engine(tmp_path, quickstart):
    import blocksim
    fast = blocksim.run(quickstart, trace=tmp_path / "fast.bstrace")
    slow = blocksim.run(quickstart, trace=tmp_path / "slow.bstrace", engine="simgrid-only")
    assert split_trace(tmp_path / "fast.bstrace")[1] == split_trace(tmp_path / "slow.bstrace")[1]
    assert slow.scenario.message.engine == scenario_pb2.SIMGRID_ONLY
    assert fast.scenario.message.engine == scenario_pb2.FAST
    with pytest.raises(ValueError, match="simgrid-only"):
        blocksim.run(quickstart, engine="quick")
