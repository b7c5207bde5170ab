#include "sim/run/device_stack.hpp"

#include <stdexcept>

#include "models/device_registry.hpp"
#include "sim/core/units.hpp"
#include "sim/scenario/scenario_checks.hpp"
#include "sim/media/partition_layout.hpp"
#include "sim/media/partition_table_image.hpp"
#include "sim/media/raid0_set.hpp"
#include "sim/media/raid1_set.hpp"
#include "sim/media/table_writer.hpp"

namespace blocksim {

DriverRetryPolicy retry_policy(const proto::DriverPolicy& config) {
  DriverRetryPolicy policy;
  policy.timeout = units::duration_ns(config.timeout());
  policy.retries = config.retries();
  policy.retry_errors = config.retry_errors();
  return policy;
}

DriverQueuePolicy queue_policy(const proto::DriverPolicy& config) {
  DriverQueuePolicy policy;
  policy.depth = config.queue_depth();
  using S = proto::DriverPolicy;
  switch (config.scheduler()) {
    case S::ELEVATOR: policy.scheduler = DriverScheduler::kElevator; break;
    case S::CLOOK: policy.scheduler = DriverScheduler::kCLook; break;
    case S::SSTF: policy.scheduler = DriverScheduler::kSstf; break;
    default: policy.scheduler = DriverScheduler::kFcfs; break;
  }
  return policy;
}

DeviceStack::DeviceStack(Engine& engine, const proto::Scenario& scenario, CompletionSink* sink, RequestIds& ids,
                         RequestLedger* ledger)
    : engine_(engine), sink_(sink), targets_(check_stack(scenario, SourceMap("scenario", nullptr, proto::Scenario::descriptor()))) {
  registry_ = std::make_unique<MediaRegistry>(StackContext{&engine, &ids, sink, nullptr, ledger});
  // Only media that carry data can hold a table: the others are not probed (no set-up I/O).
  registry_->set_probe_filter([this](const IOMedia& media) {
    auto it = targets_.find(media.name());
    return it != targets_.end() && it->second.carries_data;
  });
  build_devices(engine, scenario, sink);
  run_setup(scenario);
  schedule_events(scenario);
}

DeviceStack::~DeviceStack() {
  // Upper layers first: RAID sets, then drivers (and their media), then the devices.
  raid_sets_.clear();
  drivers_.clear();
  registry_.reset();
  devices_.clear();
}

void DeviceStack::build_devices(Engine& engine, const proto::Scenario& scenario, CompletionSink* sink) {
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
    bus_handles_[bus == kPrivateBus ? context.name + "-interface" : scenario.bus(bus).name()] = handle;
    context.dma = engine.add_endpoint(context.name, handle, own_rate);
    names_.push_back(context.name);
    devices_.push_back(make_device(context, config));
    drivers_.push_back(std::make_unique<IOBlockStorageDriver>(registry_->context(), *devices_.back(), context.name,
                                                              context.index));
    drivers_.back()->set_retry_policy(retry_policy(config.driver()));
    drivers_.back()->set_queue_policy(queue_policy(config.driver()));
  }
}

void DeviceStack::run_setup(const proto::Scenario& scenario) {
  for (std::size_t i = 0; i < drivers_.size(); ++i)
    if (IOReturn status = drivers_[i]->start(); status != kIOReturnSuccess)
      throw std::runtime_error("device \"" + names_[i] + "\" did not start: " + std::string(io_return_name(status)));
  engine_.run();  // the first probes
  for (const std::string& name : names_)
    write_tables(scenario, name);
  for (const proto::RaidSet& set : scenario.raid_set()) {
    assemble(set);
    engine_.run();
    write_tables(scenario, set.name());
  }
}

void DeviceStack::write_tables(const proto::Scenario& scenario, const std::string& target) {
  for (const proto::PartitionTable& table : scenario.partition_table()) {
    if (table.target() != target)
      continue;
    IOMedia* media = registry_->find(target);
    if (media == nullptr)
      throw std::runtime_error("partition table on \"" + target + "\": it has no media at set-up");
    const TargetInfo& where = targets_.at(target);
    const PartitionLayout layout = plan_partitions(table, where.block_size, where.capacity);
    TableWriter writer(registry_->context(), *media,
                       partition_table_image(layout, table.scheme(), where.block_size, where.capacity, target));
    IOReturn result = kIOReturnSuccess;
    writer.start([&result](IOReturn status) { result = status; });
    engine_.run();  // the writes, the flush, and the probe that follows the close
    if (result != kIOReturnSuccess)
      throw std::runtime_error("partition table on \"" + target + "\": writing it failed with " +
                               std::string(io_return_name(result)));
    for (const PlannedPartition& p : layout.partitions)
      if (registry_->find(target + "s" + std::to_string(p.id)) == nullptr)
        throw std::runtime_error("partition table on \"" + target + "\": the scan did not find partition " +
                                 std::to_string(p.id));
  }
}

void DeviceStack::assemble(const proto::RaidSet& config) {
  std::vector<IOMedia*> members;
  for (const std::string& name : config.member()) {
    IOMedia* media = registry_->find(name);
    if (media == nullptr)
      throw std::runtime_error("RAID set \"" + config.name() + "\": member \"" + name + "\" has no media");
    members.push_back(media);
  }
  if (config.level() == proto::RaidSet::RAID0)
    raid_sets_.push_back(std::make_unique<Raid0Set>(registry_->context(), config.name(), members,
                                                    units::bytes(config.stripe_size())));
  else
    raid_sets_.push_back(std::make_unique<Raid1Set>(registry_->context(), config.name(), members));
  if (!raid_sets_.back()->assemble())
    throw std::runtime_error("RAID set \"" + config.name() + "\": its members could not be opened");
}

RaidSet* DeviceStack::raid_set(const std::string& name) const {
  for (const auto& set : raid_sets_)
    if (set->name() == name)
      return set.get();
  return nullptr;
}

IOStorage* DeviceStack::target(const std::string& name) {
  IOMedia* media = registry_->find(name);
  if (media == nullptr)
    return nullptr;
  if (!media->is_open_by(&workload_client_) &&
      !media->open(&workload_client_, kIOStorageAccessReaderWriter | kIOStorageAccessSharedLock))
    media->open(&workload_client_, kIOStorageAccessReader | kIOStorageAccessSharedLock);
  return media;
}

int DeviceStack::device_index(const std::string& name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name)
      return static_cast<int>(i);
  return -1;
}

}  // namespace blocksim
