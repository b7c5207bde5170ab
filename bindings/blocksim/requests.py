"""Requests from Python: what a ``requests=`` iterable holds and what a completion callback may
answer with, and how they are packed for the runner.

A request is a ``Request`` (or a tuple in its field order, or a dict of its fields):

    time_ns  when it arrives, in simulated ns; None: with the request before it (for a
             callback's answer: now). Give them in time order; one whose time has passed when
             its turn comes goes out at once.
    op       "read", "write" or "flush"
    offset   bytes from the start of the device (a whole number of its blocks)
    size     bytes (a whole number of blocks; for a flush, 0 reaches to the end of the device)
    device   the device's name or index; None: the workload's device
    fua      a write with Force Unit Access

A pandas DataFrame or numpy structured array with these columns (``time_ns``, ``op``,
``offset``, ``size``, optionally ``device`` and ``fua``) is taken in bulk, without a Python loop.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, NamedTuple, Optional, Sequence, Union

import numpy as np

from . import _wire

_OP_CODES = {"read": 0, "write": 1, "flush": 2}


class Request(NamedTuple):
    time_ns: Optional[int] = None
    op: str = "read"
    offset: int = 0
    size: int = 4096
    device: Union[str, int, None] = None
    fua: bool = False


def _op_code(op: Any) -> int:
    if isinstance(op, str):
        try:
            return _OP_CODES[op]
        except KeyError:
            raise ValueError(f"a request's op must be read, write or flush, not {op!r}") from None
    code = int(op)
    if code not in _OP_CODES.values():
        raise ValueError(f"a request's op code must be 0 (read), 1 (write) or 2 (flush), not {code}")
    return code


class RequestPacker:
    """Turns requests into REQUEST_DTYPE records; knows the scenario's device names."""

    def __init__(self, device_names: Sequence[str]):
        self._devices = {name: index for index, name in enumerate(device_names)}

    def device_index(self, device: Union[str, int, None]) -> int:
        if device is None:
            return _wire.DEFAULT_DEVICE
        if isinstance(device, str):
            try:
                return self._devices[device]
            except KeyError:
                raise ValueError(f"a request names device {device!r}; the scenario has {list(self._devices)}") from None
        index = int(device)
        if not 0 <= index < len(self._devices):
            raise ValueError(f"a request names device {index}; the scenario has {len(self._devices)}")
        return index

    def record(self, item: Any) -> tuple:
        if isinstance(item, Request):
            request = item
        elif isinstance(item, dict):
            request = Request(**item)
        elif isinstance(item, tuple):
            request = Request(*item)
        else:
            raise TypeError(f"a request is a blocksim.Request, a tuple or a dict, not {type(item).__name__}")
        if request.offset < 0 or request.size < 0:
            raise ValueError(f"a request's offset and size must not be negative: {request}")
        time = _wire.AS_SOON_AS_POSSIBLE if request.time_ns is None else int(request.time_ns)
        if time < 0 and time != _wire.AS_SOON_AS_POSSIBLE:
            raise ValueError(f"a request's time_ns must not be negative: {request}")
        return (time, int(request.offset), int(request.size), self.device_index(request.device),
                _op_code(request.op), _wire.FLAG_FUA if request.fua else 0, 0)

    def pack(self, items: Iterable[Any]) -> np.ndarray:
        return np.array([self.record(item) for item in items], dtype=_wire.REQUEST_DTYPE)

    def pack_table(self, table: Any) -> np.ndarray:
        """A DataFrame or structured array with the Request fields as columns, at once."""
        columns = table.dtype.names if isinstance(table, np.ndarray) else list(table.columns)
        missing = {"op", "offset", "size"} - set(columns)
        if missing:
            raise ValueError(f"a table of requests needs columns op, offset and size; {sorted(missing)} missing")
        n = len(table)
        out = np.zeros(n, dtype=_wire.REQUEST_DTYPE)
        out["time_ns"] = np.asarray(table["time_ns"], dtype=np.int64) if "time_ns" in columns else -1
        out["offset"] = np.asarray(table["offset"], dtype=np.uint64)
        out["size"] = np.asarray(table["size"], dtype=np.uint64)
        ops = np.asarray(table["op"])
        if ops.dtype.kind in "OUS" or str(getattr(table["op"], "dtype", "")) == "category":
            names, inverse = np.unique(np.asarray(ops, dtype=str), return_inverse=True)
            out["op"] = np.array([_op_code(name) for name in names], dtype=np.uint8)[inverse]
        else:
            codes = ops.astype(np.int64)
            for code in np.unique(codes):
                _op_code(int(code))
            out["op"] = codes
        if "device" in columns:
            devices = np.asarray(table["device"])
            names, inverse = np.unique(devices, return_inverse=True)
            out["device"] = np.array([self.device_index(d if isinstance(d, str) else int(d)) for d in names],
                                     dtype=np.uint32)[inverse]
        else:
            out["device"] = _wire.DEFAULT_DEVICE
        if "fua" in columns:
            out["flags"] = np.where(np.asarray(table["fua"], dtype=bool), _wire.FLAG_FUA, 0)
        return out


def is_table(requests: Any) -> bool:
    return (isinstance(requests, np.ndarray) and requests.dtype.names is not None) or (
        hasattr(requests, "columns") and hasattr(requests, "iloc"))


class RequestFeed:
    """Hands out the ``requests=`` of a run in batches, as the runner asks for them."""

    def __init__(self, requests: Any, packer: RequestPacker):
        self._packer = packer
        if is_table(requests):
            self._table: Optional[np.ndarray] = packer.pack_table(requests)
            self._position = 0
            self._iterator: Optional[Iterator[Any]] = None
        else:
            self._table = None
            self._iterator = iter(requests)

    def next_batch(self, most: int) -> np.ndarray:
        if self._table is not None:
            batch = self._table[self._position:self._position + most]
            self._position += len(batch)
            return batch
        items = []
        for item in self._iterator:
            items.append(item)
            if len(items) == most:
                break
        return self._packer.pack(items)
