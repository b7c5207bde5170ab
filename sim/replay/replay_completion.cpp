// ReplaySource: what happens when a replayed request completes (replay_source_impl.hpp).
#include "sim/replay/replay_source_impl.hpp"

namespace blocksim {

void ReplaySource::on_complete(void* target, void* parameter, IOReturn status, std::uint64_t /*actual_bytes*/) {
  static_cast<ReplaySource*>(target)->completed(static_cast<InFlight*>(parameter), status);
}

void ReplaySource::record(const CompletionRecord& completion) {
  if (completion.layer != Layer::kDevice)
    return;
  const std::uint64_t id = completion.parent_id != 0 ? completion.parent_id : completion.request_id;
  const auto it = slot_of_request_.find(id);
  if (it == slot_of_request_.end())
    return;
  InFlight& request = in_flight_[it->second];
  if (request.device_dispatch < 0 || completion.dispatch < request.device_dispatch)
    request.device_dispatch = completion.dispatch;
  request.device_complete = std::max(request.device_complete, completion.complete);
}

void ReplaySource::completed(InFlight* request, IOReturn status) {
  const SimTime now = engine_.now();
  ++completed_;
  load_.completed(now);
  ReplayPartEvent logged{now, -1, 0, ReplayPartEvent::kComplete, 0};
  if (status == kIOReturnUnsupported && request->op == Op::kUnmap) {
    ++unmaps_unsupported_;  // the recorded drive took it; this one cannot: warned, not a failure
  } else if (status != kIOReturnSuccess) {
    ++failed_;
  } else if (request->measured >= 0) {
    const bool from_dispatch = request->measured_from == MeasuredFrom::kDispatch && request->device_dispatch >= 0;
    const SimTime simulated =
        from_dispatch ? request->device_complete - request->device_dispatch : now - request->issued_at;
    load_.compared(request->measured, simulated, request->measured_from);
    logged.measured = request->measured;
    logged.simulated = simulated;
    logged.dispatch_measured = request->measured_from == MeasuredFrom::kDispatch ? 1 : 0;
  }
  log(logged);
  const SimTime recorded = request->recorded;
  const SimTime measured = request->measured;
  const SimTime idle_after = request->idle_after;
  slot_of_request_.erase(request->buffer.request_id);
  in_flight_.release(request->slot);

  if (!have_next_)
    return;
  if (timing_.mode == ReplayTiming::Mode::kClosed) {
    if (submitting_)
      issue_soon();
    else
      issue_next();
  } else if (timing_.mode == ReplayTiming::Mode::kValidate) {
    // The recorded idle gap; a trace without one gives the recorded time between this request's
    // recorded completion and the next request's arrival.
    const SimTime gap = idle_after >= 0
                            ? idle_after
                            : std::max<SimTime>(0, next_.recorded - recorded - std::max<SimTime>(0, measured));
    engine_.at(now + gap, [this] {
      if (have_next_)
        issue_next();
    });
  }
}

}  // namespace blocksim
