// Summaries filled in parts and merged (directly, or through their messages, as the parts of a
// `replay --jobs` hand them over) against one summary filled with every completion: every figure
// the table and the JSON summary print must be identical, not merely close.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/device/io_return.hpp"
#include "sim/trace/run_summary.hpp"
#include "sim/trace/run_summary_message.hpp"

namespace blocksim {
namespace {

std::vector<CompletionRecord> random_completions(std::size_t count, std::uint64_t seed) {
  Rng rng(seed, 0);
  std::vector<CompletionRecord> records;
  SimTime now = 1'000;
  for (std::size_t i = 0; i < count; ++i) {
    CompletionRecord record;
    record.request_id = i + 1;
    record.device = static_cast<std::uint32_t>(rng.below(14));
    record.op = rng.uniform() < 0.7 ? Op::kRead : Op::kWrite;
    record.layer = rng.uniform() < 0.5 ? Layer::kDevice : Layer::kDriver;
    record.bytes = 512 * (1 + rng.below(256));
    now += static_cast<SimTime>(rng.exponential(10'000));
    record.submit = now;
    record.dispatch = now + static_cast<SimTime>(rng.exponential(50'000));
    record.complete = record.dispatch + 1 + static_cast<SimTime>(rng.exponential(2'000'000));
    record.status = rng.uniform() < 0.01 ? kIOReturnIOError : kIOReturnSuccess;
    records.push_back(record);
  }
  return records;
}

void expect_same_histogram(const LatencyHistogram& a, const LatencyHistogram& b) {
  EXPECT_EQ(a.count(), b.count());
  EXPECT_EQ(a.min(), b.min());
  EXPECT_EQ(a.max(), b.max());
  EXPECT_EQ(a.mean(), b.mean());
  EXPECT_EQ(a.stdev(), b.stdev());
  for (double p : {0.0, 0.5, 0.9, 0.99, 0.999, 1.0})
    EXPECT_EQ(a.percentile(p), b.percentile(p)) << p;
}

void expect_same_summary(const RunSummary& a, const RunSummary& b) {
  EXPECT_EQ(a.records(), b.records());
  EXPECT_EQ(a.span(), b.span());
  for (int layer = 0; layer < kLayerCount; ++layer)
    for (int op = 0; op <= kOpCount; ++op) {
      const RunSummary::Row* ra = a.row(static_cast<Layer>(layer), op);
      const RunSummary::Row* rb = b.row(static_cast<Layer>(layer), op);
      ASSERT_EQ(ra == nullptr, rb == nullptr) << layer << " " << op;
      if (ra == nullptr)
        continue;
      EXPECT_EQ(ra->requests, rb->requests);
      EXPECT_EQ(ra->errors, rb->errors);
      EXPECT_EQ(ra->bytes, rb->bytes);
      expect_same_histogram(ra->latency, rb->latency);
      expect_same_histogram(ra->queueing, rb->queueing);
      expect_same_histogram(ra->service, rb->service);
    }
}

// Completions shared out by device among three parts, as `replay --jobs 3` shares them.
TEST(RunSummaryMerge, PartsMergedEqualOneSummary) {
  const auto records = random_completions(20'000, 7);
  RunSummary whole;
  std::vector<RunSummary> parts(3);
  for (const auto& record : records) {
    whole.add(record);
    parts[record.device % 3].add(record);
  }
  RunSummary direct = parts[0];
  direct.merge(parts[1]);
  direct.merge(parts[2]);
  expect_same_summary(whole, direct);

  RunSummary through_messages = parts[0];
  for (std::size_t part = 1; part < parts.size(); ++part) {
    proto::PartSummary message;
    summary_to_message(parts[part], &message);
    proto::PartSummary reread;
    ASSERT_TRUE(reread.ParseFromString(message.SerializeAsString()));
    through_messages.merge(summary_from_message(reread));
  }
  expect_same_summary(whole, through_messages);
}

TEST(RunSummaryMerge, EmptyPartsChangeNothing) {
  const auto records = random_completions(100, 9);
  RunSummary whole;
  for (const auto& record : records)
    whole.add(record);
  RunSummary empty_first;
  empty_first.merge(whole);
  empty_first.merge(RunSummary());
  expect_same_summary(whole, empty_first);
  proto::PartSummary message;
  summary_to_message(RunSummary(), &message);
  expect_same_summary(RunSummary(), summary_from_message(message));
}

TEST(RunSummaryMerge, MessageNamingNoLayerIsRefused) {
  proto::PartSummary message;
  message.add_row()->set_layer(kLayerCount);
  EXPECT_THROW(summary_from_message(message), std::runtime_error);
}

// The standard deviation from exact sums: 2, 4, 4, 4, 5, 5, 7, 9 in two halves, mean 5, squared
// deviations 32 over n - 1 = 7; and values near 2^40 whose squares a double would round away.
TEST(LatencyHistogramMerge, StandardDeviationOfHalvesIsThatOfTheWhole) {
  LatencyHistogram first, second;
  for (std::uint64_t v : {2, 4, 4, 4})
    first.add(v);
  for (std::uint64_t v : {5, 5, 7, 9})
    second.add(v);
  first.merge(second);
  EXPECT_DOUBLE_EQ(first.stdev(), std::sqrt(32.0 / 7.0));
  EXPECT_DOUBLE_EQ(first.mean(), 5.0);
  LatencyHistogram large, large_other;
  large.add(1'099'511'627'777ULL);  // 2^40 + 1
  large_other.add(1'099'511'627'779ULL);
  large.merge(large_other);
  EXPECT_DOUBLE_EQ(large.stdev(), std::sqrt(2.0));
  EXPECT_EQ(large.min(), 1'099'511'627'777ULL);
}

// Squares past 2^128 (values near 2^64): the deviation then comes from the buckets, within their
// width (1/1024 of the value).
TEST(LatencyHistogramMerge, OverflowedSquaresFallBackToTheBuckets) {
  LatencyHistogram h;
  const std::uint64_t big = 1ULL << 63;
  h.add(big);
  h.add(big + (big >> 4));
  h.add(big - (big >> 4));
  const double exact = static_cast<double>(big >> 4);  // deviations -d, 0, d: sqrt(2 d^2 / 2) = d
  EXPECT_NEAR(h.stdev() / exact, 1.0, 0.01);
}

}  // namespace
}  // namespace blocksim
