#include "models/ssd/ssd_config.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/ssd/nand_presets.hpp"
#include "sim/core/units.hpp"

namespace blocksim::ssd {

namespace {

// Bytes per second one PCIe lane carries after line encoding: 8b/10b for generations 1-2,
// 128b/130b from generation 3 (PCI-SIG base specifications; model-facts.md §4.2).
double pcie_lane_rate(std::uint32_t generation) {
  static const double giga_transfers[] = {0, 2.5, 5, 8, 16, 32};
  const double efficiency = generation <= 2 ? 8.0 / 10.0 : 128.0 / 130.0;
  return giga_transfers[generation] * 1e9 * efficiency / 8;
}

SsdConfigProblem problem(std::vector<std::string> field, std::string message) {
  return {std::move(field), std::move(message)};
}

void resolve_host(const proto::SsdDevice& ssd, HostConfig& host) {
  const auto& controller = ssd.controller();
  host.max_commands = controller.max_commands();
  host.command_time = units::duration_ns(controller.command_time());
  host.write_command_time = controller.has_write_command_time() ? units::duration_ns(controller.write_command_time())
                                                                 : host.command_time;
  host.processors = controller.processors();
  host.command_latency = units::duration_ns(controller.command_latency());
  host.write_buffer_latency = units::duration_ns(controller.write_buffer_latency());
  if (ssd.host_interface().has_sata()) {
    host.protocol = HostProtocol::kSata;
    host.queue_pairs = 1;
    host.queue_depth = ssd.host_interface().sata().ncq_depth();
    host.max_commands = std::min(host.max_commands, host.queue_depth);
    return;
  }
  const auto& nvme = ssd.host_interface().nvme();
  host.protocol = HostProtocol::kNvme;
  host.queue_pairs = nvme.queue_pairs();
  host.queue_depth = nvme.queue_depth();
  host.arbitration = nvme.arbitration() == proto::SsdNvme::WEIGHTED_ROUND_ROBIN ? Arbitration::kWeightedRoundRobin
                                                                                 : Arbitration::kRoundRobin;
  host.burst = nvme.arbitration_burst();
  host.weight_high = nvme.weight_high();
  host.weight_medium = nvme.weight_medium();
  host.weight_low = nvme.weight_low();
  host.urgent_queues = nvme.urgent_queues();
  host.high_queues = nvme.high_queues();
  host.low_queues = nvme.low_queues();
}

// Blocks per plane: given, or enough for the capacity with its over-provisioning plus GC's
// reserve; then the checks that the NAND can hold the capacity.
SsdConfigProblem resolve_blocks(const proto::Device& device, SsdConfig& config) {
  const auto& nand = device.ssd().nand();
  SsdGeometry& g = config.geometry;
  const std::uint64_t per_block_plane = static_cast<std::uint64_t>(g.slots_per_block()) * g.planes();
  const std::uint32_t reserve = config.gc.foreground_threshold + 2;
  if (nand.has_blocks_per_plane()) {
    g.blocks_per_plane = nand.blocks_per_plane();
  } else {
    const double physical =
        std::ceil(static_cast<double>(g.logical_units) * (1 + device.ssd().ftl().over_provisioning()));
    const double blocks = std::ceil(physical / static_cast<double>(per_block_plane)) + reserve;
    if (blocks > 1048576)
      return problem({"capacity"}, "needs more than 1048576 blocks per plane; give the NAND more dies or planes");
    g.blocks_per_plane = static_cast<std::uint32_t>(blocks);
  }
  if (static_cast<double>(g.slots()) >= 4294967295.0)
    return problem({"ssd", "nand"}, "has 2^32 or more mapping units of flash; the FTL's slot numbers are 32-bit");
  if (reserve >= g.blocks_per_plane)
    return problem({"ssd", "ftl", "gc", "foreground_threshold"},
                   "leaves no block per plane for data (" + std::to_string(g.blocks_per_plane) + " blocks per plane)");
  // Host data leaves GC its threshold of free blocks and about two more (Ftl::has_room), so
  // those cannot hold user data.
  const std::uint64_t usable = per_block_plane * (g.blocks_per_plane - reserve);
  if (usable <= g.logical_units)
    return problem({"ssd", "nand", "blocks_per_plane"},
                   "the NAND holds " + std::to_string(usable) + " mapping units beyond GC's reserve, not more than the " +
                       std::to_string(g.logical_units) + " the capacity needs");
  return {};
}

SsdConfigProblem resolve_nand(const proto::Device& device, SsdConfig& config) {
  const auto& nand = device.ssd().nand();
  const NandPreset preset = nand_preset(nand.cell());
  SsdGeometry& g = config.geometry;
  g.channels = nand.channels();
  g.dies_per_channel = nand.dies_per_channel();
  g.planes_per_die = nand.planes_per_die();
  g.pages_per_block = nand.pages_per_block();
  g.pages_per_program = nand.has_pages_per_program() ? nand.pages_per_program() : preset.pages_per_program;
  g.page_bytes = units::bytes(nand.page_size());
  g.unit_bytes = units::bytes(device.ssd().ftl().mapping_unit());
  if (g.unit_bytes < config.block_bytes || g.unit_bytes % config.block_bytes != 0)
    return problem({"ssd", "ftl", "mapping_unit"}, "must be a whole number of the device's " +
                                                       std::to_string(config.block_bytes) + "-byte blocks");
  if (g.page_bytes % g.unit_bytes != 0)
    return problem({"ssd", "nand", "page_size"},
                   "must be a whole number of mapping units (" + std::to_string(g.unit_bytes) + " bytes)");
  g.slots_per_page = static_cast<std::uint32_t>(g.page_bytes / g.unit_bytes);
  if (g.pages_per_block % g.pages_per_program != 0)
    return problem({"ssd", "nand", "pages_per_block"},
                   "must be a multiple of the pages one program writes (" + std::to_string(g.pages_per_program) + ")");
  g.logical_units = units::bytes(device.capacity()) / g.unit_bytes;
  if (g.logical_units == 0)
    return problem({"capacity"}, "is smaller than one mapping unit");
  if (auto p = resolve_blocks(device, config); !p.field.empty())
    return p;

  NandTiming& t = config.timing;
  t.read = nand.has_read_time() ? units::duration_ns(nand.read_time()) : preset.read;
  t.program = nand.has_program_time() ? units::duration_ns(nand.program_time()) : preset.program;
  t.erase = nand.has_erase_time() ? units::duration_ns(nand.erase_time()) : preset.erase;
  t.command = units::duration_ns(nand.command_time());
  t.channel_bytes_per_second = units::bandwidth(nand.channel_rate());
  t.multi_plane = nand.multi_plane();
  return {};
}

std::uint32_t bits_per_cell(proto::SsdNand::Cell cell) {
  switch (cell) {
    case proto::SsdNand::SLC: return 1;
    case proto::SsdNand::MLC: return 2;
    case proto::SsdNand::QLC: return 4;
    case proto::SsdNand::TLC:
    default: return 3;
  }
}

// The SLC cache: an SLC block is a native block written one bit per cell, so it holds
// pages_per_block / bits pages, and one SLC program writes pages_per_program / bits of them (at
// least one) in each plane.
SsdConfigProblem resolve_slc(const proto::Device& device, SsdConfig& config) {
  const auto& ssd = device.ssd();
  if (!ssd.has_slc_cache())
    return {};
  const auto& slc = ssd.slc_cache();
  const SsdGeometry& g = config.geometry;
  SlcConfig& c = config.slc;
  c.bits_per_cell = bits_per_cell(ssd.nand().cell());
  if (c.bits_per_cell < 2)
    return problem({"ssd", "slc_cache"}, "needs native cells of more than one bit (nand.cell is SLC)");
  if (g.pages_per_block % c.bits_per_cell != 0)
    return problem({"ssd", "nand", "pages_per_block"}, "must be a multiple of the cell's " +
                                                           std::to_string(c.bits_per_cell) +
                                                           " bits for the SLC cache's blocks");
  const std::uint32_t slc_pages = g.pages_per_block / c.bits_per_cell;
  const std::uint32_t slc_pages_per_program = std::max<std::uint32_t>(1, g.pages_per_program / c.bits_per_cell);
  if (slc_pages % slc_pages_per_program != 0)
    return problem({"ssd", "nand", "pages_per_block"}, "gives SLC blocks of " + std::to_string(slc_pages) +
                                                           " pages, not a multiple of an SLC program's " +
                                                           std::to_string(slc_pages_per_program));
  c.block_slots = slc_pages * g.slots_per_page;
  c.plane_program_slots = slc_pages_per_program * g.slots_per_page;
  const NandPreset preset = nand_preset(proto::SsdNand::SLC);
  c.program = slc.has_program_time() ? units::duration_ns(slc.program_time()) : preset.program;
  c.read = slc.has_read_time() ? units::duration_ns(slc.read_time()) : preset.read;
  c.idle_fold_delay = units::duration_ns(slc.idle_fold_delay());
  c.dynamic_units = units::bytes(slc.dynamic_capacity()) / g.unit_bytes;
  // The static part comes out of the spare area. An SLC unit takes `bits` units of flash; held
  // to spare / (2 x bits), SLC blocks take at most half of the spare beyond GC's reserve even if
  // every unit in them were garbage, so garbage collection keeps the other half.
  const std::uint64_t reserve = config.gc.foreground_threshold + 2;
  const std::uint64_t usable =
      static_cast<std::uint64_t>(g.slots_per_block()) * g.planes() * (g.blocks_per_plane - reserve);
  const std::uint64_t spare = usable - g.logical_units;  // resolve_blocks checked usable > logical
  c.static_units = std::min<std::uint64_t>(units::bytes(slc.static_capacity()) / g.unit_bytes,
                                           spare / (2ull * c.bits_per_cell));
  c.enabled = true;
  return {};
}

SsdConfigProblem check_host(const proto::Device& device, const HostConfig& host) {
  const auto& nvme = device.ssd().host_interface().nvme();
  if (host.protocol == HostProtocol::kNvme) {
    if (static_cast<std::uint64_t>(host.urgent_queues) + host.high_queues + host.low_queues > host.queue_pairs)
      return problem({"ssd", "host_interface", "nvme", "queue_pairs"},
                     "is fewer than the urgent, high and low queues named");
    if (nvme.has_pcie_generation() != nvme.has_pcie_lanes())
      return problem({"ssd", "host_interface", "nvme", nvme.has_pcie_lanes() ? "pcie_lanes" : "pcie_generation"},
                     "pcie_generation and pcie_lanes go together");
    if (nvme.has_pcie_generation() && device.has_interface_rate()) {
      const double link = pcie_lane_rate(nvme.pcie_generation()) * nvme.pcie_lanes();
      if (units::bandwidth(device.interface_rate()) > link * 1.0005)
        return problem({"interface_rate"}, "exceeds the " + std::to_string(link / 1e6) + " MB/s that PCIe " +
                                               std::to_string(nvme.pcie_generation()) + ".0 x" +
                                               std::to_string(nvme.pcie_lanes()) + " carries");
    }
  }
  return {};
}

SsdConfigProblem resolve(const proto::Device& device, SsdConfig& config) {
  const auto& ssd = device.ssd();
  config.block_bytes = units::bytes(device.block_size());
  const auto& gc = ssd.ftl().gc();
  config.gc.policy = gc.policy() == proto::SsdGarbageCollection::COST_BENEFIT ? GcPolicy::kCostBenefit
                     : gc.policy() == proto::SsdGarbageCollection::FIFO      ? GcPolicy::kFifo
                                                                             : GcPolicy::kGreedy;
  config.gc.foreground_threshold = gc.foreground_threshold();
  config.gc.background_threshold = gc.background_threshold();
  config.gc.copyback = gc.copyback();
  config.gc.static_wear_threshold = ssd.ftl().wear_leveling().static_threshold();
  if (config.gc.background_threshold < config.gc.foreground_threshold)
    return problem({"ssd", "ftl", "gc", "background_threshold"}, "is below foreground_threshold");

  if (auto p = resolve_nand(device, config); !p.field.empty())
    return p;
  resolve_host(ssd, config.host);
  if (auto p = check_host(device, config.host); !p.field.empty())
    return p;

  const SsdGeometry& g = config.geometry;
  config.cache_units = units::bytes(ssd.cache().capacity()) / g.unit_bytes;
  config.write_cache = ssd.cache().write_cache();
  config.power_loss_protection = ssd.cache().power_loss_protection();
  if (config.cache_units < 2ull * g.die_program_slots())
    return problem({"ssd", "cache", "capacity"}, "must hold at least two die program units (" +
                                                      std::to_string(2ull * g.die_program_slots() * g.unit_bytes) +
                                                      " bytes)");
  if (ssd.has_mapping_cache()) {
    config.entries_per_translation_page = g.page_bytes / 4;
    config.mapping_cache_pages = units::bytes(ssd.mapping_cache().capacity()) / g.page_bytes;
    if (config.mapping_cache_pages == 0)
      return problem({"ssd", "mapping_cache", "capacity"}, "is smaller than one translation page (one NAND page)");
  }
  if (auto p = resolve_slc(device, config); !p.field.empty())
    return p;
  config.fill = ssd.precondition().fill();
  config.random_overwrites = ssd.precondition().random_overwrites();
  return {};
}

}  // namespace

SsdConfigProblem check_ssd_config(const proto::Device& device) {
  SsdConfig config;
  return resolve(device, config);
}

SsdConfig resolve_ssd_config(const proto::Device& device) {
  SsdConfig config;
  const SsdConfigProblem p = resolve(device, config);
  if (!p.field.empty())
    throw std::invalid_argument("ssd: " + p.message);
  return config;
}

}  // namespace blocksim::ssd
