// DiskSim import: the system around the disk (which disk, the bus and controller in front of it,
// the host driver) and the profile's text.
#include "models/hdd/import/disksim_import.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <sstream>

#include "models/hdd/layout.hpp"
#include "models/hdd/import/profile_printer.hpp"

namespace blocksim::disksim {

namespace {

// The path from the topology's root down to the node named `instance`.
bool path_to(const TopologyNode& node, const std::string& instance, std::vector<const TopologyNode*>& path) {
  path.push_back(&node);
  if (node.name == instance)
    return true;
  for (const auto& child : node.children)
    if (path_to(child, instance, path))
      return true;
  path.pop_back();
  return false;
}

struct DiskChoice {
  const ParamBlock* block = nullptr;
  std::string instance;
};

DiskChoice find_disk(const ParamSet& set, const std::string& wanted) {
  DiskChoice choice;
  // Instances first (a .parv): the first disk instantiated, or the one named.
  for (const auto& [instance, block_name] : set.instances) {
    const ParamBlock* block = set.block(block_name);
    if (!block || block->type != "disksim_disk")
      continue;
    if (!wanted.empty() && wanted != instance && wanted != block_name)
      continue;
    if (!choice.block || instance < choice.instance)
      choice = {block, instance};
  }
  if (choice.block)
    return choice;
  // A .diskspecs on its own: its disk block.
  for (const auto& block : set.blocks)
    if (block->type == "disksim_disk" && (wanted.empty() || wanted == block->name))
      return {block.get(), ""};
  throw ParamError(set.files.front(), 0,
                   wanted.empty() ? "defines no disksim_disk" : "has no disk named \"" + wanted + "\"");
}

void import_driver_queue(const ParamBlock& block, proto::Device& device, ImportReport& report);

// Per-sector transfer time (ms) of the bus the disk sits on and of the controller above it, and
// warnings for parts of the host side the device profile does not carry.
void import_path(const ParamSet& set, const std::string& instance, proto::Device& device, double& read_ms,
                 double& write_ms, ImportReport& report) {
  std::vector<const TopologyNode*> path;
  for (const auto& root : set.topology)
    if (path_to(root, instance, path))
      break;
  for (const TopologyNode* node : path) {
    const auto it = set.instances.find(node->name);
    const ParamBlock* block = it == set.instances.end() ? nullptr : set.block(it->second);
    if (!block)
      continue;
    if (node->type == "disksim_bus") {
      BlockFields f(*block, report);
      const bool next_to_disk = node == path[path.size() - 2];
      const double r = f.number("Read block transfer time", 0), w = f.number("Write block transfer time", 0);
      if (next_to_disk) {
        read_ms = std::max(read_ms, r);
        write_ms = std::max(write_ms, w);
      } else if (r > 0 || w > 0) {
        f.warn("Read block transfer time", "a host-side bus is not part of the device; its time is not imported");
      }
      f.unsupported_unless("type", "1", "only an exclusively owned bus is modelled (the device's own link)");
      f.no_effect("Arbitration type", "one device per bus in the imported profile");
      f.unsupported_unless("Arbitration time", "0", "not modelled");
      f.no_effect("Print stats", "statistics output");
    } else if (node->type == "disksim_ctlr") {
      BlockFields f(*block, report);
      const double bulk = f.number("Bulk sector transfer time", 0);
      read_ms = std::max(read_ms, bulk);
      write_ms = std::max(write_ms, bulk);
      f.unsupported_unless("type", "1", "only a pass-through controller is modelled (none of its cache or queue)");
      f.unsupported_unless("Scale for delays", "0", "controller delays are not modelled");
      f.no_effect("Maximum queue length", "the pass-through controller holds no commands");
      f.no_effect("Print stats", "statistics output");
    } else if (node->type == "disksim_iodriver") {
      import_driver_queue(*block, device, report);
    }
  }
}

// DiskSim's device driver: with "Use queueing in subsystem" it sends the disk at most the disk's
// "Max queue length" requests and keeps the rest in its own queue, ordered by its scheduler. The
// block storage driver does the same with a queue depth and a scheduler by block address.
void import_driver_queue(const ParamBlock& block, proto::Device& device, ImportReport& report) {
  BlockFields f(block, report);
  f.unsupported_unless("Constant access time", "0.0", "not modelled: the device simulates every access");
  f.no_effect("type", "the host driver's type: the block storage driver stands for it");
  const bool queueing = f.integer("Use queueing in subsystem", 0) != 0;
  proto::DriverPolicy* driver = queueing ? device.mutable_driver() : nullptr;
  if (driver)
    driver->set_queue_depth(device.hdd().controller().queue_depth());
  const ParamValue* s = f.get("Scheduler");
  if (!s || s->kind != ParamValue::Kind::kBlock)
    return;
  BlockFields q(*s->block, report);
  using S = proto::DriverPolicy;
  const long policy = q.integer("Scheduling policy", 1);
  if (!queueing) {
    if (policy != 1)
      q.note("Scheduling policy", "the driver queues nothing (\"Use queueing in subsystem\" = 0)");
  } else switch (policy) {
    case 1: driver->set_scheduler(S::FCFS); break;
    case 2: driver->set_scheduler(S::ELEVATOR); break;
    case 3: driver->set_scheduler(S::CLOOK); break;
    case 4: driver->set_scheduler(S::SSTF); break;
    case 7:
      driver->set_scheduler(S::SSTF);
      q.warn("Scheduling policy", "shortest seek by cylinder is modelled in the driver's queue by block address");
      break;
    default:
      q.warn("Scheduling policy", "not modelled in the driver's queue (it knows no positions): first come, first "
                                  "served");
      break;
  }
  for (const auto& p : s->block->params)
    if (p.name != "Scheduling policy")
      q.no_effect(p.name, "the block storage driver's queue has no such setting");
}

std::string profile_name(const std::string& path) {
  std::string stem = std::filesystem::path(path).stem().string();
  for (char& c : stem)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      c = '_';
  return stem;
}

std::string rate_text(double ms_per_sector) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4fB/s", 512.0 / (ms_per_sector * 1e-3));
  return buffer;
}

}  // namespace

ImportedProfile import_disksim(const std::string& path, const std::string& disk) {
  const ParamSet set = read_param_file(path);
  ImportedProfile profile;
  profile.files = set.files;
  const DiskChoice choice = find_disk(set, disk);
  profile.disk = choice.block->name;
  auto& device = profile.device;
  device.set_name(profile_name(path));
  device.set_block_size("512");
  auto& hdd = *device.mutable_hdd();
  double bulk_ms = 0;
  import_disk_block(*choice.block, hdd, bulk_ms, profile.report);

  double read_ms = bulk_ms, write_ms = bulk_ms;
  if (!choice.instance.empty())
    import_path(set, choice.instance, device, read_ms, write_ms, profile.report);
  const double fastest = std::min(read_ms, write_ms);
  if (fastest > 0) {
    device.set_interface_rate(rate_text(fastest));
    if (read_ms > fastest)
      hdd.mutable_host_interface()->set_read_rate(rate_text(read_ms));
    if (write_ms > fastest)
      hdd.mutable_host_interface()->set_write_rate(rate_text(write_ms));
  } else {
    device.set_interface_rate("10GB/s");
    profile.report.notes.push_back("the files give no transfer time (DiskSim moves data instantly): 10 GB/s stands in");
  }
  const hdd::Layout layout(hdd.layout());
  device.set_capacity(std::to_string(layout.block_count() * 512));
  hdd.add_source("DiskSim " + choice.block->name + ", imported by blocksim profile import-disksim from " +
                 std::filesystem::path(path).filename().string());
  for (const auto& file : set.files)
    hdd.add_source("file: " + std::filesystem::path(file).filename().string());
  return profile;
}

std::string profile_text(const ImportedProfile& profile) {
  std::ostringstream out;
  out << "# blocksim device profile of DiskSim disk \"" << profile.disk << "\"\n";
  out << "# imported with: blocksim profile import-disksim " << std::filesystem::path(profile.files.front()).filename().string()
      << "\n";
  out << "# Figures derived from DiskSim's files (Carnegie Mellon University; licence: COPYING.disksim).\n";
  for (const auto& w : profile.report.warnings)
    out << "# warning: " << w << "\n";
  for (const auto& n : profile.report.notes)
    out << "# note: " << n << "\n";
  out << print_profile(profile.device);
  return out.str();
}

}  // namespace blocksim::disksim
