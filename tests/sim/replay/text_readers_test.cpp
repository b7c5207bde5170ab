// The line-oriented readers on lines written here in each format, every field checked against
// the format's units: FILETIME ticks of 100 ns (MSR), seconds (UMass, blkparse), milliseconds
// (DiskSim ascii), microseconds (fio v3, fio waits), nanoseconds (MQSim); byte offsets (MSR,
// fio) against 512-byte sectors (UMass, DiskSim, MQSim, blkparse). Times are from the first
// request, DiskSim's from the start of its simulation.
#include <gtest/gtest.h>

#include "tests/sim/replay/reader_test_support.hpp"
#include "tests/support/temp_file.hpp"

namespace blocksim {
namespace {

using testing::read_trace_requests;
using testing::TempFile;

TEST(MsrReader, EveryField) {
  TempFile file(
      "Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime\n"
      "128166372003061629,hm,0,Read,3154993152,4096,2167\n"
      "128166372016382155,hm,1,Write,3154993664,1536,1100\n");
  const auto trace = read_trace_requests(file.path(), "auto");
  ASSERT_EQ(trace.requests.size(), 2u);
  const auto& a = trace.requests[0];
  const auto& b = trace.requests[1];
  EXPECT_EQ(a.time, 0);
  EXPECT_EQ(b.time, (128166372016382155 - 128166372003061629) * 100);  // FILETIME ticks are 100 ns
  EXPECT_EQ(a.op, Op::kRead);
  EXPECT_EQ(b.op, Op::kWrite);
  EXPECT_EQ(a.offset, 3154993152u);  // bytes, not sectors
  EXPECT_EQ(b.offset, 3154993664u);
  EXPECT_EQ(a.bytes, 4096u);
  EXPECT_EQ(b.bytes, 1536u);
  EXPECT_EQ(a.measured, 216'700);
  EXPECT_EQ(b.measured, 110'000);
  EXPECT_EQ(a.measured_from, MeasuredFrom::kSubmit);
  EXPECT_EQ(trace.devices, (std::vector<std::string>{"hm/0", "hm/1"}));
  EXPECT_EQ(a.line, 2u);
  EXPECT_EQ(b.line, 3u);
}

TEST(UmassReader, EveryField) {
  TempFile file("0,20941264,8192,W,0.551706\n1,20939840,512,r,0.554041,extra\n");
  const auto trace = read_trace_requests(file.path(), "auto");
  ASSERT_EQ(trace.requests.size(), 2u);
  const auto& a = trace.requests[0];
  const auto& b = trace.requests[1];
  EXPECT_EQ(a.time, 0);
  EXPECT_EQ(b.time, 2'335'000);  // 0.554041 s - 0.551706 s
  EXPECT_EQ(a.offset, 20941264ULL * 512);
  EXPECT_EQ(b.offset, 20939840ULL * 512);
  EXPECT_EQ(a.bytes, 8192u);  // Size is in bytes
  EXPECT_EQ(b.bytes, 512u);
  EXPECT_EQ(a.op, Op::kWrite);
  EXPECT_EQ(b.op, Op::kRead);
  EXPECT_EQ(a.measured, -1);
  EXPECT_EQ(trace.devices, (std::vector<std::string>{"0", "1"}));
}

TEST(DiskSimAsciiReader, EveryField) {
  TempFile file("13.191135\t30\t0\t5\t1\n17.829285 20 576560 6 0x2\n");
  const auto trace = read_trace_requests(file.path(), "auto");
  ASSERT_EQ(trace.requests.size(), 2u);
  const auto& a = trace.requests[0];
  const auto& b = trace.requests[1];
  // From the start of DiskSim's simulation, not the first request's, every digit kept.
  EXPECT_EQ(a.time, 13'191'135);
  EXPECT_EQ(b.time, 17'829'285);
  EXPECT_EQ(a.offset, 0u);
  EXPECT_EQ(b.offset, 576560ULL * 512);
  EXPECT_EQ(a.bytes, 5u * 512);
  EXPECT_EQ(b.bytes, 6u * 512);
  EXPECT_EQ(a.op, Op::kRead);   // flags bit 0
  EXPECT_EQ(b.op, Op::kWrite);  // 0x2: bit 0 clear
  EXPECT_EQ(trace.devices, (std::vector<std::string>{"30", "20"}));
}

TEST(MqsimReader, EveryField) {
  TempFile file("938513000 4 264719034 16 0\n938828000 3 197570570 8 1\n");
  const auto trace = read_trace_requests(file.path(), "auto");
  ASSERT_EQ(trace.requests.size(), 2u);
  const auto& a = trace.requests[0];
  const auto& b = trace.requests[1];
  EXPECT_EQ(a.time, 0);
  EXPECT_EQ(b.time, 315'000);  // ns
  EXPECT_EQ(a.offset, 264719034ULL * 512);
  EXPECT_EQ(b.offset, 197570570ULL * 512);
  EXPECT_EQ(a.bytes, 16u * 512);
  EXPECT_EQ(b.bytes, 8u * 512);
  EXPECT_EQ(a.op, Op::kWrite);  // type 0
  EXPECT_EQ(b.op, Op::kRead);   // type 1
  EXPECT_EQ(trace.devices, (std::vector<std::string>{"4", "3"}));
}

TEST(FioIologReader, Version2WaitsMoveTheClock) {
  TempFile file(
      "fio version 2 iolog\n"
      "/dev/sdb add\n"
      "/dev/sdb open\n"
      "/dev/sdb write 4096 8192\n"
      "/dev/sdb wait 1500 0\n"
      "/dev/sdb read 0 4096\n"
      "/dev/sdb wait 250 0\n"
      "/dev/sdb sync 0 0\n"
      "/dev/sdb trim 8192 4096\n"
      "/dev/sdb close\n");
  const auto trace = read_trace_requests(file.path(), "auto");
  ASSERT_EQ(trace.requests.size(), 4u);
  const auto& r = trace.requests;
  EXPECT_EQ(r[0].op, Op::kWrite);
  EXPECT_EQ(r[0].offset, 4096u);  // bytes
  EXPECT_EQ(r[0].bytes, 8192u);
  EXPECT_EQ(r[0].time, 0);
  EXPECT_EQ(r[0].line, 4u);
  EXPECT_EQ(r[1].op, Op::kRead);
  EXPECT_EQ(r[1].time, 1'500'000);  // wait 1500 us
  EXPECT_EQ(r[2].op, Op::kFlush);
  EXPECT_EQ(r[2].bytes, 0u);
  EXPECT_EQ(r[2].time, 1'750'000);
  EXPECT_EQ(r[3].op, Op::kUnmap);
  EXPECT_EQ(r[3].offset, 8192u);
  EXPECT_EQ(r[3].bytes, 4096u);
  EXPECT_EQ(trace.devices, (std::vector<std::string>{"/dev/sdb"}));
}

TEST(FioIologReader, Version3TimestampsInMicroseconds) {
  TempFile file(
      "fio version 3 iolog\n"
      "0 /dev/nvme0n1 add\n"
      "2 /dev/nvme0n1 open\n"
      "878 /dev/nvme0n1 write 0 16384\n"
      "888 /dev/nvme0n1 read 16384 4096\n"
      "900 /dev/nvme1n1 datasync\n"
      "10001677 /dev/nvme0n1 close\n");
  const auto trace = read_trace_requests(file.path(), "auto");
  ASSERT_EQ(trace.requests.size(), 3u);
  EXPECT_EQ(trace.requests[0].time, 0);
  EXPECT_EQ(trace.requests[1].time, 10'000);  // 888 us - 878 us
  EXPECT_EQ(trace.requests[1].offset, 16384u);
  EXPECT_EQ(trace.requests[1].bytes, 4096u);
  EXPECT_EQ(trace.requests[2].op, Op::kFlush);
  EXPECT_EQ(trace.requests[2].time, 22'000);
  EXPECT_EQ(trace.devices, (std::vector<std::string>{"/dev/nvme0n1", "/dev/nvme1n1"}));
}

// One bad line in each format: the error names the file and that line, and reading resumes after it.
TEST(TextReaders, MalformedLinesNameTheirLine) {
  struct Case {
    const char* format;
    const char* text;  // the third line is bad
  };
  const Case cases[] = {
      {"msr", "128166372003061629,hm,0,Read,0,4096,2167\n\n128166372003061630,hm,0,Fetch,0,4096,2167\n"},
      {"msr", "128166372003061629,hm,0,Read,0,4096,2167\n\n128166372003061630,hm,0,Read,0,4096\n"},
      {"umass", "0,20941264,8192,W,0.551706\n\n0,20941264,8192,x,0.551706\n"},
      {"umass", "0,20941264,8192,W,0.551706\n\n0,20941264,8192,W,soon\n"},
      {"disksim-ascii", "13.191135 30 0 5 1\n\n13.2 30 0 5 zz\n"},
      {"mqsim", "938513000 4 264719034 16 0\n\n938513001 4 264719034 16 2\n"},
      {"mqsim", "938513000 4 264719034 16 0\n\n938513001 4 -264719034 16 1\n"},
      {"fio-iolog", "fio version 2 iolog\n/dev/sdb add\n/dev/sdb fetch 0 4096\n"},
      {"fio-iolog", "fio version 3 iolog\n0 /dev/sdb add\n5 /dev/sdb read 4096\n"},
      {"blkparse", "  8,0 3 1 0.000000000 697 Q W 8 + 8 [a]\n\n  8,0 3 2 0.00000x000 697 Q W 8 + 8 [a]\n"},
      {"blkparse", "  8,0 3 1 0.000000000 697 Q W 8 + 8 [a]\n\nthis is not blkparse\n"},
      {"csv", "time_ns,device,op,offset,bytes,latency_ns,latency_from,idle_ns,source_line\n"
              "0,\"0\",read,0,512,,,,1\n"
              "5,\"0\",copy,0,512,,,,2\n"},
  };
  for (const auto& c : cases) {
    TempFile file(c.text);
    auto reader = open_trace(file.path(), c.format, {});
    TraceRequest request;
    try {
      while (reader->next(&request)) {
      }
      ADD_FAILURE() << c.format << ": accepted " << c.text;
    } catch (const TraceInputError& error) {
      EXPECT_EQ(error.line(), 3u) << c.format << ": " << error.what();
      EXPECT_EQ(error.file(), file.path());
      EXPECT_TRUE(error.recoverable());
    }
  }
}

TEST(FormatDetection, SaysWhatItChose) {
  TempFile mqsim("938513000 4 264719034 16 0\n");
  const DetectedFormat detected = detect_trace_format(mqsim.path());
  EXPECT_EQ(detected.format->name, "mqsim");
  EXPECT_FALSE(detected.reason.empty());
  TempFile nothing("hello world\n");
  EXPECT_THROW(detect_trace_format(nothing.path()), TraceInputError);
  EXPECT_THROW(open_trace(mqsim.path(), "cobol", {}), TraceInputError);
}

}  // namespace
}  // namespace blocksim
