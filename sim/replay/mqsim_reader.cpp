// MQSim's ASCII traces (and SSDsim's, the same layout), one request a line, single spaces:
//   arrival_ns  device  lba  size  type
// lba and size in 512-byte sectors, type 0 for a write and 1 for a read. No measured latency.
#include "sim/replay/readers.hpp"
#include "sim/replay/sector_line_reader.hpp"
#include "sim/replay/text_fields.hpp"

namespace blocksim {

namespace {

class MqsimReader final : public SectorLineReader {
 public:
  explicit MqsimReader(const std::string& path)
      : SectorLineReader(path, {"arrival ns, device, lba, sectors, type 0 write / 1 read", "lba", "size in sectors"}) {}

 private:
  SimTime parse_time(std::string_view field) const override { return time_field(field, 1, 1, "arrival time in ns"); }
  Op parse_direction(std::string_view field) const override {
    if (field != "0" && field != "1")
      bad_field(5, "type", field, "0 (write) or 1 (read)");
    return field == "1" ? Op::kRead : Op::kWrite;
  }
};

}  // namespace

std::unique_ptr<RequestReader> make_mqsim_reader(const std::string& path, const ReaderOptions&) {
  return std::make_unique<MqsimReader>(path);
}

bool detect_mqsim(const FirstLines& lines, std::string* reason) {
  for (const auto line : lines) {
    std::string_view fields[6];
    if (text::split_whitespace(line, fields, 6) != 5 || (fields[4] != "0" && fields[4] != "1"))
      return false;
    std::uint64_t value = 0;
    for (int i = 0; i < 4; ++i)
      if (!text::parse_u64(fields[i], &value))
        return false;
  }
  *reason = "5 whole numbers a line, the last 0 or 1 (arrival ns, device, lba, sectors, 0 write / 1 read)";
  return true;
}

}  // namespace blocksim
