#include "sim/replay/replay_source.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "sim/core/slot_pool.hpp"
#include "sim/replay/device_mapping.hpp"
#include "sim/replay/format_registry.hpp"
#include "sim/replay/latency_comparison.hpp"
#include "sim/replay/replay_timing.hpp"
#include "sim/replay/skipped_lines.hpp"
#include "sim/replay/trace_survey.hpp"

namespace blocksim {

namespace {

std::string resolve_path(const std::string& folder, const std::string& path) {
  if (path.empty() || path.front() == '/' || folder.empty())
    return path;
  return (std::filesystem::path(folder) / path).lexically_normal().string();
}

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
  void finish() override {
    if (stop_error_)
      throw *stop_error_;
  }
  void print_report(std::ostream& out) const override;
  void collect_metrics(std::vector<DeviceMetric>* out) const override;
  void write_json_report(JsonWriter& json) const override;

  const LatencyComparison& comparison() const { return comparison_; }

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
  std::uint64_t peak_in_flight_ = 0;
  SimTime peak_at_ = 0;
  std::uint64_t in_flight_at_last_arrival_ = 0;
  SimTime first_arrival_ = -1;
  SimTime last_arrival_time_ = 0;
  SimTime last_completion_ = 0;

  LatencyComparison comparison_;
  MeasuredFrom compared_from_ = MeasuredFrom::kSubmit;
  SkippedLines skipped_;
  std::optional<TraceInputError> stop_error_;
};

ReplaySource::ReplaySource(const WorkloadContext& context, const proto::Replay& config)
    : engine_(*context.engine),
      ids_(*context.ids),
      config_(config),
      path_(resolve_path(context.scenario_folder, config.path())) {
  reader_options_.issue_at = config.issue_at();
  if (config.format() == "auto") {
    const DetectedFormat detected = detect_trace_format(path_);
    format_ = detected.format->name;
    detected_because_ = detected.reason;
  } else {
    format_ = config.format();
  }
  reader_ = open_trace(path_, format_, reader_options_);
  timing_ = ReplayTiming::from(config, format_);

  std::vector<ReplayTarget> targets;
  std::size_t default_target = 0;
  for (std::size_t i = 0; i < context.devices.size(); ++i) {
    IOStorage* storage = context.target(context.devices[i]);
    if (storage == nullptr)
      throw std::invalid_argument("replay: no target for device \"" + context.devices[i] + "\"");
    targets.push_back({context.devices[i], storage, storage->size_bytes(), storage->block_size()});
    if (context.devices[i] == context.default_target)
      default_target = i;
  }
  mapping_ = std::make_unique<DeviceMapping>(std::move(targets), default_target, config);
  if (config.lba() == proto::Replay::SCALE) {
    const TraceSurvey survey = survey_trace(path_, format_, reader_options_, config.skip_bad());
    mapping_->set_extents(survey.extents);
    limit_ = survey.requests * config.repeat();
  }
  if (config.has_requests())
    limit_ = config.requests();
  if (context.observe)
    context.observe(this);
}

void ReplaySource::stop_on(const TraceInputError& error) {
  if (!stop_error_)
    stop_error_.emplace(error);
  have_next_ = false;
}

bool ReplaySource::start_next_pass() {
  if (pass_ + 1 >= config_.repeat() || pass_requests_ == 0)
    return false;
  ++pass_;
  // The next pass starts one mean gap after the last request of this one.
  const SimTime mean_gap =
      pass_requests_ > 1 ? pass_last_time_ / static_cast<SimTime>(pass_requests_ - 1) : SimTime{0};
  pass_offset_ = std::min(kMaxTraceTime, pass_offset_ + pass_last_time_ + mean_gap);
  pass_last_time_ = 0;
  pass_requests_ = 0;
  reader_ = open_trace(path_, format_, reader_options_);
  return true;
}

// Reads the next request that can be served into next_. False at the end of the trace, at the
// request limit, or when bad input stops the replay.
bool ReplaySource::fetch() {
  have_next_ = false;
  while (!stop_error_ && (config_.requests() == 0 || fetched_ < config_.requests())) {
    TraceRequest request;
    try {
      if (!reader_->next(&request)) {
        if (start_next_pass())
          continue;
        return false;
      }
    } catch (const TraceInputError& error) {
      if (!config_.skip_bad() || !error.recoverable()) {
        stop_on(error);
        return false;
      }
      skipped_.add(error);
      continue;
    }
    ++pass_requests_;
    pass_last_time_ = std::max(pass_last_time_, request.time);
    const std::string why = mapping_->map(request, reader_->devices(), &next_.mapped);
    if (!why.empty()) {
      const TraceInputError error(path_, request.line, "cannot be served: " + why);
      if (!config_.skip_bad()) {
        stop_on(error);
        return false;
      }
      skipped_.add(error);
      continue;
    }
    next_.request = request;
    next_.recorded = pass_offset_ + request.time;
    ++fetched_;
    have_next_ = true;
    return true;
  }
  return false;
}

SimTime ReplaySource::arrival(const Next& next) const {
  if (timing_.mode == ReplayTiming::Mode::kScaled)
    return static_cast<SimTime>(
        std::llround(std::clamp(static_cast<double>(next.recorded) * timing_.factor, -4.0 * kMaxTraceTime,
                                4.0 * kMaxTraceTime)));
  return next.recorded;
}

void ReplaySource::start() {
  if (!fetch())
    return;
  switch (timing_.mode) {
    case ReplayTiming::Mode::kAsRecorded:
    case ReplayTiming::Mode::kScaled: schedule_open_loop(); break;
    case ReplayTiming::Mode::kClosed:
      for (std::uint32_t i = 0; i < timing_.queue_depth && have_next_; ++i)
        issue_next();
      break;
    case ReplayTiming::Mode::kValidate: issue_next(); break;
  }
}

void ReplaySource::schedule_open_loop() {
  if (have_next_)
    engine_.at(arrival(next_), [this] { on_arrival(); });
}

void ReplaySource::on_arrival() {
  do {
    issue_next();
  } while (have_next_ && arrival(next_) <= engine_.now());
  schedule_open_loop();
}

void ReplaySource::issue_next() {
  const Next next = next_;
  const SimTime now = engine_.now();
  if (timing_.open_loop() && arrival(next) < last_arrival_)
    ++out_of_order_;
  last_arrival_ = std::max(last_arrival_, arrival(next));

  const std::uint32_t slot = in_flight_.acquire();
  InFlight& request = in_flight_[slot];
  request.slot = slot;
  request.buffer.direction = next.request.op == Op::kRead ? IODirection::kIn : IODirection::kOut;
  request.buffer.length = next.mapped.bytes;
  request.buffer.request_id = ids_.next();
  request.completion = IOStorageCompletion{this, &ReplaySource::on_complete, &request};
  request.issued_at = now;
  request.recorded = next.recorded;
  request.measured = next.request.measured;
  request.measured_from = next.request.measured_from;
  request.idle_after = next.request.idle_after;
  request.op = next.request.op;
  slot_of_request_[request.buffer.request_id] = slot;
  ++issued_;
  if (first_arrival_ < 0)
    first_arrival_ = now;
  last_arrival_time_ = now;
  const std::uint64_t in_flight = in_flight_.in_use();
  if (in_flight > peak_in_flight_) {
    peak_in_flight_ = in_flight;
    peak_at_ = now;
  }
  fetch();  // read ahead before the request can complete, so completion sees what comes next
  if (!have_next_)
    in_flight_at_last_arrival_ = in_flight;

  IOStorage& target = *mapping_->target(next.mapped.target).storage;
  submitting_ = true;
  switch (next.request.op) {
    case Op::kRead: target.read(next.mapped.offset, &request.buffer, &request.attributes, &request.completion); break;
    case Op::kWrite: target.write(next.mapped.offset, &request.buffer, &request.attributes, &request.completion); break;
    case Op::kUnmap: {
      ++unmaps_;
      request.extent = IOStorageExtent{next.mapped.offset, next.mapped.bytes};
      const IOReturn status = target.unmap(&request.extent, 1, kIOStorageUnmapOptionNone, &request.completion);
      if (status != kIOReturnSuccess)
        completed(&request, status);
      break;
    }
    default: {
      const IOReturn status =
          target.synchronize(0, 0, kIOStorageSynchronizeOptionNone, &request.completion);
      if (status != kIOReturnSuccess)
        completed(&request, status);
      break;
    }
  }
  submitting_ = false;
}

// Issues next_ from a timer at the current time: used when a completion arrives inside our own
// submit call, where issuing again would recurse once per request.
void ReplaySource::issue_soon() {
  engine_.at(engine_.now(), [this] {
    if (have_next_)
      issue_next();
  });
}

void ReplaySource::on_complete(void* target, void* parameter, IOReturn status, std::uint64_t /*actual_bytes*/) {
  static_cast<ReplaySource*>(target)->completed(static_cast<InFlight*>(parameter), status);
}

void ReplaySource::record(const CompletionRecord& completion) {
  if (completion.layer != Layer::kDevice)
    return;
  const std::uint64_t id = completion.parent_id != 0 ? completion.parent_id : completion.request_id;
  const auto it = slot_of_request_.find(id);
  if (it == slot_of_request_.end())
    return;
  InFlight& request = in_flight_[it->second];
  if (request.device_dispatch < 0 || completion.dispatch < request.device_dispatch)
    request.device_dispatch = completion.dispatch;
  request.device_complete = std::max(request.device_complete, completion.complete);
}

void ReplaySource::completed(InFlight* request, IOReturn status) {
  const SimTime now = engine_.now();
  ++completed_;
  last_completion_ = std::max(last_completion_, now);
  if (status == kIOReturnUnsupported && request->op == Op::kUnmap) {
    ++unmaps_unsupported_;  // the recorded drive took it; this one cannot: warned, not a failure
  } else if (status != kIOReturnSuccess) {
    ++failed_;
  } else if (request->measured >= 0) {
    const bool from_dispatch = request->measured_from == MeasuredFrom::kDispatch && request->device_dispatch >= 0;
    const SimTime simulated =
        from_dispatch ? request->device_complete - request->device_dispatch : now - request->issued_at;
    comparison_.add(request->measured, simulated);
    compared_from_ = request->measured_from;
  }
  const SimTime recorded = request->recorded;
  const SimTime measured = request->measured;
  const SimTime idle_after = request->idle_after;
  slot_of_request_.erase(request->buffer.request_id);
  in_flight_.release(request->slot);

  if (!have_next_)
    return;
  if (timing_.mode == ReplayTiming::Mode::kClosed) {
    if (submitting_)
      issue_soon();
    else
      issue_next();
  } else if (timing_.mode == ReplayTiming::Mode::kValidate) {
    // The recorded idle gap; a trace without one gives the recorded time between this request's
    // recorded completion and the next request's arrival.
    const SimTime gap = idle_after >= 0
                            ? idle_after
                            : std::max<SimTime>(0, next_.recorded - recorded - std::max<SimTime>(0, measured));
    engine_.at(now + gap, [this] {
      if (have_next_)
        issue_next();
    });
  }
}

std::pair<std::uint64_t, std::uint64_t> ReplaySource::input_progress() const {
  std::error_code error;
  const std::uint64_t size = std::filesystem::file_size(path_, error);
  if (error || size == 0 || !reader_)
    return {0, 0};
  const std::uint64_t passes = std::max<std::uint32_t>(1, config_.repeat());
  return {std::min<std::uint64_t>(pass_ * size + reader_->bytes_read(), passes * size), passes * size};
}

void ReplaySource::write_json_report(JsonWriter& json) const {
  json.begin_object();
  json.string("kind", "replay");
  json.string("path", path_);
  json.string("format", format_);
  json.string("timing", timing_.describe());
  json.integer("replayed", issued_);
  const std::uint64_t lost = never_completed();
  json.integer("failed", failed_ + lost);
  json.integer("never_completed", lost);
  json.integer("skipped_lines", skipped_.count());
  if (comparison_.count() > 0)
    comparison_.write_json(json, compared_from_ == MeasuredFrom::kDispatch ? "dispatch_to_completion"
                                                                          : "issue_to_completion");
  json.end_object();
}

void ReplaySource::print_report(std::ostream& out) const {
  out << "replay: " << path_ << " (" << format_;
  if (!detected_because_.empty())
    out << ", detected: " << detected_because_;
  out << "), timing " << timing_.describe() << "\n";
  if (const std::string choice = reader_->choice(); !choice.empty())
    out << choice << "\n";
  out << "replayed: " << issued_ << " requests";
  if (config_.repeat() > 1)
    out << " in " << pass_ + 1 << " passes of the trace";
  const std::uint64_t lost = never_completed();  // failed too
  out << ", " << failed_ + lost << " failed";
  if (lost > 0)
    out << " (" << lost << " of them never completed)";
  if (out_of_order_ > 0)
    out << ", " << out_of_order_ << " issued late because the trace's time went backwards";
  out << "\n";
  if (unmaps_ > 0)
    out << "unmaps: " << unmaps_ << " (the trace's trims and discards, sent to the device)\n";
  if (unmaps_unsupported_ > 0)
    out << "warning: unmap unsupported: " << unmaps_unsupported_
        << " unmaps were refused by the simulated device (kIOReturnUnsupported); the recorded drive took them, so "
           "its later writes and garbage collection will differ\n";
  mapping_->print(out, reader_->devices());
  skipped_.print(out);
  if (overloaded())
    out << "warning: overload: the trace's recorded rate is more than the device serves; the queue grew without "
           "bound (" << in_flight_at_last_arrival_ << " requests still in flight at the last arrival, peak "
        << peak_in_flight_ << " at " << static_cast<double>(peak_at_) * 1e-9
        << " s), so latencies are mostly waiting in that queue\n";
  if (comparison_.count() > 0) {
    comparison_.print(out, compared_from_ == MeasuredFrom::kDispatch
                               ? "dispatch to completion at the device against the trace's measured access time"
                               : "issue to completion against the trace's measured response time");
    out << "  (" << comparison_.count() << " of " << issued_ << " replayed requests: every one that completed "
        << "and has a measured latency)\n";
  }
}

bool ReplaySource::overloaded() const {
  if (!timing_.open_loop() || first_arrival_ < 0)
    return false;
  const SimTime span = last_arrival_time_ - first_arrival_;
  const SimTime drain = last_completion_ - last_arrival_time_;
  return in_flight_at_last_arrival_ >= kOverloadBacklog && 2 * in_flight_at_last_arrival_ >= peak_in_flight_ &&
         10 * drain > span;
}

void ReplaySource::collect_metrics(std::vector<DeviceMetric>* out) const {
  out->push_back({"unmaps", static_cast<double>(unmaps_), "count"});
  out->push_back({"unmaps_unsupported", static_cast<double>(unmaps_unsupported_), "count"});
  out->push_back({"widened_requests", static_cast<double>(mapping_->widened()), "count"});
  out->push_back({"moved_requests", static_cast<double>(mapping_->moved()), "count"});
  out->push_back({"peak_in_flight", static_cast<double>(peak_in_flight_), "count"});
  out->push_back({"overloaded", overloaded() ? 1.0 : 0.0, ""});
  out->push_back({"compared_requests", static_cast<double>(comparison_.count()), "count"});
}

}  // namespace

std::unique_ptr<RequestSource> make_replay_source(const proto::Workload& workload, const WorkloadContext& context) {
  return std::make_unique<ReplaySource>(context, workload.replay());
}

const LatencyComparison* replay_comparison(const RequestSource& source) {
  const auto* replay = dynamic_cast<const ReplaySource*>(&source);
  return replay != nullptr ? &replay->comparison() : nullptr;
}

}  // namespace blocksim
