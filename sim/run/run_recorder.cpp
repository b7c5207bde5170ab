#include "sim/run/run_recorder.hpp"

#include <algorithm>
#include <cstdio>

namespace blocksim {

proto::RunEnd make_run_end(SimTime end, std::uint64_t completions, const std::vector<DeviceMetric>& metrics) {
  proto::RunEnd run_end;
  run_end.set_end_ns(static_cast<std::uint64_t>(end));
  run_end.set_completions(completions);
  for (const auto& metric : metrics) {
    auto* out = run_end.add_metric();
    out->set_name(metric.name);
    out->set_value(metric.value);
    out->set_unit(metric.unit);
  }
  return run_end;
}

namespace {
// The clock is read every 1024 completions: cheap, and often enough for slow models too.
constexpr std::uint64_t kProgressCheckEvery = 1024;
constexpr auto kProgressAfter = std::chrono::milliseconds(250);
constexpr auto kProgressInterval = std::chrono::milliseconds(250);
}  // namespace

RunRecorder::RunRecorder(std::unique_ptr<TraceWriter> writer, Progress progress, std::uint64_t expected)
    : writer_(std::move(writer)),
      progress_(progress),
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
  if (completion.layer == Layer::kDevice) {
    ++device_completions_;
    const auto latency = static_cast<std::uint64_t>(completion.complete - completion.submit);
    ++window_requests_;
    window_latency_ns_ += latency;
    device_latency_ns_ += latency;
  }
  if (progress_ == Progress::kTerminal && completions_ % kProgressCheckEvery == 0)
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
  std::string line = "\r";
  char part[160];
  // The share done: of the input read when there is a file, else of the requests expected.
  double done = -1;
  if (input_) {
    const auto [read, total] = input_();
    if (total > 0) {
      done = static_cast<double>(read) / static_cast<double>(total);
      std::snprintf(part, sizeof part, "%.1f %% of the trace read (%.1f of %.1f MB), ", 100 * done,
                    static_cast<double>(read) / 1e6, static_cast<double>(total) / 1e6);
      line += part;
    }
  }
  if (done < 0 && expected_ > 0) {
    done = static_cast<double>(device_completions_) / static_cast<double>(expected_);
    std::snprintf(part, sizeof part, "%.0f %% of %llu requests, ", 100 * done, static_cast<unsigned long long>(expected_));
    line += part;
  }
  if (done > 0) {
    std::snprintf(part, sizeof part, "ETA %.0f s, ", seconds * (1 - std::min(done, 1.0)) / done);
    line += part;
  }
  const double window_s = static_cast<double>(now - window_start_) * 1e-9;
  std::snprintf(part, sizeof part, "%llu requests, %.3f s simulated, %.0f IOPS, mean %.1f us   \033[K",
                static_cast<unsigned long long>(device_completions_), static_cast<double>(now) * 1e-9,
                window_s > 0 ? static_cast<double>(window_requests_) / window_s : 0.0,
                window_requests_ ? static_cast<double>(window_latency_ns_) / static_cast<double>(window_requests_) / 1e3
                                 : 0.0);
  line += part;
  window_requests_ = 0;
  window_latency_ns_ = 0;
  window_start_ = now;
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

void RunRecorder::print_final_line(SimTime end) const {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::string line;
  char part[160];
  if (input_) {
    const auto [read, total] = input_();
    if (total > 0) {
      std::snprintf(part, sizeof part, "%.1f %% of the trace read (%.1f MB), ",
                    100.0 * static_cast<double>(read) / static_cast<double>(total), static_cast<double>(total) / 1e6);
      line += part;
    }
  }
  const double simulated = static_cast<double>(end) * 1e-9;
  std::snprintf(part, sizeof part, "%llu requests, %.3f s simulated in %.1f s, %.0f IOPS, mean %.1f us\n",
                static_cast<unsigned long long>(device_completions_), simulated, seconds,
                simulated > 0 ? static_cast<double>(device_completions_) / simulated : 0.0,
                device_completions_ ? static_cast<double>(device_latency_ns_) / static_cast<double>(device_completions_) / 1e3
                                    : 0.0);
  line += part;
  std::fputs(("progress: " + line).c_str(), stderr);
}

void RunRecorder::finish(SimTime end, const std::vector<DeviceMetric>& metrics) {
  metrics_ = metrics;
  if (progress_shown_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
  if (progress_ == Progress::kFinalLine)
    print_final_line(end);
  if (writer_) {
    writer_->finish(make_run_end(end, completions_, metrics_));
  }
}

}  // namespace blocksim
