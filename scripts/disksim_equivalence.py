#!/usr/bin/python3
"""DiskSim's own answers, request by request: replays every case of data/disksim-equivalence on the
drive's imported profile and compares each request's response time with DiskSim's.

One-at-a-time cases (<drive>/<workload>.trace, validate timing): share of requests within 1 % or
10 us of DiskSim, and the difference of the means. Queueing cases (<drive>/queueing/load*.trace,
open loop, --queueing): per scheduling policy, the difference of the means and the largest
difference, in points of share, over DiskSim's ten response-time buckets (statdefs: 5, 10, 20,
40, 60, 90, 120, 150, 200 ms). Prints a table (or --json) and exits 0; the tolerances a case must
meet are asserted by tests/python/test_disksim_equivalence.py.

usage: scripts/disksim_equivalence.py [--build DIR] [--drive NAME] [--workload NAME] [--queueing] [--json]
"""
import argparse
import csv
import json
import os
import re
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


# DiskSim's policy columns: the block storage driver's scheduler and the drive's for each (None:
# a policy the driver's queue does not model, which needs the drive's positions).
POLICIES = {
    "fcfs": ("FCFS", "FIFO"),
    "elevator_lbn": ("ELEVATOR", "ELEVATOR"),
    "cycle_lbn": ("CLOOK", "CLOOK"),
    "sstf_lbn": ("SSTF", "SSTF"),
    "sstf_cyl": ("SSTF", "SSTF"),
    "sptf": None,
    "pri_aspctf": None,
}
BUCKET_EDGES_MS = (5, 10, 20, 40, 60, 90, 120, 150, 200)


def import_profile(build: Path, parv: Path, profile: Path) -> str:
    subprocess.run([str(build / "blocksim"), "profile", "import-disksim", str(parv), "--output", str(profile)],
                   check=True, capture_output=True)
    return profile.read_text()


def replay_times(build: Path, trace_file: Path, profile: Path, trace: Path, trace_format: str) -> dict:
    """Each request's response time (ms) at the driver, by its line in the trace."""
    if str(build / "python") not in sys.path:
        sys.path.insert(0, str(build / "python"))
    import blocksim  # noqa: E402  (the bindings of this build)
    subprocess.run([str(build / "blocksim"), "replay", str(trace_file), "--device", str(profile),
                    "--format", trace_format, "--no-progress", "--trace", str(trace)],
                   check=True, capture_output=True)
    frame = blocksim.read_trace(str(trace)).completions
    driver = frame[frame["layer"] == "driver"].sort_values("request_id")
    return {i: latency / 1e6 for i, latency in enumerate(driver["latency_ns"].tolist())}


def simulated_times(build: Path, parv: Path, scratch: Path) -> dict:
    """Each request's response time (ms) at the driver, by its line in the trace."""
    name = f"{parv.parent.name}-{parv.stem}"
    profile = scratch / f"{name}.textproto"
    import_profile(build, parv, profile)
    return replay_times(build, parv.with_suffix(".trace"), profile, scratch / f"{name}.pb", "disksim-validate")


def queueing_times(build: Path, trace_file: Path, policy: str, scratch: Path) -> dict:
    """A queueing case under DiskSim's `policy`, set on the driver's queue and the drive's."""
    driver_scheduler, drive_scheduler = POLICIES[policy]
    name = f"{trace_file.parent.parent.name}-{trace_file.stem}-{policy}"
    profile = scratch / f"{name}.textproto"
    text = import_profile(build, trace_file.parent.parent / "queueing.parv", profile)
    text = re.sub(r"^driver \{.*\}$", "", text, flags=re.M)
    text = re.sub(r"scheduler: [A-Z]+", f"scheduler: {drive_scheduler}", text)
    depth = re.search(r"queue_depth: (\d+)", text)[1]
    profile.write_text(text + f"driver {{ queue_depth: {depth} scheduler: {driver_scheduler} }}\n")
    return replay_times(build, trace_file, profile, scratch / f"{name}.pb", "disksim-ascii")


def bucket_shares(times) -> list:
    counts = [0] * (len(BUCKET_EDGES_MS) + 1)
    for t in times:
        counts[sum(1 for edge in BUCKET_EDGES_MS if t >= edge)] += 1
    return [c / len(times) for c in counts]


def compare_queueing(expected: list, simulated: dict) -> dict:
    simulated_list = [simulated[i] for i in range(len(expected))]
    mean_e = sum(expected) / len(expected)
    mean_s = sum(simulated_list) / len(simulated_list)
    return {"requests": len(simulated), "disksim_mean_ms": mean_e, "blocksim_mean_ms": mean_s,
            "mean_difference": mean_s / mean_e - 1,
            "bucket_difference": max(abs(a - b) for a, b in zip(bucket_shares(expected), bucket_shares(simulated_list)))}


def queueing_cases(drive=None):
    """(trace, policy, DiskSim's times) of every queueing case the driver's queue models."""
    for expected_csv in sorted(CORPUS.glob("*/queueing/load*.expected.csv")):
        if drive and expected_csv.parent.parent.name != drive:
            continue
        with open(expected_csv, newline="") as f:
            rows = list(csv.DictReader(f))
        for column in rows[0]:
            policy = column[:-3] if column.endswith("_ms") and column != "arrival_ms" else None
            if policy and POLICIES.get(policy):
                yield (expected_csv.with_name(expected_csv.name.replace(".expected.csv", ".trace")), policy,
                       [float(r[column]) for r in rows])


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
    parser.add_argument("--queueing", action="store_true", help="the open-loop queueing cases instead")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.queueing:
        return print_queueing(args)
    with tempfile.TemporaryDirectory() as scratch:
        results = run_cases(one_at_a_time_cases(args.drive, args.workload),
                            lambda parv: {"drive": parv.parent.name, "workload": parv.stem},
                            lambda parv: compare(expected_times(parv.with_suffix(".expected.csv")),
                                                 simulated_times(args.build, parv, Path(scratch))))
    return print_results(results, args.json, ("drive", "workload"),
                         f"{'within 1 % or 10 us':>20} {'DiskSim ms':>11} {'blocksim ms':>12} {'mean diff':>10} "
                         f"{'worst ms':>9}",
                         lambda c: f"{c['within_count']:>9}/{c['requests']} ({100 * c['within']:5.1f}%) "
                                   f"{c['disksim_mean_ms']:11.3f} {c['blocksim_mean_ms']:12.3f} "
                                   f"{100 * c['mean_difference']:+9.2f}% {c['worst_ms']:9.3f}")


def print_queueing(args) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        results = run_cases(queueing_cases(args.drive),
                            lambda case: {"drive": case[0].parent.parent.name, "load": case[0].stem, "policy": case[1]},
                            lambda case: compare_queueing(case[2], queueing_times(args.build, case[0], case[1],
                                                                                  Path(scratch))))
    return print_results(results, args.json, ("drive", "load", "policy"),
                         f"{'DiskSim ms':>11} {'blocksim ms':>12} {'mean diff':>10} {'bucket diff':>12}",
                         lambda c: f"{c['disksim_mean_ms']:11.2f} {c['blocksim_mean_ms']:12.2f} "
                                   f"{100 * c['mean_difference']:+9.2f}% {100 * c['bucket_difference']:10.1f} pt")


def run_cases(cases, describe, measure) -> list:
    """describe(case) names a case; measure(case) gives its figures, or a replay's error is kept."""
    results = []
    for case in cases:
        result = describe(case)
        try:
            result.update(measure(case))
        except subprocess.CalledProcessError as error:
            result["error"] = (error.stderr or b"").decode().strip().splitlines()[-1:]
        results.append(result)
    return results


def print_results(results, as_json, keys, header, row) -> int:
    if as_json:
        json.dump(results, sys.stdout, indent=1)
        print()
        return 0
    widths = {"drive": 12, "workload": 13, "load": 8, "policy": 13}
    print(" ".join(f"{k:{widths[k]}}" for k in keys), header)
    for c in results:
        name = " ".join(f"{c[k]:{widths[k]}}" for k in keys)
        print(name, f"cannot run: {' '.join(c['error'])}" if "error" in c else row(c))
    return 0


if __name__ == "__main__":
    sys.exit(main())
