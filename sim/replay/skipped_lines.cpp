#include "sim/replay/skipped_lines.hpp"

namespace blocksim {

void SkippedLines::add(const TraceInputError& error) {
  ++count_;
  if (lines_.size() < kLinesKept)
    lines_.push_back(error.line());
  if (messages_.size() < kMessagesKept)
    messages_.emplace_back(error.what());
}

void SkippedLines::print(std::ostream& out) const {
  if (count_ == 0)
    return;
  out << "skipped lines: " << count_ << " (line" << (count_ > 1 ? "s " : " ");
  for (std::size_t i = 0; i < lines_.size(); ++i)
    out << (i ? ", " : "") << lines_[i];
  if (count_ > lines_.size())
    out << ", ...";
  out << ")\n";
  for (const auto& message : messages_)
    out << "  " << message << "\n";
}

bool read_request(RequestReader& reader, TraceRequest* request, bool skip_bad, SkippedLines* skipped) {
  for (;;) {
    try {
      return reader.next(request);
    } catch (const TraceInputError& error) {
      if (!skip_bad || !error.recoverable())
        throw;
      if (skipped)
        skipped->add(error);
    }
  }
}

}  // namespace blocksim
