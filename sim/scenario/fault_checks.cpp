#include "sim/scenario/fault_checks.hpp"

#include "sim/core/units.hpp"
#include "sim/scenario/scenario_checks.hpp"

namespace blocksim {

int scenario_device_index(const proto::Scenario& scenario, const std::string& name) {
  for (int i = 0; i < scenario.device_size(); ++i)
    if (device_name(scenario, i) == name)
      return i;
  return -1;
}

namespace {

bool counts_requests(const proto::StackEvent& event) {
  switch (event.action_case()) {
    case proto::StackEvent::kUnreadable:
    case proto::StackEvent::kFailingWrites:
    case proto::StackEvent::kStopResponding:
    case proto::StackEvent::kRemoveDevice: return true;
    case proto::StackEvent::kSlowDown: return event.slow_down().has_device();
    default: return false;
  }
}

const proto::Device& named_device(const proto::Scenario& scenario, int e, const char* field, const std::string& name,
                                  const SourceMap& source) {
  const int index = scenario_device_index(scenario, name);
  if (index < 0)
    throw source.error({{"event", e}, {field, -1}}, "no device is named \"" + name + "\"");
  return scenario.device(index);
}

// lba and blocks (0: to the end, where allowed) inside the device.
void check_range(const proto::Device& device, std::uint64_t lba, std::uint64_t blocks, int e, const char* field,
                 const SourceMap& source) {
  const std::uint64_t count = units::bytes(device.capacity()) / units::bytes(device.block_size());
  if (lba >= count)
    throw source.error({{"event", e}, {field, -1}, {"lba", -1}},
                       "is past the device's last block (" + std::to_string(count - 1) + ")");
  if (blocks > count - lba)
    throw source.error({{"event", e}, {field, -1}, {"blocks", -1}},
                       "runs past the device's last block (" + std::to_string(count - 1) + ")");
}

void check_slow_down(const proto::Scenario& scenario, int e, const SourceMap& source) {
  const proto::SlowDown& slow = scenario.event(e).slow_down();
  if (slow.has_bus()) {
    for (const auto& bus : scenario.bus())
      if (bus.name() == slow.bus())
        return;
    throw source.error({{"event", e}, {"slow_down", -1}, {"bus", -1}}, "no bus is named \"" + slow.bus() + "\"");
  }
  if (!slow.has_device())
    throw source.error({{"event", e}, {"slow_down", -1}}, "name a bus or a device");
  const proto::Device& device = named_device(scenario, e, "slow_down", slow.device(), source);
  if (slow.die() >= 0) {
    if (!device.has_ssd())
      throw source.error({{"event", e}, {"slow_down", -1}, {"die", -1}}, "only an SSD has dies");
    const auto& nand = device.ssd().nand();
    const std::uint64_t dies = static_cast<std::uint64_t>(nand.channels()) * nand.dies_per_channel();
    if (static_cast<std::uint64_t>(slow.die()) >= dies)
      throw source.error({{"event", e}, {"slow_down", -1}, {"die", -1}},
                         "the SSD has " + std::to_string(dies) + " dies, counted from 0");
    return;
  }
  if (device_bus(scenario, device) != kPrivateBus)
    throw source.error({{"event", e}, {"slow_down", -1}, {"device", -1}},
                       "the device shares a bus: slow the bus down instead (slow_down { bus: ... })");
}

}  // namespace

void check_event_trigger(const proto::Scenario& scenario, int e, const SourceMap& source) {
  const proto::StackEvent& event = scenario.event(e);
  if (event.has_at() == event.has_after_requests())
    throw source.error({{"event", e}}, "give an event either a time (at) or a request count (after_requests)");
  if (event.has_after_requests() && !counts_requests(event))
    throw source.error({{"event", e}, {"after_requests", -1}},
                       "only a fault on a device (unreadable, failing_writes, stop_responding, remove_device, "
                       "slow_down of a device) can follow a request count");
}

bool check_fault(const proto::Scenario& scenario, int e, const SourceMap& source) {
  const proto::StackEvent& event = scenario.event(e);
  switch (event.action_case()) {
    case proto::StackEvent::kUnreadable: {
      const auto& f = event.unreadable();
      check_range(named_device(scenario, e, "unreadable", f.device(), source), f.lba(), f.blocks(), e, "unreadable",
                  source);
      return true;
    }
    case proto::StackEvent::kFailingWrites: {
      const auto& f = event.failing_writes();
      check_range(named_device(scenario, e, "failing_writes", f.device(), source), f.lba(), f.blocks(), e,
                  "failing_writes", source);
      return true;
    }
    case proto::StackEvent::kStopResponding:
      named_device(scenario, e, "stop_responding", event.stop_responding(), source);
      return true;
    case proto::StackEvent::kRemoveDevice:
      named_device(scenario, e, "remove_device", event.remove_device(), source);
      return true;
    case proto::StackEvent::kSlowDown: check_slow_down(scenario, e, source); return true;
    default: return false;
  }
}

}  // namespace blocksim
