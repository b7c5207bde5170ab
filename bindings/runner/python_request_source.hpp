// The `python` workload: issues the requests blocksim.run() hands over, each at its time, to the
// device it names (or the workload's own), and the requests a Python callback answers
// completions with. It pulls the iterable a batch at a time, and only once it has issued all it
// holds, so memory is one batch plus the requests in flight, however long the iterable.
// Requests keep the order they came in; one whose time has passed goes out at once.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "bindings/runner/python_channel.hpp"
#include "sim/core/slot_pool.hpp"
#include "sim/core/engine.hpp"
#include "sim/media/io_storage.hpp"
#include "sim/core/request_ids.hpp"
#include "sim/workload/request_source.hpp"

namespace blocksim {

class PythonRequestSource final : public RequestSource {
 public:
  // `targets` are the scenario's devices by index; `default_target` the workload's own. The
  // engine, channel, ids and targets outlive the source.
  PythonRequestSource(Engine& engine, PythonChannel& channel, RequestIds& ids, IOStorage& default_target,
                      std::vector<IOStorage*> targets);

  void start() override;
  // Requests a callback answered a completion with: each goes out at its time, or now.
  void inject(const std::vector<wire::Request>& requests);

  std::uint64_t issued() const override { return issued_; }
  std::uint64_t completed() const override { return completed_; }
  std::uint64_t failed() const override { return failed_; }

 private:
  using InFlight = SourceRequest;

  void refill();
  void schedule_next();
  void issue_due();
  void issue(const wire::Request& request);
  static void on_complete(void* target, void* parameter, IOReturn status, std::uint64_t actual_bytes);
  void finished(InFlight* request, IOReturn status);

  Engine& engine_;
  PythonChannel& channel_;
  RequestIds& ids_;
  IOStorage& default_target_;
  std::vector<IOStorage*> targets_;

  std::deque<wire::Request> pending_;  // from the iterable, not yet issued
  bool exhausted_ = false;
  SimTime previous_time_ = 0;  // of the last request taken from the iterable

  SlotPool<InFlight> in_flight_;
  std::uint64_t issued_ = 0;
  std::uint64_t completed_ = 0;
  std::uint64_t failed_ = 0;
};

}  // namespace blocksim
