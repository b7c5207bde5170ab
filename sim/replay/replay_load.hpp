// What a replay counts of the load it puts on the device: how many requests were in flight at once
// (the peak, and when), the first and last arrival, the requests in flight at the last arrival and
// the last completion (from which overload is judged), and the comparison of simulated with
// measured latencies. ReplaySource keeps one as its requests come and go; a replay split across
// processes rebuilds one from its parts' logs (replay_part.hpp) through the same calls.
#pragma once

#include <algorithm>
#include <cstdint>

#include "sim/core/sim_time.hpp"
#include "sim/replay/trace_request.hpp"
#include "sim/trace/latency_comparison.hpp"

namespace blocksim {

struct ReplayLoad {
  std::uint64_t peak_in_flight = 0;
  SimTime peak_at = 0;
  std::uint64_t in_flight_at_last_arrival = 0;
  SimTime first_arrival = -1;
  SimTime last_arrival = 0;
  SimTime last_completion = 0;
  LatencyComparison comparison;
  MeasuredFrom compared_from = MeasuredFrom::kSubmit;

  // A request arrived at `now`, leaving `in_flight` requests in flight, itself among them.
  void arrived(SimTime now, std::uint64_t in_flight) {
    if (first_arrival < 0)
      first_arrival = now;
    last_arrival = now;
    if (in_flight > peak_in_flight) {
      peak_in_flight = in_flight;
      peak_at = now;
    }
  }
  void completed(SimTime now) { last_completion = std::max(last_completion, now); }
  // A completed request with a measured latency: `from` says what the trace measured.
  void compared(SimTime measured, SimTime simulated, MeasuredFrom from) {
    comparison.add(measured, simulated);
    compared_from = from;
  }
};

}  // namespace blocksim
