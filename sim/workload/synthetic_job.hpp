// A fio-like job: reads and writes in a given mix, sizes fixed or drawn from a split or a range,
// random or sequential offsets within a region, arrivals in a closed loop at a queue depth or
// open loop (Poisson or fixed interval), until a request count or a simulated time is reached.
// It drives any IOStorage; the job owns its in-flight buffers, the caller owns the engine and
// the target, which outlive it.
#pragma once

#include <cstdint>
#include <vector>

#include "blocksim/scenario.pb.h"
#include "sim/core/slot_pool.hpp"
#include "sim/core/engine.hpp"
#include "sim/core/random.hpp"
#include "sim/media/io_storage.hpp"
#include "sim/core/request_ids.hpp"
#include "sim/workload/request_source.hpp"

namespace blocksim {

class SyntheticJob final : public RequestSource {
 public:
  // `stream` separates this job's random numbers from other jobs' under the same seed.
  SyntheticJob(Engine& engine, IOStorage& target, const proto::Job& config, std::uint64_t seed, std::uint64_t stream,
               RequestIds& ids);

  void start() override;

  std::uint64_t issued() const override { return issued_; }
  std::uint64_t completed() const override { return completed_; }
  std::uint64_t failed() const override { return failed_; }
  std::uint64_t request_limit() const override { return request_limit_; }
  bool stopped() const;

 private:
  using InFlight = SourceRequest;
  struct Size {
    std::uint64_t bytes;
    double cumulative_weight;
  };

  void issue_one();
  void schedule_next_arrival();
  std::uint64_t draw_size();
  std::uint64_t draw_offset(std::uint64_t bytes);
  static void on_complete(void* target, void* parameter, IOReturn status, std::uint64_t actual_bytes);
  void completed(InFlight* request, IOReturn status);

  Engine& engine_;
  IOStorage& target_;
  RequestIds& ids_;
  Rng rng_;

  double read_fraction_;
  double fua_fraction_;
  bool sequential_;
  std::uint64_t block_size_;
  std::uint64_t align_ = 0;  // random offsets are multiples of it (from the region's start)
  std::uint64_t region_start_;
  std::uint64_t region_bytes_;
  std::uint64_t cursor_ = 0;  // sequential: next offset within the region

  std::vector<Size> sizes_;  // fixed size or split
  std::uint64_t range_low_blocks_ = 0, range_high_blocks_ = 0;

  enum class Arrival { kClosed, kPoisson, kFixed } arrival_ = Arrival::kClosed;
  std::uint32_t queue_depth_ = 1;
  double mean_interarrival_ns_ = 0;
  SimTime interval_ = 0;

  std::uint64_t request_limit_ = 0;  // 0: no limit
  SimTime time_limit_ = 0;           // 0: no limit; the duration until start(), then the end time

  SlotPool<InFlight> in_flight_;
  std::uint64_t issued_ = 0;
  std::uint64_t completed_ = 0;
  std::uint64_t failed_ = 0;
  bool submitting_ = false;
};

}  // namespace blocksim
