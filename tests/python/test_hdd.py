"""The HDD model from the command line: the shipped scenario and profiles run, a bad drive
description stops with its file, line and field, runs are reproducible, and
`blocksim profile import-disksim` prints a profile that loads, with its warnings on stderr."""

import re

import pytest

DRIVE = """\
device {
  name: "d"
  capacity: "1024000000"
  interface_rate: "100MB/s"
  hdd {
    mechanics { rpm: 6000 seek { table { point { cylinders: 1 time: "1ms" } } } }
    layout {
      surfaces: 2
      zone { first_cylinder: 0 last_cylinder: 4999 sectors_per_track: 100 }
      zone { first_cylinder: 5000 last_cylinder: 9999 sectors_per_track: 100 }
    }
  }
}
workload { job { read_fraction: 0.5 block_size: "4KiB" closed { queue_depth: 4 } requests: 500 } }
"""


def test_shipped_scenario_and_profiles_run(blocksim, source_dir, tmp_path):
    result = blocksim("run", source_dir / "scenarios" / "hdd_random_read.textproto")
    assert result.returncode == 0, result.stderr
    assert re.search(r"device\s+read\s+20000\s+0", result.stdout)
    for profile in ("sata_7200rpm", "sas_15k", "hp_c3323a", "hp_c2490a", "atlas_III", "cheetah9LP"):
        scenario = tmp_path / f"{profile}.textproto"
        scenario.write_text(f'device {{ profile: "{source_dir}/scenarios/profiles/{profile}.textproto" }}\n'
                            'workload { job { read_fraction: 0.7 closed { queue_depth: 8 } requests: 200 } }\n')
        result = blocksim("run", scenario)
        assert result.returncode == 0, f"{profile}: {result.stderr}"


def test_overlapping_zones_name_their_line_and_field(blocksim, tmp_path):
    path = tmp_path / "bad.textproto"
    path.write_text(DRIVE.replace("first_cylinder: 5000", "first_cylinder: 4000"))
    result = blocksim("run", path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {path}:10:")
    assert "device[0].hdd.layout.zone[1].first_cylinder" in result.stderr


def test_capacity_beyond_the_layout_is_refused(blocksim, tmp_path):
    path = tmp_path / "bad.textproto"
    path.write_text(DRIVE.replace('capacity: "1024000000"', 'capacity: "2GB"'))
    result = blocksim("run", path)
    assert result.returncode == 2
    assert f"{path}:3:" in result.stderr and "do not fit in the layout" in result.stderr


def test_same_seed_same_trace(blocksim, tmp_path):
    path = tmp_path / "drive.textproto"
    path.write_text(DRIVE)
    traces = []
    for name in ("a", "b"):
        trace = tmp_path / f"{name}.bstrace"
        blocksim("run", path, "--trace", trace, check=True)
        traces.append(trace.read_bytes())
    assert traces[0] == traces[1]


def test_import_disksim_prints_a_profile_and_names_what_it_drops(blocksim, project_data, tmp_path):
    parv = project_data / "disksim-validate" / "hp_c3323a.parv"
    result = blocksim("profile", "import-disksim", parv)
    assert result.returncode == 0, result.stderr
    assert "warning:" not in result.stderr  # nothing that changes timing is left out
    assert '# note: hp_c3323a_validate.diskspecs:40: disksim_disk HP_C3323A_validate: "Use separate write segment"' \
        in result.stdout
    assert "rpm: 5396" in result.stdout
    profile = tmp_path / "hp_c3323a.textproto"
    profile.write_text(result.stdout)
    scenario = tmp_path / "s.textproto"
    scenario.write_text(f'device {{ profile: "{profile}" }}\nworkload {{ job {{ requests: 100 }} }}\n')
    assert blocksim("run", scenario).returncode == 0


def test_import_disksim_bad_input(blocksim, tmp_path):
    missing = blocksim("profile", "import-disksim", tmp_path / "none.parv")
    assert missing.returncode == 2 and "none.parv" in missing.stderr
    bad = tmp_path / "bad.parv"
    bad.write_text("disksim_disk D {\n  Model = source missing.model,\n}\n")
    result = blocksim("profile", "import-disksim", bad)
    assert result.returncode == 2 and "missing.model" in result.stderr
