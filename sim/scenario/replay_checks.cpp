#include "sim/scenario/replay_checks.hpp"

#include "sim/replay/format_registry.hpp"
#include "sim/scenario/scenario_checks.hpp"

namespace blocksim {

void check_replay(const proto::Replay& replay, const FieldPath& at, const proto::Scenario& scenario,
                  const SourceMap& source) {
  auto path = [&](std::initializer_list<PathStep> tail) {
    FieldPath p = at;
    p.insert(p.end(), tail);
    return p;
  };
  if (replay.format() != "auto" && find_trace_format(replay.format()) == nullptr)
    throw source.error(path({{"format", -1}}), "unknown trace format \"" + replay.format() +
                                                   "\"; known: " + trace_format_names() + ", auto");
  for (int i = 0; i < replay.map_size(); ++i) {
    bool found = false;
    for (int d = 0; d < scenario.device_size(); ++d)
      found = found || device_name(scenario, d) == replay.map(i).device();
    if (!found)
      throw source.error(path({{"map", i}, {"device", -1}}), "no device is named \"" + replay.map(i).device() + "\"");
  }
}

}  // namespace blocksim
