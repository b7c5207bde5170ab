#include "sim/trace/trace_columns.hpp"

#include <sys/stat.h>

#include "sim/trace/trace_format.hpp"
#include "sim/trace/trace_reader.hpp"

namespace blocksim {

namespace {
// A plain trace spends 30 to 45 bytes on a completion: reserving for the smaller figure saves
// the vectors' regrowth on the way; what is left over is given back at the end.
constexpr std::size_t kSmallestRecordBytes = 30;
constexpr std::size_t kGzipGuessRecords = 1 << 16;

std::size_t records_guess(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || info.st_size <= 0)
    return 0;
  return static_cast<std::size_t>(info.st_size) / kSmallestRecordBytes;
}
}  // namespace

void TraceColumns::reserve(std::size_t records) {
  for (auto* column : {&request_id, &parent_id, &lba, &blocks, &bytes})
    column->reserve(records);
  for (auto* column : {&submit_ns, &dispatch_ns, &complete_ns})
    column->reserve(records);
  for (auto* column : {&device, &flags, &status, &queue_depth})
    column->reserve(records);
  op.reserve(records);
  layer.reserve(records);
}

void TraceColumns::shrink_to_fit() {
  for (auto* column : {&request_id, &parent_id, &lba, &blocks, &bytes})
    column->shrink_to_fit();
  for (auto* column : {&submit_ns, &dispatch_ns, &complete_ns})
    column->shrink_to_fit();
  for (auto* column : {&device, &flags, &status, &queue_depth})
    column->shrink_to_fit();
  op.shrink_to_fit();
  layer.shrink_to_fit();
}

void TraceColumns::append(const CompletionRecord& r) {
  request_id.push_back(r.request_id);
  parent_id.push_back(r.parent_id);
  lba.push_back(r.lba);
  blocks.push_back(r.blocks);
  bytes.push_back(r.bytes);
  submit_ns.push_back(r.submit);
  dispatch_ns.push_back(r.dispatch);
  complete_ns.push_back(r.complete);
  device.push_back(r.device);
  flags.push_back(r.flags);
  status.push_back(r.status);
  queue_depth.push_back(r.queue_depth);
  op.push_back(static_cast<std::uint8_t>(r.op));
  layer.push_back(static_cast<std::uint8_t>(r.layer));
}

TraceContents read_trace_contents(const std::string& path, bool columns) {
  TraceReader reader(path);
  TraceContents contents;
  contents.header = reader.header();
  if (columns)
    contents.columns.reserve(reader.gzipped() ? kGzipGuessRecords : records_guess(path));
  proto::TraceRecord record;
  while (reader.next(&record)) {
    if (record.has_completion()) {
      // from_proto fills in what a converted trace left out, as everywhere else.
      const CompletionRecord completion = from_proto(record.completion());
      contents.summary.add(completion);
      if (columns)
        contents.columns.append(completion);
    } else if (record.has_end()) {
      contents.end = record.end();
    } else if (record.has_event()) {
      contents.events.push_back(record.event());
    }
  }
  if (columns)
    contents.columns.shrink_to_fit();
  contents.records = contents.summary.records();
  return contents;
}

}  // namespace blocksim
