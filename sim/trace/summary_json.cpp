#include "sim/trace/summary_json.hpp"

namespace blocksim {

void write_distribution_us(JsonWriter& json, const std::string& key, const LatencyHistogram& histogram) {
  json.begin_object(key);
  json.number("min", static_cast<double>(histogram.min()) / 1e3, 3);
  json.number("mean", histogram.mean() / 1e3, 4);
  json.number("stdev", histogram.stdev() / 1e3, 4);
  for (const auto& [name, fraction] : kJsonPercentiles)
    json.number(name, histogram.percentile(fraction) / 1e3, 4);
  json.number("max", static_cast<double>(histogram.max()) / 1e3, 3);
  json.end_object();
}

void write_summary_fields(JsonWriter& json, const RunSummary& summary) {
  const double seconds = static_cast<double>(summary.span()) * 1e-9;
  json.number("simulated_time_s", seconds, 9);
  json.integer("records", summary.records());
  json.begin_array("rows");
  summary.for_each_row([&](Layer layer, int op, const RunSummary::Row& row) {
    json.begin_object();
    json.string("layer", layer_name(layer));
    json.string("op", op == kOpCount ? "all" : op_name(static_cast<Op>(op)));
    json.integer("requests", row.requests);
    json.integer("errors", row.errors);
    json.integer("bytes", row.bytes);
    json.number("iops", seconds > 0 ? static_cast<double>(row.requests) / seconds : 0.0, 3);
    json.number("mb_per_s", seconds > 0 ? static_cast<double>(row.bytes) / seconds / 1e6 : 0.0, 6);
    write_distribution_us(json, "latency_us", row.latency);
    write_distribution_us(json, "queueing_us", row.queueing);
    write_distribution_us(json, "service_us", row.service);
    json.end_object();
  });
  json.end_array();
}

}  // namespace blocksim
