// Streams a blocksim trace to a file as the run goes: the header first, then one record per
// completion, then the run's end. Memory does not grow with the run; the OS gets the bytes in
// 64 KiB pieces, and everything written so far reaches the file when the writer is finished or
// destroyed, also on an error path.
#pragma once

#include <memory>
#include <string>

#include "blocksim/trace.pb.h"
#include "sim/device/completion_record.hpp"

namespace google::protobuf::io {
class FileOutputStream;
}

namespace blocksim {

class TraceWriter {
 public:
  // Opens (truncates) `path` and writes the magic and header; throws std::runtime_error naming the
  // path when it cannot.
  TraceWriter(const std::string& path, const proto::TraceHeader& header);
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  void write(const CompletionRecord& record);
  void write(const EventRecord& event);
  // A record made elsewhere (a converted trace's requests, whose fields may be absent).
  void write(const proto::TraceRecord& record) { write_message(record); }
  // Writes the proto::RunEnd record and closes the file; throws if any write failed.
  void finish(const proto::RunEnd& end);

  const std::string& path() const { return path_; }

 private:
  void write_message(const google::protobuf::MessageLite& message);
  void close();

  std::string path_;
  int fd_ = -1;
  std::unique_ptr<google::protobuf::io::FileOutputStream> stream_;
  proto::TraceRecord scratch_;
  bool failed_ = false;
};

}  // namespace blocksim
