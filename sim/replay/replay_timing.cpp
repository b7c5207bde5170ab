#include "sim/replay/replay_timing.hpp"

#include <charconv>
#include <cstdio>

namespace blocksim {

ReplayTiming ReplayTiming::from(const proto::Replay& config, std::string_view format) {
  ReplayTiming timing;
  switch (config.timing_case()) {
    case proto::Replay::kAsRecorded: break;
    case proto::Replay::kScaled:
      timing.mode = Mode::kScaled;
      timing.factor = config.scaled().factor();
      break;
    case proto::Replay::kClosed:
      timing.mode = Mode::kClosed;
      timing.queue_depth = config.closed().queue_depth();
      break;
    case proto::Replay::kValidate: timing.mode = Mode::kValidate; break;
    case proto::Replay::TIMING_NOT_SET:
      if (format == "disksim-validate")
        timing.mode = Mode::kValidate;
      break;
  }
  return timing;
}

std::string ReplayTiming::describe() const {
  char text[128];
  switch (mode) {
    case Mode::kAsRecorded: return "as recorded (open loop)";
    case Mode::kScaled:
      std::snprintf(text, sizeof text, "scaled: recorded times x %g (open loop)", factor);
      return text;
    case Mode::kClosed: return "closed loop, queue depth " + std::to_string(queue_depth);
    case Mode::kValidate: return "validate (one at a time, next = previous completion + recorded idle gap)";
  }
  return "?";
}

bool parse_timing(std::string_view text, proto::Replay* config, std::string* error) {
  const auto colon = text.find(':');
  const std::string_view mode = text.substr(0, colon);
  const std::string_view value = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  if (mode == "as-recorded" && value.empty()) {
    config->mutable_as_recorded();
    return true;
  }
  if (mode == "validate" && value.empty()) {
    config->mutable_validate();
    return true;
  }
  if (mode == "scaled") {
    double factor = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), factor);
    if (ec == std::errc() && end == value.data() + value.size() && factor > 0) {
      config->mutable_scaled()->set_factor(factor);
      return true;
    }
    *error = "scaled needs a positive factor, as in scaled:0.5";
    return false;
  }
  if (mode == "closed") {
    std::uint32_t depth = 1;
    if (!value.empty()) {
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), depth);
      if (ec != std::errc() || end != value.data() + value.size() || depth == 0 || depth > 65536) {
        *error = "closed needs a queue depth from 1 to 65536, as in closed:32";
        return false;
      }
    }
    config->mutable_closed()->set_queue_depth(depth);
    return true;
  }
  *error = "unknown timing \"" + std::string(text) + "\"; use as-recorded, scaled:F, closed:N or validate";
  return false;
}

}  // namespace blocksim
