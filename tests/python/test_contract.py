"""The completion contract at the run's end (issue 12): a request that never completes makes
`blocksim run`, `blocksim replay` and a Python run fail with exit 1 and a message naming it, with
the summary and trace still written; the hard disk traces that once lost requests complete every
request on every hard disk profile."""

import pytest

HDD_PROFILES = ["atlas_III", "cheetah9LP", "hp_c2490a", "hp_c3323a", "sas_15k", "sata_7200rpm"]
DATA = "tests/models/hdd/data"

# A device that stops answering with no driver timeout to end its requests: the four in flight
# then are never completed (a model that dropped them would look the same from above).
HANG = """\
name: "hang"
seed: 1
device {
  name: "disk0" capacity: "1GiB" block_size: "4KiB" interface_rate: "1GB/s"
  reference { queue_depth: 16 service { fixed: "100us" } }
}
workload { device: "disk0" job { read_fraction: 0.5 block_size: "8KiB" closed { queue_depth: 4 } requests: 1000 } }
event { at: "20ms" stop_responding: "disk0" }
"""


def test_lost_requests_fail_the_run_and_are_named(blocksim, tmp_path):
    scenario = tmp_path / "hang.textproto"
    scenario.write_text(HANG)
    trace = tmp_path / "hang.bstrace"
    run = blocksim("run", scenario, "--trace", trace)
    assert run.returncode == 1, run.stderr
    assert "requests never completed: 8 (4 issued by workloads, 4 passed down by the stack's layers)" in run.stderr
    assert 'workload layer, device "disk0", ' in run.stderr
    assert 'device layer, device "disk0", ' in run.stderr
    assert "the model holds it: held by the fault injector" in run.stderr
    # What did complete is still summarised and recorded: 196 of the 1000 before the device stopped.
    assert "device  all" in run.stdout
    summary = blocksim("trace", "summary", trace, check=True)
    assert "records:" in summary.stdout


def test_lost_requests_are_counted_as_failed_by_replay(blocksim, source_dir, tmp_path):
    trace = tmp_path / "four.csv"
    trace.write_text("time_ns,device,op,offset,bytes,latency_ns,latency_from,idle_ns,source_line\n" +
                     "".join(f"{i * 1000},0,read,{i * 8192},8192,,,,\n" for i in range(400)))
    profile = tmp_path / "hang.textproto"
    profile.write_text('capacity: "1GiB" block_size: "4KiB" interface_rate: "1GB/s" '
                       'reference { queue_depth: 16 service { fixed: "100us" } }')
    scenario = tmp_path / "replay.textproto"
    scenario.write_text(f'device {{ name: "d" profile: "{profile}" }}\n'
                        f'workload {{ device: "d" replay {{ path: "{trace}" format: "csv" }} }}\n'
                        'event { at: "10ms" stop_responding: "d" }\n')
    run = blocksim("run", scenario)
    assert run.returncode == 1, run.stderr
    failed = int(run.stdout.split("replayed: 400 requests, ")[1].split(" failed")[0])
    assert failed > 0
    assert f"({failed} of them never completed)" in run.stdout


def test_a_python_run_with_lost_requests_raises(tmp_path):
    import blocksim
    with pytest.raises(blocksim.RunError) as caught:
        blocksim.run(HANG)
    assert caught.value.returncode == 1
    assert "requests never completed" in caught.value.stderr


@pytest.mark.parametrize("profile", HDD_PROFILES)
def test_hdd_regression_traces_complete_every_request(blocksim, source_dir, profile):
    device = source_dir / "scenarios" / "profiles" / f"{profile}.textproto"
    for name, fmt, count in [("overlapping_read_write.trace", "disksim-ascii", 4),
                             ("hit_then_miss_reads.trace", "disksim-ascii", 4),
                             ("flushes_dense.csv", "csv", 3000),
                             ("dense_mixed.trace", "disksim-ascii", 3000)]:
        run = blocksim("replay", source_dir / DATA / name, "--device", device, "--format", fmt, "--lba", "wrap",
                       "--no-progress")
        assert run.returncode == 0, f"{name} on {profile}:\n{run.stderr}"
        assert f"replayed: {count} requests, 0 failed" in run.stdout, f"{name} on {profile}"


def test_atlas_sequential_reads_complete_one_at_a_time(blocksim, project_data, tmp_path):
    folder = project_data / "disksim-equivalence" / "atlas_III"
    profile = tmp_path / "atlas.textproto"
    blocksim("profile", "import-disksim", folder / "seq_read.parv", "--output", profile, check=True)
    run = blocksim("replay", folder / "seq_read.trace", "--device", profile, "--format", "disksim-validate",
                   "--no-progress")
    assert run.returncode == 0, run.stderr
    assert "replayed: 1000 requests, 0 failed" in run.stdout


def test_the_equivalence_corpus_completes_every_request(blocksim, project_data, tmp_path):
    """Every case of DiskSim's equivalence corpus, one request at a time on the drive's imported
    profile, the Maxtor's dm_layout_g4 layout tree included."""
    corpus = project_data / "disksim-equivalence"
    replayed = 0
    for parv in sorted(corpus.glob("*/*.parv")):
        if not parv.with_suffix(".trace").exists():
            continue
        profile = tmp_path / f"{parv.parent.name}-{parv.stem}.textproto"
        blocksim("profile", "import-disksim", parv, "--output", profile, check=True)
        run = blocksim("replay", parv.with_suffix(".trace"), "--device", profile, "--format", "disksim-validate",
                       "--no-progress")
        assert run.returncode == 0, f"{parv}:\n{run.stderr}"
        assert ", 0 failed" in run.stdout, parv
        replayed += 1
    assert replayed >= 33
