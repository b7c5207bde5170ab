#!/usr/bin/python3
"""`blocksim replay --map each --jobs 2` against `--jobs 1` on the 14-device DiskSim ascii trace
(data/traces/disksim-ascii-100k.trace, as recorded, on the SATA 7200 rpm profile): requests per
second of wall time and per CPU second (the process and its parts), and the ratio of the wall
rates. A benchmark, not a test: nothing is asserted about time. The machine's other load shows in
wall times; the best of --repeats runs is taken.

    /usr/bin/python3 bench/replay_jobs_bench.py [--build build] [--repeats 3] [--requests N]
"""

import argparse
import os
import pathlib
import subprocess
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
TRACE = ROOT / "data" / "traces" / "disksim-ascii-100k.trace"
PROFILE = ROOT / "scenarios" / "profiles" / "sata_7200rpm.textproto"


def run(blocksim, jobs, requests):
    command = [str(blocksim), "replay", str(TRACE), "--device", str(PROFILE), "--map", "each", "--no-progress",
               "--jobs", str(jobs)]
    if requests:
        command += ["--requests", str(requests)]
    before = os.times()
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--requests", type=int, default=0, help="stop after N requests (default: all 100,000)")
    args = parser.parse_args()
    blocksim = pathlib.Path(args.build) / "blocksim"
    requests = args.requests or sum(1 for _ in TRACE.open())
    print(f"{TRACE.name}: {requests} requests, 14 devices, {os.cpu_count()} cores")
    rates = {}
    for jobs in (1, 2):
        runs = [run(blocksim, jobs, args.requests) for _ in range(args.repeats)]
        wall = min(w for w, _ in runs)
        cpu = min(c for _, c in runs)
        rates[jobs] = requests / wall
        print(f"--jobs {jobs}: {wall:6.2f} s wall, {cpu:6.2f} s CPU: {requests / wall:9.0f} requests/s wall, "
              f"{requests / cpu:9.0f} requests/CPU-s")
    print(f"--jobs 2 / --jobs 1: {rates[2] / rates[1]:.2f}x the wall rate")


if __name__ == "__main__":
    main()
