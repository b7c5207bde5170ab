#include "sim/replay/replay_part.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace blocksim {

namespace {
std::runtime_error failure(const std::string& path, const std::string& what) {
  return std::runtime_error(path + ": " + what + ": " + std::strerror(errno));
}

// Reads one log's events one at a time.
class LogReader {
 public:
  explicit LogReader(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "rb")) {
    if (file_ == nullptr)
      throw failure(path, "cannot read the replay part's log");
    advance();
  }
  ~LogReader() { std::fclose(file_); }
  bool done() const { return done_; }
  const ReplayPartEvent& head() const { return head_; }
  void advance() {
    const std::size_t got = std::fread(&head_, sizeof head_, 1, file_);
    if (got != 1) {
      if (std::ferror(file_))
        throw failure(path_, "reading the replay part's log failed");
      done_ = true;
    }
  }

 private:
  std::string path_;
  std::FILE* file_;
  ReplayPartEvent head_;
  bool done_ = false;
};

ReplayPartTally read_tally(const std::string& path) {
  std::ifstream in(path);
  ReplayPartTally tally;
  if (!(in >> tally.issued >> tally.completed >> tally.failed >> tally.unmaps >> tally.unmaps_unsupported))
    throw std::runtime_error(path + ": the replay part's tally is missing or damaged");
  return tally;
}

// Whether `a` went before `b`: by time, completions first at equal times (a request completing
// frees its place before one arriving at that instant takes one).
bool before(const ReplayPartEvent& a, const ReplayPartEvent& b) {
  if (a.time != b.time)
    return a.time < b.time;
  return a.kind == ReplayPartEvent::kComplete && b.kind == ReplayPartEvent::kIssue;
}
}  // namespace

ReplayPartLog::ReplayPartLog(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "wb")) {
  if (file_ == nullptr)
    throw failure(path, "cannot write the replay part's log");
}

ReplayPartLog::~ReplayPartLog() {
  if (file_ != nullptr)
    std::fclose(file_);
}

void ReplayPartLog::add(const ReplayPartEvent& event) {
  if (std::fwrite(&event, sizeof event, 1, file_) != 1)
    throw failure(path_, "writing the replay part's log failed");
}

void ReplayPartLog::finish(const ReplayPartTally& tally) {
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!closed)
    throw failure(path_, "writing the replay part's log failed");
  std::ofstream out(path_ + ".tally");
  out << tally.issued << ' ' << tally.completed << ' ' << tally.failed << ' ' << tally.unmaps << ' '
      << tally.unmaps_unsupported << '\n';
  if (!out.flush())
    throw failure(path_ + ".tally", "cannot write the replay part's tally");
}

MergedReplayParts merge_replay_parts(const std::vector<std::string>& paths) {
  MergedReplayParts merged;
  std::vector<std::unique_ptr<LogReader>> logs;
  for (const auto& path : paths) {
    const ReplayPartTally tally = read_tally(path + ".tally");
    merged.tally.issued += tally.issued;
    merged.tally.completed += tally.completed;
    merged.tally.failed += tally.failed;
    merged.tally.unmaps += tally.unmaps;
    merged.tally.unmaps_unsupported += tally.unmaps_unsupported;
    logs.push_back(std::make_unique<LogReader>(path));
  }
  // ReplaySource's bookkeeping (ReplayLoad), over the events of all parts in time order. A few
  // parts: a linear scan for the earliest head costs less than a heap.
  std::uint64_t in_flight = 0;
  for (;;) {
    LogReader* first = nullptr;
    for (const auto& log : logs)
      if (!log->done() && (first == nullptr || before(log->head(), first->head())))
        first = log.get();
    if (first == nullptr)
      break;
    const ReplayPartEvent& event = first->head();
    if (event.kind == ReplayPartEvent::kIssue) {
      ++in_flight;
      merged.load.arrived(event.time, in_flight);
      merged.load.in_flight_at_last_arrival = in_flight;
    } else {
      in_flight -= in_flight > 0 ? 1 : 0;
      merged.load.completed(event.time);
      if (event.measured >= 0)
        merged.load.compared(event.measured, event.simulated,
                             event.dispatch_measured != 0 ? MeasuredFrom::kDispatch : MeasuredFrom::kSubmit);
    }
    first->advance();
  }
  return merged;
}

}  // namespace blocksim
