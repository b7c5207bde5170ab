#!/usr/bin/python3
"""Loading a 1,000,000-record trace into a pandas DataFrame: the blocksim package's C++ bulk
decoder against the pure-Python reader of blocksim_analysis (the reference), on the same file.
Prints seconds, records per second and their ratio; a benchmark, not a test (no time is asserted).

    /usr/bin/python3 bench/trace_load_bench.py [--records N] [--build build] [--skip-python]

The trace comes from `blocksim run` on the quickstart scenario with N / 2 requests (each request
is recorded twice, by the driver and by the device: N records), written to a scratch folder.
"""

import argparse
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def timed(function, repeats):
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--skip-python", action="store_true", help="do not time the pure-Python reader")
    options = parser.parse_args()
    build = pathlib.Path(options.build).resolve()
    sys.path[:0] = [str(build / "python"), str(ROOT / "analysis")]
    import blocksim
    from blocksim_analysis import read_trace

    with tempfile.TemporaryDirectory(prefix="blocksim-bench-") as scratch:
        scenario = pathlib.Path(scratch) / "bench.textproto"
        text = (ROOT / "scenarios" / "quickstart.textproto").read_text()
        scenario.write_text(text.replace("requests: 100000", f"requests: {options.records // 2}"))
        trace = pathlib.Path(scratch) / "bench.bstrace"
        subprocess.run([str(build / "blocksim"), "run", str(scenario), "--trace", str(trace), "--no-progress"],
                       check=True, stdout=subprocess.DEVNULL)
        size = trace.stat().st_size
        records = blocksim.read_trace(trace, completions=False).end.completions
        assert records == options.records // 2 * 2, records
        print(f"trace: {records:,} records, {size / 1e6:.1f} MB")

        bulk, frame = timed(lambda: blocksim.read_trace(trace).completions, 3)
        assert len(frame) == records
        summary, _ = timed(lambda: blocksim.read_trace(trace, completions=False), 3)
        memory = frame.memory_usage(deep=True).sum()
        print(f"C++ bulk decoder -> DataFrame: {bulk:.3f} s ({records / bulk / 1e6:.2f} M records/s), "
              f"frame {memory / 1e6:.0f} MB")
        print(f"C++ summary only (no columns):  {summary:.3f} s ({records / summary / 1e6:.2f} M records/s)")
        if not options.skip_python:
            reference, slow = timed(lambda: read_trace(trace, engine="python").completions, 1)
            assert slow.equals(frame)
            print(f"pure-Python reader (reference): {reference:.3f} s "
                  f"({records / reference / 1e6:.3f} M records/s)")
            print(f"ratio: the bulk decoder is {reference / bulk:.0f} x faster")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of this process: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
