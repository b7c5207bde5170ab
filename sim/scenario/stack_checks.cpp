#include "sim/scenario/stack_checks.hpp"

#include <algorithm>
#include <set>

#include "sim/core/units.hpp"
#include "sim/scenario/fault_checks.hpp"
#include "sim/scenario/scenario_checks.hpp"
#include "sim/media/partition_layout.hpp"

namespace blocksim {

namespace {

using Targets = std::map<std::string, TargetInfo>;

void add_partitions(const proto::Scenario& scenario, const std::string& target, Targets& targets,
                    std::set<int>& tables_done, const SourceMap& source) {
  for (int t = 0; t < scenario.partition_table_size(); ++t) {
    const proto::PartitionTable& table = scenario.partition_table(t);
    if (table.target() != target)
      continue;
    if (!tables_done.insert(t).second)
      continue;
    const TargetInfo where = targets.at(target);
    if (!where.carries_data)
      throw source.error({{"partition_table", t}, {"target", -1}},
                         "\"" + target + "\" carries no data, so a table written on it could not be read back; "
                         "give its devices carry_data: true");
    const PartitionLayout layout = plan_partitions(table, where.block_size, where.capacity);
    if (!layout.error.empty()) {
      FieldPath path = {{"partition_table", t}};
      if (layout.bad_partition >= 0)
        path.push_back({"partition", layout.bad_partition});
      if (!layout.bad_field.empty() && layout.bad_partition >= 0)
        path.push_back({layout.bad_field, -1});
      throw source.error(path, layout.error);
    }
    for (const PlannedPartition& p : layout.partitions) {
      TargetInfo info = where;
      info.capacity = p.blocks * where.block_size;
      targets[target + "s" + std::to_string(p.id)] = info;
    }
  }
}

void check_tables_have_targets(const proto::Scenario& scenario, const std::set<int>& tables_done,
                               const SourceMap& source) {
  std::set<std::string> seen;
  for (int t = 0; t < scenario.partition_table_size(); ++t) {
    const std::string& target = scenario.partition_table(t).target();
    if (!tables_done.count(t))
      throw source.error({{"partition_table", t}, {"target", -1}},
                         "no device or RAID set is named \"" + target + "\"");
    if (!seen.insert(target).second)
      throw source.error({{"partition_table", t}, {"target", -1}}, "\"" + target + "\" already has a partition table");
  }
}

void add_raid_set(const proto::Scenario& scenario, int r, Targets& targets, std::set<std::string>& claimed,
                  const SourceMap& source) {
  const proto::RaidSet& set = scenario.raid_set(r);
  if (targets.count(set.name()))
    throw source.error({{"raid_set", r}, {"name", -1}}, "the name \"" + set.name() + "\" is already taken");
  if (set.member_size() < 2)
    throw source.error({{"raid_set", r}}, "a RAID set needs at least two members");
  TargetInfo info;
  info.carries_data = true;
  std::uint64_t smallest = 0;
  for (int m = 0; m < set.member_size(); ++m) {
    const std::string& name = set.member(m);
    auto it = targets.find(name);
    if (it == targets.end())
      throw source.error({{"raid_set", r}, {"member", m}},
                         "no device, partition or earlier RAID set is named \"" + name + "\"");
    if (!claimed.insert(name).second)
      throw source.error({{"raid_set", r}, {"member", m}}, "\"" + name + "\" is already a member of a RAID set");
    const TargetInfo& member = it->second;
    if (m == 0) {
      info.block_size = member.block_size;
      info.device = member.device;
      smallest = member.capacity;
    } else if (member.block_size != info.block_size) {
      throw source.error({{"raid_set", r}, {"member", m}}, "its block size differs from the first member's");
    }
    smallest = std::min(smallest, member.capacity);
    info.carries_data = info.carries_data && member.carries_data;
  }
  if (set.level() == proto::RaidSet::RAID0) {
    const std::uint64_t stripe = units::bytes(set.stripe_size());
    if (stripe % info.block_size != 0)
      throw source.error({{"raid_set", r}, {"stripe_size", -1}},
                         "is not a whole number of blocks of " + std::to_string(info.block_size) + " bytes");
    info.capacity = smallest / stripe * stripe * static_cast<std::uint64_t>(set.member_size());
    if (info.capacity == 0)
      throw source.error({{"raid_set", r}, {"stripe_size", -1}}, "is larger than the smallest member");
  } else {
    info.capacity = smallest;
  }
  targets[set.name()] = info;
}

void check_events(const proto::Scenario& scenario, const SourceMap& source) {
  int power_cuts = 0;
  for (int e = 0; e < scenario.event_size(); ++e) {
    const proto::StackEvent& event = scenario.event(e);
    auto device_at = [&](const std::string& name, const char* field) {
      const int index = scenario_device_index(scenario, name);
      if (index < 0)
        throw source.error({{"event", e}, {field, -1}}, "no device is named \"" + name + "\"");
      return &scenario.device(index);
    };
    check_event_trigger(scenario, e, source);
    if (check_fault(scenario, e, source))
      continue;
    switch (event.action_case()) {
      case proto::StackEvent::kPowerCut:
        if (++power_cuts > 1)
          throw source.error({{"event", e}, {"power_cut", -1}}, "a run has at most one power cut");
        break;
      case proto::StackEvent::kEject: device_at(event.eject(), "eject"); break;
      case proto::StackEvent::kRemoveMedia:
      case proto::StackEvent::kInsertMedia: {
        const char* field = event.has_remove_media() ? "remove_media" : "insert_media";
        const auto* device = device_at(event.has_remove_media() ? event.remove_media() : event.insert_media(), field);
        if (!device->media().removable())
          throw source.error({{"event", e}, {field, -1}}, "the device's media is not removable (media { removable: true })");
        break;
      }
      case proto::StackEvent::kWriteProtect: device_at(event.write_protect().device(), "write_protect"); break;
      case proto::StackEvent::kPowerState: {
        const auto& request = event.power_state();
        const auto* device = device_at(request.device(), "power_state");
        if (request.state() == "active")
          break;
        const auto& states = device->power().state();
        if (std::none_of(states.begin(), states.end(), [&](const auto& s) { return s.name() == request.state(); }))
          throw source.error({{"event", e}, {"power_state", -1}},
                             "the device has no power state \"" + request.state() +
                                 "\" (\"active\" or a name from its power { state })");
        break;
      }
      case proto::StackEvent::kTerminate:
        if (!device_at(event.terminate(), "terminate")->has_dext())
          throw source.error({{"event", e}, {"terminate", -1}}, "only a DriverKit device (dext) can terminate");
        break;
      case proto::StackEvent::kFailMember: {
        const auto& fail = event.fail_member();
        const proto::RaidSet* set = nullptr;
        for (const auto& s : scenario.raid_set())
          if (s.name() == fail.raid_set())
            set = &s;
        if (set == nullptr)
          throw source.error({{"event", e}, {"fail_member", -1}}, "no RAID set is named \"" + fail.raid_set() + "\"");
        if (std::find(set->member().begin(), set->member().end(), fail.member()) == set->member().end())
          throw source.error({{"event", e}, {"fail_member", -1}},
                             "\"" + fail.member() + "\" is not a member of \"" + fail.raid_set() + "\"");
        break;
      }
      case proto::StackEvent::ACTION_NOT_SET:
        throw source.error({{"event", e}}, "an event needs an action, such as power_cut");
      default: break;
    }
  }
}

}  // namespace

std::map<std::string, TargetInfo> check_stack(const proto::Scenario& scenario, const SourceMap& source) {
  Targets targets;
  for (int i = 0; i < scenario.device_size(); ++i) {
    const proto::Device& device = scenario.device(i);
    TargetInfo info;
    info.block_size = units::bytes(device.block_size());
    info.capacity = units::bytes(device.capacity()) / info.block_size * info.block_size;
    info.carries_data = device.carry_data();
    info.device = i;
    targets[device_name(scenario, i)] = info;
    if (!device.media().present() && !device.media().removable())
      throw source.error({{"device", i}, {"media", -1}}, "only removable media can start out of the drive");
  }
  std::set<int> tables_done;
  std::set<std::string> claimed;
  for (int i = 0; i < scenario.device_size(); ++i)
    add_partitions(scenario, device_name(scenario, i), targets, tables_done, source);
  for (int r = 0; r < scenario.raid_set_size(); ++r) {
    add_raid_set(scenario, r, targets, claimed, source);
    add_partitions(scenario, scenario.raid_set(r).name(), targets, tables_done, source);
  }
  check_tables_have_targets(scenario, tables_done, source);
  check_events(scenario, source);
  return targets;
}

}  // namespace blocksim
