// The pieces of the extension module blocksim._blocksim, one file per concern; module.cpp puts
// them together. The module does the work that must be fast or must match the command line
// exactly (checking scenarios, decoding traces in bulk); runs happen in blocksim-runner
// processes that bindings/blocksim/runs.py starts.
#pragma once

#include <pybind11/pybind11.h>

namespace blocksim::python {

// ScenarioError and TraceFormatError become the Python classes of blocksim.errors.
void bind_errors(pybind11::module_& module);
// Parsing and checking scenarios: text, and serialized messages built in Python.
void bind_scenarios(pybind11::module_& module);
// Reading a trace into numpy columns, its header, its RunEnd and its summary.
void bind_traces(pybind11::module_& module);

}  // namespace blocksim::python
