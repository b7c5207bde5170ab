#include "sim/trace/run_summary_message.hpp"

#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace blocksim {

namespace {
constexpr int kHalf = 64;

void histogram_to_message(const LatencyHistogram& histogram, proto::SummaryHistogram* out) {
  histogram.for_each_bucket([out](std::uint32_t bucket, std::uint64_t count) {
    out->add_bucket(bucket);
    out->add_count(count);
  });
  out->set_min(histogram.min());
  out->set_max(histogram.max());
  const LatencyHistogram::Sums& sums = histogram.sums();
  out->set_sum_low(static_cast<std::uint64_t>(sums.sum));
  out->set_sum_high(static_cast<std::uint64_t>(sums.sum >> kHalf));
  out->set_squares_low(static_cast<std::uint64_t>(sums.squares));
  out->set_squares_high(static_cast<std::uint64_t>(sums.squares >> kHalf));
  out->set_squares_overflowed(sums.squares_overflowed);
}

LatencyHistogram histogram_from_message(const proto::SummaryHistogram& message) {
  if (message.bucket_size() != message.count_size())
    throw std::runtime_error("a summary's histogram has " + std::to_string(message.bucket_size()) + " buckets but " +
                             std::to_string(message.count_size()) + " counts");
  std::vector<std::pair<std::uint32_t, std::uint64_t>> buckets;
  buckets.reserve(static_cast<std::size_t>(message.bucket_size()));
  for (int i = 0; i < message.bucket_size(); ++i)
    buckets.emplace_back(message.bucket(i), message.count(i));
  LatencyHistogram::Sums sums;
  sums.sum = (static_cast<unsigned __int128>(message.sum_high()) << kHalf) | message.sum_low();
  sums.squares = (static_cast<unsigned __int128>(message.squares_high()) << kHalf) | message.squares_low();
  sums.squares_overflowed = message.squares_overflowed();
  return LatencyHistogram::restore(buckets, sums, message.min(), message.max());
}
}  // namespace

void summary_to_message(const RunSummary& summary, proto::PartSummary* out) {
  summary.for_each_row([out](Layer layer, int op, const RunSummary::Row& row) {
    proto::SummaryRow* message = out->add_row();
    message->set_layer(static_cast<std::uint32_t>(layer));
    message->set_op(static_cast<std::uint32_t>(op));
    message->set_requests(row.requests);
    message->set_errors(row.errors);
    message->set_bytes(row.bytes);
    histogram_to_message(row.latency, message->mutable_latency());
    histogram_to_message(row.queueing, message->mutable_queueing());
    histogram_to_message(row.service, message->mutable_service());
  });
  out->set_records(summary.records());
  out->set_first_submit_ns(summary.first_submit());
  out->set_last_complete_ns(summary.last_complete());
}

RunSummary summary_from_message(const proto::PartSummary& message) {
  RunSummary summary;
  for (const proto::SummaryRow& row_message : message.row()) {
    if (row_message.layer() >= static_cast<std::uint32_t>(kLayerCount) ||
        row_message.op() > static_cast<std::uint32_t>(kOpCount))
      throw std::runtime_error("a summary names layer " + std::to_string(row_message.layer()) + " and operation " +
                               std::to_string(row_message.op()) + ", which do not exist");
    RunSummary::Row& row = summary.mutable_row(static_cast<Layer>(row_message.layer()), static_cast<int>(row_message.op()));
    row.requests = row_message.requests();
    row.errors = row_message.errors();
    row.bytes = row_message.bytes();
    row.latency = histogram_from_message(row_message.latency());
    row.queueing = histogram_from_message(row_message.queueing());
    row.service = histogram_from_message(row_message.service());
  }
  summary.set_span(message.records(), message.first_submit_ns(), message.last_complete_ns());
  return summary;
}

}  // namespace blocksim
