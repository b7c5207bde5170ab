"""Bad input to every trace reader gives a clear error naming the file and exit status 2, never a
crash: an empty file, a file cut off inside its first request, binary noise, and numbers too
large for any field. Each format starts from its shipped sample (tests/fuzz/seeds/); the blocksim
trace format is also read by `blocksim trace summary`."""

import random
import re

import pytest

SEEDS = "tests/fuzz/seeds/replay_readers_fuzz"
PROFILE = "scenarios/profiles/reference_replay.textproto"
# Format -> its sample, and how many lines come before the first request (a header).
SAMPLES = {
    "msr": ("msr.csv", 1),
    "umass": ("umass.spc", 0),
    "blkparse": ("sdb.blkparse", 0),
    "fio-iolog": ("fio3.iolog", 1),
    "disksim-ascii": ("disksim-ascii.trace", 0),
    "disksim-validate": ("disksim-validate.trace", 0),
    "mqsim": ("mqsim.trace", 0),
    "csv": ("requests.csv", 1),
}
DAMAGE = ["empty", "truncated", "binary", "huge-numbers"]


def binary_noise():
    rng = random.Random(8)
    return bytes(rng.randrange(256) for _ in range(600)) + b"\0\xff\x00BSIMTRC1\xff"


def damaged_text(sample, header_lines, damage):
    if damage == "empty":
        return b""
    if damage == "binary":
        return binary_noise()
    lines = sample.splitlines(keepends=True)
    if damage == "truncated":
        # The header, then the first request cut off after its first field.
        first = lines[header_lines]
        cut = re.match(rb"\s*[^\s,]+[\s,]", first).end()
        return b"".join(lines[:header_lines]) + first[:cut]
    return re.sub(rb"\d+", b"99999999999999999999999", sample)


@pytest.fixture(scope="module")
def blocksim_trace(tmp_path_factory):
    """A short blocksim trace of the quickstart scenario."""
    from conftest import Blocksim, SOURCE_DIR
    folder = tmp_path_factory.mktemp("bstrace")
    scenario = folder / "short.textproto"
    scenario.write_text(re.sub(r"requests: \d+", "requests: 40",
                               (SOURCE_DIR / "scenarios/quickstart.textproto").read_text()))
    trace = folder / "short.bstrace"
    Blocksim()("run", scenario, "--trace", trace, check=True)
    return trace.read_bytes()


def damaged_blocksim(trace, damage):
    if damage == "empty":
        return b""
    if damage == "binary":
        return binary_noise()
    if damage == "truncated":
        return trace[: len(trace) // 2]
    # The magic, then a record length of about 2^63 bytes.
    return b"BSIMTRC1" + b"\xff" * 9 + b"\x7f" + b"\x08\x01"


def assert_clean_error(run, path):
    assert run.returncode == 2, f"exit {run.returncode}: {run.stderr}"
    assert str(path) in run.stderr
    assert "error" in run.stderr.lower()


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_a_damaged_trace_is_an_error_with_status_2(blocksim, source_dir, tmp_path, fmt, damage):
    name, header_lines = SAMPLES[fmt]
    path = tmp_path / f"{damage}-{name}"
    path.write_bytes(damaged_text((source_dir / SEEDS / name).read_bytes(), header_lines, damage))
    run = blocksim("replay", path, "--format", fmt, "--device", source_dir / PROFILE, "--no-progress")
    assert_clean_error(run, path)


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_blocksim_trace_is_an_error_with_status_2(blocksim, source_dir, tmp_path, blocksim_trace, damage):
    path = tmp_path / f"{damage}.bstrace"
    path.write_bytes(damaged_blocksim(blocksim_trace, damage))
    run = blocksim("replay", path, "--format", "blocksim", "--device", source_dir / PROFILE, "--no-progress")
    assert_clean_error(run, path)
    assert_clean_error(blocksim("trace", "summary", path), path)


@pytest.mark.parametrize("damage", ["empty", "binary"])
def test_detection_of_a_damaged_trace_is_an_error_with_status_2(blocksim, source_dir, tmp_path, damage):
    path = tmp_path / damage
    path.write_bytes(damaged_text(b"", 0, damage))
    assert_clean_error(blocksim("replay", path, "--device", source_dir / PROFILE, "--no-progress"), path)
