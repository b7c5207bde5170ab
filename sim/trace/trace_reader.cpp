#include "sim/trace/trace_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/gzip_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>

#include "sim/trace/trace_format.hpp"

namespace blocksim {

TraceReader::TraceReader(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0)
    throw TraceFormatError(path + ": cannot open: " + std::strerror(errno));
  unsigned char first[2] = {0, 0};
  const bool gzipped = ::pread(fd_, first, 2, 0) == 2 && first[0] == 0x1f && first[1] == 0x8b;
  file_ = std::make_unique<google::protobuf::io::FileInputStream>(fd_);
  file_->SetCloseOnDelete(true);
  input_ = file_.get();
  if (gzipped) {
    gzip_ = std::make_unique<google::protobuf::io::GzipInputStream>(file_.get());
    input_ = gzip_.get();
  }
  char magic[8] = {};
  {
    google::protobuf::io::CodedInputStream coded(input_);
    if (!coded.ReadRaw(magic, sizeof magic) || std::string_view(magic, sizeof magic) != kTraceMagic)
      throw TraceFormatError(path + ": not a blocksim trace (it does not start with \"" + std::string(kTraceMagic) +
                             "\")");
  }
  bool clean_eof = false;
  if (!google::protobuf::util::ParseDelimitedFromZeroCopyStream(&header_, input_, &clean_eof))
    fail(clean_eof ? "the file ends before the trace header" : "the trace header is damaged");
  if (header_.format_version() > kTraceFormatVersion)
    fail("trace format version " + std::to_string(header_.format_version()) + " is newer than this blocksim reads (" +
         std::to_string(kTraceFormatVersion) + ")");
}

TraceReader::~TraceReader() = default;

bool TraceReader::next(proto::TraceRecord* record) {
  // ParseDelimitedFromZeroCopyStream merges into the message: a field the previous record set
  // and this one leaves out (parent_id, say) would carry over.
  record->Clear();
  bool clean_eof = false;
  if (!google::protobuf::util::ParseDelimitedFromZeroCopyStream(record, input_, &clean_eof)) {
    if (clean_eof)
      return false;
    fail("record " + std::to_string(records_ + 1) + " is truncated or damaged");
  }
  ++records_;
  return true;
}

void TraceReader::fail(const std::string& what) const { throw TraceFormatError(path_ + ": " + what); }

}  // namespace blocksim
