#include "sim/core/engine.hpp"

#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <simgrid/kernel/Timer.hpp>
#include <xbt/log.h>

#include <stdexcept>

namespace blocksim {

namespace sg = simgrid::s4u;

namespace {
bool g_engine_exists = false;
}

// A transfer in flight. SimGrid must keep its CommPtr alive until the transfer completes, and the
// last reference must not be dropped inside the completion signal (use-after-free in 3.32), so a
// finished slot is parked and its CommPtr released at the next engine call.
struct Engine::TransferSlot {
  sg::CommPtr comm;
  Callback done;
  Engine* owner = nullptr;
  bool in_flight = false;
};

struct Engine::Platform {
  sg::NetZone* zone = nullptr;
  sg::Host* memory = nullptr;  // host memory: the far end of every DMA transfer
  struct Bus {
    sg::Link* link = nullptr;
    bool full_duplex = false;
  };
  std::vector<Bus> buses;
  std::vector<sg::Host*> endpoints;
  bool sealed = false;
};

Engine::Engine(const EngineOptions& options) {
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

Engine::EventHandle Engine::schedule(SimTime when, std::function<void()> fn, bool background) {
  std::uint32_t action;
  if (free_actions_.empty()) {
    action = static_cast<std::uint32_t>(actions_.size());
    actions_.push_back(std::move(fn));
    background_.push_back(background);
  } else {
    action = free_actions_.back();
    free_actions_.pop_back();
    actions_[action] = std::move(fn);
    background_[action] = background;
  }
  events_.push_back(Event{when, next_order_++, action});
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

void Engine::run_next_event() {
  std::pop_heap(events_.begin(), events_.end(), std::greater<>());
  const Event event = events_.back();
  events_.pop_back();
  now_ = event.time;
  foreground_events_ -= !background_[event.action];
  std::function<void()> fn = std::move(actions_[event.action]);
  free_actions_.push_back(event.action);
  fn();
}

// Keeps SimGrid's one timer on the earliest event while SimGrid drives, and none otherwise, so
// that SimGrid's run() returns as soon as the last transfer ends. Under run_until, the timer is
// never later than the deadline.
void Engine::sync_timer() {
  const bool event_due = !events_.empty() && (!has_deadline_ || events_.front().time <= deadline_);
  const bool wanted = transfers_in_flight_ > 0 && (event_due || has_deadline_);
  if (!wanted) {
    if (armed_) {
      armed_->remove();
      armed_ = nullptr;
    }
    return;
  }
  const SimTime next = event_due ? events_.front().time : deadline_;
  if (armed_ && armed_at_ == next)
    return;
  if (armed_)
    armed_->remove();
  armed_at_ = next;
  armed_ = simgrid::kernel::timer::Timer::set(std::max(to_seconds(next), sg::Engine::get_clock()),
                                              [this] { on_timer(); });
}

void Engine::on_timer() {
  armed_ = nullptr;  // SimGrid deletes the timer that fired
  release_finished_transfers();
  const SimTime due = armed_at_;
  while (!events_.empty() && events_.front().time <= due)
    run_next_event();
  if (has_deadline_ && due >= deadline_ && transfers_in_flight_ > 0) {
    now_ = deadline_;
    cut_transfers();
    return;
  }
  sync_timer();
}

// The deadline came with transfers still moving: they are cancelled, so that SimGrid's run()
// returns; their callbacks never run and their comms are released at the next engine call.
void Engine::cut_transfers() {
  for (auto& slot : transfer_slots_) {
    if (!slot->in_flight)
      continue;
    slot->in_flight = false;
    slot->comm->cancel();
    finished_transfer_slots_.push_back(slot.get());
  }
  transfers_in_flight_ = 0;
}

// SimGrid's clock stands still while events run outside it; a transfer must start at now.
void Engine::bring_simgrid_clock_to_now() {
  const double target = to_seconds(now_);
  if (sg::Engine::get_clock() < target)
    engine_->run_until(target);
}

BusHandle Engine::add_bus(const std::string& name, double bytes_per_second, SimTime latency, bool full_duplex) {
  if (platform_->sealed)
    throw std::logic_error("blocksim: buses must be added before the run starts");
  Platform::Bus bus;
  bus.full_duplex = full_duplex;
  if (full_duplex) {
    auto* link = platform_->zone->create_split_duplex_link(name, bytes_per_second);
    link->set_latency(to_seconds(latency));
    link->seal();
    bus.link = link;
  } else {
    bus.link = platform_->zone->create_link(name, bytes_per_second)->set_latency(to_seconds(latency))->seal();
  }
  platform_->buses.push_back(bus);
  return BusHandle{static_cast<std::uint32_t>(platform_->buses.size() - 1)};
}

void Engine::set_bus_bandwidth(BusHandle bus, double bytes_per_second) {
  if (!(bytes_per_second > 0))
    throw std::invalid_argument("blocksim: a bus's bandwidth must be positive");
  // SimGrid must stand at now, so that what transfers in flight have moved so far is settled at
  // the old bandwidth before the new one applies.
  release_finished_transfers();
  if (!simgrid_driving_)
    bring_simgrid_clock_to_now();
  platform_->buses.at(bus.index).link->set_bandwidth(bytes_per_second);
}

double Engine::bus_bandwidth(BusHandle bus) const { return platform_->buses.at(bus.index).link->get_bandwidth(); }

Endpoint Engine::add_endpoint(const std::string& name, BusHandle bus_handle, double own_rate) {
  if (platform_->sealed)
    throw std::logic_error("blocksim: endpoints must be added before the run starts");
  const auto& bus = platform_->buses.at(bus_handle.index);
  auto* host = platform_->zone->create_host(name, 1e9)->seal();
  std::vector<sg::LinkInRoute> route;
  if (bus.full_duplex)
    route.emplace_back(bus.link, sg::LinkInRoute::Direction::UP);
  else
    route.emplace_back(bus.link);
  if (own_rate > 0) {
    // Each direction of a DMA engine is capped on its own; a shared link would make a read and a
    // write of the same engine share the cap, which real engines do not.
    auto* own = platform_->zone->create_split_duplex_link(name + "-dma", own_rate);
    own->seal();
    route.emplace_back(own, sg::LinkInRoute::Direction::UP);
  }
  platform_->zone->add_route(host->get_netpoint(), platform_->memory->get_netpoint(), nullptr, nullptr, route, true);
  platform_->endpoints.push_back(host);
  return Endpoint{static_cast<std::uint32_t>(platform_->endpoints.size() - 1)};
}

void Engine::transfer(Endpoint endpoint, TransferDirection direction, std::uint64_t bytes, Callback done) {
  release_finished_transfers();
  if (bytes == 0) {
    at(now_, [done] { done(); });
    return;
  }
  if (!simgrid_driving_)
    bring_simgrid_clock_to_now();
  TransferSlot* slot;
  if (free_transfer_slots_.empty()) {
    transfer_slots_.push_back(std::make_unique<TransferSlot>());
    slot = transfer_slots_.back().get();
    slot->owner = this;
  } else {
    slot = free_transfer_slots_.back();
    free_transfer_slots_.pop_back();
  }
  slot->done = done;
  sg::Host* device = platform_->endpoints.at(endpoint.index);
  sg::Host* from = direction == TransferDirection::kToHost ? device : platform_->memory;
  sg::Host* to = direction == TransferDirection::kToHost ? platform_->memory : device;
  slot->comm = sg::Comm::sendto_init(from, to);
  slot->comm->set_payload_size(bytes);
  slot->comm->set_data(slot);
  slot->in_flight = true;
  slot->comm->start();
  ++transfers_in_flight_;
  if (simgrid_driving_)
    sync_timer();
}

void Engine::on_transfer_done(TransferSlot* slot) {
  if (!slot->in_flight)
    return;  // cancelled at a deadline
  slot->in_flight = false;
  release_finished_transfers();
  now_ = std::max(now_, from_seconds(sg::Engine::get_clock()));
  --transfers_in_flight_;
  Callback done = slot->done;
  done();
  // Parked only now: a transfer that `done` starts releases the parked slots, and this comm's
  // completion signal is still running (releasing it here is a use-after-free in SimGrid).
  finished_transfer_slots_.push_back(slot);
  sync_timer();
}

void Engine::release_finished_transfers() {
  for (TransferSlot* slot : finished_transfer_slots_) {
    slot->comm = nullptr;
    free_transfer_slots_.push_back(slot);
  }
  finished_transfer_slots_.clear();
}

void Engine::run() { drive(false); }

void Engine::run_until(SimTime until) {
  has_deadline_ = true;
  deadline_ = until;
  drive(true);
  has_deadline_ = false;
  now_ = std::max(now_, until);
}

// Events run straight from the calendar while no transfer is in flight; with transfers in
// flight SimGrid drives, so that events and transfer ends interleave in time order.
void Engine::drive(bool to_deadline) {
  if (!platform_->sealed) {
    platform_->zone->seal();
    platform_->sealed = true;
  }
  const auto work_left = [&] {
    if (transfers_in_flight_ > 0)
      return true;
    return to_deadline ? !events_.empty() && events_.front().time <= deadline_ : foreground_events_ > 0;
  };
  while (work_left()) {
    if (transfers_in_flight_ == 0) {
      run_next_event();
      continue;
    }
    simgrid_driving_ = true;
    sync_timer();
    engine_->run();
    simgrid_driving_ = false;
    release_finished_transfers();
  }
}

}  // namespace blocksim
