// DeviceStack's events (docs/stack.md) and faults (docs/faults.md): each runs at its time, or,
// for a fault on a device, when that device has been sent `after_requests` reads and writes; each
// leaves an event record in the trace with the action's name as its kind.
#include <cstdio>
#include <stdexcept>

#include "models/device_registry.hpp"
#include "sim/core/units.hpp"
#include "sim/run/device_stack.hpp"

namespace blocksim {

namespace {

// The device a fault names, for an `after_requests` trigger ("" for a bus).
std::string fault_device(const proto::StackEvent& event) {
  switch (event.action_case()) {
    case proto::StackEvent::kUnreadable: return event.unreadable().device();
    case proto::StackEvent::kFailingWrites: return event.failing_writes().device();
    case proto::StackEvent::kStopResponding: return event.stop_responding();
    case proto::StackEvent::kRemoveDevice: return event.remove_device();
    case proto::StackEvent::kSlowDown: return event.slow_down().device();
    default: return "";
  }
}

// The name of the action (the oneof field), which is the event record's kind.
std::string action_name(const proto::StackEvent& event) {
  const auto* field = proto::StackEvent::descriptor()->FindFieldByNumber(static_cast<int>(event.action_case()));
  return field ? field->name() : "event";
}

}  // namespace

void DeviceStack::schedule_events(const proto::Scenario& scenario) {
  const SimTime start = engine_.now();
  for (const proto::StackEvent& event : scenario.event()) {
    if (event.has_after_requests()) {
      injector(fault_device(event)).after_requests(event.after_requests(), [this, event] { run_event(event); });
      continue;
    }
    const SimTime when = start + units::duration_ns(event.at());
    if (event.has_power_cut()) {
      power_cut_at_ = when;
      continue;
    }
    if (event.has_power_state()) {
      engine_.at(when, [this, request = event.power_state(), ordinal = power_state_ordinal(scenario, event)] {
        set_power_state(request, ordinal);
      });
      continue;
    }
    engine_.at(when, [this, event] { run_event(event); });
  }
}

// The ordinal setPowerState takes for the state an event names: 0 for "active", n for the
// device's n-th power { state } (the scenario checks have made sure it has one of that name).
std::uint32_t DeviceStack::power_state_ordinal(const proto::Scenario& scenario, const proto::StackEvent& event) const {
  const auto& request = event.power_state();
  const auto& states = scenario.device(device_index(request.device())).power().state();
  for (int i = 0; i < states.size(); ++i)
    if (states.Get(i).name() == request.state())
      return static_cast<std::uint32_t>(i + 1);
  return 0;
}

void DeviceStack::set_power_state(const proto::SetPowerState& request, std::uint32_t ordinal) {
  const IOReturn status = drivers_.at(device_index(request.device()))->setPowerState(ordinal);
  emit("power_state", request.device(), 0, 0,
       request.state() + (status == kIOReturnSuccess ? "" : ": " + std::string(io_return_name(status))));
}

void DeviceStack::run_event(const proto::StackEvent& event) {
  switch (event.action_case()) {
    case proto::StackEvent::kEject:
      emit("eject", event.eject());
      drivers_.at(device_index(event.eject()))->ejectMedia(nullptr);
      break;
    case proto::StackEvent::kRemoveMedia:
      emit("remove_media", event.remove_media());
      devices_.at(device_index(event.remove_media()))->set_media_present(false);
      break;
    case proto::StackEvent::kInsertMedia:
      emit("insert_media", event.insert_media());
      devices_.at(device_index(event.insert_media()))->set_media_present(true);
      break;
    case proto::StackEvent::kWriteProtect:
      emit("write_protect", event.write_protect().device(), 0, 0, event.write_protect().on() ? "on" : "off");
      devices_.at(device_index(event.write_protect().device()))->set_write_protection(event.write_protect().on());
      break;
    case proto::StackEvent::kTerminate:
      emit("terminate", event.terminate());
      devices_.at(device_index(event.terminate()))->terminate();
      break;
    case proto::StackEvent::kFailMember: {
      emit("fail_member", event.fail_member().raid_set(), 0, 0, event.fail_member().member());
      RaidSet* set = raid_set(event.fail_member().raid_set());
      for (std::size_t m = 0; set && m < set->members().size(); ++m)
        if (set->members()[m]->name() == event.fail_member().member())
          set->fail_member(m);
      break;
    }
    default: run_fault(event); break;
  }
}

void DeviceStack::run_fault(const proto::StackEvent& event) {
  const std::string kind = action_name(event);
  switch (event.action_case()) {
    case proto::StackEvent::kUnreadable: {
      const auto& f = event.unreadable();
      emit(kind, f.device(), f.lba(), f.blocks(), "retries " + std::to_string(f.retries()));
      injector(f.device()).add_unreadable(f.lba(), f.blocks(), f.retries());
      break;
    }
    case proto::StackEvent::kFailingWrites: {
      const auto& f = event.failing_writes();
      emit(kind, f.device(), f.lba(), f.blocks(), "retries " + std::to_string(f.retries()));
      injector(f.device()).add_failing_writes(f.lba(), f.blocks(), f.retries());
      break;
    }
    case proto::StackEvent::kStopResponding:
      emit(kind, event.stop_responding());
      injector(event.stop_responding()).stop_responding();
      break;
    case proto::StackEvent::kRemoveDevice:
      emit(kind, event.remove_device());
      injector(event.remove_device()).remove_device();
      break;
    case proto::StackEvent::kSlowDown: slow_down(event.slow_down()); break;
    default: break;
  }
}

void DeviceStack::slow_down(const proto::SlowDown& slow) {
  char speed[32];
  std::snprintf(speed, sizeof speed, "speed %g", slow.speed());
  if (slow.has_device() && slow.die() >= 0) {
    emit("slow_down", slow.device(), 0, 0, std::string(speed) + " die " + std::to_string(slow.die()));
    devices_.at(device_index(slow.device()))->set_component_speed(static_cast<std::uint32_t>(slow.die()), slow.speed());
    return;
  }
  const std::string bus = slow.has_bus() ? slow.bus() : slow.device() + "-interface";
  emit("slow_down", bus, 0, 0, speed);
  auto it = bus_handles_.find(bus);
  if (it == bus_handles_.end())
    return;
  // The speed is relative to the bus's bandwidth in the scenario, not to an earlier slow-down.
  auto base = base_bandwidth_.try_emplace(bus, engine_.bus_bandwidth(it->second)).first;
  engine_.set_bus_bandwidth(it->second, base->second * slow.speed());
}

void DeviceStack::emit(const std::string& kind, const std::string& target, std::uint64_t lba, std::uint64_t blocks,
                       const std::string& detail) const {
  if (sink_ == nullptr)
    return;
  EventRecord event;
  event.time = engine_.now();
  event.kind = kind;
  event.device = device_index(target);
  event.target = target;
  event.lba = lba;
  event.blocks = blocks;
  event.detail = detail;
  sink_->event(event);
}

FaultInjector& DeviceStack::injector(const std::string& device) const {
  const int index = device_index(device);
  FaultInjector* injector = index < 0 ? nullptr : fault_injector(*devices_.at(static_cast<std::size_t>(index)));
  if (injector == nullptr)
    throw std::logic_error("no fault injector for \"" + device + "\"");
  return *injector;
}

void DeviceStack::power_cut() {
  emit("power_cut", "");
  for (auto& device : devices_)
    device->power_cut();
}

void DeviceStack::collect_metrics(std::vector<DeviceMetric>* out) const {
  for (std::size_t i = 0; i < drivers_.size(); ++i)
    if (drivers_[i] && drivers_[i]->widened_requests() > 0)
      out->push_back({names_.at(i) + ".driver.widened_requests",
                      static_cast<double>(drivers_[i]->widened_requests()), "count"});
  for (const auto& set : raid_sets_) {
    out->push_back({set->name() + ".live_members", static_cast<double>(set->live_members()), "count"});
    out->push_back({set->name() + ".degraded", set->live_members() < set->members().size() ? 1.0 : 0.0, ""});
  }
}

}  // namespace blocksim
