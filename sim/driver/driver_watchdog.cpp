// IOBlockStorageDriver's timeout of device calls: the calls in flight are kept on a list in the
// order they were sent, which with one timeout for all is the order of their deadlines, so one
// timer at the oldest call's deadline watches them all. When it fires, every call past its
// deadline is aborted at the device; the abort's completion (kIOReturnAborted) then counts as a
// timeout (driver_pipeline.cpp: retried, or kIOReturnTimeout). A device that cannot abort the
// call leaves the driver waiting for it. While no call is watched, the pending timer is a
// background event, so that it does not carry the run on to its time.
#include "sim/driver/block_storage_driver.hpp"

namespace blocksim {

void IOBlockStorageDriver::watch(std::uint32_t slot) {
  if (policy_.timeout <= 0)
    return;
  DriverRequest& r = requests_[slot];
  r.watched = true;
  r.deadline = context_.engine->now() + policy_.timeout;
  watched_.push_back(requests_, slot);
  arm_watchdog();
}

void IOBlockStorageDriver::unwatch(std::uint32_t slot) {
  DriverRequest& r = requests_[slot];
  if (!r.watched)
    return;
  r.watched = false;
  watched_.remove(requests_, slot);
  if (watched_.empty() && watchdog_armed_)
    context_.engine->set_background(watchdog_, true);
}

// At most one timer is pending: it fires at or before the oldest call's deadline, and sets the next.
void IOBlockStorageDriver::arm_watchdog() {
  if (watched_.empty())
    return;
  if (watchdog_armed_) {
    context_.engine->set_background(watchdog_, false);
    return;
  }
  watchdog_armed_ = true;
  // The timer may outlive the driver (the engine is torn down last): it checks the driver is there.
  watchdog_ = context_.engine->timer(requests_[watched_.front()].deadline, [this, alive = std::weak_ptr<int>(alive_)] {
    if (!alive.expired())
      on_watchdog();
  });
}

void IOBlockStorageDriver::stop_watchdog() {
  if (watchdog_armed_)
    context_.engine->set_background(watchdog_, true);
}

void IOBlockStorageDriver::on_watchdog() {
  watchdog_armed_ = false;
  const SimTime now = context_.engine->now();
  while (!watched_.empty() && requests_[watched_.front()].deadline <= now) {
    const std::uint32_t slot = watched_.front();
    unwatch(slot);
    DriverRequest& r = requests_[slot];
    if (device_.abort(r.exec_buffer) == kIOReturnSuccess)
      r.timed_out = true;
  }
  arm_watchdog();
}

}  // namespace blocksim
