#include "sim/run/run_recorder.hpp"

#include <cstdio>

namespace blocksim {

namespace {
constexpr std::uint64_t kProgressCheckEvery = 16384;
constexpr auto kProgressAfter = std::chrono::seconds(1);
constexpr auto kProgressInterval = std::chrono::milliseconds(250);
}  // namespace

RunRecorder::RunRecorder(std::unique_ptr<TraceWriter> writer, bool show_progress, std::uint64_t expected)
    : writer_(std::move(writer)),
      progress_(show_progress),
      expected_(expected),
      started_(std::chrono::steady_clock::now()),
      last_progress_(started_) {}

void RunRecorder::record(const CompletionRecord& completion) {
  summary_.add(completion);
  if (writer_)
    writer_->write(completion);
  for (CompletionSink* observer : observers_)
    observer->record(completion);
  ++completions_;
  if (completion.layer == Layer::kDevice)
    ++device_completions_;
  if (progress_ && completions_ % kProgressCheckEvery == 0)
    show_progress(completion.complete);
}

void RunRecorder::event(const EventRecord& event) {
  ++events_;
  if (writer_)
    writer_->write(event);
  for (CompletionSink* observer : observers_)
    observer->event(event);
}

void RunRecorder::show_progress(SimTime now) {
  const auto wall = std::chrono::steady_clock::now();
  if (wall - started_ < kProgressAfter || wall - last_progress_ < kProgressInterval)
    return;
  last_progress_ = wall;
  progress_shown_ = true;
  const double seconds = std::chrono::duration<double>(wall - started_).count();
  if (expected_ > 0)
    std::fprintf(stderr, "\r%llu of %llu requests (%.0f %%), %.3f s simulated, %.1f s elapsed   ",
                 static_cast<unsigned long long>(device_completions_), static_cast<unsigned long long>(expected_),
                 100.0 * static_cast<double>(device_completions_) / static_cast<double>(expected_),
                 static_cast<double>(now) * 1e-9, seconds);
  else
    std::fprintf(stderr, "\r%llu requests, %.3f s simulated, %.1f s elapsed   ",
                 static_cast<unsigned long long>(device_completions_), static_cast<double>(now) * 1e-9, seconds);
  std::fflush(stderr);
}

void RunRecorder::finish(SimTime end, const std::vector<DeviceMetric>& metrics) {
  metrics_ = metrics;
  if (progress_shown_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
  if (writer_) {
    proto::RunEnd run_end;
    run_end.set_end_ns(static_cast<std::uint64_t>(end));
    run_end.set_completions(completions_);
    for (const auto& metric : metrics_) {
      auto* out = run_end.add_metric();
      out->set_name(metric.name);
      out->set_value(metric.value);
      out->set_unit(metric.unit);
    }
    writer_->finish(run_end);
  }
}

}  // namespace blocksim
