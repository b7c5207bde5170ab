"""Bad stack descriptions (partition tables, RAID sets, events, aio workloads) are refused before
anything runs, with file, line, column and field, and exit status 2."""

import pytest

BASE = """\
device { name: "d0" interface_rate: "6Gb/s" capacity: "1GiB" block_size: "512" carry_data: true
         reference { service { fixed: "10us" } } }
device { name: "d1" interface_rate: "6Gb/s" capacity: "1GiB" block_size: "512" carry_data: true
         reference { service { fixed: "10us" } } }
%s
workload { device: "%s" job { requests: 10 } }
"""


def run(blocksim, tmp_path, stack, target="d0"):
    path = tmp_path / "stack.textproto"
    path.write_text(BASE % (stack, target))
    return blocksim("run", path, "--no-progress"), str(path)


def refused(blocksim, tmp_path, stack, target="d0"):
    result, path = run(blocksim, tmp_path, stack, target)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    return result.stderr.strip().replace(f"error: {path}:", "")


def test_a_good_stack_runs(blocksim, tmp_path):
    result, _ = run(blocksim, tmp_path, """
        raid_set { name: "r" level: RAID1 member: "d0" member: "d1" }
        partition_table { target: "r" partition { size: "100MiB" } partition { } }""", "rs2")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("stack,target,expected", [
    ('partition_table { target: "d9" partition { } }', "d0",
     'partition_table[0].target: no device or RAID set is named "d9"'),
    ('partition_table { target: "d0" partition { size: "2GiB" } }', "d0",
     "partition_table[0].partition[0].size: does not fit"),
    ('partition_table { target: "d0" partition { size: "1000" } }', "d0",
     "partition_table[0].partition[0].size: is not a whole number of blocks"),
    ('partition_table { target: "d0" partition { } partition { size: "1MiB" } }', "d0",
     "partition_table[0].partition[0].size: only the last partition may take what is left"),
    ('partition_table { target: "d0" partition { type: "not-a-guid" } }', "d0",
     "partition_table[0].partition[0].type: is not a GUID"),
    ('partition_table { target: "d0" scheme: MBR partition { type: "0x05" } }', "d0",
     "partition_table[0].partition[0].type: is not an MBR type byte"),
    ('partition_table { target: "d0" scheme: MBR partition {size: "1MiB"} partition {size: "1MiB"} '
     'partition {size: "1MiB"} partition {size: "1MiB"} partition {} }', "d0",
     "partition_table[0].partition[4]: an MBR holds at most 4 partitions"),
    ('partition_table { target: "d0" partition { } } partition_table { target: "d0" partition { } }', "d0",
     'partition_table[1].target: "d0" already has a partition table'),
    ('', "d0s1", 'workload[0].device: no device, partition or RAID set is named "d0s1"'),
    ('raid_set { name: "r" member: "d0" }', "d0", "raid_set[0]: a RAID set needs at least two members"),
    ('raid_set { name: "r" member: "d0" member: "dx" }', "d0",
     'raid_set[0].member[1]: no device, partition or earlier RAID set is named "dx"'),
    ('raid_set { name: "r" member: "d0" member: "d1" } raid_set { name: "s" member: "d0" member: "d1" }', "d0",
     'raid_set[1].member[0]: "d0" is already a member of a RAID set'),
    ('raid_set { name: "d1" member: "d0" member: "d0" }', "d0", 'raid_set[0].name: the name "d1" is already taken'),
    ('raid_set { name: "r" member: "d0" member: "d1" stripe_size: "1000" }', "d0",
     "raid_set[0].stripe_size: is not a whole number of blocks"),
    ('event { at: "1ms" eject: "d7" }', "d0", 'event[0].eject: no device is named "d7"'),
    ('event { at: "1ms" remove_media: "d0" }', "d0", "event[0].remove_media: the device's media is not removable"),
    ('event { at: "1ms" terminate: "d0" }', "d0", "event[0].terminate: only a DriverKit device (dext) can terminate"),
    ('event { at: "1ms" power_cut {} } event { at: "2ms" power_cut {} }', "d0",
     "event[1].power_cut: a run has at most one power cut"),
    ('event { at: "1ms" fail_member { raid_set: "r" member: "d0" } }', "d0",
     'event[0].fail_member: no RAID set is named "r"'),
])
def test_refused(blocksim, tmp_path, stack, target, expected):
    message = refused(blocksim, tmp_path, stack, target)
    line_column, _, rest = message.partition(": ")
    assert line_column.count(":") == 1, message  # file:line:column
    assert rest.startswith(expected), message


def test_a_table_needs_a_device_that_carries_data(blocksim, tmp_path):
    path = tmp_path / "nodata.textproto"
    path.write_text("""
        device { name: "d0" interface_rate: "6Gb/s" capacity: "1GiB" reference { service { fixed: "10us" } } }
        partition_table { target: "d0" partition { } }
        workload { job { requests: 1 } }""")
    result = blocksim("run", path)
    assert result.returncode == 2
    assert "partition_table[0].target: \"d0\" carries no data" in result.stderr


def test_an_aio_workload_needs_a_way_to_stop(blocksim, tmp_path):
    path = tmp_path / "aio.textproto"
    path.write_text(BASE.replace('job { requests: 10 }', 'aio { queue_depth: 4 }') % ("", "d0"))
    result = blocksim("run", path)
    assert result.returncode == 2
    assert 'workload[0].aio: an aio application needs "requests" or "duration"' in result.stderr
