"""The errors blocksim raises in Python.

``ScenarioError`` and ``TraceFormatError`` are what the command line reports with exit status 2;
the C++ extension raises these same classes. ``RunError`` is a run that failed or crashed in its
own process: the interpreter that started it carries on.
"""

from __future__ import annotations

import signal
from typing import Optional


class ScenarioError(ValueError):
    """A scenario that cannot run, with where the problem is: ``file:line:column: field: what``.
    ``line`` and ``column`` are 0 when there is no text to point into (a message built in Python)."""

    def __init__(self, message: str, file: str = "", line: int = 0, column: int = 0, field: str = ""):
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.field = field


class TraceFormatError(ValueError):
    """The file is not a blocksim trace, or it ends inside a record."""


class RunError(RuntimeError):
    """A run that did not finish: it failed (``returncode`` 1, 3), or its process died of a signal
    (``signal`` set). ``stderr`` holds what the process printed; the message says what happened."""

    def __init__(self, message: str, returncode: Optional[int] = None, stderr: str = ""):
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr

    @property
    def signal(self) -> Optional[int]:
        return -self.returncode if self.returncode is not None and self.returncode < 0 else None

    @staticmethod
    def describe_exit(returncode: int) -> str:
        if returncode < 0:
            try:
                name = signal.Signals(-returncode).name
            except ValueError:
                name = f"signal {-returncode}"
            return f"the run's process died of {name}"
        known = {1: "the run failed", 3: "the run lost its pipes to Python"}
        return known.get(returncode, f"the run's process exited with status {returncode}")
