// UMass Trace Repository / SPC traces (Financial, WebSearch), comma-separated:
//   ASU,LBA,Size,Opcode,Timestamp[,optional fields]
// LBA in 512-byte blocks, Size in bytes, Opcode r or w (either case), Timestamp in seconds with
// decimals. The device is the ASU (application storage unit) number. No measured latency.
#include "sim/replay/readers.hpp"
#include "sim/replay/text_fields.hpp"

namespace blocksim {

namespace {

bool is_opcode(std::string_view text) {
  return text == "r" || text == "R" || text == "w" || text == "W";
}

class UmassReader final : public TextRequestReader {
 public:
  explicit UmassReader(const std::string& path) : TextRequestReader(path) {}

  bool next(TraceRequest* request) override {
    std::string_view line;
    if (!next_line(&line))
      return false;
    std::string_view fields[5];
    const std::size_t count = text::split_on(line, ',', fields, 5);
    if (count < 5)
      fail("expected at least 5 comma-separated fields (ASU, LBA, Size, Opcode, Timestamp), found " +
           std::to_string(count));
    const std::uint64_t asu = u64_field(fields[0], 1, "ASU");
    const std::uint64_t lba = u64_field(fields[1], 2, "LBA");
    const std::uint64_t size = u64_field(fields[2], 3, "Size");
    if (!is_opcode(fields[3]))
      bad_field(4, "Opcode", fields[3], "r or w");
    const SimTime time = scaled_field(fields[4], 9, 5, "Timestamp in s");
    *request = TraceRequest{};
    request->time = relative(time);
    request->device = devices_.id(asu);
    request->offset = sectors_to_bytes(lba, 2, "LBA");
    request->bytes = size;
    request->op = fields[3] == "r" || fields[3] == "R" ? Op::kRead : Op::kWrite;
    request->line = line_number();
    return true;
  }
};

}  // namespace

std::unique_ptr<RequestReader> make_umass_reader(const std::string& path, const ReaderOptions&) {
  return std::make_unique<UmassReader>(path);
}

bool detect_umass(const FirstLines& lines, std::string* reason) {
  for (const auto line : lines) {
    std::string_view fields[5];
    std::uint64_t value = 0;
    std::int64_t time = 0;
    if (text::split_on(line, ',', fields, 5) < 5 || !text::parse_u64(fields[0], &value) ||
        !text::parse_u64(fields[1], &value) || !text::parse_u64(fields[2], &value) || !is_opcode(fields[3]) ||
        !text::parse_scaled(fields[4], 9, &time))
      return false;
  }
  *reason = "comma-separated ASU, LBA, Size, r/w, seconds (UMass/SPC)";
  return true;
}

}  // namespace blocksim
