#include "sim/scenario/scenario_checks.hpp"

#include <set>

#include "models/device_registry.hpp"
#include "sim/core/units.hpp"
#include "sim/scenario/replay_checks.hpp"
#include "sim/scenario/stack_checks.hpp"

namespace blocksim {

namespace {

std::string list_models() {
  std::string names;
  for (const auto& model : device_models())
    names += (names.empty() ? "" : ", ") + model.name;
  return names;
}

void check_size(const std::string& text, std::uint64_t block_size, const SourceMap& source, const FieldPath& path,
                const std::string& device) {
  const std::uint64_t bytes = units::bytes(text);
  if (bytes == 0 || bytes % block_size != 0)
    throw source.error(path, std::to_string(bytes) + " bytes is not a whole number of blocks of device \"" + device +
                                 "\" (block size " + std::to_string(block_size) + ")" + units::decimal_size_hint(text));
}

void check_job(const proto::Job& job, const FieldPath& at, const TargetInfo& target, const std::string& device_label,
               const SourceMap& source) {
  const std::uint64_t block = target.block_size;
  const std::uint64_t capacity = target.capacity;
  auto path = [&](std::initializer_list<PathStep> tail) {
    FieldPath p = at;
    p.insert(p.end(), tail);
    return p;
  };

  std::uint64_t largest = 0;
  if (job.has_block_size_range()) {
    const auto low = units::bytes(job.block_size_range().low());
    const auto high = units::bytes(job.block_size_range().high());
    check_size(job.block_size_range().low(), block, source, path({{"block_size_range", -1}, {"low", -1}}), device_label);
    check_size(job.block_size_range().high(), block, source, path({{"block_size_range", -1}, {"high", -1}}), device_label);
    if (low > high)
      throw source.error(path({{"block_size_range", -1}, {"low", -1}}), "is larger than \"high\"");
    largest = high;
  } else if (job.block_size_split_size() > 0) {
    double total = 0;
    for (int i = 0; i < job.block_size_split_size(); ++i) {
      const auto size = units::bytes(job.block_size_split(i).size());
      check_size(job.block_size_split(i).size(), block, source, path({{"block_size_split", i}, {"size", -1}}), device_label);
      largest = std::max(largest, size);
      total += job.block_size_split(i).weight();
    }
    if (total <= 0)
      throw source.error(path({{"block_size_split", 0}}), "the weights add up to zero");
  } else {
    largest = units::bytes(job.block_size());
    check_size(job.block_size(), block, source, path({{"block_size", -1}}), device_label);
  }

  const auto offset = units::bytes(job.offset());
  const auto span = units::bytes(job.span());
  if (offset % block != 0)
    throw source.error(path({{"offset", -1}}), "is not a multiple of the block size " + std::to_string(block) +
                                                   units::decimal_size_hint(job.offset()));
  if (offset >= capacity)
    throw source.error(path({{"offset", -1}}), "lies beyond the end of device \"" + device_label + "\" (" +
                                                   std::to_string(capacity) + " bytes)");
  if (span != 0 && offset + span > capacity)
    throw source.error(path({{"span", -1}}), "runs past the end of device \"" + device_label + "\" (" +
                                                 std::to_string(capacity) + " bytes)");
  const std::uint64_t region = span != 0 ? span : capacity - offset;
  if (largest > region)
    throw source.error(path({{"block_size", -1}}),
                       "requests of " + std::to_string(largest) + " bytes do not fit in the region of " +
                           std::to_string(region) + " bytes");
  if (!job.has_requests() && !job.has_duration())
    throw source.error(at, "a job needs \"requests\" or \"duration\" to know when to stop");
}

void check_aio(const proto::AioApplication& aio, const FieldPath& at, const TargetInfo& target,
               const std::string& label, const SourceMap& source) {
  auto path = [&](const char* field) {
    FieldPath p = at;
    p.push_back({field, -1});
    return p;
  };
  const auto offset = units::bytes(aio.offset());
  const auto span = units::bytes(aio.span());
  const auto size = units::bytes(aio.request_size());
  if (size > 0x7FFFFFFF)
    throw source.error(path("request_size"), "is more than aioread's int byte count can say");
  if (offset >= target.capacity)
    throw source.error(path("offset"), "lies beyond the end of \"" + label + "\" (" + std::to_string(target.capacity) +
                                           " bytes)");
  if (span != 0 && offset + span > target.capacity)
    throw source.error(path("span"), "runs past the end of \"" + label + "\"");
  const std::uint64_t region = span != 0 ? span : target.capacity - offset;
  if (size > region)
    throw source.error(path("request_size"), "does not fit in the region of " + std::to_string(region) + " bytes");
  if (!aio.has_requests() && !aio.has_duration())
    throw source.error(at, "an aio application needs \"requests\" or \"duration\" to know when to stop");
}

}  // namespace

std::string device_name(const proto::Scenario& scenario, int index) {
  const auto& device = scenario.device(index);
  return device.has_name() ? device.name() : "disk" + std::to_string(index);
}

int workload_device(const proto::Scenario& scenario, const proto::Workload& workload) {
  if (!workload.has_device())
    return scenario.device_size() > 0 ? 0 : -1;
  for (int i = 0; i < scenario.device_size(); ++i)
    if (device_name(scenario, i) == workload.device())
      return i;
  return -1;
}

std::string workload_target(const proto::Scenario& scenario, const proto::Workload& workload) {
  return workload.has_device() ? workload.device() : device_name(scenario, 0);
}

int device_bus(const proto::Scenario& scenario, const proto::Device& device) {
  if (!device.has_bus()) {
    if (device.has_interface_rate())
      return kPrivateBus;
    return scenario.bus_size() > 0 ? 0 : -1;
  }
  for (int i = 0; i < scenario.bus_size(); ++i)
    if (scenario.bus(i).name() == device.bus())
      return i;
  return -1;
}

void check_scenario(const proto::Scenario& scenario, const SourceMap& source) {
  std::set<std::string> buses;
  for (int i = 0; i < scenario.bus_size(); ++i)
    if (!buses.insert(scenario.bus(i).name()).second)
      throw source.error({{"bus", i}, {"name", -1}}, "another bus is already named \"" + scenario.bus(i).name() + "\"");

  std::set<std::string> devices;
  for (int i = 0; i < scenario.device_size(); ++i) {
    const proto::Device& device = scenario.device(i);
    const std::string name = device_name(scenario, i);
    if (!devices.insert(name).second)
      throw source.error({{"device", i}, {"name", -1}}, "another device is already named \"" + name + "\"");
    if (device.model_case() == proto::Device::MODEL_NOT_SET)
      throw source.error({{"device", i}}, "device \"" + name + "\" has no model; give one of: " + list_models());
    if (device_bus(scenario, device) == -1)
      throw source.error({{"device", i}, {"bus", -1}},
                         device.has_bus() ? "no bus is named \"" + device.bus() + "\""
                                          : "the scenario has no bus and the device no interface_rate");
    const auto block = units::bytes(device.block_size());
    if (block % 512 != 0)
      throw source.error({{"device", i}, {"block_size", -1}},
                         "must be a multiple of 512 bytes" + units::decimal_size_hint(device.block_size()));
    if (units::bytes(device.capacity()) < block)
      throw source.error({{"device", i}, {"capacity", -1}}, "is smaller than one block");
    if (const auto problem = check_device(device)) {
      FieldPath path{{"device", i}};
      for (const auto& [field, index] : problem->path)
        path.push_back({field, index});
      throw source.error(path, problem->message);
    }
  }

  const auto targets = check_stack(scenario, source);
  int python_workloads = 0;
  for (int i = 0; i < scenario.workload_size(); ++i) {
    const proto::Workload& workload = scenario.workload(i);
    if (workload.has_python() && ++python_workloads > 1)
      throw source.error({{"workload", i}, {"python", -1}}, "only one workload of a run can take its requests from Python");
    const std::string name = workload_target(scenario, workload);
    auto target = targets.find(name);
    if (target == targets.end())
      throw source.error({{"workload", i}, {"device", -1}}, "no device, partition or RAID set is named \"" + name + "\"");
    if (workload.source_case() == proto::Workload::SOURCE_NOT_SET)
      throw source.error({{"workload", i}}, "a workload needs a source, such as \"job\"");
    if (workload.has_job())
      check_job(workload.job(), {{"workload", i}, {"job", -1}}, target->second, name, source);
    if (workload.has_aio())
      check_aio(workload.aio(), {{"workload", i}, {"aio", -1}}, target->second, name, source);
    if (workload.has_replay())
      check_replay(workload.replay(), {{"workload", i}, {"replay", -1}}, scenario, source);
  }
}

}  // namespace blocksim
