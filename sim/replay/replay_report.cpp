// ReplaySource: its report, metrics and input progress (replay_source_impl.hpp).
#include <filesystem>

#include "sim/replay/replay_source_impl.hpp"

namespace blocksim {

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
  if (load_.comparison.count() > 0)
    load_.comparison.write_json(json, load_.compared_from == MeasuredFrom::kDispatch ? "dispatch_to_completion"
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
           "bound (" << load_.in_flight_at_last_arrival << " requests still in flight at the last arrival, peak "
        << load_.peak_in_flight << " at " << static_cast<double>(load_.peak_at) * 1e-9
        << " s), so latencies are mostly waiting in that queue\n";
  if (load_.comparison.count() > 0) {
    load_.comparison.print(out, load_.compared_from == MeasuredFrom::kDispatch
                               ? "dispatch to completion at the device against the trace's measured access time"
                               : "issue to completion against the trace's measured response time");
    out << "  (" << load_.comparison.count() << " of " << issued_ << " replayed requests: every one that completed "
        << "and has a measured latency)\n";
  }
}

void ReplaySource::adopt(const MergedReplayParts& merged) {
  issued_ = merged.tally.issued;
  completed_ = merged.tally.completed;
  failed_ = merged.tally.failed;
  unmaps_ = merged.tally.unmaps;
  unmaps_unsupported_ = merged.tally.unmaps_unsupported;
  load_ = merged.load;
}

bool ReplaySource::overloaded() const {
  if (!timing_.open_loop() || load_.first_arrival < 0)
    return false;
  const SimTime span = load_.last_arrival - load_.first_arrival;
  const SimTime drain = load_.last_completion - load_.last_arrival;
  const std::uint64_t backlog = load_.in_flight_at_last_arrival;
  return backlog >= kOverloadBacklog && 2 * backlog >= load_.peak_in_flight && 10 * drain > span;
}

void ReplaySource::collect_metrics(std::vector<DeviceMetric>* out) const {
  out->push_back({"unmaps", static_cast<double>(unmaps_), "count"});
  out->push_back({"unmaps_unsupported", static_cast<double>(unmaps_unsupported_), "count"});
  out->push_back({"widened_requests", static_cast<double>(mapping_->widened()), "count"});
  out->push_back({"moved_requests", static_cast<double>(mapping_->moved()), "count"});
  out->push_back({"peak_in_flight", static_cast<double>(load_.peak_in_flight), "count"});
  out->push_back({"overloaded", overloaded() ? 1.0 : 0.0, ""});
  out->push_back({"compared_requests", static_cast<double>(load_.comparison.count()), "count"});
}

}  // namespace blocksim
