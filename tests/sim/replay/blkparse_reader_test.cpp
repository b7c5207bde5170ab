// The blkparse reader on events written here: requests issued at Q (or D), the measured latency
// from D to C, merged requests sharing one D and C, flushes and discards, other actions and the
// summary passed over.
#include <gtest/gtest.h>

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

TEST(BlkparseReader, IssueAtQueueMeasuresDispatchToCompletion) {
  TempFile file(kEvents);
  const auto trace = read_trace_requests(file.path(), "auto");
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

TEST(BlkparseReader, MergedRequestsShareTheirDispatchAndCompletion) {
  TempFile file(
      "8,0 0 1 1.000000000 5 Q W 100 + 8 [a]\n"
      "8,0 0 2 1.000001000 5 Q W 108 + 8 [a]\n"
      "8,0 0 3 1.000001500 5 M W 108 + 8 [a]\n"
      "8,0 0 4 1.000010000 5 D W 100 + 16 [a]\n"
      "8,0 0 5 1.000510000 0 C W 100 + 16 [0]\n");
  const auto trace = read_trace_requests(file.path(), "blkparse");
  ASSERT_EQ(trace.requests.size(), 2u);
  EXPECT_EQ(trace.requests[0].time, 0);
  EXPECT_EQ(trace.requests[1].time, 1'000);
  EXPECT_EQ(trace.requests[0].measured, 500'000);
  EXPECT_EQ(trace.requests[1].measured, 500'000);
}

}  // namespace
}  // namespace blocksim
