// Shows the completions of the run's chosen layers to the Python callback. When the run has a `python`
// workload the callback may answer with requests, so each completion is a round trip and the
// answer goes to the workload; otherwise the callback can only watch, and completions are
// streamed in batches without waiting (tens of times faster). Added to the run as an observer,
// after the trace.
#pragma once

#include <cstdint>
#include <vector>

#include "bindings/runner/python_channel.hpp"
#include "bindings/runner/python_request_source.hpp"
#include "sim/device/completion_record.hpp"

namespace blocksim {

class CompletionForwarder final : public CompletionSink {
 public:
  // `source` is the run's python workload, or null. Neither is owned; both outlive the run.
  // `layers`: bit i set shows the completions of Layer i.
  CompletionForwarder(PythonChannel& channel, PythonRequestSource* source, std::uint32_t layers)
      : channel_(channel), source_(source), layers_(layers) {}

  void record(const CompletionRecord& completion) override;
  // Sends what is still batched; call when the run has ended.
  void finish();

 private:
  PythonChannel& channel_;
  PythonRequestSource* source_;
  std::uint32_t layers_;
  std::vector<wire::Completion> batch_;
};

}  // namespace blocksim
