// DiskSim's "ascii" input traces, one request a line:
//   time_ms  devno  blkno  bcount  flags
// time in milliseconds (decimals kept to the nanosecond), blkno and bcount in 512-byte sectors,
// flags in hex with bit 0 set for a read. No measured latency. The times count from the start of
// DiskSim's simulation, when its platters are at angle 0, and are kept so (not taken from the
// first request's): a replay starts the platters in DiskSim's phase, or every rotational latency
// differs from DiskSim's by the first request's time.
#include "sim/replay/readers.hpp"
#include "sim/replay/sector_line_reader.hpp"
#include "sim/replay/text_fields.hpp"

namespace blocksim {

namespace {

class DiskSimAsciiReader final : public SectorLineReader {
 public:
  explicit DiskSimAsciiReader(const std::string& path)
      : SectorLineReader(path, {"time in ms, device, block number, block count, flags in hex", "block number",
                                "block count"}) {}

 private:
  SimTime parse_time(std::string_view field) const override { return scaled_field(field, 6, 1, "time in ms"); }
  bool times_from_zero() const override { return true; }
  Op parse_direction(std::string_view field) const override {
    return (hex_field(field, 5, "flags") & 1) != 0 ? Op::kRead : Op::kWrite;
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
