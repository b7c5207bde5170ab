// Scenarios from Python. A scenario travels as the serialized proto::Scenario, as written (device
// profiles not merged), so that Python edits what the user wrote and the runner loads it exactly
// as `blocksim run` loads a file. Checking uses the same loader as the command line, so the
// errors are the same, with line and column when there is text.
#include <pybind11/pybind11.h>

#include "bindings/bindings.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace py = pybind11;

namespace blocksim::python {

namespace {

proto::Scenario parse_bytes(const py::bytes& data, const std::string& name) {
  proto::Scenario scenario;
  if (!scenario.ParseFromString(std::string(data)))
    throw ScenarioError(name, 0, 0, "", "is not a serialized blocksim.proto.Scenario");
  return scenario;
}

// Parses and checks scenario text; returns the message as written, serialized.
py::bytes parse_text(const std::string& text, const std::string& name, const std::string& folder) {
  std::string written;
  {
    py::gil_scoped_release unlocked;
    load_scenario_text(text, name, folder);  // every check, with line and column
    proto::Scenario scenario;
    google::protobuf::TextFormat::ParseInfoTree tree;
    parse_text_format(text, name, &scenario, &tree);
    written = scenario.SerializeAsString();
  }
  return py::bytes(written);
}

// Checks a serialized scenario; returns it as it would run (profiles merged), serialized.
py::bytes check_message(const py::bytes& data, const std::string& name, const std::string& folder) {
  const proto::Scenario scenario = parse_bytes(data, name);
  std::string resolved;
  {
    py::gil_scoped_release unlocked;
    resolved = check_scenario_message(scenario, name, folder).scenario.SerializeAsString();
  }
  return py::bytes(resolved);
}

}  // namespace

void bind_scenarios(py::module_& module) {
  module.def("parse_scenario_text", &parse_text, py::arg("text"), py::arg("name"), py::arg("folder"),
             "Checks scenario text as `blocksim run` does; returns the scenario as written, serialized.");
  module.def("check_scenario", &check_message, py::arg("data"), py::arg("name"), py::arg("folder"),
             "Checks a serialized scenario; returns it as it would run (profiles merged), serialized.");
}

}  // namespace blocksim::python
