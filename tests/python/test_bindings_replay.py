"""A policy in Python against its C++ twin: DiskSim's validate timing (next request = previous
completion + recorded idle gap) written as a completion callback gives, record for record, the run
the C++ trace replay gives."""

import decimal

import pandas as pd

import blocksim as bs
from conftest import device_records


def exact_ns(text):
    """A decimal number of microseconds in integer ns, rounded half up as the replay reader does."""
    return int((decimal.Decimal(text) * 1000).quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP))


def test_validate_timing_in_python_is_the_replays(source_dir, project_data):
    trace = project_data / "disksim-validate" / "hp_c2490a.trace"
    profile = source_dir / "scenarios" / "profiles" / "reference_replay.textproto"
    scenario = bs.load(f'device {{ name: "disk0" profile: "{profile}" }}\n'
                       f'workload {{ replay {{ path: "{trace}" format: "disksim-validate" }} }}\n')
    replayed = bs.run(scenario).completions

    lines = pd.read_csv(trace, sep=r"\s+", header=None, dtype=str,
                        names=["op", "outcome", "lba", "blocks", "access_us", "gap_us"])
    requests = [bs.Request(None, "read" if op == "R" else "write", int(lba) * 512, int(blocks) * 512)
                for op, lba, blocks in zip(lines["op"], lines["lba"], lines["blocks"])]
    gaps = [exact_ns(gap) for gap in lines["gap_us"]]
    issued = [1]

    def validate(completion):
        i = issued[0]
        if i == len(requests):
            return None
        issued[0] += 1
        return requests[i]._replace(time_ns=completion.complete_ns + gaps[i - 1])

    by_hand = scenario.copy()
    del by_hand.workload[:]
    # the callback answers the driver's completion of each request, as the replay does
    in_python = bs.run(by_hand, requests=[requests[0]._replace(time_ns=0)], on_completion=validate,
                       layers="driver").completions
    assert len(device_records(in_python)) == len(lines) > 1000
    pd.testing.assert_frame_equal(in_python.reset_index(drop=True), replayed.reset_index(drop=True))
