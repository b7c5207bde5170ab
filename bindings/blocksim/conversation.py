"""The Python end of a run that talks back: the runner asks for the next requests of the
``python`` workload and, when a callback watches, shows it the completions (see
bindings/runner/wire_format.hpp). The callback runs here, in the user's interpreter, so what it
records stays in the notebook after the run. With a python workload each completion waits for
the callback's answer (it may issue requests); without one the completions stream in batches."""

from __future__ import annotations

import os
from typing import Any, Callable, NamedTuple, Optional

import numpy as np

from . import _wire
from .columns import LAYER_NAMES, OP_NAMES
from .requests import Request, RequestFeed, RequestPacker, is_table


class Completion(NamedTuple):
    """One completion as a callback sees it: the trace record's fields, ``op`` and ``layer`` by
    name, times in simulated ns."""

    request_id: int
    parent_id: int
    lba: int
    blocks: int
    bytes: int
    submit_ns: int
    dispatch_ns: int
    complete_ns: int
    device: int
    flags: int
    status: int
    queue_depth: int
    op: str
    layer: str

    @property
    def latency_ns(self) -> int:
        return self.complete_ns - self.submit_ns


def _completions(payload: bytes) -> list:
    return [Completion(*fields[:12], OP_NAMES[fields[12]], LAYER_NAMES[fields[13]])
            for fields in _wire.COMPLETION_STRUCT.iter_unpack(payload)]


class Conversation:
    """Serves one runner process over its two pipes until it closes them."""

    def __init__(self, from_runner: int, to_runner: int, feed: Optional[RequestFeed], packer: RequestPacker,
                 on_completion: Optional[Callable[[Completion], Any]]):
        self._input = os.fdopen(from_runner, "rb", buffering=1 << 16)
        self._output = os.fdopen(to_runner, "wb", buffering=0)
        self._feed = feed
        self._packer = packer
        self._on_completion = on_completion

    def close(self) -> None:
        self._input.close()
        self._output.close()

    def serve(self) -> None:
        """Answers the runner until it is done (its end of the pipe closes)."""
        header_size = _wire.FRAME_HEADER.size
        while True:
            header = self._input.read(header_size)
            if len(header) < header_size:
                return
            kind, count = _wire.FRAME_HEADER.unpack(header)
            if kind == _wire.NEED_REQUESTS:
                self._send(self._feed.next_batch(count) if self._feed is not None else self._packer.pack([]))
            elif kind == _wire.COMPLETION:
                size = _wire.COMPLETION_STRUCT.size * count
                payload = self._input.read(size)
                if len(payload) < size:
                    return
                completions = _completions(payload)
                if self._feed is None:
                    self._watch(completions)  # streamed: no answer expected
                else:
                    self._send(self._answer(completions[0]))
            else:
                raise RuntimeError(f"the runner sent a frame of unknown kind {kind}")

    def _watch(self, completions: list) -> None:
        for completion in completions:
            if self._on_completion(completion) is not None:
                raise ValueError("the completion callback answered with requests, but the run has no python "
                                 "workload: pass requests=[] to blocksim.run() to give it one")

    def _answer(self, completion: Completion) -> np.ndarray:
        answer = self._on_completion(completion)
        if answer is None:
            return self._packer.pack([])
        if is_table(answer):
            return self._packer.pack_table(answer)
        if isinstance(answer, (Request, dict)):
            answer = [answer]
        return self._packer.pack(answer)

    def _send(self, records: np.ndarray) -> None:
        self._output.write(_wire.FRAME_HEADER.pack(_wire.REQUESTS, len(records)) + records.tobytes())
