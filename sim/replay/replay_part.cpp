#include "sim/replay/replay_part.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <vector>

namespace blocksim {

namespace {
std::runtime_error failure(const std::string& path, const std::string& what) {
  return std::runtime_error(path + ": " + what + ": " + std::strerror(errno));
}

// An event is logged as one 64-bit word, its time shifted over four flags, followed by the time
// in a word of its own when it does not fit, then by the measured and simulated latencies when
// it has them: 8 bytes for most events instead of 32, which the parts write and the parent reads
// while the parts wait.
constexpr std::uint64_t kCompleteFlag = 1;
constexpr std::uint64_t kMeasuredFlag = 2;
constexpr std::uint64_t kDispatchFlag = 4;
constexpr std::uint64_t kWideTimeFlag = 8;
constexpr int kFlagBits = 4;
constexpr std::int64_t kNarrowTimeLimit = std::int64_t{1} << (63 - kFlagBits);
constexpr std::size_t kBlockWords = 16384;

// Reads one log's events in order, a block of words at a time.
class LogReader {
 public:
  explicit LogReader(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "rb")) {
    if (file_ == nullptr)
      throw failure(path, "cannot read the replay part's log");
    block_.resize(kBlockWords);
    advance();
  }
  ~LogReader() { std::fclose(file_); }
  bool done() const { return done_; }
  const ReplayPartEvent& head() const { return head_; }
  void advance() {
    std::uint64_t first = 0;
    if (!next_word(&first)) {
      done_ = true;
      return;
    }
    head_ = ReplayPartEvent{};
    head_.kind = (first & kCompleteFlag) != 0 ? ReplayPartEvent::kComplete : ReplayPartEvent::kIssue;
    head_.dispatch_measured = (first & kDispatchFlag) != 0 ? 1 : 0;
    std::uint64_t word = first >> kFlagBits;
    if ((first & kWideTimeFlag) != 0)
      need_word(&word);
    head_.time = static_cast<std::int64_t>(word);
    if ((first & kMeasuredFlag) != 0) {
      need_word(&word);
      head_.measured = static_cast<std::int64_t>(word);
      need_word(&word);
      head_.simulated = static_cast<std::int64_t>(word);
    }
  }

 private:
  bool next_word(std::uint64_t* word) {
    if (index_ == held_) {
      index_ = 0;
      held_ = std::fread(block_.data(), sizeof(std::uint64_t), block_.size(), file_);
      if (held_ == 0) {
        if (std::ferror(file_))
          throw failure(path_, "reading the replay part's log failed");
        return false;
      }
    }
    *word = block_[index_++];
    return true;
  }
  void need_word(std::uint64_t* word) {
    if (!next_word(word))
      throw std::runtime_error(path_ + ": the replay part's log ends inside an event");
  }

  std::string path_;
  std::FILE* file_;
  std::vector<std::uint64_t> block_;
  std::size_t held_ = 0;   // words in block_
  std::size_t index_ = 0;  // the next word's
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
  pending_.reserve(kBlockWords);
}

ReplayPartLog::~ReplayPartLog() {
  if (file_ == nullptr)
    return;
  std::fwrite(pending_.data(), sizeof(std::uint64_t), pending_.size(), file_);  // as far as it goes
  std::fclose(file_);
}

void ReplayPartLog::add(const ReplayPartEvent& event) {
  std::uint64_t first = event.kind == ReplayPartEvent::kComplete ? kCompleteFlag : 0;
  if (event.measured >= 0)
    first |= kMeasuredFlag;
  if (event.dispatch_measured != 0)
    first |= kDispatchFlag;
  const bool wide = event.time < 0 || event.time >= kNarrowTimeLimit;
  if (wide) {
    pending_.push_back(first | kWideTimeFlag);
    pending_.push_back(static_cast<std::uint64_t>(event.time));
  } else {
    pending_.push_back(first | static_cast<std::uint64_t>(event.time) << kFlagBits);
  }
  if (event.measured >= 0) {
    pending_.push_back(static_cast<std::uint64_t>(event.measured));
    pending_.push_back(static_cast<std::uint64_t>(event.simulated));
  }
  if (pending_.size() + 4 > kBlockWords)
    write_pending();
}

void ReplayPartLog::write_pending() {
  if (std::fwrite(pending_.data(), sizeof(std::uint64_t), pending_.size(), file_) != pending_.size())
    throw failure(path_, "writing the replay part's log failed");
  pending_.clear();
}

void ReplayPartLog::finish(const ReplayPartTally& tally) {
  write_pending();
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
