#include "sim/run/device_stack.hpp"

#include "models/device_registry.hpp"
#include "sim/core/units.hpp"
#include "sim/scenario/scenario_checks.hpp"
#include "sim/stack/device_storage.hpp"

namespace blocksim {

DeviceStack::DeviceStack(Engine& engine, const proto::Scenario& scenario, CompletionSink* sink) {
  std::vector<BusHandle> buses;
  for (const auto& bus : scenario.bus())
    buses.push_back(engine.add_bus(bus.name(), units::bandwidth(bus.bandwidth()), units::duration_ns(bus.latency()),
                                   bus.full_duplex()));
  for (int i = 0; i < scenario.device_size(); ++i) {
    const proto::Device& config = scenario.device(i);
    DeviceContext context;
    context.engine = &engine;
    context.index = static_cast<std::uint32_t>(i);
    context.name = device_name(scenario, i);
    context.sink = sink;
    context.seed = scenario.seed();
    const double own_rate = config.has_dma_rate() ? units::bandwidth(config.dma_rate()) : 0;
    const int bus = device_bus(scenario, config);
    const BusHandle handle =
        bus == kPrivateBus
            ? engine.add_bus(context.name + "-interface", units::bandwidth(config.interface_rate()), 0, true)
            : buses.at(static_cast<std::size_t>(bus));
    context.dma = engine.add_endpoint(context.name, handle, own_rate);
    names_.push_back(context.name);
    devices_.push_back(make_device(context, config));
    storages_.push_back(std::make_unique<DeviceStorage>(*devices_.back()));
  }
}

DeviceStack::~DeviceStack() {
  storages_.clear();
  devices_.clear();
}

IOStorage* DeviceStack::target(const std::string& name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name)
      return storages_[i].get();
  return nullptr;
}

}  // namespace blocksim
