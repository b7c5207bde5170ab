"""Shared fixtures: where the build is, and running the blocksim program."""

import os
import pathlib
import subprocess
import sys

import pytest

SOURCE_DIR = pathlib.Path(__file__).resolve().parents[2]
BUILD_DIR = pathlib.Path(os.environ.get("BLOCKSIM_BUILD", SOURCE_DIR / "build"))
# Real data the project may redistribute ships in data/ (data/README.md); what it may not is read
# from ../shared/data beside the project when that is there (the outside_data fixture).
PROJECT_DATA = SOURCE_DIR / "data"
SHARED_DATA = SOURCE_DIR.parent / "shared" / "data"

PYTHON_PATHS = [BUILD_DIR / "python", SOURCE_DIR / "analysis"]
for path in reversed(PYTHON_PATHS):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
# Processes the tests start (notebook kernels, Dask workers) find the packages too.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(p) for p in PYTHON_PATHS] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
os.environ.setdefault("BLOCKSIM_BUILD", str(BUILD_DIR))

# A device whose every figure can be worked out by hand: one media server with a fixed service
# time, DMA of 4 KiB over a 4 GB/s bus (1.024 us), nothing else.
FIXED_SERVICE = """\
name: "fixed"
seed: 3
bus { name: "bus" bandwidth: "4GB/s" }
device {
  name: "d0" capacity: "1GiB" block_size: "4KiB"
  reference { queue_depth: 32 media_servers: 1 service { fixed: "10us" } }
}
workload { job { read_fraction: 0.5 block_size: "4KiB" closed { queue_depth: 4 } requests: 2000 } }
"""


def device_records(run):
    """The device layer's records of a Result, a Trace or a completions frame (a request is
    recorded by the driver too, and by the media when it fails there)."""
    frame = getattr(run, "completions", run)
    return frame[frame["layer"] == "device"]


class Blocksim:
    """Runs build/blocksim and keeps what it printed."""

    binary = BUILD_DIR / "blocksim"

    def __call__(self, *args, cwd=None, check=False):
        result = subprocess.run([str(self.binary), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                                timeout=600)
        if check and result.returncode != 0:
            raise AssertionError(f"blocksim {' '.join(map(str, args))} exited {result.returncode}:\n{result.stderr}")
        return result


@pytest.fixture
def blocksim():
    return Blocksim()


@pytest.fixture
def source_dir():
    return SOURCE_DIR


@pytest.fixture
def project_data():
    return PROJECT_DATA


@pytest.fixture
def outside_data():
    """A function from a path under ../shared/data to that file. When it is absent the test skips
    with the reason, or fails when BLOCKSIM_REQUIRE_SHARED=1 (.ci/run sets it when ../shared/data
    exists, so CI never skips such a test silently)."""
    def find(relative):
        path = SHARED_DATA / relative
        if not path.exists():
            if os.environ.get("BLOCKSIM_REQUIRE_SHARED") == "1":
                pytest.fail(f"{path} is missing and BLOCKSIM_REQUIRE_SHARED=1")
            pytest.skip(f"{path} is not here (not licensed for redistribution, see data/README.md)")
        return path
    return find


@pytest.fixture
def quickstart(source_dir):
    return source_dir / "scenarios" / "quickstart.textproto"


@pytest.fixture
def fixed_service_text():
    return FIXED_SERVICE
