#include "sim/trace/run_summary.hpp"

#include <algorithm>
#include <cstdio>

namespace blocksim {

void RunSummary::add(const CompletionRecord& record) {
  if (records_ == 0 || record.submit < first_submit_)
    first_submit_ = record.submit;
  last_complete_ = std::max(last_complete_, record.complete);
  ++records_;
  const auto latency = static_cast<std::uint64_t>(record.complete - record.submit);
  // A request that failed before any dispatch has none recorded: all of it is service, none queueing.
  const SimTime dispatch = std::clamp(record.dispatch, record.submit, record.complete);
  const auto queueing = static_cast<std::uint64_t>(dispatch - record.submit);
  const auto service = static_cast<std::uint64_t>(record.complete - dispatch);
  for (int op : {static_cast<int>(record.op), kOpCount}) {
    Row& row = rows_[index_of(record.layer, op)];
    ++row.requests;
    if (record.status != kIOReturnSuccess)
      ++row.errors;
    row.bytes += record.bytes;
    row.latency.add(latency);
    row.queueing.add(queueing);
    row.service.add(service);
  }
}

void RunSummary::merge(const RunSummary& other) {
  if (other.records_ == 0)
    return;
  first_submit_ = records_ == 0 ? other.first_submit_ : std::min(first_submit_, other.first_submit_);
  last_complete_ = std::max(last_complete_, other.last_complete_);
  records_ += other.records_;
  for (std::size_t index = 0; index < rows_.size(); ++index) {
    Row& row = rows_[index];
    const Row& theirs = other.rows_[index];
    row.requests += theirs.requests;
    row.errors += theirs.errors;
    row.bytes += theirs.bytes;
    row.latency.merge(theirs.latency);
    row.queueing.merge(theirs.queueing);
    row.service.merge(theirs.service);
  }
}

const RunSummary::Row* RunSummary::row(Layer layer, int op) const {
  const Row& r = rows_[index_of(layer, op)];
  return r.requests ? &r : nullptr;
}

void RunSummary::print(std::ostream& out) const {
  const double seconds = static_cast<double>(span()) * 1e-9;
  char line[256];
  std::snprintf(line, sizeof line, "simulated time: %.6f s\n", seconds);
  out << line;
  std::snprintf(line, sizeof line, "%-7s %-6s %10s %7s %12s %10s %11s %11s %11s %11s %11s\n", "layer", "op",
                "requests", "errors", "IOPS", "MB/s", "mean us", "p50 us", "p99 us", "p99.9 us", "max us");
  out << line;
  for (std::size_t index = 0; index < rows_.size(); ++index) {
    const Row& row = rows_[index];
    if (row.requests == 0)
      continue;
    const int layer = static_cast<int>(index) / kRowsPerLayer;
    const int op_index = static_cast<int>(index) % kRowsPerLayer;
    const char* op = op_index == kOpCount ? "all" : op_name(static_cast<Op>(op_index));
    const double iops = seconds > 0 ? static_cast<double>(row.requests) / seconds : 0;
    const double mbps = seconds > 0 ? static_cast<double>(row.bytes) / seconds / 1e6 : 0;
    const auto& h = row.latency;
    std::snprintf(line, sizeof line, "%-7s %-6s %10llu %7llu %12.1f %10.2f %11.3f %11.3f %11.3f %11.3f %11.3f\n",
                  layer_name(static_cast<Layer>(layer)), op, static_cast<unsigned long long>(row.requests),
                  static_cast<unsigned long long>(row.errors), iops, mbps, h.mean() / 1e3, h.percentile(0.5) / 1e3,
                  h.percentile(0.99) / 1e3, h.percentile(0.999) / 1e3, static_cast<double>(h.max()) / 1e3);
    out << line;
  }
}

}  // namespace blocksim
