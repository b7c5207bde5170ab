// The DiskSim validate reader on lines written here, every field checked against the format
// (sectors of 512 B, times in microseconds), and on the real validation traces.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/replay/format_registry.hpp"
#include "tests/support/temp_file.hpp"

namespace blocksim {
namespace {

std::vector<TraceRequest> read_all(const std::string& path, const std::string& format = "disksim-validate") {
  auto reader = open_trace(path, format, {});
  std::vector<TraceRequest> requests;
  TraceRequest request;
  while (reader->next(&request))
    requests.push_back(request);
  return requests;
}

TEST(DiskSimValidateReader, EveryField) {
  testing::TempFile file(
      "R Hit 265552 2 14901.000000 4757.708232\n"
      "\n"
      "W Miss   311664  30  12628.5  17035.0004\n");
  const auto requests = read_all(file.path());
  ASSERT_EQ(requests.size(), 2u);
  const TraceRequest& a = requests[0];
  EXPECT_EQ(a.op, Op::kRead);
  EXPECT_EQ(a.offset, 265552u * 512);
  EXPECT_EQ(a.bytes, 2u * 512);
  EXPECT_EQ(a.measured, 14'901'000);           // us -> ns
  EXPECT_EQ(a.measured_from, MeasuredFrom::kDispatch);
  EXPECT_EQ(a.idle_after, 4'757'708);          // 4757.708232 us, to the nearest ns
  EXPECT_EQ(a.time, 0);
  EXPECT_EQ(a.line, 1u);
  const TraceRequest& b = requests[1];
  EXPECT_EQ(b.op, Op::kWrite);
  EXPECT_EQ(b.offset, 311664u * 512);
  EXPECT_EQ(b.bytes, 30u * 512);
  EXPECT_EQ(b.measured, 12'628'500);
  EXPECT_EQ(b.idle_after, 17'035'000);          // 17035.0004 us rounds down
  EXPECT_EQ(b.time, 14'901'000 + 4'757'708);    // the recorded timeline: arrival + access + gap
  EXPECT_EQ(b.line, 3u);                        // the blank line counts
  EXPECT_EQ(b.device, a.device);
}

TEST(DiskSimValidateReader, ReadsGzipDirectly) {
  testing::TempFile file("R Hit 8 8 100 200\nW Hit 16 8 300 400\n", ".trace.gz", true);
  const auto requests = read_all(file.path(), "auto");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].offset, 16u * 512);
  EXPECT_EQ(requests[1].time, 300'000);
}

TEST(DiskSimValidateReader, MalformedLinesNameTheirLine) {
  const char* bad[] = {
      "R Hit 8 8 100\n",            // 5 fields
      "X Hit 8 8 100 200\n",        // not R or W
      "R Hit 8x 8 100 200\n",       // block number
      "R Hit 8 8 -100 200\n",       // negative time
      "R Hit 8 8 100 2e\n",         // not a number
  };
  for (const char* line : bad) {
    testing::TempFile file(std::string("R Hit 0 8 100 200\n\n") + line);
    auto reader = open_trace(file.path(), "disksim-validate", {});
    TraceRequest request;
    ASSERT_TRUE(reader->next(&request));
    try {
      reader->next(&request);
      ADD_FAILURE() << "accepted " << line;
    } catch (const TraceInputError& error) {
      EXPECT_EQ(error.line(), 3u) << line;
      EXPECT_EQ(error.file(), file.path());
      EXPECT_TRUE(error.recoverable());
    }
    EXPECT_FALSE(reader->next(&request));  // resumes after the bad line: the end
  }
}

// The real traces: the request count and the read/write split, counted here from the text.
TEST(DiskSimValidateReader, ShippedValidationTraces) {
  for (const char* name : {"hp_c3323a", "hp_c2490a", "atlas_III", "cheetah9LP"}) {
    const std::string path = std::string(BLOCKSIM_SOURCE_DIR) + "/data/disksim-validate/" + name + ".trace";
    std::ifstream in(path);
    ASSERT_TRUE(in) << path;
    std::uint64_t lines = 0, reads = 0;
    double access_us = 0;
    for (std::string line; std::getline(in, line);) {
      std::istringstream fields(line);
      std::string op, outcome;
      double block, count, access;
      if (!(fields >> op >> outcome >> block >> count >> access))
        continue;
      ++lines;
      reads += op == "R";
      access_us += access;
    }
    const auto requests = read_all(path, "auto");
    ASSERT_EQ(requests.size(), lines) << name;
    std::uint64_t read_requests = 0;
    double access_ns = 0;
    for (const auto& request : requests) {
      read_requests += request.op == Op::kRead;
      access_ns += static_cast<double>(request.measured);
    }
    EXPECT_EQ(read_requests, reads) << name;
    EXPECT_NEAR(access_ns / 1e3, access_us, 1e-3 * static_cast<double>(lines)) << name;
  }
}

}  // namespace
}  // namespace blocksim
