// The class behind make_replay_source (replay_source.hpp, which says what a replay does): its
// state, shared by the files that implement it: replay_source.cpp (reading the trace and issuing
// its requests), replay_completion.cpp (completions and the comparison with measured latencies),
// replay_report.cpp (the report and the metrics). Only those files include it.
#pragma once

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "sim/core/slot_pool.hpp"
#include "sim/replay/device_mapping.hpp"
#include "sim/replay/replay_source.hpp"
#include "sim/replay/replay_part.hpp"
#include "sim/replay/replay_timing.hpp"
#include "sim/replay/request_reader.hpp"
#include "sim/replay/skipped_lines.hpp"
#include "sim/trace/latency_comparison.hpp"

namespace blocksim {

class ReplaySource final : public RequestSource, private CompletionSink {
 public:
  ReplaySource(const WorkloadContext& context, const proto::Replay& config);

  void start() override;
  std::uint64_t issued() const override { return issued_; }
  std::uint64_t completed() const override { return completed_; }
  // Issued and never completed (lost: the run reports it as a broken contract).
  std::uint64_t never_completed() const { return issued_ - std::min(issued_, completed_); }
  std::uint64_t failed() const override { return failed_; }
  std::uint64_t request_limit() const override { return limit_; }
  std::pair<std::uint64_t, std::uint64_t> input_progress() const override;
  void finish() override;
  void print_report(std::ostream& out) const override;
  void collect_metrics(std::vector<DeviceMetric>* out) const override;
  void write_json_report(JsonWriter& json) const override;

  const LatencyComparison& comparison() const { return load_.comparison; }
  // Takes the figures of all the parts of a replay split across processes (this one among them).
  void adopt(const MergedReplayParts& merged);

 private:
  // Requests still in flight at the last arrival from which a growing queue is called overload.
  static constexpr std::uint64_t kOverloadBacklog = 32;
  // The next request, read and placed, waiting for its time.
  struct Next {
    TraceRequest request;
    MappedRequest mapped;
    SimTime recorded = 0;  // its trace time plus the offset of its pass
  };
  struct InFlight {
    IOMemoryDescriptor buffer;
    IOStorageExtent extent;  // an unmap's range
    IOStorageAttributes attributes;
    IOStorageCompletion completion;
    std::uint32_t slot = 0;
    SimTime issued_at = 0;
    SimTime recorded = 0;
    SimTime measured = -1;
    SimTime idle_after = -1;
    SimTime device_dispatch = -1;
    SimTime device_complete = -1;
    MeasuredFrom measured_from = MeasuredFrom::kSubmit;
    Op op = Op::kRead;
  };

  bool fetch();
  bool owned(const Next& next) const { return owned_.empty() || owned_[next.mapped.target]; }
  void pass_over(const Next& next);
  void log(const ReplayPartEvent& event) {
    if (part_log_)
      part_log_->add(event);
  }
  bool start_next_pass();
  bool overloaded() const;
  void stop_on(const TraceInputError& error);
  SimTime arrival(const Next& next) const;
  void on_arrival();
  void schedule_open_loop();
  void issue_next();
  void issue_soon();
  static void on_complete(void* target, void* parameter, IOReturn status, std::uint64_t actual_bytes);
  void completed(InFlight* request, IOReturn status);
  void record(const CompletionRecord& completion) override;

  Engine& engine_;
  RequestIds& ids_;
  proto::Replay config_;
  std::string path_;
  std::string format_;
  std::string detected_because_;
  ReaderOptions reader_options_;
  ReplayTiming timing_;
  std::unique_ptr<RequestReader> reader_;
  std::unique_ptr<DeviceMapping> mapping_;

  Next next_;
  bool have_next_ = false;
  std::uint32_t pass_ = 0;
  SimTime pass_offset_ = 0;
  SimTime pass_last_time_ = 0;
  std::uint64_t pass_requests_ = 0;
  std::uint64_t fetched_ = 0;
  std::uint64_t skipped_first_ = 0;  // of Replay.skip_requests
  std::uint64_t limit_ = 0;
  std::uint64_t out_of_order_ = 0;
  SimTime last_arrival_ = 0;

  SlotPool<InFlight> in_flight_;
  std::unordered_map<std::uint64_t, std::uint32_t> slot_of_request_;
  bool submitting_ = false;
  std::uint64_t issued_ = 0;
  std::uint64_t completed_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t unmaps_ = 0;
  std::uint64_t unmaps_unsupported_ = 0;

  // Overload: a backlog still large when the trace's last request arrives, that takes long to
  // drain, is a queue that grew as the trace went on (the device is slower than the trace's rate).
  ReplayLoad load_;
  SkippedLines skipped_;
  std::optional<TraceInputError> stop_error_;

  // A part of a replay split across processes: the devices it issues to, and its log.
  std::vector<bool> owned_;
  std::unique_ptr<ReplayPartLog> part_log_;
};

}  // namespace blocksim
