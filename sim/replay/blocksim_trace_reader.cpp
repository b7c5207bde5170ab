// blocksim's own protobuf traces (docs/trace_format.md), so that a simulated run, or a trace
// converted with `blocksim trace convert`, replays on another device. The requests are the
// records of the top layer present (the one nearest the workload: aio, then media, driver,
// device) that no layer split from another (parent_id 0), in the order of their submit times:
// a trace is written in completion order, so records pass through a window of kWindow sorted by
// submit time (enough for that many requests in flight at once; more would come out of order,
// which the replay counts). The top layer is the highest one among the window's first fill.
// The byte range is lba x the device's block size; devices are the header's, by index.
// Measured latency: complete - submit, or, in a converted trace (devices of model "recorded")
// whose record has a dispatch time, complete - dispatch; none where complete_ns is absent.
#include <cstring>
#include <queue>

#include "sim/replay/readers.hpp"
#include "sim/trace/trace_format.hpp"

namespace blocksim {

namespace {

constexpr std::size_t kWindow = 65536;

struct Pending {
  proto::Completion completion;
  std::uint64_t record = 0;
  bool operator>(const Pending& other) const {
    return completion.submit_ns() != other.completion.submit_ns() ? completion.submit_ns() > other.completion.submit_ns()
                                                                  : record > other.record;
  }
};

Op op_of(proto::Op op) {
  switch (op) {
    case proto::OP_READ: return Op::kRead;
    case proto::OP_WRITE: return Op::kWrite;
    case proto::OP_FLUSH: return Op::kFlush;
    case proto::OP_UNMAP: return Op::kUnmap;
    case proto::OP_EJECT: return Op::kEject;
    case proto::OP_FORMAT: return Op::kFormat;
  }
  return Op::kRead;
}

class BlocksimTraceReader final : public RequestReader {
 public:
  explicit BlocksimTraceReader(const std::string& path) : RequestReader(path), trace_(path) {
    for (const auto& device : trace_.header().device()) {
      if (device.index() != devices().size())
        throw TraceInputError(path, 0, "the header's devices are not numbered 0, 1, 2 ...", false);
      devices_.id(device.name());
      block_sizes_.push_back(device.block_size() > 0 ? device.block_size() : 1);
      recorded_ = recorded_ || device.model() == "recorded";
    }
  }

  bool next(TraceRequest* request) override {
    if (!filled_)
      fill();
    while (!ended_ && window_.size() <= kWindow)
      read_one();
    if (window_.empty())
      return false;
    const Pending pending = window_.top();
    window_.pop();
    convert(pending, request);
    return true;
  }

 private:
  // Reads the first window and picks the top layer from it.
  void fill() {
    filled_ = true;
    std::vector<Pending> first;
    proto::TraceRecord record;
    while (first.size() < kWindow && read(&record))
      if (record.has_completion() && record.completion().parent_id() == 0) {
        top_layer_ = std::max<int>(top_layer_, record.completion().layer());
        first.push_back({record.completion(), trace_.records_read()});
      }
    ended_ = first.size() < kWindow;
    for (auto& pending : first)
      if (static_cast<int>(pending.completion.layer()) == top_layer_)
        window_.push(std::move(pending));
  }

  void read_one() {
    proto::TraceRecord record;
    if (!read(&record)) {
      ended_ = true;
      return;
    }
    if (record.has_completion() && record.completion().parent_id() == 0 &&
        static_cast<int>(record.completion().layer()) == top_layer_)
      window_.push({record.completion(), trace_.records_read()});
  }

  void convert(const Pending& pending, TraceRequest* request) {
    const proto::Completion& c = pending.completion;
    if (c.device() >= block_sizes_.size())
      throw TraceInputError(path_, pending.record, "device " + std::to_string(c.device()) + " is not in the header");
    if (c.submit_ns() > static_cast<std::uint64_t>(kMaxTraceTime) ||
        c.complete_ns() > static_cast<std::uint64_t>(kMaxTraceTime) ||
        c.dispatch_ns() > static_cast<std::uint64_t>(kMaxTraceTime))
      throw TraceInputError(path_, pending.record, "a time past 2^61 ns");
    const std::uint64_t block = block_sizes_[c.device()];
    *request = TraceRequest{};
    request->time = relative(static_cast<SimTime>(c.submit_ns()));
    request->device = c.device();
    request->op = op_of(c.op());
    request->offset = c.lba() * block;
    request->bytes = request->op == Op::kFlush ? 0 : c.blocks() * block;
    request->line = pending.record;
    if (c.has_complete_ns()) {
      const bool from_dispatch = recorded_ && c.has_dispatch_ns();
      const std::uint64_t start = from_dispatch ? c.dispatch_ns() : c.submit_ns();
      request->measured = c.complete_ns() >= start ? static_cast<SimTime>(c.complete_ns() - start) : 0;
      request->measured_from = from_dispatch ? MeasuredFrom::kDispatch : MeasuredFrom::kSubmit;
    }
  }

  // The next record; a damaged one ends the reading with its record number.
  bool read(proto::TraceRecord* record) {
    try {
      return trace_.next(record);
    } catch (const TraceFormatError&) {
      throw TraceInputError(path_, trace_.records_read() + 1, "the record is truncated or damaged", false);
    }
  }

  TraceReader trace_;
  std::vector<std::uint64_t> block_sizes_;
  bool recorded_ = false;
  bool filled_ = false;
  bool ended_ = false;
  int top_layer_ = 0;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> window_;
};

}  // namespace

std::unique_ptr<RequestReader> make_blocksim_trace_reader(const std::string& path, const ReaderOptions&) {
  try {
    return std::make_unique<BlocksimTraceReader>(path);
  } catch (const TraceInputError&) {
    throw;
  } catch (const TraceFormatError& error) {
    // TraceReader's message starts with the path already.
    throw TraceInputError(path, 0, std::string(error.what()).substr(std::min(path.size() + 2, std::strlen(error.what()))),
                          false);
  }
}

bool detect_blocksim_trace(const FirstLines& lines, std::string* reason) {
  if (lines.empty() || lines.front().substr(0, kTraceMagic.size()) != kTraceMagic)
    return false;
  *reason = "starts with \"" + std::string(kTraceMagic) + "\" (a blocksim trace)";
  return true;
}

}  // namespace blocksim
