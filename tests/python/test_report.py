"""`blocksim report TRACE -o FILE`: one HTML file, every image embedded, the summary in it, and for
an SSD its garbage collection and write amplification figures from the trace's RunEnd."""

import base64
import re

from google.protobuf.internal.encoder import _VarintBytes

from blocksim import trace_pb2


def images(page):
    return re.findall(r'<img[^>]*src="([^"]*)"', page)


def test_report_is_one_file_with_embedded_images(blocksim, tmp_path, quickstart):
    trace, page_path = tmp_path / "q.bstrace", tmp_path / "report.html"
    run = blocksim("run", quickstart, "--trace", trace, check=True)
    result = blocksim("report", trace, "-o", page_path, check=True)
    assert str(page_path) in result.stdout
    page = page_path.read_text()
    sources = images(page)
    assert len(sources) >= 4  # latency CDF, throughput, IOPS, queue depth, heat map
    for source in sources:
        assert source.startswith("data:image/png;base64,")
        assert base64.b64decode(source[len("data:image/png;base64,"):])[:8] == b"\x89PNG\r\n\x1a\n"
    assert not re.search(r'(src|href)="(?!data:|#)', page)  # nothing to fetch from elsewhere
    for heading in ("Summary", "Latency", "Throughput and IOPS over time", "Queue depth over time"):
        anchor = re.search(rf'<h2 id="([^"]+)">{re.escape(heading)}', page).group(1)
        assert f'<a href="#{anchor}">{heading}' in page  # in the table of contents
    # the summary table holds the figures blocksim printed
    requests = re.search(r"^device\s+all\s+(\d+)", run.stdout, re.M).group(1)
    assert f"<td>{int(requests):,}</td>" in page or f"<td>{requests}</td>" in page
    assert "quickstart" in page


def write_trace(path, header, completions, end):
    with open(path, "wb") as out:
        out.write(b"BSIMTRC1")
        for message in [header] + completions + [end]:
            data = message.SerializeToString()
            out.write(_VarintBytes(len(data)) + data)


def test_ssd_section_shows_gc_and_write_amplification(blocksim, tmp_path):
    header = trace_pb2.TraceHeader(format_version=1, blocksim_version="test", scenario_path="ssd.textproto")
    header.scenario.name = "ssd-report"
    header.device.add(index=0, name="ssd0", model="ssd", block_size=4096, capacity_bytes=1 << 30)
    records = []
    for i in range(200):
        record = trace_pb2.TraceRecord()
        c = record.completion
        c.request_id, c.op, c.lba, c.blocks, c.bytes = i + 1, i % 2, i * 8, 1, 4096
        c.submit_ns, c.dispatch_ns, c.complete_ns = i * 10_000, i * 10_000, i * 10_000 + 50_000
        records.append(record)
    end = trace_pb2.TraceRecord()
    end.end.end_ns, end.end.completions = 2_040_000, 200
    for name, value, unit in [("ssd0.write_amplification", 2.75, ""), ("ssd0.gc_runs", 41, "count"),
                              ("ssd0.cache_hits", 7, "count")]:
        end.end.metric.add(name=name, value=value, unit=unit)
    trace, page_path = tmp_path / "ssd.bstrace", tmp_path / "ssd.html"
    write_trace(trace, header, records, end)
    blocksim("report", trace, "-o", page_path, "--title", "An SSD", check=True)
    page = page_path.read_text()
    assert "<title>An SSD</title>" in page
    section = page[page.index(">SSD ssd0: garbage collection and write amplification</h2>"):]
    section = section[:section.index("<h2", 4)]
    assert "write_amplification: <b>2.750</b>" in section
    assert "gc_runs" in section and "cache_hits" not in section  # not a GC figure
    assert "ssd0.cache_hits" in page  # but among all the metrics


def test_report_of_a_bad_trace_is_bad_input(blocksim, tmp_path):
    junk = tmp_path / "junk.bstrace"
    junk.write_bytes(b"nothing here")
    result = blocksim("report", junk, "-o", tmp_path / "x.html")
    assert result.returncode == 2
    assert "not a blocksim trace" in result.stderr
    assert blocksim("report", junk).returncode == 2  # no -o


def test_validation_replay_report_compares_measured_and_simulated(blocksim, tmp_path, source_dir, project_data):
    trace, page_path = tmp_path / "hp.bstrace", tmp_path / "hp.html"
    replay = blocksim("replay", project_data / "disksim-validate" / "hp_c2490a.trace", "--device",
                      source_dir / "scenarios" / "profiles" / "hp_c2490a.textproto", "--trace", trace, check=True)
    blocksim("report", trace, "-o", page_path, check=True)
    page = page_path.read_text()
    assert '<a href="#measured-vs-simulated">Measured vs simulated</a>' in page
    error, demerit = re.search(r"mean error ([-+\d.]+) %, demerit ([\d.]+) ms", replay.stdout).groups()
    assert f"mean error <b>{float(error):+.2f} %</b>, demerit <b>{demerit} ms</b>" in page
    section = page.split('id="measured-vs-simulated"', 1)[1].split("<h2", 1)[0]
    assert len(images(section)) == 1  # both CDFs on one plot
    # the percentile table: the measured mean is the trace's field 5
    lines = [line.split() for line in (project_data / "disksim-validate" / "hp_c2490a.trace").read_text().splitlines()
             if line.strip()]
    mean_us = sum(float(f[4]) for f in lines) / len(lines)
    assert re.search(rf"<td>measured</td>\s*<td>{len(lines):,}</td>\s*<td>{mean_us:,.3f}</td>", section)
    # units as written, counts as integers, and one CDF for the two identical layers
    assert "_us" not in page and "mean µs" in page
    assert "recorded the same requests with the same latencies as the device layer" in page
    media_reads = re.search(r"^disk0\.hdd\.media_reads: (\d+) count$", replay.stdout, re.M).group(1)
    assert f"<td>{int(media_reads):,}</td>" in page
