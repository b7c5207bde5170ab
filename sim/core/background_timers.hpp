// Background timers an object arms on the engine: a background event does not keep a run going,
// so it may still be pending when the run ends, and run in a later run() of the same engine
// (engine.hpp). The object that owns a BackgroundTimers owns the callbacks they run; the timers
// still pending when it is destroyed are cancelled, so that none runs on a dead owner (a fuzzer
// runs one device after another on one engine). Cancelled only then: cancelling one during a run
// would leave a wake-up in SimGrid's clock that the engine's own path does not have.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/core/engine.hpp"

namespace blocksim {

class BackgroundTimers {
 public:
  explicit BackgroundTimers(Engine& engine) : engine_(engine) {}
  ~BackgroundTimers() {
    for (const Pending& timer : pending_)
      engine_.cancel(timer.handle);
  }
  BackgroundTimers(const BackgroundTimers&) = delete;
  BackgroundTimers& operator=(const BackgroundTimers&) = delete;

  // Runs `fn` at `when` (or now, if that has passed) unless this is destroyed first.
  template <class F>
  void arm(SimTime when, F fn) {
    const std::uint64_t id = next_id_++;
    const Engine::EventHandle handle = engine_.timer(when, [this, id, fn]() mutable {
      forget(id);
      fn();
    });
    engine_.set_background(handle, true);
    pending_.push_back({id, handle});
  }

 private:
  struct Pending {
    std::uint64_t id;
    Engine::EventHandle handle;
  };
  void forget(std::uint64_t id) {
    pending_.erase(std::find_if(pending_.begin(), pending_.end(), [id](const Pending& p) { return p.id == id; }));
  }

  Engine& engine_;
  std::vector<Pending> pending_;
  std::uint64_t next_id_ = 0;
};

}  // namespace blocksim
