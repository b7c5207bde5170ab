// The writer of blocksim's request CSV; its reader is in request_csv_reader.cpp.
#include "sim/replay/request_csv.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace blocksim {

RequestCsvWriter::RequestCsvWriter(const std::string& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "w");
  if (file_ == nullptr)
    throw std::runtime_error(path + ": cannot write: " + std::strerror(errno));
  std::fprintf(file_, "%.*s\n", static_cast<int>(kRequestCsvHeader.size()), kRequestCsvHeader.data());
}

RequestCsvWriter::~RequestCsvWriter() {
  if (file_ != nullptr)
    std::fclose(file_);
}

void RequestCsvWriter::write(const TraceRequest& request, const std::vector<std::string>& devices) {
  char latency[48] = "";
  char idle[24] = "";
  if (request.measured >= 0)
    std::snprintf(latency, sizeof latency, "%lld,%s", static_cast<long long>(request.measured),
                  request.measured_from == MeasuredFrom::kDispatch ? "dispatch" : "submit");
  else
    std::snprintf(latency, sizeof latency, ",");
  if (request.idle_after >= 0)
    std::snprintf(idle, sizeof idle, "%lld", static_cast<long long>(request.idle_after));
  std::fprintf(file_, "%lld,\"%s\",%s,%llu,%llu,%s,%s,%llu\n", static_cast<long long>(request.time),
               devices.at(request.device).c_str(), op_name(request.op),
               static_cast<unsigned long long>(request.offset), static_cast<unsigned long long>(request.bytes), latency,
               idle, static_cast<unsigned long long>(request.line));
}

void RequestCsvWriter::finish() {
  const bool failed = std::ferror(file_) != 0;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (failed || !closed)
    throw std::runtime_error(path_ + ": writing failed (disk full?)");
}

}  // namespace blocksim
