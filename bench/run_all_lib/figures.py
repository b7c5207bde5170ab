"""The figures of bench/run_all (issue 14, item 4), each a function of the run's context that
returns rows: what was run, the requests simulated, CPU seconds, peak RSS, and the figure's
target. Every rate is simulated requests per CPU second of the child process (user + system),
start-up and parsing included, except where a row says otherwise."""

from .measure import ChildFailed, checked, profile_with_capacity, replay_requests, run_child, write_trace

REFERENCE = "scenarios/profiles/reference_replay.textproto"
EVO_970 = "scenarios/profiles/samsung-970-evo-plus-1tb.textproto"
SATA_7200 = "scenarios/profiles/sata_7200rpm.textproto"
DISKSIM_ASCII = "data/traces/disksim-ascii-100k.trace"

CAPACITY = {REFERENCE: 1 << 40, EVO_970: 1_000_204_886_016, SATA_7200: 8_000_000_000_000}

# Requests of each figure: the default run, and --quick (a smoke run: seconds, not figures).
SIZES = {
    "default": {"closed": 200_000, "lines": 1_000_000, "writes": 500_000, "ssd_gb": 32,
                "memory": (1_000_000, 10_000_000), "jobs_repeat": 5, "plain": 10_000_000},
    "quick": {"closed": 4_000, "lines": 20_000, "writes": 4_000, "ssd_gb": 8,
              "memory": (20_000, 100_000), "jobs_repeat": 1, "plain": 1_000_000},
}
LONG_MEMORY = (10_000_000, 100_000_000)

UNDER_16X = "<= 16x plain"


class Context:
    def __init__(self, blocksim, source, tmp, sizes, engine_args, jobs_supported):
        self.blocksim, self.source, self.tmp, self.sizes = blocksim, source, tmp, sizes
        self.engine_args, self.jobs_supported = engine_args, jobs_supported
        self._traces = {}

    def path(self, relative):
        return str(self.source / relative)

    def trace(self, requests, capacity, read_fraction=1.0, mean_gap_ns=1000):
        key = (requests, capacity, read_fraction, mean_gap_ns)
        if key not in self._traces:
            name = f"random4k-{requests}-{capacity}-{read_fraction}-{mean_gap_ns}.mqsim"
            self._traces[key] = write_trace(self.tmp / name, requests, capacity, read_fraction, mean_gap_ns)
        return self._traces[key]

    def replay(self, trace, profile, *options, what):
        argv = [self.blocksim, "replay", trace, "--device", profile, "--no-progress", "--output-format", "json",
                *self.engine_args, *options]
        result = checked(run_child(argv), what)
        result["requests"] = replay_requests(result)
        result["command"] = " ".join(str(a) for a in argv[1:])
        return result


def row(name, result, target=None, met=None, note="", **extra):
    requests = result["requests"]
    cpu = result["cpu_s"]
    out = {"name": name, "requests": requests, "cpu_s": round(cpu, 4), "wall_s": round(result["wall_s"], 4),
           "rate": requests / cpu if cpu > 0 else 0.0, "peak_rss_mib": round(result["rss_mib"], 1),
           "target": target, "met": met, "note": note, "command": result.get("command", "")}
    out.update(extra)
    return out


def closed_random_reads(ctx, name, profile, depth, *options):
    requests = ctx.sizes["closed"]
    trace = ctx.trace(requests, CAPACITY[profile])
    result = ctx.replay(trace, ctx.path(profile), "--timing", f"closed:{depth}", *options, what=name)
    return [row(name, result, UNDER_16X)]


def reference_qd32(ctx):
    """1. The reference device, random 4 KiB reads at QD32, the whole stack."""
    return closed_random_reads(ctx, "ref-qd32", REFERENCE, 32)


def evo_qd32_filled(ctx):
    """2. The 970 EVO Plus, random 4 KiB reads at QD32, preconditioned full (fill=1)."""
    return closed_random_reads(ctx, "970evo-qd32-filled", EVO_970, 32, "--precondition", "fill=1")


def sata_qd1(ctx):
    """3. The 7200 rpm SATA disk, random 4 KiB reads at QD1."""
    return closed_random_reads(ctx, "7200rpm-qd1", SATA_7200, 1)


def sata_qd32_sptf(ctx):
    """4. The 7200 rpm SATA disk, random 4 KiB reads at QD32 (the profile's SPTF scheduler)."""
    return closed_random_reads(ctx, "7200rpm-qd32-sptf", SATA_7200, 32)


def trace_replay(ctx):
    """5. A trace of a million lines (2/3 reads) replayed as recorded, 40,000 requests/s, parsing
    included, on the reference device."""
    lines = ctx.sizes["lines"]
    trace = ctx.trace(lines, CAPACITY[REFERENCE], read_fraction=2 / 3, mean_gap_ns=25_000)
    result = ctx.replay(trace, ctx.path(REFERENCE), "--timing", "as-recorded", what="trace-replay")
    return [row("trace-replay", result, UNDER_16X, note=f"{lines}-line trace, as recorded")]


def ssd_write_gc(ctx):
    """6. SSD random 4 KiB writes at QD32 in the steady state of garbage collection: the 970 EVO
    Plus cut to a smaller capacity, filled and overwritten once at random (placed without
    simulated time). The preconditioning's CPU time is taken out: a second run that stops after
    one request measures it, and the rate is (N - 1) / (CPU(N) - CPU(1))."""
    requests, gigabytes = ctx.sizes["writes"], ctx.sizes["ssd_gb"]
    profile = profile_with_capacity(ctx.path(EVO_970), ctx.tmp / "970evo-small.textproto", f"{gigabytes}GB")
    trace = ctx.trace(requests, gigabytes * 10**9, read_fraction=0.0)
    options = ["--timing", "closed:32", "--precondition", "fill=1,overwrites=1"]
    full = ctx.replay(trace, profile, *options, what="ssd-write-gc")
    setup = ctx.replay(trace, profile, *options, "--requests", "1", what="ssd-write-gc setup")
    net = dict(full, requests=full["requests"] - setup["requests"], cpu_s=max(full["cpu_s"] - setup["cpu_s"], 1e-9))
    rate = net["requests"] / net["cpu_s"]
    return [row("ssd-write-gc", net, ">= 500,000 req/s", rate >= 500_000,
                note=f"{gigabytes} GB, fill=1,overwrites=1; setup {setup['cpu_s']:.2f} CPU s taken out",
                setup_cpu_s=round(setup["cpu_s"], 4), total_cpu_s=round(full["cpu_s"], 4))]


def memory(ctx):
    """7. Peak RSS of a long replay (a trace of a million lines, repeated), closed loop at QD32
    on the reference device, at two lengths: flat memory gives the same peak at both."""
    short, long = ctx.sizes["memory"]
    lines = min(short, 1_000_000)
    trace = ctx.trace(lines, CAPACITY[REFERENCE], read_fraction=2 / 3, mean_gap_ns=25_000)
    rows = []
    for requests in (short, long):
        result = ctx.replay(trace, ctx.path(REFERENCE), "--timing", "closed:32", "--repeat",
                            str(-(-requests // lines)), "--requests", str(requests), what=f"memory {requests}")
        rows.append(row(f"memory-{_count(requests)}", result))
    growth = rows[1]["peak_rss_mib"] - rows[0]["peak_rss_mib"]
    rss_mb = rows[1]["peak_rss_mib"] * 1024 * 1024 / 1e6
    rows[1].update(target="< 100 MB RSS", met=rss_mb < 100,
                   note=f"{rss_mb:.1f} MB; {growth:+.1f} MiB over {_count(short)} requests")
    rows[0]["note"] = "the shorter length, for flatness"
    return rows


def jobs(ctx):
    """8. The 14-device DiskSim ascii trace, each trace device on a device of its own, as recorded,
    with --jobs 1 and --jobs 2: the ratio of the rates in requests per second of wall time
    (parallel jobs spend CPU seconds side by side, so CPU time cannot show them). On the 7200 rpm
    disk (the trace is a disk workload, and the peers' figure is on disks): the target; and on the
    reference device, whose model costs less than reading the trace, which every part reads whole."""
    repeat = ctx.sizes["jobs_repeat"]
    options = ["--map", "each", "--repeat", str(repeat)]
    trace = ctx.path(DISKSIM_ASCII)
    rows = []
    for name, profile, target in (("jobs", SATA_7200, ">= 1.7x (jobs 2 / jobs 1)"), ("jobs-ref", REFERENCE, None)):
        profile = ctx.path(profile)
        if not ctx.jobs_supported:
            one = ctx.replay(trace, profile, *options, what=name)
            rows.append(row(name, one, target, None, note="no --jobs"))
            continue
        try:
            one = ctx.replay(trace, profile, *options, "--jobs", "1", what=f"{name} 1")
            two = ctx.replay(trace, profile, *options, "--jobs", "2", what=f"{name} 2")
        except ChildFailed as error:  # listed in --help but refused here: say so, and give the plain rate
            one = ctx.replay(trace, profile, *options, what=name)
            reason = str(error).splitlines()[-1][:80]
            rows.append(row(name, one, target, None, note=f"--jobs refused: {reason}"))
            continue
        rate_one, rate_two = one["requests"] / one["wall_s"], two["requests"] / two["wall_s"]
        speedup = rate_two / rate_one
        rows += [row(f"{name}-1", one, note=f"{rate_one:,.0f} req/wall s"),
                 row(f"{name}-2", two, target, speedup >= 1.7 if target else None,
                     note=f"{rate_two:,.0f} req/wall s; {speedup:.2f}x jobs 1", speedup=round(speedup, 3))]
    return rows


def _count(n):
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


FIGURES = {"ref-qd32": reference_qd32, "970evo-qd32-filled": evo_qd32_filled, "7200rpm-qd1": sata_qd1,
           "7200rpm-qd32-sptf": sata_qd32_sptf, "trace-replay": trace_replay, "ssd-write-gc": ssd_write_gc,
           "memory": memory, "jobs": jobs}
