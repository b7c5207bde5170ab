#include "bindings/runner/completion_forwarder.hpp"

namespace blocksim {

namespace {
constexpr std::size_t kStreamBatch = 1024;  // completions a streamed frame carries
}

void CompletionForwarder::record(const CompletionRecord& completion) {
  if (((layers_ >> static_cast<unsigned>(completion.layer)) & 1U) == 0)
    return;
  if (source_ == nullptr) {
    batch_.push_back(PythonChannel::to_wire(completion));
    if (batch_.size() == kStreamBatch)
      finish();
    return;
  }
  const std::vector<wire::Request> answer = channel_.completed(completion);
  if (!answer.empty())
    source_->inject(answer);
}

void CompletionForwarder::finish() {
  if (batch_.empty())
    return;
  channel_.stream(batch_);
  batch_.clear();
}

}  // namespace blocksim
