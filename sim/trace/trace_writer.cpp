#include "sim/trace/trace_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>

#include "sim/trace/trace_format.hpp"

namespace blocksim {

namespace {
constexpr int kBlockSize = 64 * 1024;
}

TraceWriter::TraceWriter(const std::string& path, const proto::TraceHeader& header) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw std::runtime_error(path + ": cannot write the trace: " + std::strerror(errno));
  stream_ = std::make_unique<google::protobuf::io::FileOutputStream>(fd_, kBlockSize);
  {
    google::protobuf::io::CodedOutputStream coded(stream_.get());
    coded.WriteRaw(kTraceMagic.data(), static_cast<int>(kTraceMagic.size()));
  }
  write_message(header);
}

TraceWriter::~TraceWriter() { close(); }

void TraceWriter::write_message(const google::protobuf::MessageLite& message) {
  if (!google::protobuf::util::SerializeDelimitedToZeroCopyStream(message, stream_.get()))
    failed_ = true;
}

void TraceWriter::write(const CompletionRecord& record) {
  to_proto(record, scratch_.mutable_completion());
  write_message(scratch_);
}

void TraceWriter::write(const EventRecord& event) {
  proto::TraceRecord record;
  proto::TraceEvent* out = record.mutable_event();
  out->set_time_ns(static_cast<std::uint64_t>(event.time));
  out->set_kind(event.kind);
  out->set_device(event.device);
  if (!event.target.empty())
    out->set_target(event.target);
  if (event.lba || event.blocks) {
    out->set_lba(event.lba);
    out->set_blocks(event.blocks);
  }
  if (!event.detail.empty())
    out->set_detail(event.detail);
  write_message(record);
}

void TraceWriter::finish(const proto::RunEnd& end) {
  proto::TraceRecord record;
  *record.mutable_end() = end;
  write_message(record);
  close();
  if (failed_)
    throw std::runtime_error(path_ + ": writing the trace failed (disk full?)");
}

void TraceWriter::close() {
  if (!stream_)
    return;
  if (!stream_->Close())
    failed_ = true;
  stream_.reset();
  fd_ = -1;
}

}  // namespace blocksim
