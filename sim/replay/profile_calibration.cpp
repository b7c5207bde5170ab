#include "sim/replay/profile_calibration.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "sim/core/units.hpp"

namespace blocksim {

namespace {

constexpr const char* kReadOverheads[] = {"read_hit_after_read", "read_hit_after_write", "read_miss_after_read",
                                          "read_miss_after_write"};
constexpr const char* kWriteOverheads[] = {"write_hit_after_read", "write_hit_after_write", "write_miss_after_read",
                                           "write_miss_after_write"};
constexpr double kPenaltyWeight = 10;      // per ms of mean difference beyond the allowance
constexpr double kMeanAllowance = 0.005;  // of the measured mean
constexpr double kFirstStep = 0.16;        // scales, and ms
constexpr double kLastStep = 0.002;
constexpr std::size_t kMaxEvaluations = 160;

double ms_of(const std::string& duration) { return static_cast<double>(units::duration_ns(duration)) / 1e6; }

double round_to(double value, double grain) { return std::round(value / grain) * grain; }

// Multiplies each of the set duration fields `names` of `overheads` by `scale`.
void scale_fields(proto::HddOverheads* overheads, const char* const* names, std::size_t count, double scale) {
  const auto* descriptor = overheads->GetDescriptor();
  const auto* reflection = overheads->GetReflection();
  for (std::size_t i = 0; i < count; ++i) {
    const auto* field = descriptor->FindFieldByName(names[i]);
    if (field == nullptr)
      throw std::logic_error(std::string("no overhead field ") + names[i]);
    if (!reflection->HasField(*overheads, field))
      continue;  // its default, 0, stays 0
    reflection->SetString(overheads, field, units::ms_text(ms_of(reflection->GetString(*overheads, field)) * scale));
  }
}

}  // namespace

double calibration_objective(const ReplayFigures& figures) {
  const double mean_difference_ms = std::abs(figures.mean_error_percent) / 100 * figures.measured_mean_ms;
  return figures.demerit_ms +
         kPenaltyWeight * std::max(0.0, mean_difference_ms - kMeanAllowance * figures.measured_mean_ms);
}

std::vector<CalibrationParameter> calibration_parameters(const proto::Device& profile) {
  const auto& mechanics = profile.hdd().mechanics();
  const double head_switch = ms_of(mechanics.head_switch());
  const double settle = ms_of(mechanics.write_settle());
  const double seek = mechanics.seek_scale();
  std::vector<CalibrationParameter> parameters;
  parameters.push_back({"read overhead scale", "hdd.controller.overheads.read_{hit,miss}_after_{read,write}", true, 1,
                        0.5, 2, kFirstStep});
  parameters.push_back({"write overhead scale", "hdd.controller.overheads.write_{hit,miss}_after_{read,write}", true,
                        1, 0.5, 2, kFirstStep});
  parameters.push_back({"head switch", "hdd.mechanics.head_switch", false, head_switch, 0,
                        std::max(2 * head_switch, head_switch + 1), kFirstStep});
  parameters.push_back({"write settle", "hdd.mechanics.write_settle", false, settle, std::min(0.0, 2 * settle),
                        std::max(2 * settle, settle + 1), kFirstStep});
  parameters.push_back({"seek scale", "hdd.mechanics.seek_scale", true, seek, 0.5 * seek, 2 * seek, kFirstStep});
  return parameters;
}

std::vector<double> round_values(const std::vector<CalibrationParameter>& parameters, std::vector<double> values) {
  for (std::size_t i = 0; i < values.size() && i < parameters.size(); ++i)
    values[i] = round_to(std::clamp(values[i], parameters[i].lower, parameters[i].upper), 1e-6);
  return values;
}

proto::Device apply_calibration(const proto::Device& profile, const std::vector<CalibrationParameter>& parameters,
                                const std::vector<double>& values) {
  if (values.size() != parameters.size() || parameters.size() != 5)
    throw std::invalid_argument("apply_calibration: one value per parameter");
  const std::vector<double> v = round_values(parameters, values);
  proto::Device device = profile;
  auto* hdd = device.mutable_hdd();
  auto* overheads = hdd->mutable_controller()->mutable_overheads();
  scale_fields(overheads, kReadOverheads, std::size(kReadOverheads), v[0]);
  scale_fields(overheads, kWriteOverheads, std::size(kWriteOverheads), v[1]);
  auto* mechanics = hdd->mutable_mechanics();
  mechanics->set_head_switch(units::ms_text(v[2]));
  mechanics->set_write_settle(units::ms_text(v[3]));
  mechanics->set_seek_scale(v[4]);
  return device;
}

CalibrationResult calibrate_profile(const proto::Device& profile, const ProfileEvaluator& evaluate) {
  CalibrationResult result;
  result.parameters = calibration_parameters(profile);
  const auto& parameters = result.parameters;
  std::map<std::vector<double>, ReplayFigures> seen;
  const auto figures_of = [&](const std::vector<double>& values) -> const ReplayFigures& {
    auto it = seen.find(values);
    if (it == seen.end())
      it = seen.emplace(values, evaluate(apply_calibration(profile, parameters, values))).first;
    return it->second;
  };
  const auto objective_of = [&](const std::vector<double>& values) { return calibration_objective(figures_of(values)); };

  std::vector<double> initial;
  std::vector<double> steps;
  for (const auto& parameter : parameters) {
    initial.push_back(parameter.initial);
    steps.push_back(parameter.step);
  }
  initial = round_values(parameters, initial);
  result.before = evaluate(profile);
  std::vector<double> best = initial;
  double best_objective = objective_of(best);
  const auto budget_left = [&] { return seen.size() < kMaxEvaluations; };
  while (budget_left()) {
    // One sweep: each parameter in turn takes one step up, or else one down, if that helps.
    bool improved = false;
    for (std::size_t i = 0; i < parameters.size() && budget_left(); ++i) {
      for (const double direction : {1.0, -1.0}) {
        std::vector<double> candidate = best;
        candidate[i] += direction * steps[i];
        candidate = round_values(parameters, candidate);
        if (candidate[i] == best[i] || !budget_left())
          continue;
        const double objective = objective_of(candidate);
        if (objective < best_objective) {
          best = candidate;
          best_objective = objective;
          improved = true;
          break;
        }
      }
    }
    if (improved)
      continue;
    bool finer = false;
    for (double& step : steps) {
      step /= 2;
      finer = finer || step >= kLastStep;
    }
    if (!finer)
      break;
  }
  result.values = best;
  result.profile = apply_calibration(profile, parameters, best);
  result.after = figures_of(best);
  result.evaluations = seen.size() + 1;
  return result;
}

}  // namespace blocksim
