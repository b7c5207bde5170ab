// The timing of a device's low-power states (power.proto, docs/stack.md "Power states"): which
// state the device is in, when it enters one on its own after being idle (NVMe APST, ATA's
// standby timer), when an entry or exit ends, and how long it spent in each state. It knows
// nothing of requests beyond their number: PowerManagedDevice asks it whether a request may go to
// the model now and holds the request until `on_active` says the device can serve again.
//
// Phases: active -> entering(k) -> in(k) -> exiting(k) -> active; from in(k) the device can go
// on to enter a deeper state j, which takes j's entry latency (no exit between). A request that
// finds the device entering waits for the entry to end, then for the exit; one that finds it in
// a state waits for the exit; one that finds it exiting waits for the rest of the exit.
//
// Events: the idle timer and the end of an entry nobody waits for are background events, so a
// run with nothing else to do ends without going on to them; an exit, which requests wait for,
// keeps the run going. An idle timer that fires early (the device was busy in between) arms the
// next one for the new deadline, so a busy device costs no event per request.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/background_timers.hpp"
#include "sim/core/engine.hpp"
#include "sim/device/block_storage_device.hpp"

namespace blocksim {

struct PowerStateSpec {
  std::string name;
  SimTime entry_latency = 0;
  SimTime exit_latency = 0;
  std::optional<SimTime> idle_time;  // autonomous entry after this long idle; none: on request only
};

class PowerStates {
 public:
  // `states` shallowest first (ordinal 1 is states[0]); `on_active` runs when an exit ends.
  // The engine outlives this.
  PowerStates(Engine& engine, std::vector<PowerStateSpec> states, std::function<void()> on_active);
  // An entry still under way (a background event once nothing waits for it) is cancelled, as
  // are the idle timers: none runs on a destroyed device.
  ~PowerStates();
  PowerStates(const PowerStates&) = delete;
  PowerStates& operator=(const PowerStates&) = delete;

  // A request arrives. True: the device is active and the request is counted as outstanding;
  // false: the device is waking up (this call starts the exit if needed) and the caller holds
  // the request until on_active, then asks again.
  bool admit();
  // A request admitted earlier has completed (or was refused by the model, so never started).
  void finished();

  // setPowerState: 0 wakes the device; n > 0 enters state n now if the device is idle, else when
  // it next goes idle. kIOReturnBadArgument for an ordinal it does not have.
  IOReturn request(std::uint32_t ordinal);
  std::uint32_t deepest() const { return static_cast<std::uint32_t>(states_.size()); }
  // The state the device is in or entering; 0 while active or exiting.
  std::uint32_t current() const;
  const std::string& name(std::uint32_t ordinal) const;
  // What a held request waits for, for the report of lost requests: "exit from standby" ...
  std::string waiting_for() const;

  // No more events: power is gone (the time spent is counted up to the cut).
  void stop() { stopped_ = true; }

  // power.<state>_ns for "active" and each state (time settled in it), power.transition_ns
  // (entering and exiting), power.entries, power.exits; the times add up to the engine's now.
  void collect_metrics(std::vector<DeviceMetric>* out) const;

 private:
  enum class Phase { kActive, kEntering, kIn, kExiting };
  const PowerStateSpec& spec(std::uint32_t ordinal) const { return states_[ordinal - 1]; }
  void change_phase(Phase phase, std::uint32_t ordinal);
  void enter(std::uint32_t ordinal);
  void on_entered();
  void start_exit();
  void on_exited();
  void went_idle();
  // The next state entered on its own from where the device is; 0 when there is none.
  std::uint32_t next_autonomous() const;
  void arm_idle_timer();
  void on_idle_timer();
  bool idle() const { return outstanding_ == 0; }

  Engine& engine_;
  std::vector<PowerStateSpec> states_;
  std::function<void()> on_active_;

  Phase phase_ = Phase::kActive;
  std::uint32_t ordinal_ = 0;  // the state entered, in or being left
  SimTime phase_start_ = 0;
  std::uint64_t outstanding_ = 0;
  SimTime idle_since_ = 0;
  bool wake_wanted_ = false;       // a request (or setPowerState(0)) waits for the entry to end
  std::uint32_t wanted_state_ = 0;  // setPowerState(n) asked while busy or in transition
  std::optional<SimTime> idle_timer_at_;  // when the earliest idle timer pending fires
  std::optional<Engine::EventHandle> entry_event_;
  bool stopped_ = false;

  std::vector<SimTime> time_in_;  // [0] active, [n] state n
  SimTime time_in_transition_ = 0;
  std::uint64_t entries_ = 0;
  std::uint64_t exits_ = 0;
  BackgroundTimers idle_timers_{engine_};  // last: cancelled before the rest goes
};

}  // namespace blocksim
