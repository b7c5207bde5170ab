// MQSim's ASCII traces (and SSDsim's, the same layout), one request a line, single spaces:
//   arrival_ns  device  lba  size  type
// lba and size in 512-byte sectors, type 0 for a write and 1 for a read. No measured latency.
#include "sim/replay/readers.hpp"
#include "sim/replay/text_fields.hpp"

namespace blocksim {

namespace {

class MqsimReader final : public TextRequestReader {
 public:
  explicit MqsimReader(const std::string& path) : TextRequestReader(path) {}

  bool next(TraceRequest* request) override {
    std::string_view line;
    if (!next_line(&line))
      return false;
    std::string_view fields[6];
    const std::size_t count = text::split_whitespace(line, fields, 6);
    if (count != 5)
      fail("expected 5 fields (arrival ns, device, lba, sectors, type 0 write / 1 read), found " +
           std::to_string(count));
    const SimTime time = time_field(fields[0], 1, 1, "arrival time in ns");
    const std::uint64_t device = u64_field(fields[1], 2, "device");
    const std::uint64_t lba = u64_field(fields[2], 3, "lba");
    const std::uint64_t sectors = u64_field(fields[3], 4, "size in sectors");
    if (fields[4] != "0" && fields[4] != "1")
      bad_field(5, "type", fields[4], "0 (write) or 1 (read)");
    *request = TraceRequest{};
    request->time = relative(time);
    request->device = devices_.id(std::to_string(device));
    request->offset = sectors_to_bytes(lba, 3, "lba");
    request->bytes = sectors_to_bytes(sectors, 4, "size in sectors");
    request->op = fields[4] == "1" ? Op::kRead : Op::kWrite;
    request->line = line_number();
    return true;
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
