// The reader of blocksim's request CSV (request_csv.hpp): the header line, then one request a line.
#include "sim/replay/readers.hpp"
#include "sim/replay/request_csv.hpp"
#include "sim/replay/text_fields.hpp"

namespace blocksim {

namespace {

class RequestCsvReader final : public TextRequestReader {
 public:
  explicit RequestCsvReader(const std::string& path) : TextRequestReader(path) {
    std::string_view line;
    if (!next_line(&line) || text::trim(line) != kRequestCsvHeader)
      fail("expected the header \"" + std::string(kRequestCsvHeader) + "\"");
  }

  bool next(TraceRequest* request) override {
    std::string_view line;
    if (!next_line(&line))
      return false;
    std::string_view fields[10];
    const std::size_t count = text::split_csv(line, fields, 10);
    if (count != 9)
      fail("expected 9 comma-separated fields (" + std::string(kRequestCsvHeader) + "), found " +
           std::to_string(count));
    *request = TraceRequest{};
    std::int64_t time = 0;
    const bool negative = !fields[0].empty() && fields[0].front() == '-';
    if (!text::parse_scaled(negative ? fields[0].substr(1) : fields[0], 0, &time) || time > kMaxTraceTime)
      bad_field(1, "time_ns", fields[0], "a whole number of ns within 2^61");
    if (negative)
      time = -time;
    request->time = relative(time);
    request->device = devices_.id(fields[1]);
    request->op = op(fields[2]);
    request->offset = u64_field(fields[3], 4, "offset");
    request->bytes = u64_field(fields[4], 5, "bytes");
    if (!fields[5].empty()) {
      request->measured = time_field(fields[5], 1, 6, "latency_ns");
      if (fields[6] != "submit" && fields[6] != "dispatch")
        bad_field(7, "latency_from", fields[6], "submit or dispatch");
      request->measured_from = fields[6] == "dispatch" ? MeasuredFrom::kDispatch : MeasuredFrom::kSubmit;
    }
    if (!fields[7].empty())
      request->idle_after = time_field(fields[7], 1, 8, "idle_ns");
    request->line = line_number();
    return true;
  }

 private:
  Op op(std::string_view text) const {
    for (Op candidate : {Op::kRead, Op::kWrite, Op::kFlush, Op::kUnmap})
      if (text == op_name(candidate))
        return candidate;
    bad_field(3, "op", text, "read, write, flush or unmap");
  }
};

}  // namespace

std::unique_ptr<RequestReader> make_request_csv_reader(const std::string& path, const ReaderOptions&) {
  return std::make_unique<RequestCsvReader>(path);
}

bool detect_request_csv(const FirstLines& lines, std::string* reason) {
  if (text::trim(lines.front()) != kRequestCsvHeader)
    return false;
  *reason = "blocksim's request CSV header";
  return true;
}

}  // namespace blocksim
