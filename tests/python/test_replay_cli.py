"""The replay's command line and scenario form: a scenario naming a trace as its workload, the
mapping shown for multi-device traces, the comparison for traces that measured latency from issue
(MSR) or from dispatch (blkparse), and the errors of a bad trace path."""

import re

PROFILE = "scenarios/profiles/reference_replay.textproto"
COMPARISON = re.compile(r"^measured vs simulated: mean error ([-+]\d+\.\d+) %, demerit (\d+\.\d+) ms", re.M)


def test_scenario_names_a_trace_as_its_workload(blocksim, source_dir, project_data, tmp_path):
    trace = project_data / "traces" / "mqsim-tpcc-small.trace"
    scenario = tmp_path / "replay.textproto"
    scenario.write_text(f"""
        device {{ name: "a" profile: "{source_dir / PROFILE}" }}
        device {{ name: "b" profile: "{source_dir / PROFILE}" }}
        workload {{ device: "b" replay {{ path: "{trace}" closed {{ queue_depth: 8 }}
                                          map {{ trace_device: "4" device: "a" }} }} }}
    """)
    run = blocksim("run", scenario, check=True)
    assert "replayed: 6999 requests, 0 failed" in run.stdout
    assert 'mapping: trace device "4" -> a (' in run.stdout
    assert 'mapping: trace device "3" -> b (' in run.stdout
    assert "timing closed loop, queue depth 8" in run.stdout


def test_scenario_with_a_missing_trace_exits_2(blocksim, source_dir, tmp_path):
    scenario = tmp_path / "replay.textproto"
    scenario.write_text(f'device {{ profile: "{source_dir / PROFILE}" }} workload {{ replay {{ path: "nowhere.trace" }} }}')
    run = blocksim("run", scenario)
    assert run.returncode == 2
    assert "nowhere.trace: cannot open" in run.stderr
    scenario.write_text(f'device {{ profile: "{source_dir / PROFILE}" }} '
                        'workload { replay { path: "x" format: "cobol" } }')
    run = blocksim("run", scenario)
    assert run.returncode == 2
    assert re.search(r"replay.textproto:1:\d+: workload\[0\]\.replay\.format: unknown trace format \"cobol\"",
                     run.stderr)


def test_map_each_builds_a_device_per_trace_device(blocksim, source_dir, outside_data):
    trace = outside_data("traces/umass-financial1-first10k.ascii")
    devices = []
    for line in trace.read_text().splitlines():
        device = line.split()[1]
        if device not in devices:
            devices.append(device)
    run = blocksim("replay", trace, "--device", source_dir / PROFILE, "--map", "each", "--timing", "scaled:0.01",
                   check=True)
    assert f"device: {len(devices)} x" in run.stdout
    shown = re.findall(r'^mapping: trace device "(\w+)" -> disk(\d+) \((\d+) requests\)$', run.stdout, re.M)
    assert [(name, int(index)) for name, index, _ in shown] == [(name, i) for i, name in enumerate(devices)]
    assert sum(int(count) for _, _, count in shown) == 10000


def test_msr_trace_compares_issue_to_completion(blocksim, source_dir, tmp_path):
    # Response times of 500 us (5000 ticks of 100 ns) on a device that takes 100 us + 4096 B at
    # 500 MB/s (8.192 us) + 4096 B over 6 Gb/s (5.461 us), requests far apart: 113.653 us each.
    trace = tmp_path / "hm_0.csv"
    trace.write_text("".join(f"{128166372003061629 + i * 100000},hm,0,Read,{i * 4096},4096,5000\n" for i in range(50)))
    run = blocksim("replay", trace, "--device", source_dir / PROFILE, check=True)
    assert "format: msr" in run.stdout
    error, _ = map(float, COMPARISON.search(run.stdout).groups())
    assert error == __import__("pytest").approx((113.653 - 500) / 500 * 100, abs=0.01)
    assert "issue to completion against the trace's measured response time" in run.stdout


def test_blkparse_trace_compares_dispatch_to_completion(blocksim, source_dir, tmp_path):
    lines = []
    for i in range(20):
        t = i * 0.01
        lines.append(f"  8,0 0 {3 * i + 1} {t:.9f} 7 Q R {i * 8} + 8 [fio]")
        lines.append(f"  8,0 0 {3 * i + 2} {t + 0.000005:.9f} 7 D R {i * 8} + 8 [fio]")
        lines.append(f"  8,0 0 {3 * i + 3} {t + 0.000205:.9f} 0 C R {i * 8} + 8 [0]")
    trace = tmp_path / "sdb.blkparse"
    trace.write_text("\n".join(lines) + "\n")
    run = blocksim("replay", trace, "--device", source_dir / PROFILE, check=True)
    assert "format: blkparse" in run.stdout
    assert "replayed: 20 requests" in run.stdout
    assert "compared: 20 requests, dispatch to completion at the device" in run.stdout
    measured = re.search(r"^  measured\s+(\S+)", run.stdout, re.M).group(1)
    assert float(measured) == 200.0  # D to C: 200 us


def test_a_run_replayed_on_its_own_device_reproduces_it(blocksim, source_dir, project_data, tmp_path):
    # The reference profile's service time is fixed, so the same requests at the same times on the
    # same device take exactly the same time: the comparison must find no difference at all.
    run_trace = tmp_path / "run.bstrace"
    blocksim("replay", project_data / "traces" / "mqsim-tpcc-small.trace", "--device", source_dir / PROFILE,
             "--trace", run_trace, check=True)
    again = blocksim("replay", run_trace, "--device", source_dir / PROFILE, check=True).stdout
    assert "format: blocksim" in again
    assert "measured vs simulated: mean error +0.00 %, demerit 0.0000 ms (0.00 % of mean)" in again
    assert "compared: 6999 requests, issue to completion" in again


def test_bad_line_mid_run_leaves_a_trace_cut_short(blocksim, source_dir, tmp_path):
    trace = tmp_path / "bad.trace"
    trace.write_text("R Hit 0 8 100 200\nR Hit 8 8 100 200\nR Hit x 8 100 200\n")
    out = tmp_path / "cut.bstrace"
    run = blocksim("replay", trace, "--device", source_dir / PROFILE, "--trace", out)
    assert run.returncode == 2
    assert f"{trace}:3: field 3 (block number)" in run.stderr
    from blocksim_analysis import read_trace
    recorded = read_trace(str(out))
    device = recorded.completions[recorded.completions.layer == "device"]
    assert len(device) == 2 and recorded.end is None
