"""Replay progress: on a terminal a line refreshed a few times a second with the share of the trace
read (by bytes, compressed bytes for gzip), an ETA, requests, simulated time, and the IOPS and mean
latency at the device lately; not on a terminal, one line at the end; none with --no-progress."""

import gzip
import os
import pty
import re
import subprocess

PROFILE = "scenarios/profiles/reference_replay.textproto"
LINE = re.compile(r"([\d.]+) % of the trace read \(([\d.]+) of ([\d.]+) MB\), ETA \d+ s, (\d+) requests, "
                  r"([\d.]+) s simulated, (\d+) IOPS, mean ([\d.]+) us")
FINAL = re.compile(r"^progress: 100\.0 % of the trace read \(([\d.]+) MB\), (\d+) requests, ([\d.]+) s simulated "
                   r"in [\d.]+ s, (\d+) IOPS, mean ([\d.]+) us$")


def test_a_terminal_gets_a_refreshed_line(blocksim, source_dir, project_data):
    trace = project_data / "traces" / "disksim-ascii-100k.trace"
    master, slave = pty.openpty()
    # 800,000 requests: long enough (over a second) for several refreshes, four a second.
    process = subprocess.Popen([str(blocksim.binary), "replay", str(trace), "--device", str(source_dir / PROFILE),
                                "--timing", "closed:32", "--map", "each", "--repeat", "8"],
                               stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    shown = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        shown += data
    assert process.wait(timeout=600) == 0
    os.close(master)
    lines = [LINE.search(part.decode()) for part in shown.split(b"\r")]
    lines = [m for m in lines if m]
    assert len(lines) >= 2, shown[:500]
    size_mb = 8 * trace.stat().st_size / 1e6
    previous = 0.0
    for m in lines:
        share, read, total, requests = float(m[1]), float(m[2]), float(m[3]), int(m[4])
        assert total == round(size_mb, 1)
        assert abs(share - 100 * read / total) < 0.5 and previous <= share <= 100  # MB shown to 0.1
        previous = share
        assert 0 < requests <= 800_000 and int(m[6]) > 0 and float(m[7]) > 0
    assert shown.endswith(b"\r\x1b[K")  # the line is cleared at the end


def test_not_a_terminal_gets_one_final_line(blocksim, source_dir, project_data, tmp_path):
    plain = project_data / "traces" / "mqsim-tpcc-small.trace"
    packed = tmp_path / "tpcc.trace.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes(), mtime=0))
    for trace in (plain, packed):  # by bytes of the file as it is, gzip included
        run = blocksim("replay", trace, "--device", source_dir / PROFILE, check=True)
        lines = run.stderr.splitlines()
        assert len(lines) == 1, run.stderr
        m = FINAL.match(lines[0])
        assert m, lines[0]
        assert float(m[1]) == round(trace.stat().st_size / 1e6, 1)
        assert int(m[2]) == 6999
        simulated = re.search(r"simulated time: ([\d.]+) s", run.stdout).group(1)
        assert abs(float(m[3]) - float(simulated)) < 0.002
        mean = re.search(r"^device\s+all\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+\s+([\d.]+)", run.stdout, re.M).group(1)
        assert abs(float(m[5]) - float(mean)) < 0.06
    quiet = blocksim("replay", plain, "--device", source_dir / PROFILE, "--no-progress", check=True)
    assert quiet.stderr == ""
