// The bulk reader: every completion of a trace in columns, field for field as written, the
// RunEnd, and the summary the run printed; a trace cut short has no end.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "sim/trace/trace_columns.hpp"
#include "sim/trace/trace_reader.hpp"
#include "sim/trace/trace_writer.hpp"

namespace blocksim {
namespace {

std::string scratch_path(const char* name) {
  return std::string(::testing::TempDir()) + "/" + name + "-" + std::to_string(::getpid()) + ".bstrace";
}

CompletionRecord record(std::uint64_t id) {
  CompletionRecord r;
  r.request_id = id;
  r.parent_id = id > 2 ? id - 2 : 0;
  r.device = static_cast<std::uint32_t>(id % 3);
  r.op = id % 2 ? Op::kWrite : Op::kRead;
  r.layer = id % 4 == 0 ? Layer::kDriver : Layer::kDevice;
  r.flags = id % 5 == 0 ? kFlagFua : 0;
  r.lba = id * 1000;
  r.blocks = id;
  r.bytes = id * 4096;
  r.submit = static_cast<SimTime>(id * 10);
  r.dispatch = static_cast<SimTime>(id * 10 + 1);
  r.complete = static_cast<SimTime>(id * 10 + 7 * id);
  r.status = id == 6 ? kIOReturnIOError : kIOReturnSuccess;
  r.queue_depth = static_cast<std::uint32_t>(id % 7);
  return r;
}

TEST(TraceColumns, EveryFieldAsWritten) {
  const std::string path = scratch_path("columns");
  proto::TraceHeader header;
  header.set_format_version(1);
  header.mutable_scenario()->set_name("columns");
  {
    TraceWriter writer(path, header);
    for (std::uint64_t id = 1; id <= 100; ++id)
      writer.write(record(id));
    proto::RunEnd end;
    end.set_end_ns(1700);
    end.set_completions(100);
    auto* metric = end.add_metric();
    metric->set_name("d.gc_runs");
    metric->set_value(3);
    writer.finish(end);
  }
  const TraceContents contents = read_trace_contents(path, true);
  const TraceColumns& c = contents.columns;
  ASSERT_EQ(c.size(), 100u);
  EXPECT_EQ(contents.records, 100u);
  EXPECT_EQ(contents.header.scenario().name(), "columns");
  ASSERT_TRUE(contents.end.has_value());
  EXPECT_EQ(contents.end->metric(0).name(), "d.gc_runs");
  for (std::size_t i = 0; i < c.size(); ++i) {
    const CompletionRecord want = record(i + 1);
    EXPECT_EQ(c.request_id[i], want.request_id);
    EXPECT_EQ(c.parent_id[i], want.parent_id);
    EXPECT_EQ(c.device[i], want.device);
    EXPECT_EQ(c.op[i], static_cast<std::uint8_t>(want.op));
    EXPECT_EQ(c.layer[i], static_cast<std::uint8_t>(want.layer));
    EXPECT_EQ(c.flags[i], want.flags);
    EXPECT_EQ(c.lba[i], want.lba);
    EXPECT_EQ(c.blocks[i], want.blocks);
    EXPECT_EQ(c.bytes[i], want.bytes);
    EXPECT_EQ(c.submit_ns[i], want.submit);
    EXPECT_EQ(c.dispatch_ns[i], want.dispatch);
    EXPECT_EQ(c.complete_ns[i], want.complete);
    EXPECT_EQ(c.status[i], want.status);
    EXPECT_EQ(c.queue_depth[i], want.queue_depth);
  }
  // the summary: 25 driver records (ids 4, 8 ...), 75 device records, one error among them
  const RunSummary::Row* device = contents.summary.row(Layer::kDevice, kOpCount);
  ASSERT_NE(device, nullptr);
  EXPECT_EQ(device->requests, 75u);
  EXPECT_EQ(device->errors, 1u);
  EXPECT_EQ(contents.summary.row(Layer::kDriver, kOpCount)->requests, 25u);

  const TraceContents summary_only = read_trace_contents(path, false);
  EXPECT_EQ(summary_only.columns.size(), 0u);
  EXPECT_EQ(summary_only.records, 100u);
  std::remove(path.c_str());
}

TEST(TraceColumns, ATraceCutShortHasNoEndAndADamagedOneIsAnError) {
  const std::string path = scratch_path("cut");
  {
    TraceWriter writer(path, proto::TraceHeader());
    for (std::uint64_t id = 1; id <= 10; ++id)
      writer.write(record(id));
  }  // destroyed without finish(): no RunEnd
  EXPECT_FALSE(read_trace_contents(path, true).end.has_value());
  EXPECT_EQ(read_trace_contents(path, true).columns.size(), 10u);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  ASSERT_EQ(::truncate(path.c_str(), info.st_size - 3), 0);  // inside the last record
  EXPECT_THROW(read_trace_contents(path, true), TraceFormatError);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace blocksim
