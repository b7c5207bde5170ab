// SNIA MSR Cambridge traces (IOTTA), comma-separated, one request a line:
//   Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime
// Timestamp and ResponseTime in Windows FILETIME units (100 ns), Offset and Size in bytes, Type
// Read or Write. The device is "Hostname/DiskNumber". ResponseTime is the measured latency, from
// issue to completion. A first line of column names is passed over.
#include "sim/replay/readers.hpp"
#include "sim/replay/text_fields.hpp"

namespace blocksim {

namespace {

constexpr std::uint64_t kFiletimeTick = 100;  // ns

class MsrReader final : public TextRequestReader {
 public:
  explicit MsrReader(const std::string& path) : TextRequestReader(path) {}

  bool next(TraceRequest* request) override {
    std::string_view line;
    if (!next_line(&line))
      return false;
    const bool first = !seen_a_line_;
    seen_a_line_ = true;
    if (first && text::starts_with_ignore_case(text::trim(line), "Timestamp") && !next_line(&line))
      return false;
    std::string_view fields[8];
    const std::size_t count = text::split_on(line, ',', fields, 8);
    if (count != 7)
      fail("expected 7 comma-separated fields (Timestamp, Hostname, DiskNumber, Type, Offset, Size, ResponseTime), "
           "found " + std::to_string(count));
    // Absolute FILETIME ticks (since 1601) exceed the times a trace may span once in ns: the origin
    // is taken off first.
    const std::uint64_t ticks = u64_field(fields[0], 1, "Timestamp");
    if (ticks > static_cast<std::uint64_t>(INT64_MAX))
      bad_field(1, "Timestamp", fields[0], "a FILETIME within 2^63");
    if (fields[1].empty())
      bad_field(2, "Hostname", fields[1], "a name");
    const std::uint64_t disk = u64_field(fields[2], 3, "DiskNumber");
    const bool read = text::equals_ignore_case(fields[3], "Read");
    if (!read && !text::equals_ignore_case(fields[3], "Write"))
      bad_field(4, "Type", fields[3], "Read or Write");
    const std::uint64_t offset = u64_field(fields[4], 5, "Offset");
    const std::uint64_t size = u64_field(fields[5], 6, "Size");
    const SimTime response = time_field(fields[6], kFiletimeTick, 7, "ResponseTime");
    name_.assign(fields[1]);
    name_ += '/';
    name_ += std::to_string(disk);
    *request = TraceRequest{};
    const SimTime since_first = relative(static_cast<SimTime>(ticks));
    constexpr SimTime kMaxTicks = kMaxTraceTime / static_cast<SimTime>(kFiletimeTick);
    if (since_first > kMaxTicks || since_first < -kMaxTicks)
      bad_field(1, "Timestamp", fields[0], "within 2^61 ns of the first request's");
    request->time = since_first * static_cast<SimTime>(kFiletimeTick);
    request->device = devices_.id(name_);
    request->offset = offset;
    request->bytes = size;
    request->op = read ? Op::kRead : Op::kWrite;
    request->measured = response;
    request->measured_from = MeasuredFrom::kSubmit;
    request->line = line_number();
    return true;
  }

 private:
  std::string name_;
  bool seen_a_line_ = false;
};

}  // namespace

std::unique_ptr<RequestReader> make_msr_reader(const std::string& path, const ReaderOptions&) {
  return std::make_unique<MsrReader>(path);
}

bool detect_msr(const FirstLines& lines, std::string* reason) {
  std::size_t data = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i == 0 && text::starts_with_ignore_case(text::trim(lines[i]), "Timestamp"))
      continue;
    std::string_view fields[8];
    std::uint64_t value = 0;
    if (text::split_on(lines[i], ',', fields, 8) != 7 || !text::parse_u64(fields[0], &value) ||
        !(text::equals_ignore_case(fields[3], "Read") || text::equals_ignore_case(fields[3], "Write")))
      return false;
    ++data;
  }
  *reason = "7 comma-separated fields with Read/Write in the 4th (MSR Cambridge)";
  return data > 0;
}

}  // namespace blocksim
