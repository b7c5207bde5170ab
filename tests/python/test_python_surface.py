"""Issue 18's Python and command-line surface: requests= replaces the scenario's workloads unless
keep_workloads=True; the LocalCluster example of docs/python.md runs as written; the latency-CDF
figure keeps its labels inside the saved image and its legend names the layer; fixed colours per
operation; `blocksim trace --help` lists the trace subcommands."""

import re

import pytest

import blocksim as bs
from conftest import device_records

# A job of 10 reads of its own on a device that answers in a fixed time.
WITH_A_JOB = """\
bus { name: "bus" bandwidth: "4GB/s" }
device { name: "d0" bus: "bus" capacity: "1GiB" block_size: "4KiB" reference { service { fixed: "10us" } } }
workload { name: "job" job { read_fraction: 1 block_size: "4KiB" closed { queue_depth: 1 } requests: 10 } }
"""
MINE = [(i * 100_000, "write", i * 4096, 4096) for i in range(4)]


def test_requests_replace_the_scenarios_workloads():
    frame = device_records(bs.run(bs.load(WITH_A_JOB), requests=MINE))
    assert len(frame) == 4 and set(frame["op"]) == {"write"}


def test_keep_workloads_runs_them_beside_the_requests():
    frame = device_records(bs.run(bs.load(WITH_A_JOB), requests=MINE, keep_workloads=True))
    assert (frame["op"] == "write").sum() == 4 and (frame["op"] == "read").sum() == 10


def test_the_scenario_itself_is_left_as_it_was():
    scenario = bs.load(WITH_A_JOB)
    bs.run(scenario, requests=MINE)
    assert [w.name for w in scenario.workload] == ["job"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # tornado, inside distributed
def test_docs_local_cluster_example_runs(source_dir, monkeypatch):
    pytest.importorskip("distributed")
    text = (source_dir / "docs" / "python.md").read_text()
    block = next(b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "LocalCluster" in b)
    monkeypatch.chdir(source_dir)
    namespace = {"blocksim": bs}
    exec(block.replace("blocksim.sweep(runs, dask=client)", "blocksim.sweep(runs, dask=client, progress=False)"),
         namespace)
    table = namespace["table"]
    assert list(table["workload[0].job.closed.queue_depth"]) == [1, 4, 16, 64]
    # More requests outstanding on the quickstart's 8 media servers: more IOPS, up to its tags.
    assert table["iops"].is_monotonic_increasing


def test_latency_cdf_fits_its_labels_and_names_the_layer(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.image import imread
    import blocksim_analysis as ba
    result = bs.run(bs.load(WITH_A_JOB), requests=MINE, keep_workloads=True)
    ax = ba.plot_latency_cdf(result)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["device read", "device write"] or labels == ["device write", "device read"]
    colours = {line.get_label(): line.get_color() for line in ax.get_lines()}
    assert colours["device read"] == ba.plots.OP_COLORS["read"]
    assert colours["device write"] == ba.plots.OP_COLORS["write"]
    assert ax.get_xlabel() == "latency (µs)"
    figure = ax.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    box = figure.bbox
    for text in (ax.xaxis.label, ax.yaxis.label):
        extent = text.get_window_extent(renderer)
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1 and box.y0 <= extent.y0 and extent.y1 <= box.y1
    path = tmp_path / "cdf.png"
    figure.savefig(path)  # without bbox_inches: the figure as it is must hold its labels
    assert imread(path).shape[:2] == (400, 700)
    plt.close(figure)


def test_trace_help_lists_the_trace_subcommands(blocksim):
    result = blocksim("trace", "--help")
    assert result.returncode == 0
    assert re.search(r"^  trace summary\s+print the summary of a trace file$", result.stdout, re.M)
    assert re.search(r"^  trace convert\s+", result.stdout, re.M)
    wrong = blocksim("trace", "frob")
    assert wrong.returncode == 2 and 'unknown command "trace frob"' in wrong.stderr and "trace summary" in wrong.stderr
