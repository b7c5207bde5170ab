// DiskSim's "ascii" input traces, one request a line:
//   time_ms  devno  blkno  bcount  flags
// time in milliseconds (decimals kept to the nanosecond), blkno and bcount in 512-byte sectors,
// flags in hex with bit 0 set for a read. No measured latency.
#include "sim/replay/readers.hpp"
#include "sim/replay/text_fields.hpp"

namespace blocksim {

namespace {

class DiskSimAsciiReader final : public TextRequestReader {
 public:
  explicit DiskSimAsciiReader(const std::string& path) : TextRequestReader(path) {}

  bool next(TraceRequest* request) override {
    std::string_view line;
    if (!next_line(&line))
      return false;
    std::string_view fields[6];
    const std::size_t count = text::split_whitespace(line, fields, 6);
    if (count != 5)
      fail("expected 5 fields (time in ms, device, block number, block count, flags in hex), found " +
           std::to_string(count));
    const SimTime time = scaled_field(fields[0], 6, 1, "time in ms");
    const std::uint64_t device = u64_field(fields[1], 2, "device");
    const std::uint64_t block = u64_field(fields[2], 3, "block number");
    const std::uint64_t blocks = u64_field(fields[3], 4, "block count");
    const std::uint64_t flags = hex_field(fields[4], 5, "flags");
    *request = TraceRequest{};
    request->time = relative(time);
    request->device = devices_.id(std::to_string(device));
    request->offset = sectors_to_bytes(block, 3, "block number");
    request->bytes = sectors_to_bytes(blocks, 4, "block count");
    request->op = (flags & 1) != 0 ? Op::kRead : Op::kWrite;
    request->line = line_number();
    return true;
  }
};

}  // namespace

std::unique_ptr<RequestReader> make_disksim_ascii_reader(const std::string& path, const ReaderOptions&) {
  return std::make_unique<DiskSimAsciiReader>(path);
}

// Told apart from MQSim's layout by a time with decimals (milliseconds) or tabs between fields.
bool detect_disksim_ascii(const FirstLines& lines, std::string* reason) {
  bool decimal_or_tab = false;
  for (const auto line : lines) {
    std::string_view fields[6];
    if (text::split_whitespace(line, fields, 6) != 5)
      return false;
    std::int64_t time = 0;
    std::uint64_t value = 0;
    if (!text::parse_scaled(fields[0], 6, &time) || !text::parse_u64(fields[1], &value) ||
        !text::parse_u64(fields[2], &value) || !text::parse_u64(fields[3], &value) || !text::parse_hex(fields[4], &value))
      return false;
    decimal_or_tab = decimal_or_tab || fields[0].find('.') != std::string_view::npos ||
                     line.find('\t') != std::string_view::npos;
  }
  *reason = "5 fields a line, a time in ms with decimals, then device, block, count, hex flags";
  return decimal_or_tab;
}

}  // namespace blocksim
