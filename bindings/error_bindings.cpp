// C++ errors reach Python as the exception classes of blocksim/errors.py, with the same fields:
// a ScenarioError keeps its file, line, column and field, so a notebook can point at the place.
#include <pybind11/pybind11.h>

#include "bindings/bindings.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/trace/trace_reader.hpp"

namespace py = pybind11;

namespace blocksim::python {

void bind_errors(py::module_& module) {
  (void)module;
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error)
        std::rethrow_exception(error);
    } catch (const ScenarioError& e) {
      const py::object type = py::module_::import("blocksim.errors").attr("ScenarioError");
      const py::object value = type(e.what(), e.file(), e.line(), e.column(), e.field());
      PyErr_SetObject(type.ptr(), value.ptr());
    } catch (const TraceFormatError& e) {
      const py::object type = py::module_::import("blocksim.errors").attr("TraceFormatError");
      PyErr_SetObject(type.ptr(), type(e.what()).ptr());
    }
  });
}

}  // namespace blocksim::python
