#!/usr/bin/python3
"""DiskSim's own answers, request by request: replays every case of data/disksim-equivalence on the
drive's imported profile and compares each request's response time with DiskSim's.

One-at-a-time cases (<drive>/<workload>.trace, validate timing): share of requests within 1 % or
10 us of DiskSim, and the difference of the means. Prints a table (or --json) and exits 0;
the tolerances a case must meet are asserted by tests/python/test_disksim_equivalence.py.

usage: scripts/disksim_equivalence.py [--build DIR] [--drive NAME] [--workload NAME] [--json]
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "data" / "disksim-equivalence"
WORKLOADS = ("rand_read", "rand_write", "seq_read", "mixed_reread", "short_seek")
RELATIVE_TOLERANCE = 0.01
ABSOLUTE_TOLERANCE_MS = 0.010


def expected_times(path: Path) -> dict:
    with open(path, newline="") as f:
        return {int(row["index"]): float(row["response_ms"]) for row in csv.DictReader(f)}


def simulated_times(build: Path, parv: Path, scratch: Path) -> dict:
    """Each request's response time (ms) at the driver, by its line in the trace."""
    sys.path.insert(0, str(build / "python"))
    import blocksim  # noqa: E402  (the bindings of this build)
    profile = scratch / f"{parv.parent.name}-{parv.stem}.textproto"
    trace = scratch / f"{parv.parent.name}-{parv.stem}.pb"
    binary = str(build / "blocksim")
    subprocess.run([binary, "profile", "import-disksim", str(parv), "--output", str(profile)],
                   check=True, capture_output=True)
    subprocess.run([binary, "replay", str(parv.with_suffix(".trace")), "--device", str(profile),
                    "--format", "disksim-validate", "--no-progress", "--trace", str(trace)],
                   check=True, capture_output=True)
    frame = blocksim.read_trace(str(trace)).completions
    driver = frame[frame["layer"] == "driver"].sort_values("request_id")
    return {i: latency / 1e6 for i, latency in enumerate(driver["latency_ns"].tolist())}


def compare(expected: dict, simulated: dict) -> dict:
    pairs = [(expected[i], simulated[i]) for i in sorted(expected) if i in simulated]
    within = sum(1 for e, s in pairs
                 if abs(s - e) <= max(RELATIVE_TOLERANCE * e, ABSOLUTE_TOLERANCE_MS))
    mean_e = sum(e for e, _ in pairs) / len(pairs)
    mean_s = sum(s for _, s in pairs) / len(pairs)
    return {"requests": len(pairs), "within_count": within, "within": within / len(pairs),
            "disksim_mean_ms": mean_e, "blocksim_mean_ms": mean_s,
            "mean_difference": mean_s / mean_e - 1,
            "worst_ms": max(abs(s - e) for e, s in pairs)}


def one_at_a_time_cases(drive=None, workload=None):
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        if drive and folder.name != drive:
            continue
        for name in WORKLOADS:
            if workload and name != workload:
                continue
            if (folder / f"{name}.expected.csv").exists():
                yield folder / f"{name}.parv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=Path(os.environ.get("BLOCKSIM_BUILD", PROJECT / "build")))
    parser.add_argument("--drive")
    parser.add_argument("--workload")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for parv in one_at_a_time_cases(args.drive, args.workload):
            case = {"drive": parv.parent.name, "workload": parv.stem}
            try:
                case.update(compare(expected_times(parv.with_suffix(".expected.csv")),
                                    simulated_times(args.build, parv, Path(scratch))))
            except subprocess.CalledProcessError as error:
                case["error"] = (error.stderr or b"").decode().strip().splitlines()[-1:]
            results.append(case)
    if args.json:
        json.dump(results, sys.stdout, indent=1)
        print()
        return 0
    print(f"{'drive':12} {'workload':13} {'within 1 % or 10 us':>20} {'DiskSim ms':>11} {'blocksim ms':>12} {'mean diff':>10} {'worst ms':>9}")
    for c in results:
        if "error" in c:
            print(f"{c['drive']:12} {c['workload']:13} cannot run: {' '.join(c['error'])}")
            continue
        print(f"{c['drive']:12} {c['workload']:13} {c['within_count']:>9}/{c['requests']} ({100 * c['within']:5.1f}%) {c['disksim_mean_ms']:11.3f} "
              f"{c['blocksim_mean_ms']:12.3f} {100 * c['mean_difference']:+9.2f}% {c['worst_ms']:9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
