// The blkparse reader on events written here: requests issued at Q (or D, the default when the
// trace has D events), the measured latency from D to C, merged requests sharing one D and C,
// flushes and discards, other actions and the summary passed over.
#include <gtest/gtest.h>

#include "sim/replay/line_reader.hpp"
#include "sim/replay/text_fields.hpp"
#include "tests/sim/replay/reader_test_support.hpp"
#include "tests/support/temp_file.hpp"

namespace blocksim {
namespace {

using testing::read_trace_requests;
using testing::TempFile;

const char* kEvents =
    "  8,0    3        1     0.000000000   697  Q   W 223490 + 8 [kjournald]\n"
    "  8,0    3        2     0.000004275   697  G   W 223490 + 8 [kjournald]\n"
    "  8,0    3        3     0.000006390   697  P   N [kjournald]\n"
    "  8,0    3        4     0.000008789   697  I   W 223490 + 8 [kjournald]\n"
    "  8,0    3        5     0.000010000   698  Q   R 100 + 16 [cat]\n"
    "  8,0    3        6     0.000018364   697  D   W 223490 + 8 [kjournald]\n"
    "  8,0    3        7     0.000020000   698  D   R 100 + 16 [cat]\n"
    "  8,0    0        1     0.001326741     0  C   W 223490 + 8 [0]\n"
    "  8,16   1        1     0.002000000   700  Q FWS [kworker/1:1]\n"
    "  8,16   1        2     0.002100000   700  D FWS [kworker/1:1]\n"
    "  8,16   1        3     0.002500000     0  C FWS 0 [0]\n"
    "  8,0    0        2     0.003000000     0  C   R 100 + 16 [0]\n"
    "  8,0    3        8     0.004000000   701  Q   D 5000 + 64 [fstrim]\n"
    "\n"
    "CPU0 (8,0):\n"
    " Reads Queued:           1,        8KiB\t Writes Queued:           1,        4KiB\n";

ReaderOptions issue_at(proto::Replay::IssueAt at) {
  ReaderOptions options;
  options.issue_at = at;
  return options;
}

TEST(BlkparseReader, IssueAtQueueMeasuresDispatchToCompletion) {
  TempFile file(kEvents);
  const auto trace = read_trace_requests(file.path(), "auto", issue_at(proto::Replay::QUEUE));
  ASSERT_EQ(trace.requests.size(), 4u);
  const auto& w = trace.requests[0];
  EXPECT_EQ(w.op, Op::kWrite);
  EXPECT_EQ(w.time, 0);
  EXPECT_EQ(w.offset, 223490ULL * 512);
  EXPECT_EQ(w.bytes, 8u * 512);
  EXPECT_EQ(w.measured, 1'326'741 - 18'364);  // C - D, ns
  EXPECT_EQ(w.measured_from, MeasuredFrom::kDispatch);
  EXPECT_EQ(w.line, 1u);
  const auto& r = trace.requests[1];
  EXPECT_EQ(r.op, Op::kRead);
  EXPECT_EQ(r.time, 10'000);
  EXPECT_EQ(r.offset, 100u * 512);
  EXPECT_EQ(r.bytes, 16u * 512);
  EXPECT_EQ(r.measured, 3'000'000 - 20'000);
  EXPECT_EQ(r.line, 5u);
  const auto& f = trace.requests[2];
  EXPECT_EQ(f.op, Op::kFlush);
  EXPECT_EQ(f.time, 2'000'000);
  EXPECT_EQ(f.bytes, 0u);
  EXPECT_EQ(f.measured, 400'000);
  const auto& d = trace.requests[3];
  EXPECT_EQ(d.op, Op::kUnmap);  // a discard
  EXPECT_EQ(d.offset, 5000u * 512);
  EXPECT_EQ(d.bytes, 64u * 512);
  EXPECT_EQ(d.measured, -1);  // no C in the trace
  EXPECT_EQ(trace.devices, (std::vector<std::string>{"8,0", "8,16"}));
}

TEST(BlkparseReader, IssueAtDispatch) {
  TempFile file(kEvents);
  ReaderOptions options;
  options.issue_at = proto::Replay::DISPATCH;
  const auto trace = read_trace_requests(file.path(), "blkparse", options);
  ASSERT_EQ(trace.requests.size(), 3u);  // the discard was queued but never dispatched
  EXPECT_EQ(trace.requests[0].time, 0);  // the first D
  EXPECT_EQ(trace.requests[0].measured, 1'326'741 - 18'364);
  EXPECT_EQ(trace.requests[1].time, 20'000 - 18'364);
  EXPECT_EQ(trace.requests[1].line, 7u);
  EXPECT_EQ(trace.requests[2].op, Op::kFlush);
  EXPECT_EQ(trace.requests[2].time, 2'100'000 - 18'364);
  EXPECT_EQ(trace.requests[2].measured, 400'000);
}

// Two queued writes the block layer merged (M) and sent to the device as one (D).
const char* kMergedWrites =
    "8,0 0 1 1.000000000 5 Q W 100 + 8 [a]\n"
    "8,0 0 2 1.000001000 5 Q W 108 + 8 [a]\n"
    "8,0 0 3 1.000001500 5 M W 108 + 8 [a]\n"
    "8,0 0 4 1.000010000 5 D W 100 + 16 [a]\n"
    "8,0 0 5 1.000510000 0 C W 100 + 16 [0]\n";

TEST(BlkparseReader, MergedRequestsShareTheirDispatchAndCompletion) {
  TempFile file(kMergedWrites);
  const auto trace = read_trace_requests(file.path(), "blkparse", issue_at(proto::Replay::QUEUE));
  ASSERT_EQ(trace.requests.size(), 2u);
  EXPECT_EQ(trace.requests[0].time, 0);
  EXPECT_EQ(trace.requests[1].time, 1'000);
  EXPECT_EQ(trace.requests[0].measured, 500'000);
  EXPECT_EQ(trace.requests[1].measured, 500'000);
}

// By default a trace with D events replays them: the two queued bios went to the device as one.
TEST(BlkparseReader, DefaultIssuesAtDispatchWhenTheTraceHasDispatches) {
  TempFile file(kMergedWrites);
  auto reader = open_trace(file.path(), "blkparse", ReaderOptions{});
  TraceRequest request;
  ASSERT_TRUE(reader->next(&request));
  EXPECT_EQ(request.bytes, 16u * 512);  // the merged size
  EXPECT_EQ(request.measured, 500'000);
  EXPECT_EQ(request.line, 4u);
  EXPECT_FALSE(reader->next(&request));
  EXPECT_NE(reader->choice().find("blkparse: issue at D events (the default"), std::string::npos) << reader->choice();
}

// A trace of Q and C events only replays the Q events, and says so.
TEST(BlkparseReader, DefaultIssuesAtQueueWithANoteWithoutDispatches) {
  TempFile file(
      "8,0 0 1 1.000000000 5 Q W 100 + 8 [a]\n"
      "8,0 0 2 1.000001000 5 Q W 108 + 8 [a]\n"
      "8,0 0 5 1.000510000 0 C W 100 + 16 [0]\n");
  auto reader = open_trace(file.path(), "blkparse", ReaderOptions{});
  TraceRequest request;
  int count = 0;
  while (reader->next(&request))
    ++count;
  EXPECT_EQ(count, 2);
  EXPECT_EQ(reader->choice().rfind("note: the trace has no D (dispatch) events", 0), 0u) << reader->choice();
}

// The shipped sample (blkparse's default format, as the kernel writes it: Q, G, P, M, I, U, D and C
// events, two discards, two flushes, the summary after the events): its D events, counted here
// from the text, are the requests by default, each with its merged size and its D-to-C latency.
TEST(BlkparseReader, SampleOfMergedBiosReplaysItsDispatches) {
  const std::string path = std::string(BLOCKSIM_SOURCE_DIR) + "/tests/sim/replay/data/merged.blkparse";
  LineReader lines(path);
  std::string_view line;
  std::vector<std::uint64_t> dispatched_sectors;
  std::size_t queued = 0;
  while (lines.next(&line)) {
    std::string_view fields[10];
    const std::size_t count = text::split_whitespace(line, fields, 10);
    if (count < 7 || fields[0].find(',') == std::string_view::npos)
      continue;
    queued += fields[5] == "Q";
    if (fields[5] == "D") {
      std::uint64_t sectors = 0;
      if (count >= 10 && fields[8] == "+") {
        ASSERT_TRUE(text::parse_u64(fields[9], &sectors));
      }
      dispatched_sectors.push_back(sectors);
    }
  }
  ASSERT_EQ(dispatched_sectors.size(), 26u);
  ASSERT_EQ(queued, 362u);

  const auto dispatches = read_trace_requests(path, "auto");
  ASSERT_EQ(dispatches.requests.size(), dispatched_sectors.size());
  std::size_t unmaps = 0, flushes = 0;
  for (std::size_t i = 0; i < dispatches.requests.size(); ++i) {
    const TraceRequest& r = dispatches.requests[i];
    EXPECT_EQ(r.bytes, dispatched_sectors[i] * 512) << "request " << i;
    EXPECT_GT(r.measured, 0) << "request " << i << ": every dispatch has its completion";
    unmaps += r.op == Op::kUnmap;
    flushes += r.op == Op::kFlush;
  }
  EXPECT_EQ(unmaps, 2u);
  EXPECT_EQ(flushes, 2u);
  EXPECT_EQ(read_trace_requests(path, "blkparse", issue_at(proto::Replay::QUEUE)).requests.size(), queued);
}

}  // namespace
}  // namespace blocksim
