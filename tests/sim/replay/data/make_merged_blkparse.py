"""Writes merged.blkparse (to stdout): a blkparse sample in blkparse's default output format
(`%D %2c %8s %5T.%9t %5p %2a %3d ` then the payload), as a kernel with plugging writes it: each
stream of 4 KiB bios queued (Q), the first getting a request (G) and a plug (P), the rest back-merged
(M), then inserted (I), unplugged (U), dispatched as one request (D) and completed (C); two discards
(RWBS DS) and two flushes (Q FWS, dispatched by the flush machinery as D FN); some streams start on
a 512-byte boundary that is not a 4 KiB one. Deterministic (seeded); run with Debian's python3."""

import random
rnd = random.Random(13)
events = []  # (time_ns, order, cpu, pid, action, rwbs, payload)
order = 0
def ev(t, cpu, pid, action, rwbs, payload):
    global order
    events.append((t, order, cpu, pid, action, rwbs, payload)); order += 1

t = 1_000_000
stats = dict(Q=0, M=0, D=0, C=0)
def data_group(t, write, sector, bios, proc, pid, cpu):
    rw = 'W' if write else 'R'
    bio = 8
    for i in range(bios):
        s = sector + i * bio
        ev(t, cpu, pid, 'Q', rw, f"{s} + {bio} [{proc}]")
        if i == 0:
            ev(t + 400, cpu, pid, 'G', rw, f"{s} + {bio} [{proc}]")
            ev(t + 700, cpu, pid, 'P', 'N', f"[{proc}]")
        else:
            ev(t + 300, cpu, pid, 'M', rw, f"{s} + {bio} [{proc}]")
        t += 1000 + rnd.randrange(500)
    total = bios * bio
    ev(t, cpu, pid, 'I', rw, f"{sector} + {total} [{proc}]")
    ev(t + 200, cpu, pid, 'U', 'N', f"[{proc}] 1")
    d = t + 1500
    ev(d, cpu, pid, 'D', rw, f"{sector} + {total} [{proc}]")
    lat = (20_000 + total * 512 * 1_000_000_000 // 500_000_000) if write else (80_000 + total * 512 * 1_000_000_000 // 500_000_000)
    lat += rnd.randrange(5000)
    ev(d + lat, 0, 0, 'C', rw, f"{sector} + {total} [0]")
    return d + lat

plan = []
for k in range(22):
    write = k % 3 != 2
    bios = rnd.randrange(6, 30)
    sector = 1_000_000 * (k % 5) + 4096 * k + (rnd.randrange(8) if k % 2 else 0)  # some not 4 KiB aligned
    plan.append(('data', write, sector, bios))
plan.insert(7, ('discard', 2_000_000, 2048))
plan.insert(15, ('flush',))
plan.insert(19, ('discard', 3_000_000, 4096))
plan.append(('flush',))
for item in plan:
    if item[0] == 'data':
        _, write, sector, bios = item
        proc, pid, cpu = ('kworker/u8:2', 1234, 1) if write else ('cat', 2001, 2)
        data_group(t, write, sector, bios, proc, pid, cpu)
    elif item[0] == 'discard':
        _, sector, n = item
        ev(t, 3, 3001, 'Q', 'DS', f"{sector} + {n} [fstrim]")
        ev(t + 500, 3, 3001, 'G', 'DS', f"{sector} + {n} [fstrim]")
        ev(t + 900, 3, 3001, 'I', 'DS', f"{sector} + {n} [fstrim]")
        ev(t + 1500, 3, 3001, 'D', 'DS', f"{sector} + {n} [fstrim]")
        ev(t + 1500 + 250_000, 0, 0, 'C', 'DS', f"{sector} + {n} [0]")
    else:
        ev(t, 0, 401, 'Q', 'FWS', "[jbd2/sda1-8]")
        ev(t + 600, 0, 401, 'G', 'FWS', "[jbd2/sda1-8]")
        ev(t + 2000, 0, 152, 'D', 'FN', "[kworker/0:1H]")
        ev(t + 2000 + 400_000, 0, 0, 'C', 'FN', "[0]")
    # the next group starts while this one may still be at the device
    t += 900_000 + rnd.randrange(400_000)

events.sort(key=lambda e: (e[0], e[1]))
seq = {}
lines = []
for time, _, cpu, pid, action, rwbs, payload in events:
    seq[cpu] = seq.get(cpu, 0) + 1
    dev = "%3d,%-3d" % (8, 0)
    lines.append("%s %2d %8d %5d.%09d %5d %2s %3s %s" % (dev, cpu, seq[cpu], time // 10**9, time % 10**9, pid, action, rwbs, payload))
    stats[action] = stats.get(action, 0) + 1
print("\n".join(lines))
import sys
print({k: v for k, v in stats.items()}, file=sys.stderr)
# blkparse's summary follows the events (the reader stops at it)
rq = [e for e in events if e[4] == 'Q' and e[5] == 'R']
wq = [e for e in events if e[4] == 'Q' and e[5] == 'W']
rd = [e for e in events if e[4] == 'D' and e[5] == 'R']
wd = [e for e in events if e[4] == 'D' and e[5] == 'W']
kib = lambda es: sum(int(e[6].split()[2]) for e in es) // 2
print("Total (8,0):")
print(" Reads Queued:    %8d, %8dKiB\t Writes Queued:    %8d, %8dKiB" % (len(rq), kib(rq), len(wq), kib(wq)))
print(" Read Dispatches: %8d, %8dKiB\t Write Dispatches: %8d, %8dKiB" % (len(rd), kib(rd), len(wd), kib(wd)))
print(" Read Merges:     %8d, %8dKiB\t Write Merges:     %8d, %8dKiB" % (
    sum(1 for e in events if e[4] == 'M' and e[5] == 'R'), 0, sum(1 for e in events if e[4] == 'M' and e[5] == 'W'), 0))
print()
print("Events (8,0): %d entries" % len(lines))
print("Skips: 0 forward (0 -   0.0%)")
