// Test support: a completion sink that keeps every record, and the scenario text of the
// reference device that several tests start from.
#pragma once

#include <string>
#include <vector>

#include "sim/device/completion_record.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace blocksim::testing {

class RecordingSink final : public CompletionSink {
 public:
  void record(const CompletionRecord& completion) override { records.push_back(completion); }
  void event(const EventRecord& event) override { events.push_back(event); }
  std::vector<CompletionRecord> records;
  std::vector<EventRecord> events;
};

// Loads scenario text (checked like a file) named "test.textproto".
inline LoadedScenario scenario_from_text(const std::string& text) {
  return load_scenario_text(text, "test.textproto", BLOCKSIM_SOURCE_DIR);
}

// The records one layer made, in completion order.
inline std::vector<CompletionRecord> at_layer(const std::vector<CompletionRecord>& records, Layer layer) {
  std::vector<CompletionRecord> out;
  for (const auto& r : records)
    if (r.layer == layer)
      out.push_back(r);
  return out;
}

// Runs the scenario and returns every completion of every layer, in completion order.
inline std::vector<CompletionRecord> run_and_record_all_layers(const std::string& text,
                                                               const RunOptions& options = {}) {
  const LoadedScenario loaded = scenario_from_text(text);
  Simulation simulation(loaded, options);
  RecordingSink sink;
  simulation.add_observer(&sink);
  simulation.run();
  return std::move(sink.records);
}

// Runs the scenario and returns the device layer's completions, in completion order.
inline std::vector<CompletionRecord> run_and_record(const std::string& text, const RunOptions& options = {}) {
  return at_layer(run_and_record_all_layers(text, options), Layer::kDevice);
}

}  // namespace blocksim::testing
