"""The JSON summary (`--output-format json`): every field it writes is documented in
docs/trace_format.md and every documented field is there; its figures are those of the text
table; queueing and service split latency as worked out by hand; `trace summary` gives the same
document's figures from the trace; Python has the same numbers as DataFrame columns."""

import json
import re

import numpy as np
import pytest

STATS = ["min", "mean", "stdev", "p1", "p5", "p10", "p50", "p90", "p95", "p99", "p99.9", "p99.99", "max"]

# One request at a time at the device (one tag, one server, a fixed 10 us plus 4 KiB over 4 GB/s
# = 1.024 us), four outstanding: each request waits for the three ahead of it.
ONE_AT_A_TIME = """\
name: "one at a time"
seed: 3
bus { name: "bus" bandwidth: "4GB/s" }
device {
  name: "d0" capacity: "1GiB" block_size: "4KiB"
  reference { queue_depth: 1 media_servers: 1 service { fixed: "10us" } }
}
workload { job { read_fraction: 0.5 block_size: "4KiB" closed { queue_depth: 4 } requests: 2000 } }
"""
SERVICE_US = 10 + 4096 / 4e9 * 1e6  # 11.024


def documented_fields(source_dir):
    """The field paths of the table under "## The JSON summary", `a[].b` for a field of an array's
    objects; `x`, `.y` in one cell is x and its sibling y."""
    text = (source_dir / "docs" / "trace_format.md").read_text()
    section = text.split("## The JSON summary", 1)[1].split("\n## ", 1)[0]
    fields = {}
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        names = re.findall(r"`([^`]+)`", cells[0])
        first = names[0]
        parent = first.rsplit(".", 1)[0] if "." in first else ""
        for name in names:
            path = parent + name if name.startswith(".") else name
            if path.startswith("comparison."):
                path = "workloads[]." + path
            fields[path] = cells[1]
    return fields


def json_fields(value, path="", out=None):
    """Every field path in a document, a distribution counted as one field (its keys checked)."""
    out = {} if out is None else out
    if isinstance(value, dict) and set(value) == set(STATS):
        assert list(value) == STATS, path
        out[path] = "distribution"
    elif isinstance(value, dict):
        for key, item in value.items():
            json_fields(item, f"{path}.{key}" if path else key, out)
        if path and not path.endswith("[]"):
            out[path] = "object"
    elif isinstance(value, list):
        out[path] = "array"
        for item in value:
            json_fields(item, path + "[]", out)
    elif not path.endswith("[]"):  # an array's items are its field's
        out[path] = type(value).__name__
    return out


def run_json(blocksim, *args):
    result = blocksim(*args, "--output-format", "json", check=True)
    return json.loads(result.stdout)  # stdout is the document alone


def test_quickstart_json_has_every_documented_field_and_no_other(blocksim, quickstart, source_dir):
    documented = documented_fields(source_dir)
    document = run_json(blocksim, "run", quickstart)
    found = json_fields(document)
    assert set(found) - set(documented) == set(), "written but not documented"
    # Only a replay writes workload objects; `trace` only when a trace is written.
    # Fields of an array's items only where the array has some (the quickstart's device has no metrics).
    expected = {p for p in documented if not p.startswith("workloads[]") and p != "trace"
                and not (p.startswith("metrics[]") and not document["metrics"])}
    assert expected - set(found) == set(), "documented but not written"
    for path, kind in found.items():
        if documented[path] == "distribution":
            assert kind == "distribution", path


def test_quickstart_json_figures_are_the_text_tables(blocksim, quickstart):
    document = run_json(blocksim, "run", quickstart)
    text = blocksim("run", quickstart, check=True).stdout
    seconds = float(re.search(r"simulated time: ([\d.]+) s", text).group(1))
    assert document["simulated_time_s"] == pytest.approx(seconds, abs=1e-6)
    rows = {(r["layer"], r["op"]): r for r in document["rows"]}
    table = re.findall(r"^(device|driver|media|aio)\s+(\w+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)"
                       r"\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", text, re.M)
    assert len(table) == len(rows) > 0
    for layer, op, requests, errors, iops, mbps, mean, p50, p99, p999, top in table:
        row = rows[(layer, op)]
        assert (row["requests"], row["errors"]) == (int(requests), int(errors))
        assert row["iops"] == pytest.approx(float(iops), abs=0.05)
        assert row["mb_per_s"] == pytest.approx(float(mbps), abs=0.005)
        latency = row["latency_us"]
        for key, figure in [("mean", mean), ("p50", p50), ("p99", p99), ("p99.9", p999), ("max", top)]:
            assert latency[key] == pytest.approx(float(figure), abs=0.0005), (layer, op, key)
        assert latency["min"] <= latency["p1"] <= latency["p5"] <= latency["p10"] <= latency["p50"]
        assert latency["p99"] <= latency["p99.99"] <= latency["max"]


def test_queueing_and_service_split_as_worked_out_by_hand(blocksim, tmp_path):
    scenario = tmp_path / "one.textproto"
    scenario.write_text(ONE_AT_A_TIME)
    document = run_json(blocksim, "run", scenario)
    device = next(r for r in document["rows"] if (r["layer"], r["op"]) == ("device", "all"))
    # The first four requests wait for 0, 1, 2, 3 services; every later one for three.
    queueing = np.array([0, 1, 2, 3] + [3] * 1996) * SERVICE_US
    assert device["service_us"]["min"] == device["service_us"]["max"] == pytest.approx(SERVICE_US, abs=1e-9)
    assert device["service_us"]["stdev"] == 0
    assert device["queueing_us"]["mean"] == pytest.approx(queueing.mean(), abs=0.001)
    assert device["queueing_us"]["stdev"] == pytest.approx(queueing.std(ddof=1), abs=0.001)
    # Percentiles are the midpoint of a histogram bucket: within 0.05 % (docs/trace_format.md).
    assert (device["queueing_us"]["min"], device["queueing_us"]["p1"]) == (0, pytest.approx(3 * SERVICE_US, rel=5e-4))
    assert device["latency_us"]["mean"] == pytest.approx(queueing.mean() + SERVICE_US, abs=0.001)
    assert device["latency_us"]["p50"] == pytest.approx(4 * SERVICE_US, rel=5e-4)
    assert device["latency_us"]["max"] == pytest.approx(4 * SERVICE_US, abs=1e-9)


def test_trace_summary_json_is_the_runs(blocksim, tmp_path, quickstart):
    trace = tmp_path / "run.bstrace"
    ran = run_json(blocksim, "run", quickstart, "--trace", trace)
    read = run_json(blocksim, "trace", "summary", trace)
    assert read["command"] == "trace summary" and ran["trace"] == str(trace)
    for key in ("simulated_time_s", "records", "rows", "seed", "scenario"):
        assert read[key] == ran[key], key


def test_replay_json_has_the_comparison(blocksim, source_dir, project_data):
    trace = project_data / "disksim-validate" / "hp_c2490a.trace"
    profile = source_dir / "scenarios" / "profiles" / "hp_c2490a.textproto"
    document = run_json(blocksim, "replay", trace, "--device", profile)
    text = blocksim("replay", trace, "--device", profile, check=True).stdout
    found = json_fields(document)
    assert set(found) - set(documented_fields(source_dir)) == set()
    comparison = document["workloads"][0]["comparison"]
    error, demerit = re.search(r"mean error ([-+\d.]+) %, demerit ([\d.]+) ms", text).groups()
    assert comparison["mean_error_percent"] == pytest.approx(float(error), abs=0.005)
    assert comparison["demerit_ms"] == pytest.approx(float(demerit), abs=0.00005)
    assert comparison["interval"] == "dispatch_to_completion"
    # The measured side is the trace's field 5, read here from the text.
    measured = [float(line.split()[4]) for line in trace.read_text().splitlines() if line.strip()]
    assert comparison["requests"] == len(measured)
    assert comparison["measured_us"]["mean"] == pytest.approx(np.mean(measured), abs=0.001)
    assert comparison["measured_us"]["max"] == pytest.approx(max(measured), abs=0.001)
    assert any(line.startswith("format: disksim-validate") for line in document["report"])


def test_bad_output_format_is_a_usage_error(blocksim, quickstart):
    result = blocksim("run", quickstart, "--output-format", "xml")
    assert result.returncode == 2
    assert 'option --output-format takes text or json, got "xml"' in result.stderr


def test_python_summary_has_the_same_numbers(blocksim, tmp_path):
    import blocksim as bs
    scenario = tmp_path / "one.textproto"
    scenario.write_text(ONE_AT_A_TIME)
    document = run_json(blocksim, "run", scenario)
    summary = bs.run(bs.load(str(scenario))).summary
    for row in document["rows"]:
        frame_row = summary[(summary["layer"] == row["layer"]) & (summary["op"] == row["op"])].iloc[0]
        assert frame_row["bytes"] == row["bytes"]
        for part, prefix in [("latency_us", ""), ("queueing_us", "queueing_"), ("service_us", "service_")]:
            for stat in STATS:
                assert frame_row[f"{prefix}{stat}_us"] == pytest.approx(row[part][stat], abs=0.00005), (part, stat)
