"""Shared fixtures: where the build is, and running the blocksim program."""

import os
import pathlib
import subprocess
import sys

import pytest

SOURCE_DIR = pathlib.Path(__file__).resolve().parents[2]
BUILD_DIR = pathlib.Path(os.environ.get("BLOCKSIM_BUILD", SOURCE_DIR / "build"))
SHARED_DATA = SOURCE_DIR.parent / "shared" / "data"

for path in (BUILD_DIR / "python", SOURCE_DIR / "analysis"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


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
def shared_data():
    return SHARED_DATA
