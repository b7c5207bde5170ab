"""`blocksim replay --map each --jobs N`: a replay shared out among processes by device gives
what one process gives, byte for byte (docs/replay.md, "Replays across cores")."""

import json

PROFILE = "scenarios/profiles/sata_7200rpm.textproto"


def replay(blocksim, source_dir, trace, tmp_path, jobs, *options, profile=PROFILE, keep_trace=True):
    out = tmp_path / f"jobs{jobs}.trace"
    trace_options = ["--trace", out] if keep_trace else []
    run = blocksim("replay", trace, "--device", source_dir / profile, "--map", "each", "--no-progress",
                   "--jobs", jobs, *trace_options, *options)
    return run, out


def same_json(blocksim, source_dir, trace, tmp_path, *options, profile=PROFILE):
    runs = []
    for jobs in (1, 2):
        run, out = replay(blocksim, source_dir, trace, tmp_path, jobs, "--output-format", "json", *options,
                          profile=profile)
        assert run.returncode == 0, run.stderr
        document = json.loads(run.stdout)
        assert document.pop("trace") == str(out)
        runs.append((document, out.read_bytes()))
    assert runs[0][0] == runs[1][0]
    assert runs[0][1] == runs[1][1]
    # Without a trace the parts hand over summaries, not records: the same figures still.
    for jobs in (1, 2):
        run, _ = replay(blocksim, source_dir, trace, tmp_path, jobs, "--output-format", "json", *options,
                        profile=profile, keep_trace=False)
        assert run.returncode == 0, run.stderr
        document = json.loads(run.stdout)
        document.pop("trace", None)
        assert document == runs[0][0]
    return runs[0][0]


def test_disksim_trace_of_14_devices_splits_exactly(blocksim, source_dir, project_data, tmp_path):
    document = same_json(blocksim, source_dir, project_data / "traces" / "disksim-ascii-100k.trace", tmp_path,
                         "--requests", "3000")
    assert document["records"] == 6000
    assert sum(1 for metric in document["metrics"] if metric["name"].endswith(".hdd.media_reads")) == 14


def test_figures_over_the_whole_run_are_those_of_one_process(blocksim, source_dir, project_data, tmp_path):
    # An SSD's die busy shares are over the run's time: a part whose devices finish first still
    # reports them over the whole replay, which ends with the last part (found by a messy trace).
    document = same_json(blocksim, source_dir, project_data / "traces" / "disksim-ascii-100k.trace", tmp_path,
                         "--requests", "3000", "--lba", "wrap",
                         profile="scenarios/profiles/samsung-970-evo-plus-1tb.textproto")
    busy = [metric["value"] for metric in document["metrics"] if metric["name"].endswith(".ssd.die_busy_mean")]
    assert len(busy) == 14 and all(0 <= value < 1 for value in busy) and max(busy) > 0


def test_msr_trace_of_several_volumes_splits_exactly(blocksim, source_dir, tmp_path):
    # Four volumes with measured response times, arrivals close enough to queue on each.
    lines = []
    for i in range(400):
        volume = (i * 7) % 4
        op = "Write" if i % 3 == 0 else "Read"
        lines.append(f"{128166372003061629 + i * 20000},hm,{volume},{op},{(i * 7919) % 5000 * 4096},"
                     f"{4096 * (1 + i % 4)},{3000 + i * 10}\n")
    trace = tmp_path / "hm.csv"
    trace.write_text("".join(lines))
    document = same_json(blocksim, source_dir, trace, tmp_path, "--timing", "scaled:0.5")
    assert document["workloads"][0]["comparison"]["requests"] == 400


def test_closed_loop_stays_in_one_process(blocksim, source_dir, project_data, tmp_path):
    trace = project_data / "traces" / "disksim-ascii-100k.trace"
    one, one_trace = replay(blocksim, source_dir, trace, tmp_path, 1, "--timing", "closed:4", "--requests", "500")
    two, two_trace = replay(blocksim, source_dir, trace, tmp_path, 2, "--timing", "closed:4", "--requests", "500")
    assert one.returncode == two.returncode == 0
    note = ("jobs: 1 process: closed:N keeps N requests outstanding over all the devices together, so each "
            "device's timing depends on the others'")
    assert note in two.stdout.splitlines() and note not in one.stdout
    kept = [line.replace(str(two_trace), str(one_trace)) for line in two.stdout.splitlines() if line != note]
    assert kept == one.stdout.splitlines()
    assert one_trace.read_bytes() == two_trace.read_bytes()


def test_bad_line_stops_every_part_and_keeps_what_was_recorded(blocksim, source_dir, project_data, tmp_path):
    # Line 601 asks for a block far past the end of its device: every part reads it, and stops.
    lines = (project_data / "traces" / "disksim-ascii-100k.trace").read_text().splitlines()[:800]
    fields = lines[600].split()
    lines[600] = "\t".join([fields[0], fields[1], "99999999999", *fields[3:]])
    trace = tmp_path / "bad.trace"
    trace.write_text("\n".join(lines) + "\n")
    runs = [replay(blocksim, source_dir, trace, tmp_path, jobs) for jobs in (1, 2)]
    for run, _ in runs:
        assert run.returncode == 2
        assert f"{trace}:601" in run.stderr
        assert run.stderr.count(f"{trace}:601") == 1
    assert runs[0][1].read_bytes() == runs[1][1].read_bytes()
    assert runs[1][1].stat().st_size > 10000


def test_jobs_must_be_a_count(blocksim, source_dir, project_data):
    run = blocksim("replay", project_data / "traces" / "disksim-ascii-100k.trace", "--device", source_dir / PROFILE,
                   "--map", "each", "--jobs", "0")
    assert run.returncode == 2
    assert "--jobs needs a count from 1" in run.stderr
