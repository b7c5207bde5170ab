// DiskSim's "validate" traces (DiskSim 4.0, disksim_iotrace.c), one request a line:
//   R|W  Hit|Miss|Doub|Trip  blkno  bcount  service_us  gap_us
// blkno and bcount in 512-byte sectors; field 5 is the real drive's access time in microseconds,
// field 6 the idle time after it completed before the next request was issued. The device is
// always "0". Field 2 is the drive's buffer outcome as observed: informational, not kept.
// Arrival times are the recorded timeline (each request at the previous one's arrival plus its
// access time and gap), which the validate timing replaces with completion plus gap.
#include <algorithm>

#include "sim/replay/readers.hpp"
#include "sim/replay/text_fields.hpp"

namespace blocksim {

namespace {

class DiskSimValidateReader final : public TextRequestReader {
 public:
  explicit DiskSimValidateReader(const std::string& path) : TextRequestReader(path) { device_ = devices_.id("0"); }

  bool next(TraceRequest* request) override {
    std::string_view line;
    if (!next_line(&line))
      return false;
    std::string_view fields[7];
    const std::size_t count = text::split_whitespace(line, fields, 7);
    if (count != 6)
      fail("expected 6 fields (R|W, Hit|Miss|Doub|Trip, block number, block count, access time in us, idle gap in "
           "us), found " + std::to_string(count));
    if (fields[0] != "R" && fields[0] != "W")
      bad_field(1, "operation", fields[0], "R or W");
    const std::uint64_t block = u64_field(fields[2], 3, "block number");
    const std::uint64_t blocks = u64_field(fields[3], 4, "block count");
    const SimTime access = scaled_field(fields[4], 3, 5, "access time in us");
    const SimTime gap = scaled_field(fields[5], 3, 6, "idle gap in us");
    request->op = fields[0] == "R" ? Op::kRead : Op::kWrite;
    request->offset = sectors_to_bytes(block, 3, "block number");
    request->bytes = sectors_to_bytes(blocks, 4, "block count");
    request->device = device_;
    request->time = next_arrival_;
    request->measured = access;
    request->measured_from = MeasuredFrom::kDispatch;
    request->idle_after = gap;
    request->line = line_number();
    next_arrival_ = std::min(kMaxTraceTime, next_arrival_ + access + gap);
    return true;
  }

 private:
  std::uint32_t device_ = 0;
  SimTime next_arrival_ = 0;
};

}  // namespace

std::unique_ptr<RequestReader> make_disksim_validate_reader(const std::string& path, const ReaderOptions&) {
  return std::make_unique<DiskSimValidateReader>(path);
}

bool detect_disksim_validate(const FirstLines& lines, std::string* reason) {
  for (const auto line : lines) {
    std::string_view fields[7];
    if (text::split_whitespace(line, fields, 7) != 6 || (fields[0] != "R" && fields[0] != "W"))
      return false;
    const auto outcome = fields[1];
    if (outcome != "Hit" && outcome != "Miss" && outcome != "Doub" && outcome != "Trip")
      return false;
  }
  *reason = "6 fields starting \"R|W Hit|Miss|Doub|Trip\"";
  return true;
}

}  // namespace blocksim
