#include "sim/replay/line_reader.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sim/replay/trace_request.hpp"

namespace blocksim {

namespace {
constexpr unsigned kZlibBuffer = 64 * 1024;
// The buffer starts small and doubles while a line does not fit, up to a longest line and a bit.
constexpr std::size_t kFirstBuffer = 64 * 1024;
constexpr std::size_t kLargestBuffer = LineReader::kMaxLine + 64 * 1024;
}  // namespace

LineReader::LineReader(const std::string& path) : path_(path), buffer_(kFirstBuffer) {
  errno = 0;
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr)
    throw TraceInputError(path, 0, std::string("cannot open: ") + (errno ? std::strerror(errno) : "out of memory"),
                          false);
  gzbuffer(file, kZlibBuffer);
  file_ = file;
}

LineReader::~LineReader() {
  if (file_ != nullptr)
    gzclose(static_cast<gzFile>(file_));
}

std::uint64_t LineReader::bytes_read() const {
  const auto offset = gzoffset(static_cast<gzFile>(file_));
  return offset > 0 ? static_cast<std::uint64_t>(offset) : 0;
}

bool LineReader::refill() {
  if (eof_)
    return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size())
    buffer_.resize(std::min(2 * buffer_.size(), kLargestBuffer));
  const auto room = static_cast<unsigned>(buffer_.size() - end_);
  const int got = gzread(static_cast<gzFile>(file_), buffer_.data() + end_, room);
  auto* file = static_cast<gzFile>(file_);
  if (got < 0) {
    int code = 0;
    const char* message = gzerror(file, &code);
    std::string what = message;
    if (what.rfind(path_ + ": ", 0) == 0)  // zlib puts the path first; the error names it already
      what.erase(0, path_.size() + 2);
    if (code == Z_DATA_ERROR)  // the compressed data itself is wrong, not the text in it
      throw TraceInputError(path_, line_number_ + 1,
                            "damaged gzip stream (zlib: " + what + "), found reading compressed byte " +
                                std::to_string(gzoffset(file)) + " of the file",
                            false);
    throw TraceInputError(path_, line_number_ + 1, "cannot read: " + what, false);
  }
  if (got == 0) {
    // zlib ends a gzip stream cut short quietly; its error says so.
    int code = 0;
    gzerror(file, &code);
    if (code == Z_BUF_ERROR)
      throw TraceInputError(path_, line_number_ + 1,
                            "the gzip stream ends early: the file is cut short after " +
                                std::to_string(gzoffset(file)) + " compressed bytes (a partial download or copy?)",
                            false);
    eof_ = true;
    return false;
  }
  end_ += static_cast<std::size_t>(got);
  return true;
}

bool LineReader::next(std::string_view* line) {
  std::size_t scanned = begin_;
  for (;;) {
    const void* found = std::memchr(buffer_.data() + scanned, '\n', end_ - scanned);
    if (found != nullptr) {
      const auto at = static_cast<std::size_t>(static_cast<const char*>(found) - buffer_.data());
      std::size_t length = at - begin_;
      if (length > kMaxLine)
        throw TraceInputError(path_, line_number_ + 1, "line longer than " + std::to_string(kMaxLine) + " bytes",
                              false);
      if (length > 0 && buffer_[at - 1] == '\r')
        --length;
      *line = std::string_view(buffer_.data() + begin_, length);
      begin_ = at + 1;
      ++line_number_;
      return true;
    }
    if (end_ - begin_ > kMaxLine)
      throw TraceInputError(path_, line_number_ + 1, "line longer than " + std::to_string(kMaxLine) + " bytes", false);
    const std::size_t pending = end_ - begin_;
    if (!refill()) {
      if (begin_ == end_)
        return false;
      // The last line has no line end.
      std::size_t length = end_ - begin_;
      if (buffer_[end_ - 1] == '\r')
        --length;
      *line = std::string_view(buffer_.data() + begin_, length);
      begin_ = end_;
      ++line_number_;
      return true;
    }
    scanned = begin_ + pending;
  }
}

}  // namespace blocksim
