// The one wrapper over SimGrid. It owns the process's single s4u::Engine, shows time to the rest
// of blocksim as integer nanoseconds, runs pure delays from a calendar of its own, and moves bytes
// over buses modelled as SimGrid links, so that concurrent transfers share bandwidth.
//
// Delays are events in a binary heap ordered by (time, exact time in seconds, order of
// scheduling). While no SimGrid comm is in flight, nothing can happen in SimGrid, so events run
// straight from the heap; SimGrid's clock is brought forward only when a comm starts. While comms
// are in flight, SimGrid drives: the earliest event is armed as one SimGrid kernel timer, so events
// and transfer ends interleave in time order. No actors anywhere.
//
// Transfers (engine_transfers.cpp): a bus's latency passes in the calendar, since it takes no
// bandwidth. A transfer then alone on every link of its route finishes at start + bytes / rate,
// which the engine computes itself and puts in its calendar (the fast path, exact). Only when a
// second transfer comes onto a busy link does the one in flight become a SimGrid comm for its
// remaining bytes, so that sharing is what SimGrid's solver computes. The engine keeps, in seconds,
// the clock SimGrid would show had it timed every transfer (`clock_`: it moves, as SimGrid's does,
// by now + (date - now) at each event while bytes move, and catches up when bytes start moving),
// so both paths start and end transfers at the same doubles. TransferTiming::kSimGridOnly sends
// every transfer through SimGrid, for comparison.
//
// SimGrid allows one engine per process: constructing a second Engine throws. Everything runs in
// SimGrid's maestro context, from callbacks; nothing here blocks.
//
// Configuration applied: network model CM02 with cross-traffic off (transfers take exactly
// bytes / bandwidth + latency), surf/precision 1e-13 s, raw contexts, SimGrid logs at
// "critical" unless EngineOptions::simgrid_logs is set.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>


#include "sim/core/callback.hpp"
#include "sim/core/event_action.hpp"
#include "sim/core/sim_time.hpp"

namespace simgrid::s4u {
class Engine;
class Host;
class Link;
class NetZone;
}  // namespace simgrid::s4u
namespace simgrid::kernel::timer {
class Timer;
}

namespace blocksim {

// Who times a transfer that shares no link (see the header comment).
enum class TransferTiming { kFast, kSimGridOnly };

struct EngineOptions {
  bool simgrid_logs = false;  // let SimGrid print its own log lines
  TransferTiming transfers = TransferTiming::kFast;
};

// A bus: one SimGrid link (split in two directions when full duplex).
struct BusHandle {
  std::uint32_t index = 0;
};

// Where a device's DMA engine sits: a host with a route to host memory across a bus.
struct Endpoint {
  std::uint32_t index = 0;
};

enum class TransferDirection { kToHost, kFromHost };

class Engine {
 public:
  explicit Engine(const EngineOptions& options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  SimTime now() const { return now_; }

  // Runs fn() at simulated time `when`; a time already past means now. Events at the same time
  // run in the order they were scheduled.
  template <class F>
  void at(SimTime when, F&& fn) {
    when = std::max(when, now_);
    schedule(when, to_seconds(when), EventAction(std::forward<F>(fn)), false);
  }
  template <class F>
  void after(SimTime delay, F&& fn) {
    at(now() + delay, std::forward<F>(fn));
  }
  // An event whose owner can later say it no longer keeps the run going (a watchdog's timer
  // with nothing left to watch): run() returns, without going on to its time, when only such
  // background events remain; one still pending then may run during a later run(). The handle
  // is valid until the event runs.
  using EventHandle = std::uint32_t;
  template <class F>
  EventHandle timer(SimTime when, F&& fn) {
    when = std::max(when, now_);
    return schedule(when, to_seconds(when), EventAction(std::forward<F>(fn)), false);
  }
  void set_background(EventHandle event, bool background);
  // The event will not run; the handle is no longer valid.
  void cancel(EventHandle event);

  // Platform building; only before run().
  BusHandle add_bus(const std::string& name, double bytes_per_second, SimTime latency, bool full_duplex);
  // A DMA endpoint on `bus`. A positive `own_rate` puts a link of that rate on the endpoint's own
  // route, capping this endpoint's transfers below the bus rate.
  Endpoint add_endpoint(const std::string& name, BusHandle bus, double own_rate = 0);

  // Changes a bus's bandwidth while the run goes on (a component slowing down): transfers in flight
  // share the new bandwidth from now on. `bytes_per_second` must be positive.
  void set_bus_bandwidth(BusHandle bus, double bytes_per_second);
  double bus_bandwidth(BusHandle bus) const;

  // Moves `bytes` between the endpoint and host memory; calls `done` when the last byte arrives.
  void transfer(Endpoint endpoint, TransferDirection direction, std::uint64_t bytes, Callback done);
  // Transfers in flight right now, and how many of them SimGrid is timing.
  std::size_t transfers_in_flight() const { return transfers_in_flight_; }
  std::size_t shared_transfers_in_flight() const { return comms_in_flight_; }
  TransferTiming transfer_timing() const { return timing_; }

  // Runs until no timer and no transfer is left. May be called again after more work is added.
  void run();
  // Runs what happens up to simulated time `until`, then returns with the rest still pending
  // (a power cut: what is in flight then never completes).
  void run_until(SimTime until);

  static double to_seconds(SimTime t) { return static_cast<double>(t) * 1e-9; }
  static SimTime from_seconds(double s) { return static_cast<SimTime>(std::llround(s * 1e9)); }

 private:
  struct TransferSlot;
  struct Platform;
  // One direction of a link (both, for a half-duplex bus): what the fast path needs to know.
  struct Lane {
    double rate = 0;          // bytes per second
    std::uint32_t busy = 0;   // transfers moving bytes over it
  };
  struct Event {
    SimTime time;
    double exact;  // seconds: where SimGrid's clock would stand when this runs
    std::uint64_t order;
    std::uint32_t action;
    bool operator>(const Event& other) const {
      if (time != other.time)
        return time > other.time;
      return exact != other.exact ? exact > other.exact : order > other.order;
    }
  };

  EventHandle schedule(SimTime when, double exact, EventAction fn, bool background);
  // engine_transfers.cpp
  TransferSlot* take_transfer_slot();
  void begin_bytes(TransferSlot* slot);
  void finish_alone(TransferSlot* slot);
  void forget_alone(TransferSlot* slot);
  void give_alone_to_simgrid();
  void start_comm(TransferSlot* slot);
  void launch_comm(TransferSlot* slot);
  void leave_lanes(TransferSlot* slot);
  void drop_pending_event(TransferSlot* slot);
  // SimGrid's clock moves from `now` to `date` as now + (date - now), which is not always `date`.
  static double advance(double now, double date) { return date > now ? now + (date - now) : now; }
  // Transfers past their latency, timed by either.
  std::size_t bytes_moving() const { return comms_in_flight_ + alone_.size(); }
  void pop_cancelled_events();
  void run_next_event();
  void on_timer();
  void sync_timer();
  void cut_transfers();
  void bring_simgrid_clock_to_now();
  void on_transfer_done(TransferSlot* slot);
  void release_finished_transfers();
  // run() and run_until(): until no foreground event is left, or none up to deadline_.
  void drive(bool to_deadline);

  std::unique_ptr<simgrid::s4u::Engine> engine_;
  std::unique_ptr<Platform> platform_;
  std::vector<std::unique_ptr<TransferSlot>> transfer_slots_;
  std::vector<TransferSlot*> free_transfer_slots_;
  std::vector<TransferSlot*> finished_transfer_slots_;
  std::vector<Lane> lanes_;
  std::vector<TransferSlot*> alone_;  // transfers the engine is timing
  std::size_t transfers_in_flight_ = 0;
  std::size_t comms_in_flight_ = 0;  // transfers SimGrid is timing
  TransferTiming timing_ = TransferTiming::kFast;

  SimTime now_ = 0;
  double clock_ = 0;      // seconds: SimGrid's clock as it would stand had SimGrid timed every transfer
  double now_exact_ = 0;  // seconds: the exact time of the event running now
  std::vector<Event> events_;  // a min-heap on (time, exact, order)
  std::vector<EventAction> actions_;
  std::vector<bool> background_;  // per action: its event does not keep run() going
  std::vector<bool> cancelled_;   // per action: its event will not run
  std::vector<std::uint32_t> free_actions_;
  std::uint64_t next_order_ = 0;
  std::size_t foreground_events_ = 0;  // events that keep run() going
  bool simgrid_driving_ = false;
  simgrid::kernel::timer::Timer* armed_ = nullptr;  // SimGrid's timer for the earliest event
  SimTime armed_at_ = 0;  // the calendar's key of the event the timer is armed for
  double armed_exact_ = 0;
  bool has_deadline_ = false;  // run_until: nothing after deadline_ happens
  SimTime deadline_ = 0;
};

}  // namespace blocksim
