"""DiskSim's own answers, request by request (data/disksim-equivalence, issue 15): every
one-at-a-time case replayed on the drive's imported profile. Where the model does what DiskSim
does, at least 99 % of requests lie within 1 % or 10 us of DiskSim's time and the mean within
0.2 %. The cases that do not agree yet are listed in docs/hdd.md ("DiskSim's answers, request by
request") with their figures; here they must do no worse than those figures, so that a change
that moves them shows."""

import importlib.util
import pathlib

import pytest

from conftest import BUILD_DIR, SOURCE_DIR

_spec = importlib.util.spec_from_file_location("disksim_equivalence", SOURCE_DIR / "scripts" / "disksim_equivalence.py")
equivalence = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(equivalence)

AGREEING_SHARE = 0.99
AGREEING_MEAN = 0.002

# (drive, workload): (least share within tolerance, largest |mean difference|), as docs/hdd.md lists.
NOT_YET_AGREEING = {
    ("atlas_III", "seq_read"): (0.989, 0.001),
    ("maxtor300g", "short_seek"): (0.99, 0.003),
}

CASES = list(equivalence.one_at_a_time_cases())


@pytest.mark.parametrize("parv", CASES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_each_request_as_disksim_times_it(parv, tmp_path):
    case = (parv.parent.name, parv.stem)
    result = equivalence.compare(equivalence.expected_times(parv.with_suffix(".expected.csv")),
                                 equivalence.simulated_times(BUILD_DIR, parv, tmp_path))
    assert result["requests"] == 999
    share, mean = NOT_YET_AGREEING.get(case, (AGREEING_SHARE, AGREEING_MEAN))
    assert result["within"] >= share, (case, result)
    assert abs(result["mean_difference"]) <= mean, (case, result)


def test_the_list_of_disagreements_names_real_cases():
    names = {(p.parent.name, p.stem) for p in CASES}
    assert set(NOT_YET_AGREEING) <= names


def test_every_drive_is_compared():
    drives = {p.parent.name for p in CASES}
    assert drives == {"atlas_III", "cheetah9LP", "hp_c2249a", "hp_c2490a", "hp_c3323a", "maxtor300g", "st41601n"}
    assert len(CASES) == 33


# Open-loop queueing cases (Poisson arrivals at 0.7 and 1.2 times the drive's capacity), DiskSim's
# policy set on the driver's queue and the drive's. The target: the mean within 2 % and no bucket
# of DiskSim's response-time histogram more than 3 points of share apart.
QUEUEING_MEAN = 0.02
QUEUEING_BUCKET = 0.03
# (drive, load, policy): largest |mean difference| and bucket difference, as docs/hdd.md lists.
# sstf_cyl is modelled by block address in the driver's queue, which knows no cylinders: a
# deliberate difference. The others follow a service that differs from DiskSim's by a revolution,
# after which later choices differ; the Maxtor's DiskSim elevator also starves low blocks, which
# DiskSim's rule alone does not explain.
QUEUEING_NOT_YET_AGREEING = {
    ("hp_c3323a", "load120", "sstf_cyl"): (0.026, QUEUEING_BUCKET),
    ("maxtor300g", "load070", "elevator_lbn"): (0.06, QUEUEING_BUCKET),
    ("maxtor300g", "load120", "elevator_lbn"): (0.65, 0.18),
    ("maxtor300g", "load120", "cycle_lbn"): (0.035, QUEUEING_BUCKET),
    ("maxtor300g", "load120", "sstf_cyl"): (0.04, QUEUEING_BUCKET),
}
QUEUEING_CASES = list(equivalence.queueing_cases())


@pytest.mark.parametrize("trace, policy, expected", QUEUEING_CASES,
                         ids=[f"{t.parent.parent.name}-{t.stem}-{p}" for t, p, _ in QUEUEING_CASES])
def test_queueing_as_disksim_schedules_it(trace, policy, expected, tmp_path):
    result = equivalence.compare_queueing(expected, equivalence.queueing_times(BUILD_DIR, trace, policy, tmp_path))
    assert result["requests"] == 5000
    case = (trace.parent.parent.name, trace.stem, policy)
    mean, bucket = QUEUEING_NOT_YET_AGREEING.get(case, (QUEUEING_MEAN, QUEUEING_BUCKET))
    assert abs(result["mean_difference"]) <= mean, (case, result)
    assert result["bucket_difference"] <= bucket, (case, result)


def test_every_queueing_case_the_driver_models_is_compared():
    # 3 drives x 2 loads x 5 policies (sptf and pri_aspctf need the drive's positions: not in the
    # driver's queue)
    assert len(QUEUEING_CASES) == 30
    assert {p for _, p, _ in QUEUEING_CASES} == {"fcfs", "elevator_lbn", "cycle_lbn", "sstf_lbn", "sstf_cyl"}
