"""Scenarios in Python: loaded from a file or a string, or built as a protobuf message, changed
field by field, checked exactly as ``blocksim run`` checks a file.

A Scenario holds the message *as written*: device profiles are not merged in, so a change to a
field the scenario gives overrides the profile as it would in the file. ``resolved()`` shows what
will run (profiles merged, defaults left implicit).
"""

from __future__ import annotations

import difflib
import os
import re
from typing import Any, Union

from google.protobuf import text_format

from . import _blocksim, scenario_pb2

PathLike = Union[str, "os.PathLike[str]"]
_STEP = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$")


class Scenario:
    """A scenario to run. ``message`` is the ``blocksim.scenario_pb2.Scenario`` itself; fields of the
    message can be read and set on the Scenario directly (``s.seed = 7``, ``s.device[0].name``).
    ``source`` is where it came from (the file, or a name standing for it in error messages and
    the trace header); ``folder`` is where relative profile paths are taken from."""

    _OWN = ("message", "source", "folder")

    def __init__(self, message: scenario_pb2.Scenario | None = None, *, source: str = "<python>",
                 folder: PathLike | None = None):
        object.__setattr__(self, "message", message if message is not None else scenario_pb2.Scenario())
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "folder", os.fspath(folder) if folder is not None else os.getcwd())

    @classmethod
    def from_file(cls, path: PathLike) -> "Scenario":
        """Reads and checks a scenario file; bad input raises ScenarioError with file:line:column."""
        path = os.fspath(path)
        try:
            with open(path, encoding="utf-8") as file:
                text = file.read()
        except OSError as error:
            from .errors import ScenarioError
            what = "no such file" if isinstance(error, FileNotFoundError) else "not a readable file"
            raise ScenarioError(f"{path}: cannot read: {what}", file=path) from None
        return cls.from_text(text, source=path, folder=os.path.dirname(path))

    @classmethod
    def from_text(cls, text: str, source: str = "<string>", folder: PathLike | None = None) -> "Scenario":
        """Parses and checks scenario text (protobuf text format)."""
        folder = os.fspath(folder) if folder is not None else os.getcwd()
        message = scenario_pb2.Scenario()
        message.ParseFromString(_blocksim.parse_scenario_text(text, source, folder))
        return cls(message, source=source, folder=folder)

    # --- the message's fields, read and written through the Scenario ---------------------------
    def __getattr__(self, field: str) -> Any:
        if field.startswith("__") or field in Scenario._OWN:
            raise AttributeError(field)
        return getattr(self.message, field)

    def __setattr__(self, field: str, value: Any) -> None:
        if field in Scenario._OWN:
            object.__setattr__(self, field, value)
        else:
            setattr(self.message, field, value)

    def __getstate__(self) -> dict:
        return {"message": self.message.SerializeToString(), "source": self.source, "folder": self.folder}

    def __setstate__(self, state: dict) -> None:
        message = scenario_pb2.Scenario()
        message.ParseFromString(state["message"])
        Scenario.__init__(self, message, source=state["source"], folder=state["folder"])

    def get(self, path: str) -> Any:
        """The value at a field path such as ``"device[0].reference.queue_depth"``."""
        value: Any = self.message
        for field, index in _steps(path):
            value = _field(value, field, path)
            if index is not None:
                value = _element(value, index, path)
        return value

    def set(self, path: str, value: Any) -> "Scenario":
        """Sets the field at ``path`` (``"workload[0].job.closed.queue_depth"``, ``"seed"``); a
        oneof member switches the oneof, as in protobuf. Returns the Scenario, for chaining."""
        steps = _steps(path)
        parent: Any = self.message
        for field, index in steps[:-1]:
            parent = _field(parent, field, path)
            if index is not None:
                parent = _element(parent, index, path)
        field, index = steps[-1]
        _field(parent, field, path)
        if index is not None:
            container = getattr(parent, field)
            _element(container, index, path)
            container[index] = value
        elif hasattr(getattr(parent, field), "CopyFrom"):
            getattr(parent, field).CopyFrom(value)
        else:
            setattr(parent, field, value)
        return self

    def copy(self) -> "Scenario":
        """An independent copy (changes to one do not reach the other)."""
        message = scenario_pb2.Scenario()
        message.CopyFrom(self.message)
        return Scenario(message, source=self.source, folder=self.folder)

    def with_changes(self, changes: dict | None = None, **fields: Any) -> "Scenario":
        """A copy with fields set, by path or by top-level name:
        ``s.with_changes({"workload[0].job.closed.queue_depth": 8}, seed=3)``."""
        result = self.copy()
        for path, value in {**(changes or {}), **fields}.items():
            result.set(path, value)
        return result

    # --- checking and showing ------------------------------------------------------------------
    def check(self) -> None:
        """Raises ScenarioError if the scenario cannot run, as ``blocksim run`` would refuse it."""
        self.resolved()

    def resolved(self) -> scenario_pb2.Scenario:
        """The scenario as it will run: checked, device profiles merged in."""
        result = scenario_pb2.Scenario()
        result.ParseFromString(_blocksim.check_scenario(self.message.SerializeToString(), self.source, self.folder))
        return result

    def device_names(self) -> list:
        """The devices' names in order, as the trace header gives them (``disk<i>`` when unnamed)."""
        return [d.name if d.HasField("name") else f"disk{i}" for i, d in enumerate(self.message.device)]

    @property
    def text(self) -> str:
        """The scenario in protobuf text format, as a file would hold it."""
        return text_format.MessageToString(self.message)

    def __repr__(self) -> str:
        return f"Scenario({self.source!r}):\n{self.text}"

    def run(self, **options: Any):
        """Runs it: ``blocksim.run(self, **options)``."""
        from .runs import run
        return run(self, **options)


def _steps(path: str) -> list:
    steps = []
    for part in path.split("."):
        match = _STEP.match(part)
        if not match:
            raise ValueError(f"bad field path {path!r} at {part!r}")
        steps.append((match.group(1), int(match.group(2)) if match.group(2) is not None else None))
    return steps


class FieldPathError(AttributeError):
    """A field path naming a field its message does not have; the message says the closest names."""


def _field(message: Any, field: str, path: str) -> Any:
    """The field ``field`` of ``message``, or FieldPathError naming the closest valid fields."""
    descriptor = getattr(message, "DESCRIPTOR", None)
    if descriptor is not None and field not in descriptor.fields_by_name:
        names = sorted(descriptor.fields_by_name)
        close = difflib.get_close_matches(field, names, n=3, cutoff=0.6)
        hint = (f"did you mean {' or '.join(repr(name) for name in close)}?" if close
                else f"its fields: {', '.join(names)}")
        raise FieldPathError(f"{path}: {descriptor.name} has no field {field!r}; {hint}")
    return getattr(message, field)


def _element(container: Any, index: int, path: str) -> Any:
    if index >= len(container):
        raise IndexError(f"{path}: index {index} but there are {len(container)}")
    return container[index]


def load(source: Union[PathLike, str, scenario_pb2.Scenario, Scenario], **options: Any) -> Scenario:
    """A Scenario from a path, from text, or from a message: a ``Scenario`` is returned as it is,
    a message is wrapped, a path-like or a string naming an existing file is read, any other
    string is taken as scenario text."""
    if isinstance(source, Scenario):
        return source
    if isinstance(source, scenario_pb2.Scenario):
        return Scenario(source, **options)
    if isinstance(source, os.PathLike):
        return Scenario.from_file(source)
    if isinstance(source, str):
        if "\n" not in source and "{" not in source and os.path.exists(source):
            return Scenario.from_file(source)
        if "{" not in source and ":" not in source:
            return Scenario.from_file(source)  # meant as a path: says it does not exist
        return Scenario.from_text(source, **options)
    raise TypeError(f"cannot make a scenario from {type(source).__name__}")
