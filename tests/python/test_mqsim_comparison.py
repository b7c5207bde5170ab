"""MQSim's configuration as a blocksim profile (issue 16, item 4): MQSim's default ssdconfig.xml
(scenarios/profiles/mqsim-default.textproto) replaying MQSim's two traces the way MQSim was run for
data/mqsim-reference/README.md, against MQSim's own mean device response times. Where the two
agree within 20 % the test says so; where they do not, docs/ssd.md ("MQSim's configuration") names
the modelling choice behind the difference, and the test checks blocksim's figure against a hand
calculation from the profile's geometry and timings (wsrch) or holds it to the documented figure
with the reason (tpcc). No profile value was fitted to MQSim's figures."""

import heapq
import importlib.util
import re
from collections import OrderedDict

import pytest

from conftest import BUILD_DIR, SOURCE_DIR

_spec = importlib.util.spec_from_file_location("mqsim_comparison", SOURCE_DIR / "scripts" / "mqsim_comparison.py")
comparison = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(comparison)

# MQSim's ssdconfig.xml, as data/mqsim-reference/README.md lists it.
CHANNELS, CHIPS_PER_CHANNEL, DIES_PER_CHIP, PLANES_PER_DIE = 8, 4, 2, 2
BLOCKS_PER_PLANE, PAGES_PER_BLOCK, PAGE_BYTES, SECTOR_BYTES = 2048, 256, 8192, 512
OVER_PROVISIONING = 0.07
READ_NS = 75_000
CHANNEL_BYTES_PER_S = 333e6  # 333 MT/s x 8 bits
LINK_BYTES_PER_S = 4e9  # PCIe: 4 lanes x 1 GB/s
MAPPING_CACHE_BYTES = 2 << 20

DIES = CHANNELS * CHIPS_PER_CHANNEL * DIES_PER_CHIP
PLANES = DIES * PLANES_PER_DIE


def profile_field(name):
    """The first value of `name` in the profile, comments left out."""
    text = "\n".join(line for line in comparison.PROFILE.read_text().splitlines() if not line.lstrip().startswith("#"))
    match = re.search(rf"\b{name}: \"?([^\"\s]+)\"?", text)
    assert match, name
    return match.group(1)


def test_the_profile_holds_the_logical_space_mqsim_exposes():
    # MQSim gives each plane (1 - OP) of its sectors, truncated, and the host the sum over planes
    # (src/utils/Logical_Address_Partitioning_Unit.cpp).
    per_plane = int(BLOCKS_PER_PLANE * PAGES_PER_BLOCK * (PAGE_BYTES // SECTOR_BYTES) * (1 - OVER_PROVISIONING))
    assert per_plane == 7_801_405
    assert int(profile_field("capacity")) == PLANES * per_plane * SECTOR_BYTES == 511_272_878_080
    assert int(profile_field("channels")) == CHANNELS
    assert int(profile_field("dies_per_channel")) == CHIPS_PER_CHANNEL * DIES_PER_CHIP
    assert int(profile_field("planes_per_die")) == PLANES_PER_DIE
    assert int(profile_field("blocks_per_plane")) == BLOCKS_PER_PLANE
    assert int(profile_field("pages_per_block")) == PAGES_PER_BLOCK
    # GC below 5 % free blocks, truncated as MQSim does: fewer than 102, i.e. at 101 or fewer.
    assert int(profile_field("foreground_threshold")) == int(0.05 * BLOCKS_PER_PLANE) - 1 == 101


def transfer_ns(nbytes, rate):
    return round(nbytes * 1e9 / rate)


def channel_time(dies):
    """When the last of these dies' reads is across their shared channel: each die reads its
    groups one after another (tR, then its turn on the channel, first come first served)."""
    ready = [(READ_NS, index, 0) for index in range(len(dies))]
    heapq.heapify(ready)
    channel_free = 0
    while ready:
        at, index, group = heapq.heappop(ready)
        channel_free = max(at, channel_free) + transfer_ns(dies[index][group], CHANNEL_BYTES_PER_S)
        if group + 1 < len(dies[index]):
            heapq.heappush(ready, (channel_free + READ_NS, index, group + 1))
    return channel_free


def unloaded_mean_us(trace, passes):
    """blocksim's mean device response time on this profile for a trace so light that no request
    waits for another (wsrch: the dies are 0.1 % busy), worked out from the geometry and timings
    rather than run. A 70 % fill lays 8 KiB units out as a sequential write does: unit u on die
    (u // 2) mod 64, plane u mod 2, the two planes of a die at the same page; consecutive dies on
    consecutive channels. A request's pages on one die are one multi-plane read: tR, then their
    bytes over the die's channel; its dies work in parallel. A translation page (2,048 entries,
    the most recent 256 kept: 2 MiB of 8 KiB pages) not in DRAM is read first: tR + 8 KiB over the
    channel. Reads then cross the link; writes cross it and are done (write-back)."""
    entries = PAGE_BYTES // 4
    capacity = MAPPING_CACHE_BYTES // PAGE_BYTES
    requests = []
    for line in trace.read_text().split("\n"):
        if line.strip():
            _, _, lba, sectors, kind = line.split()
            requests.append((int(lba) * SECTOR_BYTES, int(sectors) * SECTOR_BYTES, kind == "1"))
    cached = OrderedDict()
    total_ns = 0
    for _ in range(passes):
        for offset, size, is_read in requests:
            first, last = offset // PAGE_BYTES, (offset + size - 1) // PAGE_BYTES
            missed = False
            for tpn in range(first // entries, last // entries + 1):
                if tpn in cached:
                    cached.move_to_end(tpn)
                else:
                    missed = True
                    cached[tpn] = True
                    if len(cached) > capacity:
                        cached.popitem(last=False)
            latency = READ_NS + transfer_ns(PAGE_BYTES, CHANNEL_BYTES_PER_S) if missed else 0
            if is_read:
                # Die -> the bytes of each of its multi-plane reads, in the order they are issued.
                reads = {}
                for unit in range(first, last + 1):
                    start, end = max(unit * PAGE_BYTES, offset), min((unit + 1) * PAGE_BYTES, offset + size)
                    die_unit = unit // PLANES_PER_DIE
                    die = reads.setdefault(die_unit % DIES, {})
                    die[die_unit] = die.get(die_unit, 0) + end - start
                channels = {}
                for die, groups in reads.items():
                    channels.setdefault(die % CHANNELS, []).append(list(groups.values()))
                latency += max(channel_time(dies) for dies in channels.values())
            latency += transfer_ns(size, LINK_BYTES_PER_S)
            total_ns += latency
    return total_ns / (passes * len(requests)) / 1000


@pytest.fixture(scope="module")
def results():
    return {}


def run(results, name):
    if name not in results:
        results[name] = comparison.compare(BUILD_DIR, name)
    return results[name]


WSRCH = comparison.TRACES / "mqsim-wsrch-small.trace"


def test_wsrch_forty_passes_is_within_20_percent_of_mqsim(results):
    r = run(results, "wsrch-small x40")
    assert r["requests"] == r["expected_requests"] == 991_320
    # Without queueing blocksim's figure is what the geometry gives, to 1 %.
    assert r["blocksim_mean_us"] == pytest.approx(unloaded_mean_us(WSRCH, 40), rel=0.01)
    assert abs(r["difference"]) <= 0.20, r


def test_wsrch_one_pass_is_faster_than_mqsims_cold_mapping_table(results):
    r = run(results, "wsrch-small")
    assert r["requests"] == r["expected_requests"] == 24_783
    assert r["blocksim_mean_us"] == pytest.approx(unloaded_mean_us(WSRCH, 1), rel=0.01)
    # Not within 20 %: MQSim's first pass pays 181 - 106 = 75 us a request more than its warm
    # passes, its cached mapping table filling one 9-byte entry at a time; blocksim's caches whole
    # translation pages, so one miss brings 16 MiB of neighbours in and the first pass costs it
    # little more than the fortieth (docs/ssd.md, "MQSim's configuration").
    assert r["difference"] < -0.20
    warm = run(results, "wsrch-small x40")
    assert r["blocksim_mean_us"] - warm["blocksim_mean_us"] < 0.2 * (181 - 106)


# blocksim's figure on tpcc-small, as docs/ssd.md ("MQSim's configuration") gives it. Not a
# validation: MQSim's 3,458 us comes from collection it runs from the first write on a
# preconditioned drive at its GC threshold, with GC's operations ahead of host reads
# (non-preemptible GC), and writes held until their data is on its way to flash (1 MiB of
# destage buffer); docs/ssd.md explains why blocksim's profile does neither. This holds the
# figure where the document says it is.
TPCC_DOCUMENTED_US = 664.0


def test_tpcc_differs_from_mqsim_for_the_documented_reasons(results):
    r = run(results, "tpcc-small")
    assert r["requests"] == r["expected_requests"] == 6_999
    assert r["metrics"]["gc_runs"] == 0, "the unaged 70 % fill leaves 600 free blocks a plane: no collection"
    assert r["difference"] < -0.5
    assert r["blocksim_mean_us"] == pytest.approx(TPCC_DOCUMENTED_US, rel=0.10)
