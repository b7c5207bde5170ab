#!/usr/bin/python3
"""Writes a blocksim HDD profile from datasheet figures: a zone table whose media rate falls
linearly from the outer to the inner diameter (sectors per track = rate / 512 B / revolutions per
second), track and cylinder skews that cover a head switch and a one-cylinder seek, and the
controller, cache and interface settings given. Used for scenarios/profiles/sata_7200rpm.textproto
and sas_15k.textproto; their header says which figures come from where.

    /usr/bin/python3 scripts/hdd_datasheet_profile.py sata_7200 > scenarios/profiles/sata_7200rpm.textproto
"""
import math
import sys

DRIVES = {
    "sata_7200": dict(
        name="sata_7200rpm", capacity=8_000_000_000_000, rpm=7200, surfaces=8, zones=16,
        outer_mb_s=249.0, inner_mb_s=128.0, head_switch_ms=0.5,
        single_ms=0.23, average_ms=7.5, full_ms=17.06, write_settle_ms=1.0,
        overhead_ms=0.2, interface="600MB/s", queue_depth=32, starvation="500ms",
        cache_mib=256, segment_kib=2048, write_segments=64, read_ahead_kib=1024,
        sources=[
            "rpm 7200, SATA 6 Gb/s, NCQ 32 tags: the class of drive (Seagate Exos 7E8 8 TB, ST8000NM000A)",
            "interface 600 MB/s: SATA 6 Gb/s with 8b/10b coding (model-facts 4.2)",
            "outer-zone media rate 249 MB/s: Exos 7E8 8 TB max sustained, UNCONFIRMED (model-facts 5.3, recalled)",
            "inner-zone rate 128 MB/s: 249 MB/s x 84/163, the inner/outer ratio of the Seagate Constellation.2 "
            "(84-163 MB/s), https://manualsdump.com/en/manuals/seagate-st9500621ss-st9500620ss-st9500622ss-"
            "100620418model-st91000642ss-st91000641ss-st91000640ss/136768/19",
            "seek single-track 0.23 ms, average 7.5 ms, full stroke 17.06 ms (reads): Seagate Constellation.2 "
            "7200 rpm, same page",
            "write settle 1.0 ms: Constellation.2 write minus read seek (average 8.5 - 7.5, full 18.08 - 17.06)",
            "command overhead 0.2 ms: Constellation.2 average seek with (7.7 ms) and without (7.5 ms) controller overhead",
            "cache 256 MB: Exos 7E8 UNCONFIRMED; Exos 2X14's 256 MB multisegmented cache is confirmed "
            "(https://vuink.com/post/gbzfuneqjner-d-dpbz/news/seagate-lists-dual-actuator-hdd-exos-2x14)",
            "8 surfaces, 0.5 ms head switch, segment layout, read-ahead, starvation limit, destage water marks: "
            "assumptions, not datasheet figures",
        ],
        # (name, entry latency, exit latency) and where they come from (power.proto).
        power_states=[("standby", "20s", "13.5s")],
        power_sources=[
            "Standby (spun down): Seagate's Constellation ES.2 SATA product manual (a 7200 rpm 3.5-inch SATA",
            "drive of this class), 2.7 Start/stop times, 2 TB models: standby to ready 13.5 s (max), ready to",
            "spindle stop 20 s (max), http://office.manualsonline.com/manuals/mfg/seagate/st32000645ns_5.html?p=14",
            "These are maximums (the manual gives no typical figures), so a spin-up here is a worst case.",
            "They set the latencies; nothing checks them. The standby timer is off, as on a drive out of the",
            'box: a scenario turns it on with `power { autonomous { state: "standby" idle_time: "..." } }`.',
        ]),
    "sas_15k": dict(
        name="sas_15k", capacity=600_000_000_000, rpm=15000, surfaces=8, zones=12,
        outer_mb_s=204.0, inner_mb_s=122.0, head_switch_ms=0.3,
        single_ms=0.2, average_ms=2.9, full_ms=6.5, write_settle_ms=0.2,
        overhead_ms=0.1, interface="600MB/s", queue_depth=64, starvation="500ms",
        cache_mib=16, segment_kib=512, write_segments=16, read_ahead_kib=256,
        sources=[
            "rpm 15000 (average latency 2.0 ms), media rate 122-204 MB/s, SAS 600 MB/s per port: Seagate "
            "Cheetah 15K.7, https://manualsdump.com/en/manuals/seagate-100516226model-st3300457ss-st3300657ss-"
            "st3300557ss-st336754lw-st3450857ss-st336607lw-st3450757ss-st3450657ss/136875/14",
            "average seek 2.9 ms read, 3.1 ms write (so write settle 0.2 ms): HGST Ultrastar C15K600, "
            "https://www.manualshelf.com/manual/hgst/c15k600-450gb-20-pack/technical-information-english-german/page-27.html",
            "capacity 600 GB: the Cheetah 15K.7's largest model",
            "single-cylinder 0.2 ms and full-stroke 6.5 ms seeks, 16 MB cache, 8 surfaces, 0.3 ms head switch, "
            "0.1 ms command overhead, 64 tags: UNCONFIRMED assumptions for the class",
        ]),
}


def zones(d):
    rev_per_s = d["rpm"] / 60.0
    outer = d["outer_mb_s"] * 1e6 / 512 / rev_per_s
    inner = d["inner_mb_s"] * 1e6 / 512 / rev_per_s
    n = d["zones"]
    spts = [int(round(outer - (outer - inner) * i / (n - 1))) for i in range(n)]
    sectors = d["capacity"] // 512
    per_cylinder = sum(spts) / n * d["surfaces"]
    cylinders_per_zone = math.ceil(sectors / per_cylinder / n * 1.0005)
    period_ms = 60000.0 / d["rpm"]
    result = []
    for i, spt in enumerate(spts):
        sector_ms = period_ms / spt
        track_skew = math.ceil(d["head_switch_ms"] / sector_ms) + 1
        cylinder_skew = math.ceil(max(d["head_switch_ms"], d["single_ms"] + d["write_settle_ms"]) / sector_ms) + 1
        result.append(dict(first=i * cylinders_per_zone, last=(i + 1) * cylinders_per_zone - 1, spt=spt,
                           track_skew=track_skew, cylinder_skew=cylinder_skew))
    return result


def main(key):
    d = DRIVES[key]
    out = [f"# blocksim device profile: {d['name']} (written by scripts/hdd_datasheet_profile.py {key})",
           "# Figures and their sources are the hdd.source lines below.",
           f'name: "{d["name"]}"', 'block_size: "512"', f'capacity: "{d["capacity"]}"',
           f'interface_rate: "{d["interface"]}"', "hdd {"]
    out += [f'  source: "{s}"' for s in d["sources"]]
    out += ["  mechanics {", f"    rpm: {d['rpm']}", "    seek {",
            f'      three_point {{ single_cylinder: "{d["single_ms"]}ms" average: "{d["average_ms"]}ms" '
            f'full_stroke: "{d["full_ms"]}ms" }}', "    }",
            f'    head_switch: "{d["head_switch_ms"]}ms"', f'    write_settle: "{d["write_settle_ms"]}ms"', "  }",
            "  layout {", f"    surfaces: {d['surfaces']}"]
    for z in zones(d):
        out.append(f"    zone {{ first_cylinder: {z['first']} last_cylinder: {z['last']} sectors_per_track: {z['spt']} "
                   f"track_skew: {z['track_skew']} cylinder_skew: {z['cylinder_skew']} }}")
    o = f'"{d["overhead_ms"]}ms"'
    segments = d["cache_mib"] * 1024 // d["segment_kib"]
    out += ["  }", "  controller {", f"    queue_depth: {d['queue_depth']}", "    scheduler: SPTF",
            f'    starvation_limit: "{d["starvation"]}"', "    preseek_level: 2", "    overheads {",
            f"      read_hit_after_read: {o} read_hit_after_write: {o}",
            f"      read_miss_after_read: {o} read_miss_after_write: {o}",
            f"      write_hit_after_read: {o} write_hit_after_write: {o}",
            f"      write_miss_after_read: {o} write_miss_after_write: {o}", "    }", "  }",
            "  cache {", f"    segments: {segments}", f"    segment_sectors: {d['segment_kib'] * 2}",
            f"    write_segments: {d['write_segments']}", "    read_ahead: TO_SEGMENT_FULL",
            f"    max_read_ahead: {d['read_ahead_kib'] * 2}", "    keep_request_data: 0",
            "    read_ahead_on_hit: true", "    almost_read_hits: true", "    stream_read_hits: true", "    sneaky_full_read_hits: true", "    sneaky_partial_read_hits: true",
            "    write_policy: WRITE_BACK", "    read_water_mark: 0", "    write_water_mark: 0",
            "    destage { policy: WATER_MARK high: 0.75 low: 0.25 idle: \"100ms\" }", "  }", "}"]
    if d.get("power_states"):
        out += [f"# {line}" for line in d["power_sources"]]
        out.append("power {")
        out += [f'  state {{ name: "{name}" entry_latency: "{entry}" exit_latency: "{exit_}" }}'
                for name, entry, exit_ in d["power_states"]]
        out.append("}")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sata_7200")
