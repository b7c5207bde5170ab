#include "sim/trace/latency_comparison.hpp"

#include <cstdio>

#include "sim/trace/summary_json.hpp"

namespace blocksim {

void LatencyComparison::add(SimTime measured, SimTime simulated) {
  measured_.add(static_cast<std::uint64_t>(measured > 0 ? measured : 0));
  simulated_.add(static_cast<std::uint64_t>(simulated > 0 ? simulated : 0));
  measured_cdf_.add(measured);
  simulated_cdf_.add(simulated);
}

double LatencyComparison::mean_error_percent() const {
  const double real = measured_.mean();
  return real > 0 ? (simulated_.mean() - real) / real * 100.0 : 0.0;
}

double LatencyComparison::demerit_ms() const { return blocksim::demerit_ms(simulated_cdf_, measured_cdf_); }

double LatencyComparison::demerit_percent() const {
  const double mean_ms = measured_.mean() / 1e6;
  return mean_ms > 0 ? demerit_ms() / mean_ms * 100.0 : 0.0;
}

void LatencyComparison::write_json(JsonWriter& json, const std::string& interval) const {
  json.begin_object("comparison");
  json.integer("requests", count());
  json.string("interval", interval);
  json.number("mean_error_percent", mean_error_percent(), 4);
  json.number("demerit_ms", demerit_ms(), 6);
  json.number("demerit_percent", demerit_percent(), 4);
  write_distribution_us(json, "measured_us", measured_);
  write_distribution_us(json, "simulated_us", simulated_);
  json.end_object();
}

void LatencyComparison::print(std::ostream& out, const std::string& what) const {
  char line[256];
  if (count() == 0) {
    out << "measured vs simulated: no request with a measured latency completed\n";
    return;
  }
  std::snprintf(line, sizeof line, "measured vs simulated: mean error %+.2f %%, demerit %.4f ms (%.2f %% of mean)\n",
                mean_error_percent(), demerit_ms(), demerit_percent());
  out << line;
  out << "  compared: " << count() << " requests, " << what << "\n";
  std::snprintf(line, sizeof line, "  %-10s %11s %11s %11s %11s %11s %11s %11s\n", "", "mean us", "p10 us", "p50 us",
                "p90 us", "p99 us", "p99.9 us", "max us");
  out << line;
  for (const auto& [name, h] : {std::pair{"measured", &measured_}, std::pair{"simulated", &simulated_}}) {
    std::snprintf(line, sizeof line, "  %-10s %11.3f %11.3f %11.3f %11.3f %11.3f %11.3f %11.3f\n", name, h->mean() / 1e3,
                  h->percentile(0.1) / 1e3, h->percentile(0.5) / 1e3, h->percentile(0.9) / 1e3,
                  h->percentile(0.99) / 1e3, h->percentile(0.999) / 1e3, static_cast<double>(h->max()) / 1e3);
    out << line;
  }
}

}  // namespace blocksim
