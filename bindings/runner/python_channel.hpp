// The runner's end of the two pipes to blocksim.run(): it asks Python for the next requests of
// the `python` workload and shows Python each completion when a callback is watching, and waits
// for the answer each time. The simulation stands still while Python thinks, so nothing Python
// does can depend on wall time and a run stays deterministic.
// A pipe that breaks (Python went away) or a frame that makes no sense ends the process at once
// with a message on stderr: nobody is left to hand an error to, and the trace is a scratch file.
#pragma once

#include <cstdint>
#include <vector>

#include "bindings/runner/wire_format.hpp"
#include "sim/device/completion_record.hpp"

namespace blocksim {

class PythonChannel {
 public:
  // Reads frames from `in_fd` and writes them to `out_fd`; does not own them.
  PythonChannel(int in_fd, int out_fd) : in_fd_(in_fd), out_fd_(out_fd) {}

  // Up to `most` requests of the workload, in order; none means the iterable is exhausted.
  std::vector<wire::Request> next_requests(std::uint32_t most);
  // Shows `completion` to the callback; returns the requests it answered with.
  std::vector<wire::Request> completed(const CompletionRecord& completion);
  // Sends completions the callback only watches, without waiting for an answer.
  void stream(const std::vector<wire::Completion>& completions);

  static wire::Completion to_wire(const CompletionRecord& completion);

  // Ends the process: the message on stderr, then _exit.
  [[noreturn]] static void fail(const char* what);

 private:
  void send(wire::FrameKind kind, std::uint32_t count, const void* records, std::size_t bytes);
  std::vector<wire::Request> receive_requests();
  void read_exactly(void* into, std::size_t bytes);

  int in_fd_;
  int out_fd_;
  std::vector<char> frame_;  // the frame being sent, reused
};

}  // namespace blocksim
