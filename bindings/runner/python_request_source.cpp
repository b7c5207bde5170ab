#include "bindings/runner/python_request_source.hpp"

#include <algorithm>

namespace blocksim {

namespace {
// Requests asked for at a time: big enough that the pipe's round trip is lost in the batch,
// small enough that memory stays flat.
constexpr std::uint32_t kBatch = 4096;
}  // namespace

PythonRequestSource::PythonRequestSource(Engine& engine, PythonChannel& channel, RequestIds& ids,
                                         IOStorage& default_target, std::vector<IOStorage*> targets)
    : engine_(engine), channel_(channel), ids_(ids), default_target_(default_target), targets_(std::move(targets)) {}

void PythonRequestSource::start() {
  refill();
  schedule_next();
}

void PythonRequestSource::refill() {
  if (exhausted_ || !pending_.empty())
    return;
  const std::vector<wire::Request> batch = channel_.next_requests(kBatch);
  if (batch.empty())
    exhausted_ = true;
  for (wire::Request request : batch) {
    // "As soon as possible" in the iterable means together with the request before it.
    if (request.time_ns == wire::kAsSoonAsPossible)
      request.time_ns = previous_time_;
    previous_time_ = std::max<SimTime>(previous_time_, request.time_ns);
    pending_.push_back(request);
  }
}

void PythonRequestSource::schedule_next() {
  if (pending_.empty())
    return;
  engine_.at(pending_.front().time_ns, [this] { issue_due(); });
}

void PythonRequestSource::issue_due() {
  while (true) {
    refill();
    if (pending_.empty() || pending_.front().time_ns > engine_.now())
      break;
    const wire::Request request = pending_.front();
    pending_.pop_front();
    issue(request);
  }
  schedule_next();
}

void PythonRequestSource::inject(const std::vector<wire::Request>& requests) {
  for (const wire::Request& request : requests) {
    const SimTime when = request.time_ns == wire::kAsSoonAsPossible ? engine_.now() : request.time_ns;
    engine_.at(when, [this, request] { issue(request); });
  }
}

void PythonRequestSource::issue(const wire::Request& request) {
  IOStorage* target = &default_target_;
  if (request.device != wire::kDefaultDevice) {
    if (request.device >= targets_.size())
      PythonChannel::fail("a request names a device the scenario does not have");
    target = targets_[request.device];
  }
  const std::uint32_t slot = in_flight_.acquire();
  InFlight& flight = in_flight_[slot];
  flight.slot = slot;
  flight.completion = IOStorageCompletion{this, &PythonRequestSource::on_complete, &flight};
  ++issued_;
  const auto op = static_cast<Op>(request.op);
  if (op == Op::kFlush) {
    const IOReturn status = target->synchronize(request.offset, request.size, kIOStorageSynchronizeOptionNone,
                                                &flight.completion);
    if (status != kIOReturnSuccess)
      finished(&flight, status);
    return;
  }
  if (op != Op::kRead && op != Op::kWrite)
    PythonChannel::fail("a request has an operation other than read, write or flush");
  flight.buffer.direction = op == Op::kRead ? IODirection::kIn : IODirection::kOut;
  flight.buffer.length = request.size;
  flight.buffer.request_id = ids_.next();
  flight.attributes.options = (request.flags & wire::kRequestFua) ? kIOStorageOptionForceUnitAccess
                                                                    : kIOStorageOptionNone;
  if (op == Op::kRead)
    target->read(request.offset, &flight.buffer, &flight.attributes, &flight.completion);
  else
    target->write(request.offset, &flight.buffer, &flight.attributes, &flight.completion);
}

void PythonRequestSource::on_complete(void* target, void* parameter, IOReturn status, std::uint64_t /*actual_bytes*/) {
  static_cast<PythonRequestSource*>(target)->finished(static_cast<InFlight*>(parameter), status);
}

void PythonRequestSource::finished(InFlight* request, IOReturn status) {
  ++completed_;
  if (status != kIOReturnSuccess)
    ++failed_;
  in_flight_.release(request->slot);
}

}  // namespace blocksim
