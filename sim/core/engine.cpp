#include "sim/core/engine.hpp"

#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <simgrid/kernel/Timer.hpp>
#include <xbt/log.h>

#include <stdexcept>

#include "sim/core/engine_platform.hpp"

namespace blocksim {

namespace sg = simgrid::s4u;

namespace {
bool g_engine_exists = false;
}

Engine::Engine(const EngineOptions& options) : timing_(options.transfers) {
  if (g_engine_exists)
    throw std::logic_error("blocksim: SimGrid allows one engine per process; run each simulation in a process of its own");
  g_engine_exists = true;
  if (!options.simgrid_logs)
    xbt_log_control_set("root.thresh:critical");
  sg::Engine::set_config("contexts/factory:raw");
  int argc = 1;
  char name[] = "blocksim";
  char* argv[] = {name, nullptr};
  engine_ = std::make_unique<sg::Engine>(&argc, argv);
  // Model keys must be set after the engine exists and before the platform is built.
  sg::Engine::set_config("network/model:CM02");
  sg::Engine::set_config("network/crosstraffic:0");
  sg::Engine::set_config("surf/precision:1e-13");
  sg::Engine::set_config("network/TCP-gamma:0");

  platform_ = std::make_unique<Platform>();
  platform_->zone = sg::create_full_zone("blocksim");
  platform_->memory = platform_->zone->create_host("host-memory", 1e9)->seal();

  sg::Activity::on_completion_cb([](const sg::Activity& activity) {
    if (auto* slot = activity.get_data<TransferSlot>())
      slot->owner->on_transfer_done(slot);
  });
}

Engine::~Engine() {
  finished_transfer_slots_.clear();
  transfer_slots_.clear();
  platform_.reset();
  engine_.reset();
}

Engine::EventHandle Engine::schedule(SimTime when, double exact, EventAction fn, bool background) {
  std::uint32_t action;
  if (free_actions_.empty()) {
    action = static_cast<std::uint32_t>(actions_.size());
    actions_.push_back(std::move(fn));
    background_.push_back(background);
    cancelled_.push_back(false);
  } else {
    action = free_actions_.back();
    free_actions_.pop_back();
    actions_[action] = std::move(fn);
    background_[action] = background;
    cancelled_[action] = false;
  }
  events_.push_back(Event{when, exact, next_order_++, action});
  foreground_events_ += !background;
  std::push_heap(events_.begin(), events_.end(), std::greater<>());
  if (simgrid_driving_)
    sync_timer();
  return action;
}

void Engine::set_background(EventHandle event, bool background) {
  if (background_.at(event) == background)
    return;
  background_[event] = background;
  if (background)
    --foreground_events_;
  else
    ++foreground_events_;
}

// A cancelled event leaves the heap only when it reaches the front; until then it neither keeps
// run() going nor (popped before the timer is armed) stops SimGrid's clock.
void Engine::cancel(EventHandle event) {
  set_background(event, true);
  cancelled_.at(event) = true;
  actions_[event].reset();
}

void Engine::pop_cancelled_events() {
  while (!events_.empty() && cancelled_[events_.front().action]) {
    std::pop_heap(events_.begin(), events_.end(), std::greater<>());
    free_actions_.push_back(events_.back().action);
    events_.pop_back();
  }
}

void Engine::run_next_event() {
  std::pop_heap(events_.begin(), events_.end(), std::greater<>());
  const Event event = events_.back();
  events_.pop_back();
  free_actions_.push_back(event.action);
  if (cancelled_[event.action])
    return;
  now_ = event.time;
  now_exact_ = event.exact;
  if (bytes_moving() > 0)
    clock_ = advance(clock_, event.exact);
  foreground_events_ -= !background_[event.action];
  EventAction fn = std::move(actions_[event.action]);
  fn();
}

// Keeps SimGrid's one timer on the earliest event while SimGrid drives, and none otherwise, so
// that SimGrid's run() returns as soon as the last comm ends. Under run_until, the timer is never
// later than the deadline.
void Engine::sync_timer() {
  pop_cancelled_events();
  const bool event_due = !events_.empty() && (!has_deadline_ || events_.front().time <= deadline_);
  const bool wanted = comms_in_flight_ > 0 && (event_due || has_deadline_);
  if (!wanted) {
    if (armed_) {
      armed_->remove();
      armed_ = nullptr;
    }
    return;
  }
  const SimTime next = event_due ? events_.front().time : deadline_;
  const double exact = event_due ? events_.front().exact : to_seconds(deadline_);
  if (armed_ && armed_at_ == next && armed_exact_ == exact)
    return;
  if (armed_)
    armed_->remove();
  armed_at_ = next;
  armed_exact_ = exact;
  armed_ = simgrid::kernel::timer::Timer::set(std::max(exact, sg::Engine::get_clock()), [this] { on_timer(); });
}

void Engine::on_timer() {
  armed_ = nullptr;  // SimGrid deletes the timer that fired
  release_finished_transfers();
  clock_ = sg::Engine::get_clock();
  const SimTime due = armed_at_;
  const double due_exact = armed_exact_;
  while (!events_.empty() &&
         (events_.front().time < due || (events_.front().time == due && events_.front().exact <= due_exact)))
    run_next_event();
  if (has_deadline_ && due >= deadline_ && comms_in_flight_ > 0) {
    now_ = deadline_;
    cut_transfers();
    return;
  }
  sync_timer();
}

// SimGrid's clock stands still while events run outside it; a comm must start at the engine's.
void Engine::bring_simgrid_clock_to_now() {
  if (sg::Engine::get_clock() < clock_)
    engine_->run_until(clock_);
}

BusHandle Engine::add_bus(const std::string& name, double bytes_per_second, SimTime latency, bool full_duplex) {
  if (platform_->sealed)
    throw std::logic_error("blocksim: buses must be added before the run starts");
  // The latency passes in the engine's calendar (engine_transfers.cpp), so the link has none.
  Platform::Bus bus;
  bus.latency = to_seconds(latency);
  bus.lane_up = static_cast<std::uint32_t>(lanes_.size());
  lanes_.push_back(Lane{bytes_per_second});
  if (full_duplex) {
    bus.link = platform_->zone->create_split_duplex_link(name, bytes_per_second)->seal();
    bus.lane_down = static_cast<std::uint32_t>(lanes_.size());
    lanes_.push_back(Lane{bytes_per_second});
  } else {
    bus.link = platform_->zone->create_link(name, bytes_per_second)->seal();
    bus.lane_down = bus.lane_up;
  }
  platform_->buses.push_back(bus);
  return BusHandle{static_cast<std::uint32_t>(platform_->buses.size() - 1)};
}

double Engine::bus_bandwidth(BusHandle bus) const {
  return platform_->buses.at(bus.index).link->get_bandwidth();
}

Endpoint Engine::add_endpoint(const std::string& name, BusHandle bus_handle, double own_rate) {
  if (platform_->sealed)
    throw std::logic_error("blocksim: endpoints must be added before the run starts");
  const auto& bus = platform_->buses.at(bus_handle.index);
  Platform::DmaEndpoint endpoint;
  endpoint.host = platform_->zone->create_host(name, 1e9)->seal();
  endpoint.bus = bus_handle.index;
  endpoint.to_host[0] = bus.lane_up;
  endpoint.from_host[0] = bus.lane_down;
  endpoint.lane_count = 1;
  std::vector<sg::LinkInRoute> route;
  if (bus.lane_down != bus.lane_up)
    route.emplace_back(bus.link, sg::LinkInRoute::Direction::UP);
  else
    route.emplace_back(bus.link);
  if (own_rate > 0) {
    // Each direction of a DMA engine is capped on its own; a shared link would make a read and a
    // write of the same engine share the cap, which real engines do not.
    auto* own = platform_->zone->create_split_duplex_link(name + "-dma", own_rate);
    own->seal();
    route.emplace_back(own, sg::LinkInRoute::Direction::UP);
    endpoint.to_host[1] = static_cast<std::uint32_t>(lanes_.size());
    lanes_.push_back(Lane{own_rate});
    endpoint.from_host[1] = static_cast<std::uint32_t>(lanes_.size());
    lanes_.push_back(Lane{own_rate});
    endpoint.lane_count = 2;
  }
  platform_->zone->add_route(endpoint.host->get_netpoint(), platform_->memory->get_netpoint(), nullptr, nullptr, route,
                             true);
  platform_->endpoints.push_back(endpoint);
  return Endpoint{static_cast<std::uint32_t>(platform_->endpoints.size() - 1)};
}

void Engine::run() { drive(false); }

void Engine::run_until(SimTime until) {
  has_deadline_ = true;
  deadline_ = until;
  drive(true);
  has_deadline_ = false;
  if (now_ < until) {
    now_ = until;
    now_exact_ = to_seconds(until);
  }
}

// Events run straight from the calendar while SimGrid times no comm; with comms in flight SimGrid
// drives, so that events and comm ends interleave in time order.
void Engine::drive(bool to_deadline) {
  if (!platform_->sealed) {
    platform_->zone->seal();
    platform_->sealed = true;
  }
  const auto event_left = [&] {
    return to_deadline ? !events_.empty() && events_.front().time <= deadline_ : foreground_events_ > 0;
  };
  while (comms_in_flight_ > 0 || event_left()) {
    if (comms_in_flight_ == 0) {
      run_next_event();
      continue;
    }
    simgrid_driving_ = true;
    sync_timer();
    engine_->run();
    simgrid_driving_ = false;
    release_finished_transfers();
  }
  // A deadline with transfers the engine was timing still moving (a power cut): they never end.
  if (to_deadline && transfers_in_flight_ > 0)
    cut_transfers();
}

}  // namespace blocksim
