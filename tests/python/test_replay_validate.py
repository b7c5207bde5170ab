"""`blocksim replay --format disksim-validate` on DiskSim's validation traces: every request is
replayed, the measured side of the comparison is the trace's field 5 (its mean is the one the
data README gives for the real drive), and bad input stops with file, line and exit status 2."""

import re

import pytest

PROFILE = "scenarios/profiles/reference_replay.textproto"
DRIVES = {"hp_c3323a": 15.765, "hp_c2490a": 12.550, "atlas_III": 6.263, "cheetah9LP": 4.273}
COMPARISON = re.compile(
    r"^measured vs simulated: mean error ([-+]\d+\.\d+) %, demerit (\d+\.\d+) ms \((\d+\.\d+) % of mean\)$", re.M)


def table_row(text, name):
    match = re.search(rf"^  {name}\s+(.*)$", text, re.M)
    return [float(x) for x in match.group(1).split()]


@pytest.mark.parametrize("drive", sorted(DRIVES))
def test_validate_replay_compares_with_field_five(blocksim, source_dir, project_data, drive):
    trace = project_data / "disksim-validate" / f"{drive}.trace"
    lines = [line.split() for line in trace.read_text().splitlines() if line.strip()]
    run = blocksim("replay", trace, "--format", "disksim-validate", "--device", source_dir / PROFILE, check=True)
    out = run.stdout
    assert f"replayed: {len(lines)} requests, 0 failed" in out
    assert "timing validate" in out
    reads = sum(1 for f in lines if f[0] == "R")
    assert re.search(rf"^device\s+read\s+{reads}\s", out, re.M)
    assert re.search(rf"^device\s+write\s+{len(lines) - reads}\s", out, re.M)
    measured = table_row(out, "measured")
    simulated = table_row(out, "simulated")
    field5_mean_us = sum(float(f[4]) for f in lines) / len(lines)
    assert measured[0] == pytest.approx(field5_mean_us, abs=0.0006)
    assert measured[0] / 1000 == pytest.approx(DRIVES[drive], abs=0.0006)  # the README's real mean
    error, demerit, share = map(float, COMPARISON.search(out).groups())
    assert error == pytest.approx((simulated[0] - measured[0]) / measured[0] * 100, abs=0.006)
    assert share == pytest.approx(demerit / (measured[0] / 1000) * 100, abs=0.006)
    assert "dispatch to completion at the device" in out


def test_detects_validate_format_and_says_so(blocksim, source_dir, project_data):
    run = blocksim("replay", project_data / "disksim-validate" / "hp_c2490a.trace", "--device", source_dir / PROFILE,
                   check=True)
    assert run.stdout.startswith("format: disksim-validate (detected: ")


def test_malformed_line_stops_with_file_line_and_status_2(blocksim, source_dir, tmp_path):
    trace = tmp_path / "bad.trace"
    trace.write_text("R Hit 0 8 100 200\nW Hit 8 8 100 200\nR Hit 16 eight 100 200\nR Hit 24 8 100 200\n")
    run = blocksim("replay", trace, "--format", "disksim-validate", "--device", source_dir / PROFILE)
    assert run.returncode == 2
    assert f"{trace}:3: field 4 (block count)" in run.stderr
    skipped = blocksim("replay", trace, "--format", "disksim-validate", "--device", source_dir / PROFILE,
                       "--skip-bad", check=True)
    assert "replayed: 3 requests" in skipped.stdout
    assert "skipped lines: 1 (line 3)" in skipped.stdout


def test_request_past_the_device_is_reported_not_skipped_silently(blocksim, tmp_path):
    profile = tmp_path / "small.textproto"
    profile.write_text('capacity: "1MiB" interface_rate: "6Gb/s" reference { service { fixed: "1us" } }\n')
    trace = tmp_path / "far.trace"
    trace.write_text("R Hit 0 8 100 200\nR Hit 4096 8 100 200\nR Hit 8 0 100 200\n")
    run = blocksim("replay", trace, "--device", profile)
    assert run.returncode == 2
    assert f"{trace}:2: cannot be served: bytes [2097152, 2101248) run past the end of device disk0" in run.stderr
    skipped = blocksim("replay", trace, "--device", profile, "--skip-bad", check=True)
    assert "skipped lines: 2 (lines 2, 3)" in skipped.stdout
    assert "zero length" in skipped.stdout
    wrapped = blocksim("replay", trace, "--device", profile, "--lba", "wrap", "--skip-bad", check=True)
    assert "replayed: 2 requests" in wrapped.stdout
    assert "lba policy: wrap (1 requests moved)" in wrapped.stdout


def test_profile_without_interface_rate_is_a_clear_error(blocksim, tmp_path, project_data):
    profile = tmp_path / "nobus.textproto"
    profile.write_text('capacity: "1GiB" reference { }\n')
    run = blocksim("replay", project_data / "disksim-validate" / "hp_c2490a.trace", "--device", profile)
    assert run.returncode == 2
    assert "has no interface_rate" in run.stderr
    assert str(profile) in run.stderr


def test_python_demerit_agrees_with_the_replay(blocksim, source_dir, project_data, tmp_path):
    """The pairing and the figure, recomputed from files: the measured side from the trace's
    field 5, the simulated side from the replay's own protobuf trace (dispatch to completion at
    the device), through blocksim_analysis's implementation of DiskSim's rms."""
    from decimal import Decimal
    from blocksim_analysis import demerit_ms, mean_error_percent, read_trace
    trace = project_data / "disksim-validate" / "atlas_III.trace"
    run_trace = tmp_path / "atlas.bstrace"
    run = blocksim("replay", trace, "--device", source_dir / PROFILE, "--trace", run_trace, check=True)
    measured = [int(Decimal(line.split()[4]) * 1000) for line in trace.read_text().splitlines() if line.strip()]
    frame = read_trace(str(run_trace)).completions.sort_values("request_id")
    simulated = (frame["complete_ns"] - frame["dispatch_ns"]).tolist()
    error, demerit, _ = map(float, COMPARISON.search(run.stdout).groups())
    assert demerit == pytest.approx(demerit_ms(simulated, measured), abs=0.00006)
    assert error == pytest.approx(mean_error_percent(simulated, measured), abs=0.006)
