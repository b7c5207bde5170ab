// How the engine moves bytes: a transfer's latency in the calendar, then either the fast path
// (alone on its lanes: the engine computes its end) or a SimGrid comm (sharing a lane). See the
// header comment of engine.hpp.
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Link.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/core/engine.hpp"
#include "sim/core/engine_platform.hpp"

namespace blocksim {

namespace sg = simgrid::s4u;

Engine::TransferSlot* Engine::take_transfer_slot() {
  TransferSlot* slot;
  if (free_transfer_slots_.empty()) {
    transfer_slots_.push_back(std::make_unique<TransferSlot>());
    slot = transfer_slots_.back().get();
    slot->owner = this;
  } else {
    slot = free_transfer_slots_.back();
    free_transfer_slots_.pop_back();
  }
  return slot;
}

void Engine::transfer(Endpoint endpoint, TransferDirection direction, std::uint64_t bytes, Callback done) {
  release_finished_transfers();
  if (bytes == 0) {
    at(now_, [done] { done(); });
    return;
  }
  const Platform::DmaEndpoint& route = platform_->endpoints.at(endpoint.index);
  TransferSlot* slot = take_transfer_slot();
  slot->done = done;
  slot->endpoint = endpoint.index;
  slot->direction = direction;
  slot->lane_count = route.lane_count;
  slot->lanes = direction == TransferDirection::kToHost ? route.to_host : route.from_host;
  slot->bytes = bytes;
  slot->in_flight = true;
  slot->alone = false;
  ++transfers_in_flight_;
  const double latency = platform_->buses[route.bus].latency;
  if (latency <= 0) {
    begin_bytes(slot);
    return;
  }
  // No byte moves and no bandwidth is taken while the latency passes, as in SimGrid's latency
  // phase; the bytes then start where SimGrid's clock would stand.
  const double begins = now_exact_ + latency;
  slot->pending =
      schedule(std::max(from_seconds(begins), now_), begins, [slot] { slot->owner->begin_bytes(slot); }, false);
  slot->has_pending = true;
}

void Engine::begin_bytes(TransferSlot* slot) {
  slot->has_pending = false;
  // With no bytes moving SimGrid's clock stands still; it catches up when bytes start to move.
  if (bytes_moving() == 0)
    clock_ = advance(clock_, now_exact_);
  slot->start = clock_;
  slot->order = next_order_++;
  // Alone only while SimGrid times nothing: then SimGrid's clock has not passed this start, and
  // the transfer can later be handed to SimGrid from the start, whole (give_alone_to_simgrid).
  bool alone = timing_ == TransferTiming::kFast && comms_in_flight_ == 0;
  double rate = 0;
  for (std::uint32_t i = 0; i < slot->lane_count; ++i) {
    Lane& lane = lanes_[slot->lanes[i]];
    alone = alone && lane.busy == 0;
    rate = i == 0 ? lane.rate : std::min(rate, lane.rate);
    ++lane.busy;
  }
  if (!alone) {
    give_alone_to_simgrid();
    start_comm(slot);
    return;
  }
  slot->alone = true;
  slot->ends = slot->start + static_cast<double>(slot->bytes) / rate;
  alone_.push_back(slot);
  slot->pending = schedule(std::max(from_seconds(slot->ends), now_), slot->ends,
                           [slot] { slot->owner->finish_alone(slot); }, false);
  slot->has_pending = true;
}

void Engine::leave_lanes(TransferSlot* slot) {
  for (std::uint32_t i = 0; i < slot->lane_count; ++i)
    --lanes_[slot->lanes[i]].busy;
}

void Engine::drop_pending_event(TransferSlot* slot) {
  if (!slot->has_pending)
    return;
  cancel(slot->pending);
  slot->has_pending = false;
}

void Engine::forget_alone(TransferSlot* slot) {
  slot->alone = false;
  alone_.erase(std::find(alone_.begin(), alone_.end(), slot));
}

// Runs as the calendar event at the transfer's end, which moved clock_ there.
void Engine::finish_alone(TransferSlot* slot) {
  slot->has_pending = false;
  now_ = std::max(now_, from_seconds(clock_));
  now_exact_ = clock_;
  leave_lanes(slot);
  forget_alone(slot);
  slot->in_flight = false;
  --transfers_in_flight_;
  const Callback done = slot->done;
  free_transfer_slots_.push_back(slot);
  done();
}

// SimGrid must time a transfer (it shares a lane, or a bus changes speed): every transfer the engine
// times goes to SimGrid first, each started at its own start, whole, with SimGrid's clock walked
// there, so that SimGrid holds exactly what it would hold had it timed them from the start. Its
// clock has not passed any of those starts, since it timed nothing while they began. A transfer
// ending at this very instant stays in the calendar.
void Engine::give_alone_to_simgrid() {
  if (alone_.empty())
    return;
  std::sort(alone_.begin(), alone_.end(), [](const TransferSlot* a, const TransferSlot* b) {
    return a->start != b->start ? a->start < b->start : a->order < b->order;
  });
  std::vector<TransferSlot*> staying;
  for (TransferSlot* slot : alone_) {
    if (slot->ends <= clock_) {
      staying.push_back(slot);
      continue;
    }
    drop_pending_event(slot);
    slot->alone = false;
    if (sg::Engine::get_clock() < slot->start)
      engine_->run_until(slot->start);
    launch_comm(slot);
  }
  alone_.swap(staying);
}

void Engine::start_comm(TransferSlot* slot) {
  if (!simgrid_driving_)
    bring_simgrid_clock_to_now();
  launch_comm(slot);
  if (simgrid_driving_)
    sync_timer();
}

void Engine::launch_comm(TransferSlot* slot) {
  const Platform::DmaEndpoint& endpoint = platform_->endpoints[slot->endpoint];
  sg::Host* from = slot->direction == TransferDirection::kToHost ? endpoint.host : platform_->memory;
  sg::Host* to = slot->direction == TransferDirection::kToHost ? platform_->memory : endpoint.host;
  slot->comm = sg::Comm::sendto_init(from, to);
  slot->comm->set_payload_size(slot->bytes);
  slot->comm->set_data(slot);
  slot->comm->start();
  ++comms_in_flight_;
}

void Engine::on_transfer_done(TransferSlot* slot) {
  if (!slot->in_flight)
    return;  // cancelled at a deadline
  slot->in_flight = false;
  release_finished_transfers();
  clock_ = sg::Engine::get_clock();
  now_exact_ = clock_;
  now_ = std::max(now_, from_seconds(clock_));
  --comms_in_flight_;
  --transfers_in_flight_;
  leave_lanes(slot);
  const Callback done = slot->done;
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

// The deadline came with transfers still moving: they never end. SimGrid's comms are cancelled, so
// that SimGrid's run() returns, and released at the next engine call; the engine's own transfers
// lose their calendar events.
void Engine::cut_transfers() {
  for (auto& owned : transfer_slots_) {
    TransferSlot* slot = owned.get();
    if (!slot->in_flight)
      continue;
    slot->in_flight = false;
    if (slot->comm) {
      slot->comm->cancel();
      finished_transfer_slots_.push_back(slot);
    } else {
      drop_pending_event(slot);
      free_transfer_slots_.push_back(slot);
    }
    if (slot->alone || slot->comm)
      leave_lanes(slot);
    slot->alone = false;
  }
  alone_.clear();
  transfers_in_flight_ = 0;
  comms_in_flight_ = 0;
}

void Engine::set_bus_bandwidth(BusHandle bus, double bytes_per_second) {
  if (!(bytes_per_second > 0))
    throw std::invalid_argument("blocksim: a bus's bandwidth must be positive");
  const Platform::Bus& target = platform_->buses.at(bus.index);
  // What moved so far moved at the old bandwidth: a transfer the engine times alone on the bus goes
  // to SimGrid, and SimGrid must stand at now, before the new bandwidth applies.
  release_finished_transfers();
  give_alone_to_simgrid();
  if (!simgrid_driving_)
    bring_simgrid_clock_to_now();
  target.link->set_bandwidth(bytes_per_second);
  lanes_[target.lane_up].rate = bytes_per_second;
  lanes_[target.lane_down].rate = bytes_per_second;
}

}  // namespace blocksim
