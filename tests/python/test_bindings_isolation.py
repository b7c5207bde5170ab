"""Runs are processes of their own: many in a row in one interpreter, runs that fail and runs that
crash all leave the interpreter usable, and each failure is an exception with the message."""

import os
import signal
import stat

import pytest

import blocksim as bs
from conftest import device_records
import blocksim.runs as run_module


@pytest.fixture
def small(fixed_service_text):
    return bs.load(fixed_service_text)


def test_ten_runs_in_a_row_then_a_failure_then_more(small, tmp_path):
    counts = [len(device_records(bs.run(small, seed=seed))) for seed in range(10)]
    assert counts == [2000] * 10
    with pytest.raises(bs.RunError) as failed:
        bs.run(small, trace=tmp_path / "no" / "such" / "folder" / "t.bstrace")
    assert failed.value.returncode == 1
    assert "cannot write the trace" in str(failed.value)
    assert len(device_records(bs.run(small))) == 2000


def test_same_seed_same_records_other_seed_other_records(small):
    a, b, c = (bs.run(small, seed=s).completions for s in (5, 5, 6))
    assert a.equals(b)
    assert not a.equals(c)


def test_scenario_errors_name_the_place(fixed_service_text):
    bad = fixed_service_text.replace("queue_depth: 32", "queue_depth: 0")
    with pytest.raises(bs.ScenarioError) as error:
        bs.load(bad)
    assert (error.value.line, error.value.column) == (6, 15)
    assert error.value.field == "device[0].reference.queue_depth"
    assert str(error.value) == "<string>:6:15: device[0].reference.queue_depth: must be at least 1 (got 0)"


def test_a_field_set_wrong_in_python_is_a_scenario_error(small):
    small.device[0].capacity = "lots"
    with pytest.raises(bs.ScenarioError) as error:
        bs.run(small)
    assert error.value.field == "device[0].capacity" and error.value.line == 0
    assert "invalid size" in str(error.value)


def test_a_missing_file_is_a_scenario_error(tmp_path):
    with pytest.raises(bs.ScenarioError, match="cannot read: no such file"):
        bs.load(tmp_path / "absent.textproto")


@pytest.fixture
def fake_runner(tmp_path, monkeypatch):
    """Puts a stand-in for blocksim-runner in place; `write(body)` gives it a shell body."""
    path = tmp_path / "fake-runner"
    monkeypatch.delenv("LD_PRELOAD", raising=False)  # the sanitizer build's: the shell must die plainly

    def write(body):
        path.write_text("#!/bin/sh\n" + body + "\n")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
        monkeypatch.setattr(run_module, "RUNNER", path)
    return write


def test_a_crash_becomes_an_exception_with_the_message(small, fake_runner):
    fake_runner('cat > /dev/null; echo "something went badly wrong" >&2; kill -SEGV $$')
    with pytest.raises(bs.RunError) as crash:
        bs.run(small)
    assert crash.value.signal == signal.SIGSEGV
    assert "SIGSEGV" in str(crash.value) and "something went badly wrong" in str(crash.value)


def test_a_crash_while_talking_becomes_an_exception(small, fake_runner):
    fake_runner("cat > /dev/null; kill -ABRT $$")
    with pytest.raises(bs.RunError) as crash:
        bs.run(small, on_completion=lambda c: None, requests=[(0, "read", 0, 4096)])
    assert crash.value.signal == signal.SIGABRT


def test_after_crashes_real_runs_still_work(small, fake_runner, monkeypatch):
    fake_runner("kill -KILL $$")
    for _ in range(3):
        with pytest.raises(bs.RunError):
            bs.run(small)
    monkeypatch.undo()
    assert len(device_records(bs.run(small))) == 2000


def test_a_missing_runner_says_to_build(small, monkeypatch, tmp_path):
    monkeypatch.setattr(run_module, "RUNNER", tmp_path / "nowhere")
    with pytest.raises(bs.RunError, match="build blocksim first"):
        bs.run(small)


def test_a_run_over_its_time_is_stopped(quickstart):
    scenario = bs.load(quickstart)
    scenario.workload[0].job.requests = 10_000_000
    with pytest.raises(bs.RunError, match="longer than 0.5 s"):
        bs.run(scenario, timeout=0.5)
    with pytest.raises(bs.RunError, match="longer than 0.5 s"):
        bs.run(scenario, timeout=0.5, on_completion=lambda c: None)


def test_no_scratch_files_are_left(small, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    result = bs.run(small)
    folder = os.path.dirname(result.trace_path)
    assert os.path.exists(result.trace_path)
    del result
    import gc
    gc.collect()
    assert not os.path.exists(folder)
    with pytest.raises(bs.RunError):
        bs.run(small, timeout=0.000001)
    assert os.listdir(tmp_path) == []


def test_the_command_line_refuses_a_python_workload(blocksim, tmp_path, fixed_service_text):
    path = tmp_path / "py.textproto"
    path.write_text(fixed_service_text.replace('workload { job', 'workload { python {} }\nworkload { job'))
    result = blocksim("run", path)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"error: {path}: workload[0].python: takes its requests from Python; "
                                     "run this scenario with blocksim.run() (docs/python.md)")


def test_one_python_workload_at_most(fixed_service_text):
    text = fixed_service_text + "workload { python {} }\nworkload { python {} }\n"
    with pytest.raises(bs.ScenarioError, match="only one workload of a run can take its requests from Python"):
        bs.load(text)
