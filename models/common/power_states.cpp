#include "models/common/power_states.hpp"

#include <utility>

namespace blocksim {

PowerStates::PowerStates(Engine& engine, std::vector<PowerStateSpec> states, std::function<void()> on_active)
    : engine_(engine),
      states_(std::move(states)),
      on_active_(std::move(on_active)),
      phase_start_(engine.now()),
      idle_since_(engine.now()),
      time_in_(states_.size() + 1, 0) {
  arm_idle_timer();
}

PowerStates::~PowerStates() {
  if (entry_event_)
    engine_.cancel(*entry_event_);
}

bool PowerStates::admit() {
  if (stopped_)
    return true;  // the model answers what a device without power answers
  switch (phase_) {
    case Phase::kActive:
      ++outstanding_;
      return true;
    case Phase::kEntering:
      wake_wanted_ = true;
      if (entry_event_)
        engine_.set_background(*entry_event_, false);  // a request now waits for it
      return false;
    case Phase::kIn:
      start_exit();
      return false;
    case Phase::kExiting:
      return false;
  }
  return false;
}

void PowerStates::finished() {
  --outstanding_;
  if (outstanding_ == 0 && phase_ == Phase::kActive)
    went_idle();
}

IOReturn PowerStates::request(std::uint32_t ordinal) {
  if (ordinal > deepest())
    return kIOReturnBadArgument;
  if (stopped_)
    return kIOReturnNoPower;
  if (ordinal == 0) {
    wanted_state_ = 0;
    if (phase_ == Phase::kEntering) {
      wake_wanted_ = true;
      if (entry_event_)
        engine_.set_background(*entry_event_, false);
    } else if (phase_ == Phase::kIn) {
      start_exit();
    }
    return kIOReturnSuccess;
  }
  if (phase_ == Phase::kActive && idle())
    enter(ordinal);
  else if (phase_ == Phase::kIn && ordinal != ordinal_)
    enter(ordinal);
  else if (phase_ != Phase::kIn)
    wanted_state_ = ordinal;  // busy, or in a transition: taken up when the device settles idle
  return kIOReturnSuccess;
}

std::uint32_t PowerStates::current() const {
  return phase_ == Phase::kEntering || phase_ == Phase::kIn ? ordinal_ : 0;
}

const std::string& PowerStates::name(std::uint32_t ordinal) const {
  static const std::string active = "active";
  return ordinal == 0 ? active : spec(ordinal).name;
}

std::string PowerStates::waiting_for() const {
  switch (phase_) {
    case Phase::kActive: return {};
    case Phase::kEntering: return "the end of the entry into power state " + name(ordinal_) + ", then its exit";
    case Phase::kIn:
    case Phase::kExiting: return "the exit from power state " + name(ordinal_);
  }
  return {};
}

void PowerStates::change_phase(Phase phase, std::uint32_t ordinal) {
  const SimTime spent = engine_.now() - phase_start_;
  if (phase_ == Phase::kActive)
    time_in_[0] += spent;
  else if (phase_ == Phase::kIn)
    time_in_[ordinal_] += spent;
  else
    time_in_transition_ += spent;
  phase_ = phase;
  ordinal_ = ordinal;
  phase_start_ = engine_.now();
}

void PowerStates::enter(std::uint32_t ordinal) {
  change_phase(Phase::kEntering, ordinal);
  ++entries_;
  entry_event_ = engine_.timer(engine_.now() + spec(ordinal).entry_latency, [this] {
    entry_event_.reset();
    on_entered();
  });
  engine_.set_background(*entry_event_, !wake_wanted_);
}

void PowerStates::on_entered() {
  if (stopped_)
    return;
  change_phase(Phase::kIn, ordinal_);
  if (wake_wanted_) {
    wake_wanted_ = false;
    start_exit();
    return;
  }
  const std::uint32_t wanted = std::exchange(wanted_state_, 0);
  if (wanted != 0 && wanted != ordinal_) {
    enter(wanted);
    return;
  }
  arm_idle_timer();
}

void PowerStates::start_exit() {
  change_phase(Phase::kExiting, ordinal_);
  ++exits_;
  engine_.after(spec(ordinal_).exit_latency, [this] { on_exited(); });
}

void PowerStates::on_exited() {
  if (stopped_)
    return;
  change_phase(Phase::kActive, 0);
  on_active_();  // the held requests go to the model, each admitted now
  if (idle())
    went_idle();
}

void PowerStates::went_idle() {
  idle_since_ = engine_.now();
  if (const std::uint32_t wanted = std::exchange(wanted_state_, 0); wanted != 0) {
    enter(wanted);
    return;
  }
  arm_idle_timer();
}

std::uint32_t PowerStates::next_autonomous() const {
  const std::uint32_t from = phase_ == Phase::kIn ? ordinal_ : 0;
  for (std::uint32_t j = from + 1; j <= deepest(); ++j)
    if (spec(j).idle_time)
      return j;
  return 0;
}

void PowerStates::arm_idle_timer() {
  if (stopped_)
    return;
  const std::uint32_t next = next_autonomous();
  if (next == 0)
    return;
  const SimTime when = idle_since_ + *spec(next).idle_time;
  if (idle_timer_at_ && *idle_timer_at_ <= when)
    return;  // it fires first and moves itself on
  // A later timer still pending is left to fire and find nothing to do: cancelling it would
  // leave a wake-up in SimGrid's clock that the engine's own path does not have (engine.hpp),
  // and the two must give the same trace (background_timers.hpp).
  idle_timers_.arm(when, [this, when] {
    if (idle_timer_at_ == when)
      idle_timer_at_.reset();
    on_idle_timer();
  });
  idle_timer_at_ = when;
}

void PowerStates::on_idle_timer() {
  if (stopped_ || !idle() || !(phase_ == Phase::kActive || phase_ == Phase::kIn))
    return;  // busy or in a transition: the timer is armed again when the device settles idle
  const std::uint32_t next = next_autonomous();
  if (next == 0)
    return;
  if (engine_.now() < idle_since_ + *spec(next).idle_time) {
    arm_idle_timer();  // the device was busy in between: its idle time counts from later
    return;
  }
  enter(next);
}

void PowerStates::collect_metrics(std::vector<DeviceMetric>* out) const {
  std::vector<SimTime> time_in = time_in_;
  SimTime transition = time_in_transition_;
  const SimTime spent = engine_.now() - phase_start_;
  if (phase_ == Phase::kActive)
    time_in[0] += spent;
  else if (phase_ == Phase::kIn)
    time_in[ordinal_] += spent;
  else
    transition += spent;
  for (std::uint32_t i = 0; i <= deepest(); ++i)
    out->push_back({"power." + name(i) + "_ns", static_cast<double>(time_in[i]), "ns"});
  out->push_back({"power.transition_ns", static_cast<double>(transition), "ns"});
  out->push_back({"power.entries", static_cast<double>(entries_), "count"});
  out->push_back({"power.exits", static_cast<double>(exits_), "count"});
}

}  // namespace blocksim
