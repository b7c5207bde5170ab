// An application doing asynchronous I/O through the Solaris aio calls (sim/aio/aio_front_end.hpp)
// on a descriptor opened on its target (a device, a partition, a RAID set): it keeps up to
// `queue_depth` requests submitted with aioread / aiowrite, reaps them with aiowait (with a
// timeout when the scenario gives one), cancels a share of them with aiocancel right after
// submitting, and backs off to aiowait when the library answers EAGAIN. Requests are any number
// of bytes at offsets aligned to `alignment`, so the driver's deblocking is exercised; writes
// carry a pattern of bytes, so a target that carries data stores it.
//
// It owns its front end, buffers and result records; the engine and target outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "blocksim/scenario.pb.h"
#include "sim/core/random.hpp"
#include "sim/aio/aio_front_end.hpp"
#include "sim/workload/request_source.hpp"

namespace blocksim {

class AioApplication final : public RequestSource {
 public:
  AioApplication(const StackContext& context, IOStorage& target, const proto::AioApplication& config,
                 std::uint64_t seed, std::uint64_t stream);

  void start() override;
  std::uint64_t issued() const override { return issued_; }
  std::uint64_t completed() const override { return completed_; }
  std::uint64_t failed() const override { return failed_; }
  std::uint64_t request_limit() const override { return request_limit_; }
  void collect_metrics(std::vector<DeviceMetric>* out) const override;

  AioFrontEnd& front_end() { return front_end_; }

 private:
  struct Slot {
    aio_result_t result;
    std::vector<char> buffer;
    bool busy = false;
  };

  bool stopped() const;
  void step();
  void submit_more();
  bool submit_one(Slot& slot);
  void wait();
  void reaped(aio_result_t* result);
  std::uint64_t draw_offset();
  void fill(Slot& slot, std::uint64_t offset);

  Engine& engine_;
  IOStorage& target_;
  AioFrontEnd front_end_;
  Rng rng_;
  int fd_ = -1;
  double read_fraction_;
  double cancel_fraction_;
  bool sequential_;
  std::uint64_t request_size_;
  std::uint64_t alignment_;
  std::uint64_t region_start_;
  std::uint64_t region_bytes_;
  std::uint64_t cursor_ = 0;
  bool has_timeout_;
  struct timeval timeout_ {};
  std::uint64_t request_limit_;
  SimTime duration_ = 0;
  SimTime end_time_ = 0;
  std::vector<Slot> slots_;
  std::uint32_t in_flight_ = 0;
  bool waiting_ = false;
  bool step_scheduled_ = false;

  std::uint64_t issued_ = 0;
  std::uint64_t completed_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t eagain_ = 0;
  std::uint64_t submit_errors_ = 0;
  std::uint64_t timeouts_ = 0;
  std::uint64_t cancelled_ = 0;
};

}  // namespace blocksim
