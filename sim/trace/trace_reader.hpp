// Reads a blocksim trace, plain or gzip-compressed, one record at a time (constant memory).
// A file that is not a trace, or that ends inside a record, gives a TraceFormatError naming the
// file and the record number.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "blocksim/trace.pb.h"

namespace google::protobuf::io {
class FileInputStream;
class GzipInputStream;
class ZeroCopyInputStream;
}  // namespace google::protobuf::io

namespace blocksim {

class TraceFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class TraceReader {
 public:
  explicit TraceReader(const std::string& path);
  ~TraceReader();
  TraceReader(const TraceReader&) = delete;
  TraceReader& operator=(const TraceReader&) = delete;

  const proto::TraceHeader& header() const { return header_; }
  // The next record; false at a clean end of file.
  bool next(proto::TraceRecord* record);
  std::uint64_t records_read() const { return records_; }
  bool gzipped() const { return gzip_ != nullptr; }

 private:
  void fail(const std::string& what) const;

  std::string path_;
  int fd_ = -1;
  std::unique_ptr<google::protobuf::io::FileInputStream> file_;
  std::unique_ptr<google::protobuf::io::GzipInputStream> gzip_;
  google::protobuf::io::ZeroCopyInputStream* input_ = nullptr;
  proto::TraceHeader header_;
  std::uint64_t records_ = 0;
};

}  // namespace blocksim
