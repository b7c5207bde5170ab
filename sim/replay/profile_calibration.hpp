// Fitting a hard disk profile's timing to a trace's measured service times (`blocksim profile
// calibrate`, docs/hdd.md "Calibration"): the five parameters fitted and their bounds, the
// objective, and a deterministic optimiser (coordinate descent with halving steps). It does not
// replay anything itself: the caller gives a function that replays the trace on a candidate
// profile and returns the comparison's figures (in a process of its own, since SimGrid allows one
// engine per process). The same profile and figures give the same fit, value for value.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "blocksim/device.pb.h"

namespace blocksim {

// What a replay on a candidate profile measured against the trace.
struct ReplayFigures {
  std::uint64_t count = 0;         // requests compared (with a measured latency)
  double measured_mean_ms = 0;     // the trace's mean
  double mean_error_percent = 0;   // (simulated mean - measured mean) / measured mean
  double demerit_ms = 0;           // DiskSim's demerit (demerit.hpp)
  double demerit_percent() const { return measured_mean_ms > 0 ? demerit_ms / measured_mean_ms * 100 : 0; }
};

// The figure the fit minimises: the demerit in ms, plus 10 times the part of the absolute mean
// difference (in ms) beyond 0.5 % of the measured mean, which holds the mean error within 0.5 %.
double calibration_objective(const ReplayFigures& figures);

// One fitted parameter. A scale multiplies profile fields (no unit); a time is in ms.
struct CalibrationParameter {
  std::string name;   // as the command prints it
  std::string field;  // the profile fields it sets
  bool is_scale = false;
  double initial = 0;  // from the profile
  double lower = 0, upper = 0;
  double step = 0;     // the optimiser's first step
};

// The five parameters, read from the HDD profile `profile`:
//   read overhead scale   x hdd.controller.overheads.read_{hit,miss}_after_{read,write}, 0.5 .. 2
//   write overhead scale  x hdd.controller.overheads.write_{hit,miss}_after_{read,write}, 0.5 .. 2
//   head switch           hdd.mechanics.head_switch, ms, 0 .. max(2 x, x + 1 ms)
//   write settle          hdd.mechanics.write_settle, ms, min(0, 2 x) .. max(2 x, x + 1 ms)
//   seek scale            hdd.mechanics.seek_scale, its value x 0.5 .. 2
std::vector<CalibrationParameter> calibration_parameters(const proto::Device& profile);

// `values` held to their parameters' bounds and rounded to 1e-6 (a time to the nanosecond).
std::vector<double> round_values(const std::vector<CalibrationParameter>& parameters, std::vector<double> values);
// `profile` with `values` (one per parameter, in calibration_parameters' order), rounded as
// round_values does, applied; an overhead field the profile leaves unset stays unset (0).
proto::Device apply_calibration(const proto::Device& profile, const std::vector<CalibrationParameter>& parameters,
                                const std::vector<double>& values);

struct CalibrationResult {
  std::vector<CalibrationParameter> parameters;
  std::vector<double> values;  // fitted, rounded
  ReplayFigures before, after;
  proto::Device profile;       // the original with the fitted values applied
  std::size_t evaluations = 0;  // replays run
};

using ProfileEvaluator = std::function<ReplayFigures(const proto::Device&)>;

// Fits `profile` (an HDD profile) by coordinate descent from the profile's own values: in each
// sweep every parameter in turn takes one step up, or else one down, when that lowers the
// objective; after a sweep where none did, every step halves (from 0.16, or 0.16 ms), until the
// steps are below 0.002 or 160 candidates have been replayed. `evaluate` replays the trace on a
// candidate; it is called once per distinct candidate, and once more for the profile as it is.
CalibrationResult calibrate_profile(const proto::Device& profile, const ProfileEvaluator& evaluate);

}  // namespace blocksim
