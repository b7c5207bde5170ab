"""The folders tell the layers (docs/architecture.md): which folder may include which, no cycle
between folders, and the models rule: models/ includes only the device interface (sim/device/),
the core (sim/core/), the generated schema and models/ itself."""

import re
from collections import defaultdict

# Folder -> the folders its sources may include (besides itself and the generated schema).
# Bottom up: each layer may use what is below it, never what is above.
LOWER = {
    "sim/core": set(),
    "sim/device": {"sim/core"},
    "models/common": {"sim/core", "sim/device"},
    "models/reference": {"sim/core", "sim/device", "models/common"},
    "models/dext": {"sim/core", "sim/device", "models/common"},
    "models/hdd": {"sim/core", "sim/device", "models/common"},
    "models/ssd": {"sim/core", "sim/device", "models/common"},
    "models/hdd/import": {"sim/core", "sim/device", "models/common", "models/hdd"},
    "models": {"sim/core", "sim/device", "models/common", "models/reference", "models/dext", "models/hdd",
               "models/ssd"},
    "sim/media": {"sim/core", "sim/device"},
    "sim/driver": {"sim/core", "sim/device", "sim/media"},
    "sim/aio": {"sim/core", "sim/device", "sim/media"},
    "sim/trace": {"sim/core", "sim/device"},
    "sim/workload": {"sim/core", "sim/device", "sim/media", "sim/aio", "sim/trace"},
    "sim/replay": {"sim/core", "sim/device", "sim/media", "sim/trace", "sim/workload"},
    # Scenario checks reach the models through their registry only.
    "sim/scenario": {"sim/core", "sim/device", "sim/media", "sim/replay", "models"},
}
# A run composes every layer; the programs (command line, Python bindings) sit on top of it.
_RUN = set(LOWER) | {"models/hdd/import"}
ABOVE_ALL = {"sim/run": _RUN, "sim/cli": _RUN | {"sim/run"}, "bindings": _RUN | {"sim/run", "sim/cli"}}


def folder_of(path: str) -> str:
    parts = path.split("/")
    if parts[:3] == ["models", "hdd", "import"]:
        return "models/hdd/import"
    if parts[0] == "models":
        return "models" if len(parts) == 2 else "/".join(parts[:2])
    if parts[0] == "bindings":
        return "bindings"
    return "/".join(parts[:2])


def include_edges(source_dir):
    """(folder, included folder) -> the include lines that make the edge."""
    edges = defaultdict(list)
    for top in ("sim", "models", "bindings"):
        for path in sorted((source_dir / top).rglob("*.[ch]pp")):
            rel = str(path.relative_to(source_dir))
            here = folder_of(rel)
            for number, line in enumerate(path.read_text().splitlines(), 1):
                match = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if not match or match.group(1).startswith("blocksim/"):
                    continue
                there = folder_of(match.group(1))
                if there != here:
                    edges[(here, there)].append(f"{rel}:{number}: {match.group(1)}")
    return edges


def test_every_folder_includes_only_the_folders_below_it(source_dir):
    offenders = []
    for (here, there), lines in sorted(include_edges(source_dir).items()):
        allowed = ABOVE_ALL.get(here, LOWER.get(here, set()))
        if there not in allowed:
            offenders += lines
    assert not offenders, "includes across the layers (see LOWER in this test):\n" + "\n".join(offenders)


def test_the_folders_have_no_cycle(source_dir):
    graph = defaultdict(set)
    for here, there in include_edges(source_dir):
        graph[here].add(there)
    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                raise AssertionError("folder cycle: " + " -> ".join(path + [node, nxt]))
            if nxt not in state:
                visit(nxt, path + [node])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_models_never_include_the_stack(source_dir):
    allowed = ("sim/core/", "sim/device/", "blocksim/", "models/")
    offenders = []
    for path in sorted((source_dir / "models").rglob("*.[ch]pp")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if match and not match.group(1).startswith(allowed):
                offenders.append(f"{path.relative_to(source_dir)}:{number}: {match.group(1)}")
    assert not offenders, "models/ must not include from the stack:\n" + "\n".join(offenders)
