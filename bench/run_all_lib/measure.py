"""Running children and measuring them: CPU time (user + system) and peak RSS from wait4's
rusage, wall time around it; writing the synthetic traces the figures replay."""

import json
import os
import random
import re
import selectors
import subprocess
import tempfile
import time


class ChildFailed(RuntimeError):
    pass


# build/bench/measure_child, when built: each child is started through it (its peak RSS is then
# its own; bench/support/measure_child.cpp says why). Without it, os.wait4 here.
LAUNCHER = None


def run_child(argv, cwd=None):
    """Runs argv to completion; returns cpu_s (user + system), wall_s, rss_mib (peak), stdout,
    stderr, returncode."""
    argv = [str(a) for a in argv]
    report = None
    if LAUNCHER:
        handle, report = tempfile.mkstemp(prefix="blocksim-bench-rusage-")
        os.close(handle)
        argv = [str(LAUNCHER), report, *argv]
    start = time.monotonic()
    with open(os.devnull, "rb") as stdin:
        child = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
        # Both pipes read to their end without reaping the child (communicate() would reap it,
        # and its rusage with it).
        out, err = _drain(child)
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    cpu, rss_kib = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    if report:
        with open(report) as numbers:
            fields = numbers.read().split()
        os.unlink(report)
        if len(fields) == 4:
            cpu, rss_kib = float(fields[1]) + float(fields[2]), int(fields[3])
    return {"cpu_s": cpu, "wall_s": wall, "rss_mib": rss_kib / 1024, "stdout": out, "stderr": err,
            "returncode": child.returncode}


def _drain(child):
    chunks = {child.stdout: [], child.stderr: []}
    with selectors.DefaultSelector() as selector:
        for pipe in chunks:
            selector.register(pipe, selectors.EVENT_READ)
        while selector.get_map():
            for key, _ in selector.select():
                data = os.read(key.fileobj.fileno(), 65536)
                if data:
                    chunks[key.fileobj].append(data)
                else:
                    selector.unregister(key.fileobj)
                    key.fileobj.close()
    return (b"".join(chunks[child.stdout]).decode(errors="replace"),
            b"".join(chunks[child.stderr]).decode(errors="replace"))


def checked(result, what):
    if result["returncode"] != 0:
        tail = "\n".join(result["stderr"].strip().splitlines()[-8:])
        raise ChildFailed(f"{what} exited {result['returncode']}:\n{tail}")
    return result


def write_trace(path, requests, capacity, read_fraction=1.0, mean_gap_ns=1000, seed=7):
    """An MQSim-format trace (arrival_ns device lba(512 B) sectors type(0 write, 1 read)) of
    `requests` 4 KiB requests at 4 KiB-aligned offsets drawn uniformly over `capacity` bytes, with
    exponential gaps of mean `mean_gap_ns` (ignored by a closed loop)."""
    rng = random.Random(seed)
    blocks = capacity // 4096
    now = 0.0
    with open(path, "w") as out:
        lines = []
        for i in range(requests):
            now += rng.expovariate(1.0 / mean_gap_ns)
            kind = 1 if rng.random() < read_fraction else 0
            lines.append(f"{int(now)} 0 {rng.randrange(blocks) * 8} 8 {kind}\n")
            if len(lines) == 65536:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)
    return path


def replay_requests(result):
    """The requests a `blocksim replay --output-format json` replayed, from its workloads."""
    document = json.loads(result["stdout"])
    replayed = sum(w.get("replayed", 0) for w in document.get("workloads", []))
    if replayed:
        return replayed
    return sum(r.get("requests", 0) for r in document.get("rows", [])
               if r.get("layer") == "device" and r.get("op") == "all")


def profile_with_capacity(source, destination, capacity):
    """A copy of the profile at `source` with its top-level capacity replaced."""
    text = open(source).read()
    text, count = re.subn(r'(?m)^capacity:\s*"[^"]*"', f'capacity: "{capacity}"', text)
    if count != 1:
        raise ChildFailed(f"{source}: no single top-level capacity to replace")
    with open(destination, "w") as out:
        out.write(text)
    return destination


def help_text(blocksim, command):
    result = run_child([blocksim, command, "--help"])
    return result["stdout"] + result["stderr"]
