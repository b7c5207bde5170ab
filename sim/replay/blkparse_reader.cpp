// blkparse's default text output (blktrace), one event a line:
//   major,minor  cpu  sequence  seconds.nanoseconds  pid  action  RWBS  [sector + sectors] [process]
// A request is issued at its Q (queued) event, or at its D (dispatched) event as the replay
// chooses; its completion (C) gives the measured latency from D to C, the time the device had it.
// By default (AUTO) a trace with D events replays its D events: the kernel merged many queued bios
// into fewer dispatches, each with its merged size, and those are what the device served. A trace
// without D events (blktrace filtered to Q and C, say) replays Q events, and says so (choice()).
// RWBS letters: R read, W write, D discard (replayed as an unmap), F flush (a flush when it
// carries no sectors), N no data (not a request). Sectors are 512 bytes; the device is
// "major,minor". Other actions (G, I, M, P, U, X, A, m ...) are passed over, as is the summary
// blkparse prints after the events ("CPU0 (8,0):", "Total (...)").
//
// Requests are handed out in the order of their issue events, each once its C has been read, so
// that the replay knows the measured latency before it issues the request; a window of at most
// kWindow requests waits for completions (memory stays bounded; one whose C never comes leaves
// without a measurement when the window is full or the trace ends). A D or C event covers every
// waiting request of its device whose sectors lie inside its own (merged requests share one D
// and one C).
#include <deque>

#include "sim/replay/readers.hpp"
#include "sim/replay/text_fields.hpp"

namespace blocksim {

namespace {

constexpr std::size_t kWindow = 4096;

struct Event {
  std::string_view device;
  SimTime time = 0;  // ns, as blkparse prints it
  char action = 0;
  std::string_view rwbs;
  bool has_range = false;
  std::uint64_t sector = 0;
  std::uint64_t sectors = 0;
};

class BlkparseReader final : public TextRequestReader {
 public:
  BlkparseReader(const std::string& path, const ReaderOptions& options) : TextRequestReader(path) {
    switch (options.issue_at) {
      case proto::Replay::QUEUE:
        issue_at_ = 'Q';
        choice_ = "blkparse: issue at Q events (--issue-at Q): bios as queued, before the kernel merged them";
        break;
      case proto::Replay::DISPATCH:
        issue_at_ = 'D';
        choice_ = "blkparse: issue at D events (--issue-at D): requests as the kernel merged and dispatched them";
        break;
      default:
        if (has_dispatches(path)) {
          issue_at_ = 'D';
          choice_ = "blkparse: issue at D events (the default for a trace with D events): requests as the kernel "
                    "merged and dispatched them, what the device served; --issue-at Q replays the queued bios";
        } else {
          issue_at_ = 'Q';
          choice_ = "note: the trace has no D (dispatch) events, so its Q events are replayed: bios as queued, "
                    "before any merging the kernel did";
        }
    }
  }

  std::string choice() const override { return choice_; }

  bool next(TraceRequest* request) override {
    for (;;) {
      if (!waiting_.empty() && (waiting_.front().done || ended_ || waiting_.size() > kWindow)) {
        *request = waiting_.front().request;
        waiting_.pop_front();
        return true;
      }
      if (ended_)
        return false;
      std::string_view line;
      if (!next_line(&line)) {
        ended_ = true;
        continue;
      }
      Event event;
      if (parse(line, &event))
        apply(event);
    }
  }

 private:
  struct Waiting {
    TraceRequest request;
    std::uint64_t sector = 0;
    std::uint64_t sectors = 0;
    SimTime issued = 0;     // raw time of the issue event
    SimTime dispatched = -1;
    bool done = false;
  };

  // False for lines that are no event (the summary sets ended_).
  bool parse(std::string_view line, Event* event) {
    std::string_view fields[12];
    const std::size_t count = text::split_whitespace(line, fields, 12);
    if (fields[0].find(',') == std::string_view::npos) {
      if (text::starts_with_ignore_case(fields[0], "CPU") || fields[0] == "Total") {
        ended_ = true;  // blkparse's summary follows the events
        return false;
      }
      fail("not a blkparse event: expected \"major,minor cpu sequence seconds pid action RWBS ...\"");
    }
    if (count < 7)
      fail("expected at least 7 fields (device, cpu, sequence, time, pid, action, RWBS), found " +
           std::to_string(count));
    event->device = fields[0];
    event->time = scaled_field(fields[3], 9, 4, "time in s");
    if (fields[5].size() != 1)
      return false;  // not an action letter this reader uses
    event->action = fields[5][0];
    event->rwbs = fields[6];
    if (count >= 10 && fields[8] == "+") {
      event->sector = u64_field(fields[7], 8, "sector");
      event->sectors = u64_field(fields[9], 10, "sectors");
      event->has_range = true;
    }
    return true;
  }

  // Whether any line of the trace is a D event (read until the first one: it comes within a few
  // lines of the first Q in a trace that has them).
  static bool has_dispatches(const std::string& path) {
    LineReader lines(path);
    std::string_view line;
    while (lines.next(&line)) {
      std::string_view fields[7];
      if (text::split_whitespace(line, fields, 7) >= 7 && fields[0].find(',') != std::string_view::npos &&
          fields[5] == "D")
        return true;
    }
    return false;
  }

  static bool has(std::string_view rwbs, char letter) { return rwbs.find(letter) != std::string_view::npos; }

  void apply(const Event& event) {
    if (event.action == issue_at_)
      add(event);
    else if (event.action == 'D')
      dispatched(event);
    else if (event.action == 'C')
      completed(event);
  }

  void add(const Event& event) {
    Op op;
    if (has(event.rwbs, 'D'))
      op = Op::kUnmap;
    else if (has(event.rwbs, 'F') && event.sectors == 0)
      op = Op::kFlush;
    else if (has(event.rwbs, 'W'))
      op = Op::kWrite;
    else if (has(event.rwbs, 'R'))
      op = Op::kRead;
    else
      return;  // no data
    Waiting waiting;
    waiting.request.op = op;
    waiting.request.time = relative(event.time);
    waiting.request.device = devices_.id(event.device);
    waiting.request.offset = sectors_to_bytes(event.sector, 8, "sector");
    waiting.request.bytes = sectors_to_bytes(event.sectors, 10, "sectors");
    waiting.request.line = line_number();
    waiting.sector = event.sector;
    waiting.sectors = event.sectors;
    waiting.issued = event.time;
    if (issue_at_ == 'D')
      waiting.dispatched = event.time;
    waiting_.push_back(waiting);
  }

  // The waiting requests of the event's device that it covers: inside its sector range, or, for
  // an event without a range (a flush), the oldest waiting flush.
  template <class F>
  void for_covered(const Event& event, F&& fn) {
    if (waiting_.empty())
      return;
    const std::uint32_t device = devices_.id(event.device);
    for (auto& waiting : waiting_) {
      if (waiting.done || waiting.request.device != device)
        continue;
      if (!event.has_range || event.sectors == 0) {
        if (waiting.request.op == Op::kFlush) {
          fn(waiting);
          return;
        }
        continue;
      }
      if (waiting.sectors > 0 && waiting.sector >= event.sector &&
          waiting.sector + waiting.sectors <= event.sector + event.sectors)
        fn(waiting);
    }
  }

  void dispatched(const Event& event) {
    for_covered(event, [&](Waiting& waiting) {
      if (waiting.dispatched < 0)
        waiting.dispatched = event.time;
    });
  }

  void completed(const Event& event) {
    for_covered(event, [&](Waiting& waiting) {
      waiting.done = true;
      if (waiting.dispatched >= 0 && event.time >= waiting.dispatched) {
        waiting.request.measured = event.time - waiting.dispatched;
        waiting.request.measured_from = MeasuredFrom::kDispatch;
      }
    });
  }

  char issue_at_ = 'Q';
  std::string choice_;
  bool ended_ = false;
  std::deque<Waiting> waiting_;
};

}  // namespace

std::unique_ptr<RequestReader> make_blkparse_reader(const std::string& path, const ReaderOptions& options) {
  return std::make_unique<BlkparseReader>(path, options);
}

bool detect_blkparse(const FirstLines& lines, std::string* reason) {
  std::size_t events = 0;
  for (const auto line : lines) {
    std::string_view fields[8];
    const std::size_t count = text::split_whitespace(line, fields, 8);
    const auto comma = fields[0].find(',');
    std::uint64_t value = 0;
    std::int64_t time = 0;
    if (count < 7 || comma == std::string_view::npos) {
      if (events > 0)
        break;  // the summary after the events
      return false;
    }
    if (!text::parse_u64(fields[0].substr(0, comma), &value) || !text::parse_u64(fields[0].substr(comma + 1), &value) ||
        !text::parse_scaled(fields[3], 9, &time))
      return false;
    ++events;
  }
  *reason = "\"major,minor cpu sequence seconds pid action RWBS\" lines (blkparse)";
  return events > 0;
}

}  // namespace blocksim
