"""Every kind of bad scenario file gets a message with file, line, column and field, and exit 2."""

import re

import pytest

GOOD = """\
bus { name: "bus" bandwidth: "4GB/s" }
device {
  name: "d0"
  capacity: "1GiB"
  block_size: "4KiB"
  reference {
    queue_depth: 8
    service { fixed: "10us" }
  }
}
workload { job { block_size: "4KiB" requests: 100 } }
"""


def run_bad(blocksim, tmp_path, text):
    path = tmp_path / "bad.textproto"
    path.write_text(text)
    result = blocksim("run", path)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    return result.stderr.strip(), str(path)


def test_good_file_runs(blocksim, tmp_path):
    path = tmp_path / "good.textproto"
    path.write_text(GOOD)
    result = blocksim("run", path)
    assert result.returncode == 0, result.stderr
    assert re.search(r"device\s+read\s+100\s+0", result.stdout)


def test_syntax_error(blocksim, tmp_path):
    message, path = run_bad(blocksim, tmp_path, GOOD.replace('name: "d0"', 'name: "d0'))
    assert message.startswith(f"error: {path}:3:")
    assert "name" in message


def test_unknown_field(blocksim, tmp_path):
    message, path = run_bad(blocksim, tmp_path, GOOD.replace("queue_depth: 8", "queue_dept: 8"))
    assert message.startswith(f"error: {path}:7:15: queue_dept: ")
    assert 'no field named "queue_dept"' in message


def test_wrong_type(blocksim, tmp_path):
    message, path = run_bad(blocksim, tmp_path, GOOD.replace("queue_depth: 8", 'queue_depth: "eight"'))
    assert message.startswith(f"error: {path}:7:18: queue_depth: ")
    assert "integer" in message


def test_queue_depth_zero(blocksim, tmp_path):
    message, path = run_bad(blocksim, tmp_path, GOOD.replace("queue_depth: 8", "queue_depth: 0"))
    assert message == f"error: {path}:7:5: device[0].reference.queue_depth: must be at least 1 (got 0)"


def test_block_size_not_a_multiple_of_the_device_block(blocksim, tmp_path):
    message, path = run_bad(blocksim, tmp_path, GOOD.replace('job { block_size: "4KiB"', 'job { block_size: "6KiB"'))
    assert message == (f'error: {path}:11:18: workload[0].job.block_size: 6144 bytes is not a whole number of blocks '
                       f'of device "d0" (block size 4096)')


def test_bad_unit(blocksim, tmp_path):
    message, path = run_bad(blocksim, tmp_path, GOOD.replace('fixed: "10us"', 'fixed: "10 parsecs"'))
    assert message.startswith(f"error: {path}:8:15: device[0].reference.service.fixed: invalid duration")
    assert 'unknown unit "parsecs"' in message


def test_missing_required_field(blocksim, tmp_path):
    message, path = run_bad(blocksim, tmp_path, GOOD.replace('  capacity: "1GiB"\n', ""))
    assert message == f'error: {path}:2:1: device[0]: "capacity" is required'


def test_reference_to_a_missing_device(blocksim, tmp_path):
    message, path = run_bad(blocksim, tmp_path, GOOD.replace("workload { job", 'workload { device: "d9" job'))
    assert message == f'error: {path}:11:12: workload[0].device: no device, partition or RAID set is named "d9"'


def test_job_without_a_stop(blocksim, tmp_path):
    message, path = run_bad(blocksim, tmp_path, GOOD.replace(" requests: 100", ""))
    assert f"{path}:11:12: workload[0].job: a job needs" in message


def test_missing_file(blocksim, tmp_path):
    result = blocksim("run", tmp_path / "absent.textproto")
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'absent.textproto'}: cannot read: no such file"


def test_usage_errors_exit_2(blocksim):
    assert blocksim("run").returncode == 2
    assert blocksim("run", "a", "--seed", "x").returncode == 2
    assert "unknown option --bogus" in blocksim("run", "a", "--bogus").stderr
    assert blocksim("frobnicate").returncode == 2


@pytest.mark.parametrize("command", [["run"], ["trace", "summary"], ["models"], []])
def test_help_everywhere(blocksim, command):
    result = blocksim(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: blocksim")


def test_not_a_trace(blocksim, tmp_path):
    path = tmp_path / "junk.bstrace"
    path.write_bytes(b"hello, world\n")
    result = blocksim("trace", "summary", path)
    assert result.returncode == 2
    assert "not a blocksim trace" in result.stderr


def test_truncated_trace(blocksim, tmp_path, source_dir):
    trace = tmp_path / "t.bstrace"
    blocksim("run", source_dir / "scenarios" / "quickstart.textproto", "--trace", trace, check=True)
    data = trace.read_bytes()
    trace.write_bytes(data[: len(data) // 2])
    result = blocksim("trace", "summary", trace)
    assert result.returncode == 2
    assert re.search(r"record \d+ is truncated", result.stderr)


def test_device_without_bus_uses_its_interface_rate(blocksim, tmp_path):
    path = tmp_path / "private.textproto"
    path.write_text(GOOD.replace('bus { name: "bus" bandwidth: "4GB/s" }\n', "").replace(
        'capacity: "1GiB"', 'capacity: "1GiB" interface_rate: "4GB/s"'))
    assert blocksim("run", path).returncode == 0
    path.write_text(GOOD.replace('bus { name: "bus" bandwidth: "4GB/s" }\n', ""))
    result = blocksim("run", path)
    assert result.returncode == 2
    assert "the scenario has no bus and the device no interface_rate" in result.stderr


def test_profile_that_is_not_a_regular_file(blocksim, tmp_path):
    path = tmp_path / "dev.textproto"
    path.write_text(GOOD.replace('  name: "d0"\n', '  name: "d0"\n  profile: "/dev/zero"\n'))
    result = blocksim("run", path)
    assert result.returncode == 2
    assert result.stderr.strip() == f'error: {path}:4:3: device[0].profile: cannot read profile "/dev/zero"'
