"""Errors that teach: each bad input of issue 18 and the message it now gets, which says what was
read and what was probably meant, names the file and line (the profile's own, for an error in a
profile), and exits with status 2."""

import gzip
import re

import pytest

BUS = 'bus { name: "b" bandwidth: "4GB/s" }\n'
WORKLOAD = 'workload { job { requests: 10 } }\n'


def refused(blocksim, path, *args):
    result = blocksim(*args) if args else blocksim("run", path)
    assert result.returncode == 2, result.stdout
    return result.stderr.strip()


def test_decimal_kilobytes_say_what_they_read_and_suggest_kib(blocksim, tmp_path):
    path = tmp_path / "kb.textproto"
    path.write_text(BUS + 'device {\n  name: "d" bus: "b" capacity: "1GiB" block_size: "4 KB"\n'
                    '  reference { service { fixed: "10us" } }\n}\n' + WORKLOAD)
    assert refused(blocksim, path) == (
        f'error: {path}:3:39: device[0].block_size: must be a multiple of 512 bytes '
        '("4 KB" reads as 4,000 bytes; did you mean "4 KiB"?)')


def test_a_job_block_size_in_kb_says_the_same(blocksim, tmp_path):
    path = tmp_path / "job.textproto"
    path.write_text(BUS + 'device { name: "d" bus: "b" capacity: "1GiB" reference { service { fixed: "10us" } } }\n'
                    'workload { job { block_size: "8KB" requests: 10 } }\n')
    message = refused(blocksim, path)
    assert message.startswith(f"error: {path}:3:")
    assert message.endswith('8000 bytes is not a whole number of blocks of device "d" (block size 512) '
                            '("8KB" reads as 8,000 bytes; did you mean "8KiB"?)')


def test_unknown_field_gets_the_closest_names(blocksim, tmp_path):
    path = tmp_path / "typo.textproto"
    path.write_text('device {\n  name: "d" capasity: "1GiB"\n}\n')
    assert refused(blocksim, path) == (
        f'error: {path}:2:21: capasity: Message type "blocksim.proto.Device" has no field named "capasity". '
        'Did you mean "capacity"?')


def test_unknown_field_with_nothing_close_lists_the_fields(blocksim, tmp_path):
    path = tmp_path / "far.textproto"
    path.write_text('bus { name: "b" zzz: 1 }\n')
    message = refused(blocksim, path)
    assert re.search(r'has no field named "zzz"\. Its fields: .*"bandwidth"', message), message


def test_end_of_file_inside_a_block_says_which_block(blocksim, tmp_path):
    path = tmp_path / "cut.textproto"
    path.write_text(BUS + 'device {\n  name: "d" bus: "b" capacity: "1GiB"\n  reference { service { fixed: "10us" } }\n')
    assert refused(blocksim, path) == (
        f'error: {path}:5:1: the file ends inside a block: "device {{" opened at line 2 is not closed '
        '(protobuf: Expected identifier, got the end of the file)')


def test_reference_without_service_time_is_refused_at_its_line(blocksim, tmp_path):
    path = tmp_path / "noservice.textproto"
    path.write_text(BUS + 'device {\n  name: "d" bus: "b" capacity: "1GiB"\n  reference { queue_depth: 4 }\n}\n'
                    + WORKLOAD)
    message = refused(blocksim, path)
    assert message.startswith(f"error: {path}:4:3: device[0].reference: has no service time;"), message
    empty = tmp_path / "empty_service.textproto"
    empty.write_text(BUS + 'device {\n  name: "d" bus: "b" capacity: "1GiB"\n  reference { service { } }\n}\n'
                     + WORKLOAD)
    assert refused(blocksim, empty).startswith(f"error: {empty}:4:15: device[0].reference.service: is empty;")


@pytest.fixture
def profile_with(tmp_path, source_dir):
    def make(old, new):
        text = (source_dir / "scenarios" / "profiles" / "reference_replay.textproto").read_text()
        assert old in text
        path = tmp_path / "profile.textproto"
        path.write_text(text.replace(old, new))
        line = next(i + 1 for i, l in enumerate(path.read_text().splitlines()) if new in l)
        return path, line
    return make


def test_check_failing_inside_a_replay_profile_names_the_profile_and_line(blocksim, project_data, profile_with):
    profile, line = profile_with('block_size: "512"', 'block_size: "4 KB"')
    message = refused(blocksim, None, "replay", project_data / "traces" / "mqsim-tpcc-small.trace", "--device", profile)
    assert message == (f'error: {profile}:{line}:1: block_size: must be a multiple of 512 bytes ("4 KB" reads as '
                       '4,000 bytes; did you mean "4 KiB"?) (in the profile of device[0])')


def test_parse_error_inside_a_replay_profile_names_the_profile_and_line(blocksim, project_data, profile_with):
    profile, line = profile_with("queue_depth: 32", "queue_dept: 32")
    message = refused(blocksim, None, "replay", project_data / "traces" / "mqsim-tpcc-small.trace", "--device", profile)
    assert message.startswith(f"error: {profile}:{line}:")
    assert message.endswith('Did you mean "queue_depth"?')


def test_profile_named_by_a_scenario_is_blamed_for_its_own_fields(blocksim, tmp_path, profile_with):
    profile, line = profile_with('block_size: "512"', 'block_size: "1000"')
    scenario = tmp_path / "uses_profile.textproto"
    scenario.write_text(f'device {{ name: "d" profile: "{profile}" }}\n' + WORKLOAD)
    assert refused(blocksim, scenario) == (f"error: {profile}:{line}:1: block_size: must be a multiple of 512 bytes "
                                           "(in the profile of device[0])")
    # A field the scenario sets over the profile is the scenario's.
    scenario.write_text(f'device {{ name: "d" profile: "{profile}" block_size: "1000" }}\n' + WORKLOAD)
    column = scenario.read_text().index('block_size') + 1
    assert refused(blocksim, scenario) == (f"error: {scenario}:1:{column}: device[0].block_size: "
                                           "must be a multiple of 512 bytes")


@pytest.fixture
def gzip_trace(tmp_path, project_data):
    data = gzip.compress((project_data / "traces" / "mqsim-tpcc-small.trace").read_bytes(), mtime=0)
    return tmp_path, data


def test_damaged_gzip_is_named_with_its_byte_offset(blocksim, source_dir, gzip_trace):
    folder, data = gzip_trace
    damaged = folder / "damaged.trace.gz"
    # The first deflate block's type bits (after the 10-byte gzip header) set to 11, reserved:
    # zlib refuses it as an invalid block type.
    damaged.write_bytes(data[:10] + bytes([data[10] | 0b110]) + data[11:])
    message = refused(blocksim, None, "replay", damaged, "--format", "mqsim", "--device",
                      source_dir / "scenarios" / "profiles" / "reference_replay.textproto")
    match = re.fullmatch(rf"error: {re.escape(str(damaged))}:\d+: damaged gzip stream \(zlib: [^)]+\), found reading "
                         r"compressed byte (\d+) of the file", message)
    assert match, message
    assert 10 < int(match.group(1)) <= len(data)


def test_gzip_cut_short_says_so(blocksim, source_dir, gzip_trace):
    folder, data = gzip_trace
    cut = folder / "cut.trace.gz"
    cut.write_bytes(data[:30000])
    message = refused(blocksim, None, "replay", cut, "--device",
                      source_dir / "scenarios" / "profiles" / "reference_replay.textproto")
    assert re.fullmatch(rf"error: {re.escape(str(cut))}:\d+: the gzip stream ends early: the file is cut short after "
                        r"30000 compressed bytes \(a partial download or copy\?\)", message), message


def test_misspelt_scenario_path_in_python_gets_the_closest_names(quickstart):
    import blocksim as bs
    scenario = bs.load(quickstart)
    with pytest.raises(AttributeError, match=r"workload\[0\]\.job\.closed\.queue_deph: ClosedLoop has no field "
                                             r"'queue_deph'; did you mean 'queue_depth'\?"):
        scenario.set("workload[0].job.closed.queue_deph", 8)
    with pytest.raises(AttributeError, match=r"did you mean 'workload'\?"):
        scenario.get("workloads[0].job")
    scenario.set("workload[0].job.closed.queue_depth", 8)  # the right path still works
    assert scenario.get("workload[0].job.closed.queue_depth") == 8
