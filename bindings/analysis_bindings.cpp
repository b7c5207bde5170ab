// Figures the analysis package takes from the C++ side rather than computing a second time:
// the demerit as DiskSim computes it (sim/replay/demerit.hpp), the same code as `blocksim replay`.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "bindings/bindings.hpp"
#include "sim/replay/demerit.hpp"

namespace py = pybind11;

namespace blocksim::python {

namespace {

DiskSimDistribution distribution(const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>& ns) {
  DiskSimDistribution out;
  const auto values = ns.unchecked<1>();
  for (py::ssize_t i = 0; i < values.shape(0); ++i)
    out.add(values(i));
  return out;
}

double disksim_demerit(const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>& simulated_ns,
                       const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>& measured_ns) {
  return demerit_ms(distribution(simulated_ns), distribution(measured_ns));
}

}  // namespace

void bind_analysis(py::module_& module) {
  module.def("disksim_demerit_ms", &disksim_demerit, py::arg("simulated_ns"), py::arg("measured_ns"),
             "The demerit in ms between two samples of response times (integer ns), binned and inverted "
             "as DiskSim's rms does (sim/replay/demerit.hpp).");
}

}  // namespace blocksim::python
