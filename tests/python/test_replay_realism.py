"""Replay gives what the recorded drive would have given (issue 13): blkparse traces replay the
kernel's merged dispatches, an SSD starts holding data, 512-byte-aligned requests are served as the
drive's 512-byte sectors (merged in its DRAM buffer, not widened), and trims reach the FTL. Each
expected figure is worked out here, from the datasheets and the profiles, not from a past run."""

import random
import re

import pytest

NVME = "scenarios/profiles/samsung-970-evo-plus-1tb.textproto"
SATA = "scenarios/profiles/samsung-870-evo-1tb.textproto"
MERGED = "tests/sim/replay/data/merged.blkparse"
CAPACITY = 1_000_204_886_016  # both Samsung profiles


def summary_row(stdout, layer, op):
    """(requests, mean us) of a summary row."""
    match = re.search(rf"^{layer}\s+{op}\s+(\d+)\s+\d+\s+\S+\s+\S+\s+(\S+)", stdout, re.M)
    assert match, f"no {layer} {op} row in:\n{stdout}"
    return int(match.group(1)), float(match.group(2))


def metric(stdout, name):
    match = re.search(rf"^{re.escape(name)}: (\S+)", stdout, re.M)
    assert match, f"no metric {name} in:\n{stdout}"
    return float(match.group(1))


def events(path, action):
    """The blkparse events of one action, counted independently of the reader."""
    count = 0
    for line in path.read_text().splitlines():
        fields = line.split()
        if len(fields) >= 7 and "," in fields[0] and fields[5] == action:
            count += 1
    return count


def fio_log(path, lines):
    path.write_text("fio version 2 iolog\n/dev/sdb add\n/dev/sdb open\n" +
                    "".join(f"/dev/sdb {line}\n" for line in lines) + "/dev/sdb close\n")
    return path


# --- blkparse: the dispatches, as the device saw them -----------------------------------------

def test_blkparse_replays_the_dispatches_by_default(blocksim, source_dir):
    trace = source_dir / MERGED
    dispatches, queued, merges = events(trace, "D"), events(trace, "Q"), events(trace, "M")
    # The sample as made: many bios merged into few dispatches, with 2 discards and 2 flushes.
    assert (queued, merges, dispatches, events(trace, "C")) == (362, 336, 26, 26)
    run = blocksim("replay", trace, "--device", source_dir / NVME, "--no-progress", check=True)
    assert f"replayed: {dispatches} requests, 0 failed" in run.stdout
    assert "blkparse: issue at D events (the default for a trace with D events)" in run.stdout
    # Every dispatch has its C: each is compared, D to C against the device's dispatch to completion.
    assert f"compared: {dispatches} requests, dispatch to completion at the device" in run.stdout
    assert f"({dispatches} of {dispatches} replayed requests" in run.stdout
    # The discards reach the device as unmaps and show as rows of their own.
    assert "unmaps: 2 (the trace's trims and discards" in run.stdout
    assert summary_row(run.stdout, "device", "unmap")[0] == 2
    assert summary_row(run.stdout, "device", "flush")[0] == 2
    assert "precondition: fill=1 (the default" in run.stdout


def test_blkparse_issue_at_q_replays_the_queued_bios(blocksim, source_dir):
    trace = source_dir / MERGED
    run = blocksim("replay", trace, "--device", source_dir / NVME, "--issue-at", "Q", "--no-progress", check=True)
    queued = events(trace, "Q")
    assert f"replayed: {queued} requests, 0 failed" in run.stdout
    assert f"compared: {queued} requests" in run.stdout


def test_blkparse_without_dispatches_replays_queued_with_a_note(blocksim, source_dir, tmp_path):
    kept = [line for line in (source_dir / MERGED).read_text().splitlines()
            if len(line.split()) < 6 or line.split()[5] != "D"]
    trace = tmp_path / "no-dispatch.blkparse"
    trace.write_text("\n".join(kept) + "\n")
    run = blocksim("replay", trace, "--device", source_dir / NVME, "--no-progress", check=True)
    assert "note: the trace has no D (dispatch) events, so its Q events are replayed" in run.stdout
    assert f"replayed: {events(trace, 'Q')} requests" in run.stdout


# --- a used drive: QD1 reads against the datasheet --------------------------------------------

def random_reads(tmp_path, count=3000, seed=5):
    rng = random.Random(seed)
    units = CAPACITY // 4096
    return fio_log(tmp_path / "reads.log", [f"read {rng.randrange(units) * 4096} 4096" for _ in range(count)])


# Datasheet QD1 4 KiB random read (model-facts.md §5): 19,000 IOPS for the 970 EVO Plus (52.6 us a
# read by Little's law at depth 1), 13,000 for the 870 EVO (76.9 us). The profiles' own arithmetic:
# 970: 1.6 us firmware + 45 us tR + 4096 B over the 800 MB/s channel (5.12 us) + 4096 B over the
#      3.5 GB/s link (1.17 us) = 52.9 us;
# 870: 10.2 + 54 + 5.12 + 4096 B over 560 MB/s (7.31 us) = 76.6 us.
@pytest.mark.parametrize("profile, datasheet_us", [(NVME, 1e6 / 19_000), (SATA, 1e6 / 13_000)])
def test_qd1_random_read_after_default_preconditioning_matches_the_datasheet(blocksim, source_dir, tmp_path, profile,
                                                                             datasheet_us):
    run = blocksim("replay", random_reads(tmp_path), "--device", source_dir / profile, "--timing", "closed:1",
                   "--no-progress", check=True)
    assert "precondition: fill=1 (the default" in run.stdout
    requests, mean_us = summary_row(run.stdout, "device", "read")
    assert requests == 3000
    assert abs(mean_us - datasheet_us) / datasheet_us < 0.10, (mean_us, datasheet_us)
    assert metric(run.stdout, "disk0.ssd.unwritten_unit_reads") == 0
    assert "warning: never-written reads" not in run.stdout


def test_fresh_drive_reads_are_fast_and_warned(blocksim, source_dir, tmp_path):
    run = blocksim("replay", random_reads(tmp_path), "--device", source_dir / NVME, "--timing", "closed:1",
                   "--precondition", "none", "--no-progress", check=True)
    assert "precondition: none (--precondition)" in run.stdout
    _, mean_us = summary_row(run.stdout, "device", "read")
    # No flash read: firmware and the link only (1.6 + 1.17 us), far below the datasheet's 52.6.
    assert mean_us < 10
    assert metric(run.stdout, "disk0.ssd.unwritten_unit_reads") == 3000
    assert "warning: never-written reads: 3000 units read on disk0" in run.stdout


def test_precondition_option_is_checked(blocksim, source_dir, tmp_path):
    trace = random_reads(tmp_path, count=10)
    for bad in ["fill", "fill=2", "overwrites=1", "fill=0.5,speed=3", "fill=x"]:
        run = blocksim("replay", trace, "--device", source_dir / NVME, "--precondition", bad)
        assert run.returncode == 2, bad
        assert "--precondition takes none, fill=F or fill=F,overwrites=K" in run.stderr
    run = blocksim("replay", trace, "--device", source_dir / NVME, "--precondition", "fill=0.5,overwrites=0.1",
                   "--timing", "closed:1", "--no-progress", check=True)
    assert "precondition: fill=0.5,overwrites=0.1 (--precondition)" in run.stdout
    run = blocksim("replay", trace, "--device", source_dir / "scenarios/profiles/reference_replay.textproto",
                   "--precondition", "none")
    assert run.returncode == 2
    assert "--precondition applies to SSD profiles" in run.stderr


# --- the drive's own block size -----------------------------------------------------------------

# 8 KiB writes at depth 1 on the 870 EVO, through its 64 MiB write-back cache: the firmware's 11.4 us
# per write, then 8192 B over the 560 MB/s link (14.63 us), then the write-buffer path's 9.06 us:
# 35.09 us, wherever the write starts.
# One starting on a 512-byte boundary inside a 4 KiB unit leaves its first and last units partly
# written; they merge in the cache and are read from flash only when programmed, off the write's path.
def test_512_byte_aligned_writes_cost_what_4k_aligned_ones_do(blocksim, source_dir, tmp_path):
    rng = random.Random(9)
    units = CAPACITY // 4096 - 4
    starts = [rng.randrange(units) * 4096 for _ in range(2000)]
    expected_us = 11.4 + 8192 / 560e6 * 1e6 + 9.06
    means = {}
    for name, shift in [("aligned", 0), ("unaligned", 1536)]:
        trace = fio_log(tmp_path / f"{name}.log", [f"write {start + shift} 8192" for start in starts])
        run = blocksim("replay", trace, "--device", source_dir / SATA, "--timing", "closed:1", "--no-progress",
                       check=True)
        requests, means[name] = summary_row(run.stdout, "device", "write")
        assert requests == 2000
        assert "warning: widened" not in run.stdout
        assert metric(run.stdout, "replay.widened_requests") == 0
        means[name + " rmw"] = metric(run.stdout, "disk0.ssd.read_modify_writes")
    assert abs(means["aligned"] - expected_us) / expected_us < 0.05, means
    assert abs(means["unaligned"] - expected_us) / expected_us < 0.05, means
    assert means["unaligned"] < 2 * means["aligned"]
    assert means["aligned rmw"] == 0
    assert means["unaligned rmw"] > 0  # partial units programmed over old data were merged first


def test_requests_not_whole_blocks_are_widened_with_a_warning(blocksim, source_dir, tmp_path):
    trace = fio_log(tmp_path / "odd.log", ["write 100 1000", "read 4096 4096", "read 8192 100"])
    run = blocksim("replay", trace, "--device", source_dir / SATA, "--no-progress", check=True)
    assert re.search(r"^warning: widened to whole blocks: 2 requests were not whole 512-byte blocks", run.stdout, re.M)
    assert metric(run.stdout, "replay.widened_requests") == 2


# --- trims reach the FTL ------------------------------------------------------------------------

# A small SSD, so that random writes reach garbage collection: 4 planes x 256 blocks x 64 pages of
# 4 KiB (256 MiB of flash) under 224 MiB of logical space, filled by the default preconditioning.
SMALL_SSD = """
name: "small" capacity: "224MiB" block_size: "512" interface_rate: "560MB/s"
ssd {
  host_interface { sata { ncq_depth: 32 } }
  cache { capacity: "256KiB" }
  nand { cell: SLC channels: 2 dies_per_channel: 1 planes_per_die: 2 blocks_per_plane: 256 pages_per_block: 64
         page_size: "4KiB" }
  ftl { gc { foreground_threshold: 2 background_threshold: 2 } }
}
"""


def test_fio_trims_are_unmaps_and_lower_write_amplification(blocksim, tmp_path):
    profile = tmp_path / "small.textproto"
    profile.write_text(SMALL_SSD)
    half = 112 * 1024 * 1024
    rng = random.Random(3)
    writes = [f"write {rng.randrange(half // 4096) * 4096} 4096" for _ in range(2 * half // 4096)]
    # The same random writes over the lower half; in one run the upper half is trimmed first (in
    # 16 trims of 7 MiB), so garbage collection finds it free instead of valid data to copy.
    trims = [f"trim {half + i * (half // 16)} {half // 16}" for i in range(16)]
    results = {}
    for name, lines in [("kept", writes), ("trimmed", trims + writes)]:
        trace = fio_log(tmp_path / f"{name}.log", lines)
        run = blocksim("replay", trace, "--device", profile, "--timing", "closed:8", "--no-progress", check=True)
        results[name] = run.stdout
    trimmed = results["trimmed"]
    assert "unmaps: 16 (the trace's trims and discards" in trimmed
    assert metric(trimmed, "replay.unmaps") == 16
    assert summary_row(trimmed, "device", "unmap")[0] == 16
    assert metric(trimmed, "disk0.ssd.units_trimmed") == half // 4096
    wa_kept = metric(results["kept"], "disk0.ssd.write_amplification")
    wa_trimmed = metric(trimmed, "disk0.ssd.write_amplification")
    # Without trims GC copies the cold upper half's valid pages; with them it finds most blocks
    # nearly empty: the write amplification falls well toward 1.
    assert wa_trimmed < 0.75 * wa_kept, (wa_kept, wa_trimmed)
    assert wa_trimmed < 1.5


def test_trims_in_every_format_reach_the_device(blocksim, source_dir, tmp_path):
    log = fio_log(tmp_path / "t.log", ["write 0 65536", "trim 0 32768", "read 0 4096"])
    csv = tmp_path / "t.csv"
    blocksim("trace", "convert", log, csv, check=True)
    assert ",unmap," in csv.read_text()
    pb = tmp_path / "t.pb"
    blocksim("trace", "convert", log, pb, check=True)
    for trace in [log, csv, pb]:
        run = blocksim("replay", trace, "--device", source_dir / SATA, "--no-progress", check=True)
        assert "unmaps: 1 (" in run.stdout, trace
        assert summary_row(run.stdout, "device", "unmap")[0] == 1


def test_unmap_on_a_device_without_it_is_warned(blocksim, source_dir, tmp_path):
    log = fio_log(tmp_path / "t.log", ["write 0 4096", "trim 0 4096", "trim 4096 4096"])
    run = blocksim("replay", log, "--device", source_dir / "scenarios/profiles/reference_replay.textproto",
                   "--no-progress", check=True)
    assert "warning: unmap unsupported: 2 unmaps were refused" in run.stdout
    assert "replayed: 3 requests, 0 failed" in run.stdout


# --- warnings a user needs ----------------------------------------------------------------------

REFERENCE = "scenarios/profiles/reference_replay.textproto"


# The reference profile serves 8 requests at a time, 100 us + 4096 B at 500 MB/s (108.2 us) each:
# about 74,000 4 KiB reads a second. 2,000 reads 1 us apart (1,000,000 a second) pile up: when the
# last arrives about 2,000 - 2 ms x 74,000/s = 1,850 are still waiting, and they take 25 ms more to
# drain, against a trace of 2 ms. The same reads 1 ms apart never queue.
@pytest.mark.parametrize("gap_ns, overloaded", [(1_000, True), (1_000_000, False)])
def test_a_trace_faster_than_the_device_is_called_overload(blocksim, source_dir, tmp_path, gap_ns, overloaded):
    trace = tmp_path / "fast.trace"
    trace.write_text("".join(f"{i * gap_ns} 0 {i * 8} 8 1\n" for i in range(2000)))
    run = blocksim("replay", trace, "--format", "mqsim", "--device", source_dir / REFERENCE, "--no-progress",
                   check=True)
    assert ("warning: overload:" in run.stdout) == overloaded
    assert metric(run.stdout, "replay.overloaded") == (1 if overloaded else 0)
    if overloaded:
        backlog = int(re.search(r"\((\d+) requests still in flight at the last arrival", run.stdout).group(1))
        assert 1700 < backlog < 2000
        assert metric(run.stdout, "replay.peak_in_flight") >= backlog


def test_a_trace_device_larger_than_the_simulated_one_is_warned(blocksim, tmp_path):
    profile = tmp_path / "small.textproto"
    profile.write_text(SMALL_SSD)
    trace = fio_log(tmp_path / "far.log", ["write 0 4096", f"write {1 << 30} 4096"])
    run = blocksim("replay", trace, "--device", profile, "--lba", "wrap", "--no-progress", check=True)
    assert (f'warning: capacity mismatch: trace device "/dev/sdb" reaches byte {(1 << 30) + 4096}, past the '
            f"{224 << 20} bytes of disk0") in run.stdout
    run = blocksim("replay", trace, "--device", profile, "--no-progress")
    assert run.returncode == 2  # past the end under the default --lba reject: still an error
    assert "run past the end of device disk0" in run.stderr
