// Reading blocksim's own traces for replay: the top layer's requests in submit order (the file
// is in completion order), byte ranges from the header's block sizes, latencies complete - submit.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

#include "sim/trace/trace_format.hpp"
#include "sim/trace/trace_writer.hpp"
#include "tests/sim/replay/reader_test_support.hpp"

namespace blocksim {
namespace {

CompletionRecord completion(std::uint64_t id, Layer layer, SimTime submit, SimTime complete, std::uint64_t lba,
                            std::uint64_t parent = 0) {
  CompletionRecord r;
  r.request_id = id;
  r.parent_id = parent;
  r.layer = layer;
  r.op = id % 2 ? Op::kRead : Op::kWrite;
  r.device = static_cast<std::uint32_t>(id % 2);
  r.lba = lba;
  r.blocks = 2;
  r.bytes = 8192;
  r.submit = submit;
  r.dispatch = submit;
  r.complete = complete;
  return r;
}

TEST(BlocksimTraceReader, TopLayerInSubmitOrder) {
  const std::string path = "/tmp/blocksim-reader-test-" + std::to_string(::getpid()) + ".bstrace";
  {
    proto::TraceHeader header;
    for (int i = 0; i < 2; ++i) {
      auto* device = header.add_device();
      device->set_index(static_cast<std::uint32_t>(i));
      device->set_name(i == 0 ? "ssd" : "hdd");
      device->set_block_size(4096);
    }
    TraceWriter writer(path, header);
    // Completion order: request 2 (submitted at 50) completes before request 1 (submitted at 10).
    writer.write(completion(2, Layer::kDevice, 50, 60, 7));
    writer.write(completion(2, Layer::kDriver, 50, 70, 7));
    writer.write(completion(3, Layer::kDevice, 15, 80, 9, 1));  // split from request 1
    writer.write(completion(1, Layer::kDriver, 10, 90, 5));
    proto::RunEnd end;
    writer.finish(end);
  }
  const auto trace = testing::read_trace_requests(path, "auto");
  std::remove(path.c_str());
  ASSERT_EQ(trace.requests.size(), 2u);  // the driver layer's two requests
  EXPECT_EQ(trace.devices, (std::vector<std::string>{"ssd", "hdd"}));
  const auto& first = trace.requests[0];
  EXPECT_EQ(first.time, 0);
  EXPECT_EQ(first.device, 1u);
  EXPECT_EQ(first.op, Op::kRead);
  EXPECT_EQ(first.offset, 5u * 4096);
  EXPECT_EQ(first.bytes, 2u * 4096);
  EXPECT_EQ(first.measured, 80);
  EXPECT_EQ(first.measured_from, MeasuredFrom::kSubmit);
  const auto& second = trace.requests[1];
  EXPECT_EQ(second.time, 40);
  EXPECT_EQ(second.device, 0u);
  EXPECT_EQ(second.op, Op::kWrite);
  EXPECT_EQ(second.offset, 7u * 4096);
  EXPECT_EQ(second.measured, 20);
}

}  // namespace
}  // namespace blocksim
