// The line reader: lines of any length up to its limit (the buffer grows for them), CRLF ends, a
// last line without an end, gzip, and a line past the limit refused.
#include <gtest/gtest.h>

#include "sim/replay/line_reader.hpp"
#include "sim/replay/trace_request.hpp"
#include "tests/support/temp_file.hpp"

namespace blocksim {
namespace {

std::vector<std::string> read_lines(const std::string& path) {
  LineReader reader(path);
  std::vector<std::string> lines;
  std::string_view line;
  while (reader.next(&line))
    lines.emplace_back(line);
  return lines;
}

TEST(LineReader, LinesOfEveryLength) {
  const std::string long_line(300'000, 'x');
  const std::string text = "short\r\n" + long_line + "\n\nlast";
  for (const bool gzip : {false, true}) {
    testing::TempFile file(text, gzip ? ".gz" : ".txt", gzip);
    EXPECT_EQ(read_lines(file.path()), (std::vector<std::string>{"short", long_line, "", "last"})) << gzip;
  }
}

TEST(LineReader, RefusesALineOverTheLimit) {
  testing::TempFile file("ok\n" + std::string(LineReader::kMaxLine + 10, 'y') + "\n");
  LineReader reader(file.path());
  std::string_view line;
  ASSERT_TRUE(reader.next(&line));
  try {
    reader.next(&line);
    ADD_FAILURE() << "accepted a line of more than kMaxLine bytes";
  } catch (const TraceInputError& error) {
    EXPECT_EQ(error.line(), 2u);
    EXPECT_FALSE(error.recoverable());
  }
}

TEST(LineReader, MissingFileIsAnError) {
  EXPECT_THROW(LineReader("/nonexistent/blocksim/trace"), TraceInputError);
}

}  // namespace
}  // namespace blocksim
