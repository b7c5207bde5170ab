// Turns a scenario file (or text, or a message built in Python) into a checked proto::Scenario: parses
// the text format with line and column on every error, reads the device profiles it names and
// merges the scenario's own device fields over them, then checks the result against the schema
// and across fields (names that refer to each other, sizes that fit the device). Any problem is a
// ScenarioError that names the file, line, column and field.
#pragma once

#include <string>

#include <google/protobuf/text_format.h>

#include "blocksim/scenario.pb.h"

namespace blocksim {

struct LoadedScenario {
  proto::Scenario scenario;         // profiles merged, ready to build
  std::string path;          // the file it came from, or a name given for text
  std::string folder;        // where relative paths in it are taken from
};

LoadedScenario load_scenario_file(const std::string& path);
// `name` stands for the file in error messages; `folder` resolves relative profile paths.
LoadedScenario load_scenario_text(const std::string& text, const std::string& name, const std::string& folder);
// For messages built in code: no locations, the same checks.
LoadedScenario check_scenario_message(const proto::Scenario& scenario, const std::string& name, const std::string& folder);

// Parses text format into `message`, throwing a ScenarioError at the first syntax error, unknown
// field or wrong type. Exposed for other text-format inputs (device profiles).
void parse_text_format(const std::string& text, const std::string& name, google::protobuf::Message* message,
                       google::protobuf::TextFormat::ParseInfoTree* tree);

}  // namespace blocksim
