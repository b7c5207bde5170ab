#include "sim/replay/format_registry.hpp"

#include <zlib.h>

#include "sim/replay/request_csv.hpp"
#include "sim/replay/text_fields.hpp"
#include "sim/trace/trace_format.hpp"

namespace blocksim {

namespace {

constexpr std::size_t kLinesToDetect = 16;

// The first `count` bytes of the file, through gzip if it is compressed.
std::string first_bytes(const std::string& path, std::size_t count) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr)
    return "";
  std::string bytes(count, '\0');
  const int got = gzread(file, bytes.data(), static_cast<unsigned>(count));
  gzclose(file);
  bytes.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
  return bytes;
}

}  // namespace

const std::vector<TraceFormat>& trace_formats() {
  // In the order detection tries them: the most specific first.
  static const std::vector<TraceFormat> formats = {
      {"blocksim", "blocksim's protobuf trace (docs/trace_format.md); latency complete - submit",
       &make_blocksim_trace_reader, &detect_blocksim_trace},
      {"csv", "blocksim's request CSV, as `trace convert` writes it: " + std::string(kRequestCsvHeader),
       &make_request_csv_reader, &detect_request_csv},
      {"fio-iolog", "fio iolog v2/v3: [timestamp_us] filename action [offset length] (bytes)", &make_fio_iolog_reader,
       &detect_fio_iolog},
      {"msr", "SNIA MSR Cambridge: Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime (100 ns; bytes)",
       &make_msr_reader, &detect_msr},
      {"umass", "UMass/SPC: ASU,LBA(512 B),Size(bytes),r|w,Timestamp(s)", &make_umass_reader, &detect_umass},
      {"blkparse", "blkparse default output: issue at Q or D, latency D to C; sectors of 512 B", &make_blkparse_reader,
       &detect_blkparse},
      {"disksim-validate",
       "DiskSim validate: R|W Hit|Miss blkno bcount(512 B) access_us gap_us; measured access time, idle gaps",
       &make_disksim_validate_reader, &detect_disksim_validate},
      {"disksim-ascii", "DiskSim ascii: time_ms devno blkno bcount(512 B) flags(hex, bit 0 read)",
       &make_disksim_ascii_reader, &detect_disksim_ascii},
      {"mqsim", "MQSim/SSDsim ASCII: arrival_ns device lba(512 B) sectors type(0 write, 1 read)", &make_mqsim_reader,
       &detect_mqsim},
  };
  return formats;
}

const TraceFormat* find_trace_format(std::string_view name) {
  for (const auto& format : trace_formats())
    if (format.name == name)
      return &format;
  return nullptr;
}

std::string trace_format_names() {
  std::string names;
  for (const auto& format : trace_formats())
    names += (names.empty() ? "" : ", ") + format.name;
  return names;
}

DetectedFormat detect_trace_format(const std::string& path) {
  // A binary trace first: its "lines" may be longer than a line may be.
  if (const std::string head = first_bytes(path, kTraceMagic.size()); head == kTraceMagic) {
    std::string reason;
    const FirstLines lines{head};
    for (const auto& format : trace_formats())
      if (format.detect != nullptr && format.detect(lines, &reason))
        return {&format, reason};
  }
  LineReader reader(path);
  std::vector<std::string> kept;
  std::string_view line;
  while (kept.size() < kLinesToDetect && reader.next(&line))
    if (!text::is_blank(line))
      kept.emplace_back(line);
  if (kept.empty())
    throw TraceInputError(path, 0, "the trace is empty: no format to detect");
  FirstLines lines(kept.begin(), kept.end());
  for (const auto& format : trace_formats()) {
    std::string reason;
    if (format.detect != nullptr && format.detect(lines, &reason))
      return {&format, reason};
  }
  throw TraceInputError(path, 0,
                        "no known trace format fits the first lines; name one with --format (" + trace_format_names() +
                            ")");
}

std::unique_ptr<RequestReader> open_trace(const std::string& path, std::string_view format,
                                          const ReaderOptions& options) {
  const TraceFormat* chosen = nullptr;
  if (format == "auto") {
    chosen = detect_trace_format(path).format;
  } else {
    chosen = find_trace_format(format);
    if (chosen == nullptr)
      throw TraceInputError(path, 0, "unknown trace format \"" + std::string(format) + "\"; known: " +
                                         trace_format_names() + ", auto");
  }
  return chosen->open(path, options);
}

}  // namespace blocksim
