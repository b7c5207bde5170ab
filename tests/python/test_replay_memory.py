"""Replay streams its trace: peak memory of a replay of five million requests (gzip-compressed,
generated here) is no more than that of fifty thousand, with a wide margin. Each replay runs in a
process of its own, whose peak resident set this process reads from wait4."""

import gzip
import os
import subprocess

PROFILE = "scenarios/profiles/reference_replay.textproto"


def write_trace(path, requests):
    """MQSim lines over 4 devices, spread over a 400 GB span, a third of them writes."""
    with gzip.open(path, "wb", compresslevel=1) as out:
        for start in range(0, requests, 100_000):
            out.write("".join(f"{i * 1000} {i % 4} {(i * 7919) % 100_000_000 * 8} 8 {1 if i % 3 else 0}\n"
                              for i in range(start, min(requests, start + 100_000))).encode())


def peak_rss_kib(blocksim, *args):
    # Under AddressSanitizer freed memory waits in a quarantine of up to 256 MiB, which a long run
    # fills: without it the sanitized build measures what the program itself holds.
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"), "quarantine_size_mb=0"]))
    process = subprocess.Popen([str(blocksim.binary), *map(str, args)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
    out, err = process.stdout.read(), process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, err
    return usage.ru_maxrss, out


def test_memory_stays_flat(blocksim, source_dir, tmp_path):
    small, large = tmp_path / "small.trace.gz", tmp_path / "large.trace.gz"
    write_trace(small, 50_000)
    write_trace(large, 5_000_000)
    common = ["--device", source_dir / PROFILE, "--timing", "closed:32", "--no-progress"]
    small_rss, small_out = peak_rss_kib(blocksim, "replay", small, *common)
    large_rss, large_out = peak_rss_kib(blocksim, "replay", large, *common)
    assert "replayed: 50000 requests, 0 failed" in small_out
    assert "replayed: 5000000 requests, 0 failed" in large_out
    # A hundred times the requests; the same memory, give or take 25 % and 16 MiB.
    assert large_rss <= small_rss * 1.25 + 16 * 1024, (small_rss, large_rss)
