#include "bindings/runner/python_channel.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace blocksim {

namespace {
constexpr int kExitChannelBroken = 3;
// A batch larger than this is a damaged frame, not a request list (Python sends 4096 at most).
constexpr std::uint32_t kMostRequestsPerFrame = 1u << 20;
}  // namespace

void PythonChannel::fail(const char* what) {
  std::fprintf(stderr, "blocksim runner: %s\n", what);
  std::fflush(stderr);
  ::_exit(kExitChannelBroken);
}

void PythonChannel::send(wire::FrameKind kind, std::uint32_t count, const void* records, std::size_t bytes) {
  wire::FrameHeader header;
  header.kind = static_cast<std::uint8_t>(kind);
  header.count = count;
  // One write per frame: header and records together, so Python reads them as they come.
  frame_.resize(sizeof header + bytes);
  std::memcpy(frame_.data(), &header, sizeof header);
  if (bytes > 0)
    std::memcpy(frame_.data() + sizeof header, records, bytes);
  std::size_t done = 0;
  while (done < frame_.size()) {
    const ssize_t n = ::write(out_fd_, frame_.data() + done, frame_.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      fail("the pipe to Python is broken");
    done += static_cast<std::size_t>(n);
  }
}

void PythonChannel::read_exactly(void* into, std::size_t bytes) {
  auto* at = static_cast<char*>(into);
  while (bytes > 0) {
    const ssize_t n = ::read(in_fd_, at, bytes);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      fail("Python closed the pipe before the run ended");
    at += n;
    bytes -= static_cast<std::size_t>(n);
  }
}

std::vector<wire::Request> PythonChannel::receive_requests() {
  wire::FrameHeader header;
  read_exactly(&header, sizeof header);
  if (header.kind != static_cast<std::uint8_t>(wire::FrameKind::kRequests) || header.count > kMostRequestsPerFrame)
    fail("Python sent a frame the runner does not understand");
  std::vector<wire::Request> requests(header.count);
  read_exactly(requests.data(), requests.size() * sizeof(wire::Request));
  return requests;
}

std::vector<wire::Request> PythonChannel::next_requests(std::uint32_t most) {
  send(wire::FrameKind::kNeedRequests, most, nullptr, 0);
  return receive_requests();
}

std::vector<wire::Request> PythonChannel::completed(const CompletionRecord& record) {
  const wire::Completion c = to_wire(record);
  send(wire::FrameKind::kCompletion, 1, &c, sizeof c);
  return receive_requests();
}

void PythonChannel::stream(const std::vector<wire::Completion>& completions) {
  send(wire::FrameKind::kCompletion, static_cast<std::uint32_t>(completions.size()), completions.data(),
       completions.size() * sizeof(wire::Completion));
}

wire::Completion PythonChannel::to_wire(const CompletionRecord& r) {
  wire::Completion c{};
  c.request_id = r.request_id;
  c.parent_id = r.parent_id;
  c.lba = r.lba;
  c.blocks = r.blocks;
  c.bytes = r.bytes;
  c.submit_ns = r.submit;
  c.dispatch_ns = r.dispatch;
  c.complete_ns = r.complete;
  c.device = r.device;
  c.flags = r.flags;
  c.status = r.status;
  c.queue_depth = r.queue_depth;
  c.op = static_cast<std::uint8_t>(r.op);
  c.layer = static_cast<std::uint8_t>(r.layer);
  return c;
}

}  // namespace blocksim
