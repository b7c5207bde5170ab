// Reads a text trace one line at a time, plain or gzip-compressed (zlib tells them apart), with
// a buffer bounded by the longest line: memory does not depend on the file's length. Lines end at '\n'; a '\r' before
// it is dropped. A line longer than the buffer is an error, as is a damaged gzip stream.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace blocksim {

class LineReader {
 public:
  // Throws TraceInputError when the file cannot be opened.
  explicit LineReader(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line, without its end; valid until the next call. False at the end of the file.
  bool next(std::string_view* line);
  // The line last returned, 1-based.
  std::uint64_t line_number() const { return line_number_; }
  // Bytes of the file read so far (compressed bytes for gzip), for progress against its size.
  std::uint64_t bytes_read() const;
  const std::string& path() const { return path_; }

  static constexpr std::size_t kMaxLine = 1 << 20;

 private:
  bool refill();

  std::string path_;
  void* file_ = nullptr;  // gzFile
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
  std::size_t end_ = 0;
  bool eof_ = false;
  std::uint64_t line_number_ = 0;
};

}  // namespace blocksim
