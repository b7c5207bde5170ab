"""Sequential reads stream at the media rate at any queue depth (issue 15): on the shipped
datasheet profiles, 4 KiB to 1 MiB reads at depths 1, 4, 8 and 32 against a hand calculation
from the profile's own geometry. The profile's figures set the expectation; the model is not
fitted to it.

Reading the outer zone in order, a cylinder takes `surfaces` revolutions plus a track skew at each
of the `surfaces - 1` head switches and a cylinder skew at the move to the next cylinder, all in
sector times of 60 / rpm / sectors_per_track, so

    media rate = surfaces x spt x 512 B / ((surfaces x spt + (surfaces - 1) x track_skew
                                            + cylinder_skew) x 60 / rpm / spt).

A request also passes the controller one at a time: its command overhead then its data over the
interface, so a stream of `size` requests goes no faster than size / (overhead + size / interface).
The expected rate is the smaller of the two."""

import re

import pytest

import blocksim

SIZES = {"4KiB": 4096, "128KiB": 131072, "1MiB": 1 << 20}
DEPTHS = (1, 4, 8, 32)


def profile_figures(text):
    zone = re.search(r"zone \{ first_cylinder: 0 last_cylinder: \d+ sectors_per_track: (\d+) "
                     r"track_skew: (\d+) cylinder_skew: (\d+)", text)
    rate = re.search(r'interface_rate: "(\d+)MB/s"', text)
    return dict(spt=int(zone[1]), track_skew=int(zone[2]), cylinder_skew=int(zone[3]),
                surfaces=int(re.search(r"surfaces: (\d+)", text)[1]), rpm=int(re.search(r"rpm: (\d+)", text)[1]),
                interface=int(rate[1]) * 1e6,
                overhead=float(re.search(r'read_hit_after_read: "([\d.]+)ms"', text)[1]) / 1e3)


def expected_rate(f, size):
    sector_s = 60 / f["rpm"] / f["spt"]
    per_cylinder = f["surfaces"] * f["spt"]
    media = per_cylinder * 512 / ((per_cylinder + (f["surfaces"] - 1) * f["track_skew"] + f["cylinder_skew"]) * sector_s)
    controller = size / (f["overhead"] + size / f["interface"])
    return min(media, controller)


def streamed_rate(profile, size_name, depth, requests):
    scenario = f"""
name: "stream" seed: 1
device {{ name: "d" profile: "{profile}" }}
workload {{ device: "d" job {{ read_fraction: 1 pattern: SEQUENTIAL block_size: "{size_name}"
                              closed {{ queue_depth: {depth} }} requests: {requests} }} }}
"""
    frame = blocksim.run(scenario).completions
    device = frame[frame["layer"] == "device"].sort_values("complete_ns")
    # From the tenth completion on: the first seek and rotation are not part of the stream.
    start = device.iloc[len(device) // 10]
    later = device[device["complete_ns"] > start["complete_ns"]]
    return later["bytes"].sum() / ((later["complete_ns"].max() - start["complete_ns"]) / 1e9)


@pytest.mark.parametrize("profile_name", ["sata_7200rpm", "sas_15k"])
@pytest.mark.parametrize("size_name", list(SIZES))
@pytest.mark.parametrize("depth", DEPTHS)
def test_sequential_reads_stream_at_the_media_rate(source_dir, profile_name, size_name, depth):
    profile = source_dir / "scenarios" / "profiles" / f"{profile_name}.textproto"
    figures = profile_figures(profile.read_text())
    size = SIZES[size_name]
    # About 100 MB, or 2,000 requests of 4 KiB.
    requests = max(2000, 100_000_000 // size)
    rate = streamed_rate(profile, size_name, depth, requests)
    assert rate == pytest.approx(expected_rate(figures, size), rel=0.01), (profile_name, size_name, depth, rate / 1e6)
