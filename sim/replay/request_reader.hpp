// The common interface of the trace readers: a stream of TraceRequests in the trace's order,
// read as needed (memory does not grow with the trace), with the trace's device names. Each
// format has its reader in a file of its own (sim/replay/*_reader.cpp), made through the format
// registry (format_registry.hpp). A reader owns its file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "blocksim/replay.pb.h"
#include "sim/replay/line_reader.hpp"
#include "sim/replay/trace_request.hpp"

namespace blocksim {

// What a reader may need beyond the file.
struct ReaderOptions {
  proto::Replay::IssueAt issue_at = proto::Replay::AUTO;  // blkparse: issue at Q, at D, or D if any
};

// The trace's devices as it names them ("0", "hm/0", "8,16"), numbered in order of first appearance.
class DeviceNames {
 public:
  std::uint32_t id(std::string_view name);
  // A device the trace numbers: named by the number's decimal form ("01" and "1" are one device).
  std::uint32_t id(std::uint64_t number);
  const std::vector<std::string>& names() const { return names_; }

 private:
  static constexpr std::uint32_t kUnseen = ~std::uint32_t{0};
  static constexpr std::uint64_t kNumbersRemembered = 4096;  // ids of small numbers, without a look-up
  std::vector<std::string> names_;
  std::vector<std::uint32_t> id_of_number_;
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::string last_;
  std::uint32_t last_id_ = 0;
};

class RequestReader {
 public:
  virtual ~RequestReader() = default;

  // The next request; false at the end of the trace. A malformed line throws TraceInputError
  // naming it; calling next() again resumes after it (unless the error is not recoverable).
  virtual bool next(TraceRequest* request) = 0;

  const std::vector<std::string>& devices() const { return devices_.names(); }
  // A line for the report on what the reader chose (blkparse: which events it issues at, and
  // why); empty if nothing.
  virtual std::string choice() const { return {}; }
  const std::string& path() const { return path_; }
  // Bytes of the file read so far (compressed, for gzip), for progress; 0 when not known.
  virtual std::uint64_t bytes_read() const { return 0; }

 protected:
  explicit RequestReader(std::string path) : path_(std::move(path)) {}

  // Times relative to the first request's: the first call sets the origin.
  SimTime relative(SimTime raw);

  DeviceNames devices_;
  std::string path_;

 private:
  bool has_origin_ = false;
  SimTime origin_ = 0;
};

// The base of the line-oriented readers: the line reader, the current line, the time origin (the
// first request's time) and errors that name the line.
class TextRequestReader : public RequestReader {
 protected:
  explicit TextRequestReader(const std::string& path) : RequestReader(path), lines_(path) {}

 public:
  std::uint64_t bytes_read() const override { return lines_.bytes_read(); }

 protected:

  // The next line that is not blank; false at the end.
  bool next_line(std::string_view* line);
  [[noreturn]] void fail(const std::string& what) const;
  // "field 3 (blkno): "x" is not a whole number"
  [[noreturn]] void bad_field(int index, std::string_view name, std::string_view text, std::string_view expected) const;
  std::uint64_t line_number() const { return lines_.line_number(); }

  std::uint64_t u64_field(std::string_view text, int index, std::string_view name) const;
  std::uint64_t hex_field(std::string_view text, int index, std::string_view name) const;
  // A time written as a decimal in a unit 10^decimals ns (e.g. ms: 6), at most kMaxTraceTime.
  SimTime scaled_field(std::string_view text, int decimals, int index, std::string_view name) const;
  // A time written as a whole number of `unit_ns` nanoseconds, at most kMaxTraceTime.
  SimTime time_field(std::string_view text, std::uint64_t unit_ns, int index, std::string_view name) const;
  // 512-byte sectors to bytes, refusing what does not fit in 64 bits.
  std::uint64_t sectors_to_bytes(std::uint64_t sectors, int index, std::string_view name) const;

  LineReader lines_;

 private:
  bool seen_a_line_ = false;
};

}  // namespace blocksim
