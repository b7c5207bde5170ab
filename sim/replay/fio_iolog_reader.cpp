// fio's iolog, versions 2 and 3 (fio's iolog.c, HOWTO "Trace file format"). The first line is
// "fio version 2 iolog" or "fio version 3 iolog"; then
//   v2:  filename action [offset length]
//   v3:  timestamp filename action [offset length]
// Actions: add, open, close (file management, no request), read, write, trim, sync, datasync,
// and in v2 wait (offset = microseconds since the previous wait). Offset and length in bytes;
// v3 timestamps in microseconds from the start of the run (fio writes utime_since_now). v2 has
// no times: requests follow each other at once, and each wait moves the clock on. The device is
// the file name. No measured latency. sync and datasync replay as a flush, trim as an unmap.
#include <algorithm>

#include "sim/replay/readers.hpp"
#include "sim/replay/text_fields.hpp"

namespace blocksim {

namespace {

constexpr std::string_view kVersion2 = "fio version 2 iolog";
constexpr std::string_view kVersion3 = "fio version 3 iolog";

class FioIologReader final : public TextRequestReader {
 public:
  explicit FioIologReader(const std::string& path) : TextRequestReader(path) {
    std::string_view line;
    if (!next_line(&line))
      fail("empty: expected \"fio version 2 iolog\" or \"fio version 3 iolog\"");
    line = text::trim(line);
    if (line == kVersion2)
      version_ = 2;
    else if (line == kVersion3)
      version_ = 3;
    else
      fail("expected \"fio version 2 iolog\" or \"fio version 3 iolog\", found \"" + std::string(line.substr(0, 60)) +
           "\"");
  }

  bool next(TraceRequest* request) override {
    std::string_view line;
    while (next_line(&line))
      if (parse(line, request))
        return true;
    return false;
  }

 private:
  // False for a line that is no request (file management, wait).
  bool parse(std::string_view line, TraceRequest* request) {
    std::string_view fields[7];
    const std::size_t count = text::split_whitespace(line, fields, 7);
    const std::size_t first = version_ == 3 ? 1 : 0;  // where the file name is
    if (count < first + 2 || count > first + 4)
      fail(version_ == 3 ? "expected \"timestamp filename action [offset length]\", found " + std::to_string(count) +
                               " fields"
                         : "expected \"filename action [offset length]\", found " + std::to_string(count) + " fields");
    if (version_ == 3)
      clock_ = time_field(fields[0], 1000, 1, "timestamp in us");
    const std::string_view file = fields[first];
    const std::string_view action = fields[first + 1];
    const int offset_index = static_cast<int>(first) + 3;
    if (action == "add" || action == "open" || action == "close") {
      if (count != first + 2)
        fail("\"" + std::string(action) + "\" takes no offset or length");
      devices_.id(file);
      return false;
    }
    if (action == "wait") {
      if (version_ == 3)
        fail("\"wait\" is not allowed in a version 3 iolog (timestamps give the times)");
      if (count < first + 3)
        fail("\"wait\" needs the time to wait, in microseconds");
      clock_ = std::min(kMaxTraceTime, clock_ + time_field(fields[first + 2], 1000, offset_index, "wait in us"));
      return false;
    }
    Op op;
    if (action == "read")
      op = Op::kRead;
    else if (action == "write")
      op = Op::kWrite;
    else if (action == "trim")
      op = Op::kUnmap;
    else if (action == "sync" || action == "datasync")
      op = Op::kFlush;
    else
      bad_field(offset_index - 1, "action", action, "add, open, close, read, write, trim, sync, datasync or wait");
    *request = TraceRequest{};
    request->op = op;
    if (op != Op::kFlush || count == first + 4) {
      if (count != first + 4)
        fail("\"" + std::string(action) + "\" needs an offset and a length in bytes");
      request->offset = u64_field(fields[first + 2], offset_index, "offset");
      request->bytes = op == Op::kFlush ? 0 : u64_field(fields[first + 3], offset_index + 1, "length");
    }
    request->time = relative(clock_);
    request->device = devices_.id(file);
    request->line = line_number();
    return true;
  }

  int version_ = 2;
  SimTime clock_ = 0;
};

}  // namespace

std::unique_ptr<RequestReader> make_fio_iolog_reader(const std::string& path, const ReaderOptions&) {
  return std::make_unique<FioIologReader>(path);
}

bool detect_fio_iolog(const FirstLines& lines, std::string* reason) {
  const std::string_view first = text::trim(lines.front());
  if (first != kVersion2 && first != kVersion3)
    return false;
  *reason = "first line \"" + std::string(first) + "\"";
  return true;
}

}  // namespace blocksim
