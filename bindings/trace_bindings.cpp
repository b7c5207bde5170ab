// A trace into numpy in one pass of C++: the completion columns are handed to numpy without a
// copy (each array keeps its vector alive), the summary rows are those `blocksim run` prints.
// The GIL is released while the file is read, so sweeps decode runs in parallel threads.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <sstream>

#include "bindings/bindings.hpp"
#include "sim/trace/summary_json.hpp"
#include "sim/trace/trace_columns.hpp"

namespace py = pybind11;

namespace blocksim::python {

namespace {

template <class T>
py::array to_numpy(std::vector<T>&& values) {
  auto* owned = new std::vector<T>(std::move(values));
  py::capsule owner(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(owned->size()), owned->data(), owner);
}

py::dict columns_to_numpy(TraceColumns&& c) {
  py::dict out;
  out["request_id"] = to_numpy(std::move(c.request_id));
  out["parent_id"] = to_numpy(std::move(c.parent_id));
  out["device"] = to_numpy(std::move(c.device));
  out["op"] = to_numpy(std::move(c.op));
  out["layer"] = to_numpy(std::move(c.layer));
  out["flags"] = to_numpy(std::move(c.flags));
  out["lba"] = to_numpy(std::move(c.lba));
  out["blocks"] = to_numpy(std::move(c.blocks));
  out["bytes"] = to_numpy(std::move(c.bytes));
  out["submit_ns"] = to_numpy(std::move(c.submit_ns));
  out["dispatch_ns"] = to_numpy(std::move(c.dispatch_ns));
  out["complete_ns"] = to_numpy(std::move(c.complete_ns));
  out["status"] = to_numpy(std::move(c.status));
  out["queue_depth"] = to_numpy(std::move(c.queue_depth));
  return out;
}

// The JSON summary's distribution (summary_json.hpp) as columns PREFIX + "min_us" ... "max_us".
void add_distribution(py::dict& out, const std::string& prefix, const LatencyHistogram& h) {
  out[py::str(prefix + "min_us")] = static_cast<double>(h.min()) / 1e3;
  out[py::str(prefix + "mean_us")] = h.mean() / 1e3;
  out[py::str(prefix + "stdev_us")] = h.stdev() / 1e3;
  for (const auto& [name, fraction] : kJsonPercentiles)
    out[py::str(prefix + name + "_us")] = h.percentile(fraction) / 1e3;
  out[py::str(prefix + "max_us")] = static_cast<double>(h.max()) / 1e3;
}

// One row of the summary: first the table's columns (keys as blocksim_analysis.summarize's),
// then the rest of the JSON summary's figures: bytes, the whole latency distribution, and those
// of queueing (queueing_*) and service (service_*).
py::dict summary_row(Layer layer, int op, const RunSummary::Row& row, double seconds) {
  py::dict out;
  out["layer"] = layer_name(layer);
  out["op"] = op == kOpCount ? "all" : op_name(static_cast<Op>(op));
  out["requests"] = row.requests;
  out["errors"] = row.errors;
  out["iops"] = seconds > 0 ? static_cast<double>(row.requests) / seconds : 0.0;
  out["mb_per_s"] = seconds > 0 ? static_cast<double>(row.bytes) / seconds / 1e6 : 0.0;
  out["mean_us"] = row.latency.mean() / 1e3;
  out["p50_us"] = row.latency.percentile(0.5) / 1e3;
  out["p99_us"] = row.latency.percentile(0.99) / 1e3;
  out["p99.9_us"] = row.latency.percentile(0.999) / 1e3;
  out["max_us"] = static_cast<double>(row.latency.max()) / 1e3;
  out["bytes"] = row.bytes;
  add_distribution(out, "", row.latency);
  add_distribution(out, "queueing_", row.queueing);
  add_distribution(out, "service_", row.service);
  return out;
}

// One dict per (layer, op) row, in the order `blocksim run` prints them; op "all" for the
// layer's total.
py::list summary_rows(const RunSummary& summary) {
  py::list rows;
  const double seconds = static_cast<double>(summary.span()) * 1e-9;
  for (int layer = 0; layer < kLayerCount; ++layer)
    for (int op = 0; op <= kOpCount; ++op)
      if (const RunSummary::Row* row = summary.row(static_cast<Layer>(layer), op))
        rows.append(summary_row(static_cast<Layer>(layer), op, *row, seconds));
  return rows;
}

py::dict read_trace(const std::string& path, bool columns) {
  TraceContents contents;
  {
    py::gil_scoped_release unlocked;
    contents = read_trace_contents(path, columns);
  }
  py::dict out;
  out["header"] = py::bytes(contents.header.SerializeAsString());
  out["end"] = contents.end ? py::object(py::bytes(contents.end->SerializeAsString())) : py::none();
  out["records"] = contents.records;
  py::list events;
  for (const auto& event : contents.events)
    events.append(py::bytes(event.SerializeAsString()));
  out["events"] = events;
  out["summary"] = summary_rows(contents.summary);
  std::ostringstream text;
  contents.summary.print(text);
  out["summary_text"] = text.str();
  if (columns)
    out["columns"] = columns_to_numpy(std::move(contents.columns));
  return out;
}

}  // namespace

void bind_traces(py::module_& module) {
  module.def("read_trace", &read_trace, py::arg("path"), py::arg("columns") = true,
             "Reads a trace: {'header', 'end', 'records', 'events', 'summary', 'summary_text', 'columns'}; events are "
             "serialized TraceEvents; columns "
             "(numpy arrays, one per Completion field, op and layer as enum codes) only when asked for.");
}

}  // namespace blocksim::python
