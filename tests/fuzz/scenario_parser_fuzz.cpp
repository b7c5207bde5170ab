// Fuzzes scenario loading: text-format parsing, profile merging, schema and cross-field checks.
// Any input must give a Scenario or a ScenarioError, never a crash, a leak or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/scenario_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    // Profiles named by the input resolve under a folder that does not exist.
    blocksim::load_scenario_text(text, "fuzz.textproto", "/nonexistent-blocksim-fuzz");
  } catch (const blocksim::ScenarioError&) {
  }
  return 0;
}
