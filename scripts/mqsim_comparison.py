#!/usr/bin/python3
"""MQSim's answers on its own configuration: replays MQSim's two traces (data/traces/mqsim-*.trace)
on scenarios/profiles/mqsim-default.textproto, MQSim's default ssdconfig.xml as a blocksim profile,
the way MQSim was run for data/mqsim-reference/README.md (70 % of the logical space holding data
first, write cache on, each request at its recorded time), and compares blocksim's mean device
response time with MQSim's.

Prints the table (or --json): trace, requests, MQSim's mean, blocksim's mean, the difference, and
what explains it: blocksim's read and write means, DRAM cache and mapping-cache hit ratios,
multi-plane reads, garbage collection and die utilisation. docs/ssd.md ("MQSim's configuration")
discusses each difference; tests/python/test_mqsim_comparison.py asserts the figures.

usage: scripts/mqsim_comparison.py [--build DIR] [--case NAME] [--json]
"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PROFILE = PROJECT / "scenarios" / "profiles" / "mqsim-default.textproto"
TRACES = PROJECT / "data" / "traces"

# MQSim's mean device response times (data/mqsim-reference/README.md): name -> (trace, passes,
# requests, mean us).
MQSIM = {
    "tpcc-small": ("mqsim-tpcc-small.trace", 1, 6_999, 3_458.0),
    "wsrch-small": ("mqsim-wsrch-small.trace", 1, 24_783, 181.0),
    "wsrch-small x40": ("mqsim-wsrch-small.trace", 40, 991_320, 106.0),
}

METRICS = ("cache_read_hit_ratio", "mapping_cache_hit_ratio", "mapping_cache_misses", "multi_plane_reads",
           "flash_page_reads", "read_modify_writes", "gc_runs", "gc_units_moved", "erases", "die_busy_mean")


def replay(build: Path, trace: str, passes: int) -> dict:
    """blocksim's JSON summary of one replay (docs/trace_format.md)."""
    command = [str(build / "blocksim"), "replay", str(TRACES / trace), "--device", str(PROFILE), "--format", "mqsim",
               "--no-progress", "--output-format", "json"]
    if passes > 1:
        command += ["--repeat", str(passes)]
    run = subprocess.run(command, capture_output=True, text=True, check=False, timeout=1800)
    if run.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {run.returncode}:\n{run.stderr}")
    return json.loads(run.stdout)


def row(summary: dict, op: str) -> dict:
    for entry in summary["rows"]:
        if entry["layer"] == "device" and entry["op"] == op:
            return entry
    raise KeyError(f"no device {op} row")


def compare(build: Path, name: str) -> dict:
    """One case: MQSim's figure beside blocksim's, with what explains the difference."""
    trace, passes, requests, mqsim_mean = MQSIM[name]
    summary = replay(build, trace, passes)
    everything = row(summary, "all")
    metrics = {}
    for metric in summary["metrics"]:
        key = metric["name"].split(".ssd.", 1)[-1]
        if key in METRICS:
            metrics[key] = metric["value"]
    mean = everything["latency_us"]["mean"]
    return {
        "case": name,
        "requests": everything["requests"],
        "expected_requests": requests,
        "mqsim_mean_us": mqsim_mean,
        "blocksim_mean_us": mean,
        "difference": mean / mqsim_mean - 1,
        "read_mean_us": row(summary, "read")["latency_us"]["mean"],
        "write_mean_us": row(summary, "write")["latency_us"]["mean"],
        "p99_us": everything["latency_us"]["p99"],
        "max_us": everything["latency_us"]["max"],
        "simulated_s": summary["simulated_time_s"],
        "metrics": metrics,
    }


def print_table(results: list) -> None:
    print(f"{'trace':<18}{'requests':>10}{'MQSim us':>11}{'blocksim us':>13}{'difference':>12}")
    for r in results:
        print(f"{r['case']:<18}{r['requests']:>10,}{r['mqsim_mean_us']:>11,.0f}{r['blocksim_mean_us']:>13,.1f}"
              f"{r['difference'] * 100:>+11.1f}%")
    print()
    print("blocksim, what explains it:")
    print(f"{'trace':<18}{'read us':>9}{'write us':>10}{'p99 us':>9}{'max us':>9}{'DRAM hit':>9}{'map hit':>8}"
          f"{'map miss':>9}{'multi-pl':>9}{'RMW':>6}{'GC':>5}{'die busy':>9}")
    for r in results:
        m = r["metrics"]
        print(f"{r['case']:<18}{r['read_mean_us']:>9.1f}{r['write_mean_us']:>10.1f}{r['p99_us']:>9.0f}"
              f"{r['max_us']:>9.0f}{m.get('cache_read_hit_ratio', 0):>9.3f}{m.get('mapping_cache_hit_ratio', 1):>8.3f}"
              f"{m.get('mapping_cache_misses', 0):>9.0f}{m.get('multi_plane_reads', 0):>9.0f}"
              f"{m.get('read_modify_writes', 0):>6.0f}{m.get('gc_runs', 0):>5.0f}{m.get('die_busy_mean', 0):>9.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=Path(os.environ.get("BLOCKSIM_BUILD", PROJECT / "build")))
    parser.add_argument("--case", choices=sorted(MQSIM), action="append",
                        help="one of the cases (repeatable); default: all")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    results = [compare(args.build, name) for name in (args.case or MQSIM)]
    if args.json:
        json.dump(results, sys.stdout, indent=1)
        print()
    else:
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
