#include "bindings/bindings.hpp"

PYBIND11_MODULE(_blocksim, module) {
  module.doc() = "blocksim's C++ side: scenario checks and bulk trace decoding (see docs/python.md)";
#ifdef BLOCKSIM_VERSION
  module.attr("__version__") = BLOCKSIM_VERSION;
#endif
  blocksim::python::bind_errors(module);
  blocksim::python::bind_scenarios(module);
  blocksim::python::bind_traces(module);
}
