"""`blocksim profile calibrate` on DiskSim's four validated drives (data/disksim-validate): fitted on
the first half of each trace, the calibrated profile is judged on the second half, which set
nothing; it must beat the shipped profile's demerit there and keep the mean error within 1 %.
Also: what it refuses (traces without measured latencies, profiles of other devices, bad usage),
that its output loads in `blocksim replay`, that it is byte-for-byte reproducible, and that
`replay --skip-requests` replays the same requests as a file holding only them."""

import re

import pytest

DRIVES = ("hp_c3323a", "hp_c2490a", "atlas_III", "cheetah9LP")
# The Cheetah 9LP's halves differ: the shipped profile's mean error is -1.60 % on the first half and
# -0.41 % on the second (by quarters -1.59, -1.63, -0.20, -0.58 %), so a fit that brings the first
# half's mean within 0.5 % leaves the second half at +0.68 %, and its demerit there (0.1158 ms) above
# the shipped profile's (0.1097 ms). docs/hdd.md, "Calibration". Strict: a change that makes it pass
# shows.
CHEETAH_HALVES = pytest.mark.xfail(strict=True, reason="the trace's halves differ by 1.2 % in the shipped "
                                   "profile's mean error; the first half's fit does not carry over")
COMPARISON = re.compile(r"measured vs simulated: mean error ([-+0-9.]+) %, demerit ([0-9.]+) ms")


def comparison(result):
    assert result.returncode == 0, result.stderr
    match = COMPARISON.search(result.stdout)
    assert match, result.stdout
    return float(match.group(1)), float(match.group(2))


def replay(blocksim, trace, profile, *extra):
    return comparison(blocksim("replay", trace, "--format", "disksim-validate", "--device", profile,
                               "--no-progress", *extra))


def paths(project_data, source_dir, drive):
    trace = project_data / "disksim-validate" / f"{drive}.trace"
    profile = source_dir / "scenarios" / "profiles" / f"{drive}.textproto"
    return trace, profile, len(trace.read_text().splitlines())


@pytest.mark.parametrize("drive", [pytest.param(d, marks=CHEETAH_HALVES) if d == "cheetah9LP" else d
                                   for d in DRIVES])
def test_fit_on_first_half_beats_shipped_profile_on_second_half(blocksim, project_data, source_dir, tmp_path,
                                                                drive):
    trace, profile, lines = paths(project_data, source_dir, drive)
    half = lines // 2
    calibrated = tmp_path / f"{drive}.textproto"
    result = blocksim("profile", "calibrate", profile, trace, "--format", "disksim-validate",
                      "--requests", f"0:{half}", "--output", calibrated)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^before: mean error [-+0-9.]+ %, demerit [0-9.]+ ms", result.stdout, re.M)
    assert re.search(r"^after: +mean error [-+0-9.]+ %, demerit [0-9.]+ ms", result.stdout, re.M)
    for name in ("read overhead scale", "write overhead scale", "head switch", "write settle", "seek scale"):
        assert re.search(rf"^{name} +\S+", result.stdout, re.M), name
    text = calibrated.read_text()
    assert text.startswith(profile.read_text().splitlines()[0] + "\n")  # the original's header kept
    assert f"# calibrated: blocksim profile calibrate on {drive}.trace (disksim-validate), requests 0:{half}" in text

    second_half = ("--skip-requests", str(half))
    shipped_error, shipped_demerit = replay(blocksim, trace, profile, *second_half)
    error, demerit = replay(blocksim, trace, calibrated, *second_half)
    print(f"{drive}: second half: shipped {shipped_error:+.2f} % {shipped_demerit:.4f} ms, "
          f"calibrated {error:+.2f} % {demerit:.4f} ms")
    assert demerit < shipped_demerit
    assert abs(error) < 1.0


def test_same_input_same_output(blocksim, project_data, source_dir, tmp_path):
    trace, profile, _ = paths(project_data, source_dir, "cheetah9LP")
    outputs = []
    for name in ("a", "b"):
        out = tmp_path / f"{name}.textproto"
        result = blocksim("profile", "calibrate", profile, trace, "--requests", "0:1500", "--output", out)
        assert result.returncode == 0, result.stderr
        outputs.append((result.stdout.replace(str(out), "OUT"), out.read_bytes()))
    assert outputs[0] == outputs[1]


def test_skip_requests_replays_the_rest_as_a_file_of_it_would(blocksim, project_data, source_dir, tmp_path):
    trace, profile, lines = paths(project_data, source_dir, "hp_c2490a")
    rest = tmp_path / "rest.trace"
    rest.write_text("".join(trace.read_text().splitlines(keepends=True)[6000:]))
    assert replay(blocksim, trace, profile, "--skip-requests", "6000") == replay(blocksim, rest, profile)
    assert (replay(blocksim, trace, profile, "--skip-requests", "6000", "--requests", "1000")
            == replay(blocksim, rest, profile, "--requests", "1000"))


def test_trace_without_measured_latencies_is_refused(blocksim, project_data, source_dir, tmp_path):
    _, profile, _ = paths(project_data, source_dir, "atlas_III")
    ascii_trace = project_data / "traces" / "disksim-ascii-100k.trace"
    result = blocksim("profile", "calibrate", profile, ascii_trace, "--output", tmp_path / "out.textproto")
    assert result.returncode == 2
    assert f"{ascii_trace}:" in result.stderr and "measured latency" in result.stderr
    assert not (tmp_path / "out.textproto").exists()

    # A validate file whose measured column is missing: the reader names the line.
    short = tmp_path / "short.trace"
    short.write_text("R Hit 1000 8 5000.0 100.0\nR Hit 2000 8\n")
    result = blocksim("profile", "calibrate", profile, short, "--format", "disksim-validate",
                      "--output", tmp_path / "out.textproto")
    assert result.returncode == 2
    assert f"{short}:2" in result.stderr


def test_non_hdd_profile_is_refused(blocksim, project_data, source_dir, tmp_path):
    trace, _, _ = paths(project_data, source_dir, "atlas_III")
    profile = source_dir / "scenarios" / "profiles" / "reference_replay.textproto"
    result = blocksim("profile", "calibrate", profile, trace, "--output", tmp_path / "out.textproto")
    assert result.returncode == 2
    assert str(profile) in result.stderr and "not a hard disk" in result.stderr


@pytest.mark.parametrize("args", [
    (),
    ("PROFILE", "TRACE"),  # no --output
    ("PROFILE", "TRACE", "--output", "OUT", "--requests", "9:3"),
    ("PROFILE", "TRACE", "--output", "OUT", "--requests", "x"),
    ("PROFILE", "TRACE", "--output", "OUT", "--requests", "0:20000"),
    ("PROFILE", "TRACE", "--output", "OUT", "--bogus"),
])
def test_bad_usage_prints_usage(blocksim, project_data, source_dir, tmp_path, args):
    trace, profile, _ = paths(project_data, source_dir, "atlas_III")
    names = {"PROFILE": profile, "TRACE": trace, "OUT": tmp_path / "out.textproto"}
    result = blocksim("profile", "calibrate", *[names.get(a, a) for a in args])
    assert result.returncode == 2
    assert "usage: blocksim profile calibrate" in result.stderr
