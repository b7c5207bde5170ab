#include "sim/replay/replay_source.hpp"

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "sim/replay/format_registry.hpp"
#include "sim/replay/replay_source_impl.hpp"
#include "sim/replay/trace_survey.hpp"

namespace blocksim {

namespace {
std::string resolve_path(const std::string& folder, const std::string& path) {
  if (path.empty() || path.front() == '/' || folder.empty())
    return path;
  return (std::filesystem::path(folder) / path).lexically_normal().string();
}
}  // namespace

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
    limit_ -= std::min(limit_, config.skip_requests());
  }
  if (config.has_requests())
    limit_ = config.requests();
  if (context.observe)
    context.observe(this);
  owned_ = context.owned_devices;
  if (!owned_.empty())
    owned_.resize(context.devices.size(), false);
  if (!context.part_log.empty())
    part_log_ = std::make_unique<ReplayPartLog>(context.part_log);
}

void ReplaySource::finish() {
  if (part_log_)
    part_log_->finish({issued_, completed_, failed_, unmaps_, unmaps_unsupported_});
  if (stop_error_)
    throw *stop_error_;
}

// A request of a device another process replays: it takes the request id and counts as it
// would here, so that ids, the request limit and the out-of-order count stay those of one process.
void ReplaySource::pass_over(const Next& next) {
  ids_.next();
  if (timing_.open_loop() && arrival(next) < last_arrival_)
    ++out_of_order_;
  last_arrival_ = std::max(last_arrival_, arrival(next));
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
      if (!read_request(*reader_, &request, config_.skip_bad(), &skipped_)) {
        if (start_next_pass())
          continue;
        return false;
      }
    } catch (const TraceInputError& error) {
      stop_on(error);  // one it may not pass over
      return false;
    }
    ++pass_requests_;
    pass_last_time_ = std::max(pass_last_time_, request.time);
    if (skipped_first_ < config_.skip_requests()) {
      ++skipped_first_;
      continue;
    }
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
    if (!owned(next_)) {
      pass_over(next_);
      continue;
    }
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
  log({now, -1, 0, ReplayPartEvent::kIssue, 0});
  const std::uint64_t in_flight = in_flight_.in_use();
  load_.arrived(now, in_flight);
  fetch();  // read ahead before the request can complete, so completion sees what comes next
  if (!have_next_)
    load_.in_flight_at_last_arrival = in_flight;

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

std::unique_ptr<RequestSource> make_replay_source(const proto::Workload& workload, const WorkloadContext& context) {
  return std::make_unique<ReplaySource>(context, workload.replay());
}

bool adopt_replay_parts(RequestSource& source, const MergedReplayParts& merged) {
  auto* replay = dynamic_cast<ReplaySource*>(&source);
  if (replay != nullptr)
    replay->adopt(merged);
  return replay != nullptr;
}

const LatencyComparison* replay_comparison(const RequestSource& source) {
  const auto* replay = dynamic_cast<const ReplaySource*>(&source);
  return replay != nullptr ? &replay->comparison() : nullptr;
}

}  // namespace blocksim
