"""Every scenario under scenarios/ runs from the command line, and each shows the feature it is
there for: the aio application on a partition of a RAID set, a power cut, removable media,
a DriverKit device, RAID-0 striping. The trace of the aio scenario links every layer's records
to the requests they came from, and the same seed gives the same bytes."""

import re

import pytest

from blocksim_analysis import read_trace

ABORTED = 0xE00002EB
NO_MEDIA = 0xE00002E4
LOCKED_WRITE = 0xE00002C4


def metrics(stdout):
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\S+): ([-\d.e+]+)( \S+)?$", stdout, re.M)}


def rows(stdout):
    table = {}
    for line in stdout.splitlines():
        fields = line.split()
        if len(fields) == 11 and fields[0] in ("device", "driver", "media", "aio"):
            table[(fields[0], fields[1])] = {"requests": int(fields[2]), "errors": int(fields[3])}
    return table


def all_scenarios(source_dir):
    return sorted((source_dir / "scenarios").glob("*.textproto"))


def test_every_scenario_runs(blocksim, source_dir):
    scenarios = all_scenarios(source_dir)
    assert len(scenarios) >= 6
    for path in scenarios:
        result = blocksim("run", path, "--no-progress")
        assert result.returncode == 0, f"{path.name}: {result.stderr}"
        assert "layer" in result.stdout


def test_aio_on_a_raid_partition(blocksim, source_dir, tmp_path):
    trace_path = tmp_path / "aio.bstrace"
    result = blocksim("run", source_dir / "scenarios/aio_raid_partition.textproto", "--trace", trace_path, check=True)
    table = rows(result.stdout)
    for layer in ("aio", "media", "driver", "device"):
        assert (layer, "all") in table, layer
    m = metrics(result.stdout)
    assert m["app.aio.eagain"] > 0  # it asks for more than the library allows
    assert m["app.aio.cancelled"] > 0
    assert m["app.aio.failed"] == 0

    frame = read_trace(str(trace_path)).completions
    aio = frame[frame.layer == "aio"]
    media = frame[frame.layer == "media"]
    driver = frame[frame.layer == "driver"]
    device = frame[frame.layer == "device"]
    # Every aio request that was not cancelled went through the partition and the RAID set.
    served = aio[aio.status == 0]
    assert set(served.request_id) <= set(media.request_id)
    # The mirror's member requests name the set request they came from; a write went to both disks.
    member_requests = driver[driver.parent_id != 0]
    assert set(member_requests.parent_id) <= set(media.request_id)
    writes = member_requests[member_requests.op == "write"].groupby("parent_id").size()
    assert (writes == 2).all()
    # Deblocking: device reads whose parent is a driver-layer write (read-modify-write).
    rmw_reads = device[(device.op == "read") & device.parent_id.isin(driver[driver.op == "write"].request_id)]
    assert len(rmw_reads) > 0
    # Times nest: a layer completes no earlier than the layer below it for the same request.
    joined = media.merge(driver, on="request_id", suffixes=("_media", "_driver"))
    assert (joined.complete_ns_media >= joined.complete_ns_driver).all()


def test_the_same_seed_gives_the_same_trace(blocksim, source_dir, tmp_path):
    scenario = source_dir / "scenarios/aio_raid_partition.textproto"
    first, second = tmp_path / "a.bstrace", tmp_path / "b.bstrace"
    blocksim("run", scenario, "--trace", first, check=True)
    blocksim("run", scenario, "--trace", second, check=True)
    assert first.read_bytes() == second.read_bytes()


def test_power_cut_ends_the_run_and_loses_the_cache(blocksim, source_dir):
    result = blocksim("run", source_dir / "scenarios/power_cut.textproto", check=True)
    m = metrics(result.stdout)
    assert m["disk0.power_cut.lost_blocks"] > 0
    # The cut comes 40 ms after the set-up (here: probing the blank disk for a partition table).
    simulated = float(re.search(r"simulated time: ([\d.]+) s", result.stdout).group(1))
    assert 0.040 <= simulated <= 0.0405


def test_removable_media_errors(blocksim, source_dir, tmp_path):
    trace_path = tmp_path / "card.bstrace"
    result = blocksim("run", source_dir / "scenarios/removable_media.textproto", "--trace", trace_path, check=True)
    assert rows(result.stdout)[("driver", "eject")]["errors"] == 0
    frame = read_trace(str(trace_path)).completions
    media = frame[frame.layer == "media"]
    assert (media.status == LOCKED_WRITE).any()  # writes after the switch moved
    assert (media.status == NO_MEDIA).any()      # I/O after the card was pulled
    flush_then_eject = frame[(frame.layer == "device") & frame.op.isin(["flush", "eject"])].sort_values("complete_ns")
    assert list(flush_then_eject.op)[-2:] == ["flush", "eject"]


def test_driverkit_termination_aborts_what_is_in_flight(blocksim, source_dir, tmp_path):
    trace_path = tmp_path / "dext.bstrace"
    blocksim("run", source_dir / "scenarios/driverkit_device.textproto", "--trace", trace_path, check=True)
    frame = read_trace(str(trace_path)).completions
    device = frame[frame.layer == "device"]
    assert (device.status == ABORTED).any()
    # Never more than 4 commands at the dext: a request that found 4 in flight waited in the shim.
    assert ((device.dispatch_ns > device.submit_ns) == (device.queue_depth >= 4)).mean() > 0.95
    # 512 KiB requests went down as 128 KiB pieces.
    pieces = device[device.parent_id != 0]
    assert len(pieces) > 0 and (pieces.bytes <= 128 * 1024).all()


def test_raid0_splits_into_stripes(blocksim, source_dir, tmp_path):
    trace_path = tmp_path / "raid0.bstrace"
    blocksim("run", source_dir / "scenarios/raid0_stripes.textproto", "--trace", trace_path, check=True)
    frame = read_trace(str(trace_path)).completions
    media = frame[frame.layer == "media"]
    pieces = frame[(frame.layer == "driver") & (frame.parent_id != 0)]
    per_request = pieces.groupby("parent_id").agg(count=("bytes", "size"), total=("bytes", "sum"))
    assert per_request["count"].between(4, 5).all()
    assert (per_request["total"] == 256 * 1024).all()
    assert len(per_request) == len(media) == 4000
