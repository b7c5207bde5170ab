#include "sim/replay/sector_line_reader.hpp"

#include "sim/replay/text_fields.hpp"

namespace blocksim {

bool SectorLineReader::next(TraceRequest* request) {
  std::string_view line;
  if (!next_line(&line))
    return false;
  std::string_view fields[6];
  const std::size_t count = text::split_whitespace(line, fields, 6);
  if (count != 5)
    fail(std::string("expected 5 fields (") + names_.layout + "), found " + std::to_string(count));
  const SimTime time = parse_time(fields[0]);
  const std::uint64_t device = u64_field(fields[1], 2, "device");
  const std::uint64_t sector = u64_field(fields[2], 3, names_.sector);
  const std::uint64_t sectors = u64_field(fields[3], 4, names_.count);
  const Op op = parse_direction(fields[4]);
  *request = TraceRequest{};
  request->time = times_from_zero() ? time : relative(time);
  request->device = devices_.id(device);
  request->offset = sectors_to_bytes(sector, 3, names_.sector);
  request->bytes = sectors_to_bytes(sectors, 4, names_.count);
  request->op = op;
  request->line = line_number();
  return true;
}

}  // namespace blocksim
