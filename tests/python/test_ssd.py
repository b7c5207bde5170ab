"""The SSD model from the command line: deterministic traces, metrics in the RunEnd record,
errors in an SSD's configuration reported at their line, and the shipped scenarios run."""

import pytest

from blocksim_analysis import read_trace

SCENARIO = """
name: "ssd-small"
seed: 5
device {{
  name: "ssd0"
  profile: "{profile}"
  capacity: "8GB"
  ssd {{ precondition {{ fill: 1 random_overwrites: 0.5 }} }}
}}
workload {{ job {{ read_fraction: 0.5 closed {{ queue_depth: 32 }} requests: 20000 }} }}
"""


@pytest.fixture
def small_ssd(source_dir, tmp_path):
    path = tmp_path / "ssd.textproto"
    path.write_text(SCENARIO.format(profile=source_dir / "scenarios/profiles/samsung-970-evo-plus-1tb.textproto"))
    return path


def test_same_seed_same_trace(blocksim, tmp_path, small_ssd):
    a, b, c = tmp_path / "a.bstrace", tmp_path / "b.bstrace", tmp_path / "c.bstrace"
    blocksim("run", small_ssd, "--trace", a, check=True)
    blocksim("run", small_ssd, "--trace", b, check=True)
    blocksim("run", small_ssd, "--trace", c, "--seed", "6", check=True)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_metrics_reach_the_summary_and_the_run_end(blocksim, tmp_path, small_ssd):
    path = tmp_path / "m.bstrace"
    run = blocksim("run", small_ssd, "--trace", path, check=True)
    trace = read_trace(str(path))
    metrics = {m.name: m.value for m in trace.end.metric}
    for name in ("write_amplification", "gc_runs", "gc_units_moved", "erase_count_spread", "die_busy_mean",
                 "die_busy.ch0.die0", "die_busy.ch7.die3"):
        assert "ssd0.ssd." + name in metrics, name
        assert "ssd0.ssd." + name in run.stdout
    # Half the requests are writes into a preconditioned steady state: GC runs.
    assert metrics["ssd0.ssd.gc_runs"] > 0
    assert metrics["ssd0.ssd.gc_write_amplification"] > 1
    assert 0 < metrics["ssd0.ssd.die_busy_mean"] <= 1
    assert trace.header.device[0].model == "ssd"
    assert (trace.completions.layer == "device").sum() == 20000


def test_an_ssd_configuration_error_names_its_line(blocksim, tmp_path):
    path = tmp_path / "bad.textproto"
    path.write_text(
        'device {\n'
        '  capacity: "1GiB" interface_rate: "3.5GB/s"\n'
        '  ssd {\n'
        '    nand { page_size: "6KiB" }\n'
        '  }\n'
        '}\n'
        'workload { job { requests: 10 } }\n')
    run = blocksim("run", path)
    assert run.returncode == 2
    assert "bad.textproto:4:" in run.stderr
    assert "device[0].ssd.nand.page_size" in run.stderr
    assert "mapping units" in run.stderr


def test_pcie_link_cannot_exceed_its_lanes(blocksim, tmp_path):
    path = tmp_path / "fast.textproto"
    path.write_text(
        'device {\n'
        '  capacity: "1GiB" interface_rate: "8GB/s"\n'
        '  ssd { host_interface { nvme { pcie_generation: 3 pcie_lanes: 4 } } }\n'
        '}\n'
        'workload { job { requests: 10 } }\n')
    run = blocksim("run", path)
    assert run.returncode == 2
    assert "fast.textproto:2:" in run.stderr and "interface_rate" in run.stderr and "PCIe 3.0 x4" in run.stderr


@pytest.mark.parametrize("nand, line, field, words", [
    ('cell: SLC', 5, "device[0].ssd.slc_cache", "more than one bit"),
    ('cell: MLC pages_per_block: 9', 4, "device[0].ssd.nand.pages_per_block", "multiple of the cell's 2 bits"),
])
def test_a_bad_slc_cache_names_its_line(blocksim, tmp_path, nand, line, field, words):
    path = tmp_path / "slc.textproto"
    path.write_text(
        'device {\n'
        '  capacity: "1GiB" interface_rate: "3.5GB/s"\n'
        '  ssd {\n'
        '    nand { ' + nand + ' }\n'
        '    slc_cache { static_capacity: "64MiB" }\n'
        '  }\n'
        '}\n'
        'workload { job { requests: 10 } }\n')
    run = blocksim("run", path)
    assert run.returncode == 2
    assert f"slc.textproto:{line}:" in run.stderr
    assert field in run.stderr and words in run.stderr


@pytest.mark.parametrize("field", ["static_capacity", "dynamic_capacity"])
def test_a_negative_slc_capacity_names_its_line(blocksim, tmp_path, field):
    path = tmp_path / "slc.textproto"
    path.write_text(
        'device {\n'
        '  capacity: "1GiB" interface_rate: "3.5GB/s"\n'
        '  ssd {\n'
        '    slc_cache { ' + field + ': "-64MiB" }\n'
        '  }\n'
        '}\n'
        'workload { job { requests: 10 } }\n')
    run = blocksim("run", path)
    assert run.returncode == 2
    assert "slc.textproto:4:" in run.stderr and field in run.stderr


def test_models_lists_the_ssd(blocksim):
    assert any(line.startswith("ssd\t") for line in blocksim("models", check=True).stdout.splitlines())


@pytest.mark.parametrize("scenario", ["ssd-nvme-randrw.textproto", "ssd-sata-steady-state.textproto"])
def test_shipped_scenarios_run(blocksim, source_dir, scenario):
    run = blocksim("run", source_dir / "scenarios" / scenario, check=True)
    assert "errors" in run.stdout and "write_amplification" in run.stdout
