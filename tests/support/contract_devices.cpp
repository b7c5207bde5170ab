// The device configurations of the contract suite (contract_runner.hpp). Every shipped profile
// (scenarios/profiles) is here; the HDD's schedulers only differ with more than one command
// queued, so each scheduler runs at queue depth 16, besides the profile's own controller.
#include <stdexcept>

#include "tests/support/contract_runner.hpp"

namespace blocksim::testing {

namespace {

std::string cache_fields(bool on) {
  return std::string("write_cache { present: true enabled: ") + (on ? "true" : "false") + " }";
}

void add(std::vector<ContractDevice>& out, std::string name, std::string fields, bool faults = false) {
  out.push_back(ContractDevice{std::move(name) + (faults ? "/faults" : ""), std::move(fields), faults, false});
}

std::vector<ContractDevice> build() {
  std::vector<ContractDevice> out;
  const char* common = R"(carry_data: true capabilities { unmap: true } )";
  for (bool cache : {true, false}) {
    const std::string c = cache ? "cache" : "nocache";
    for (bool faults : {false, true}) {
      add(out, "reference/qd8/" + c,
          std::string(common) + R"(capacity: "64MiB" block_size: "512" interface_rate: "600MB/s" )" + cache_fields(cache) +
              R"( limits { max_block_count_read: 128 max_block_count_write: 64 }
                  reference { queue_depth: 8 media_servers: 2 service { exponential: "60us" }
                              write_service { fixed_plus_per_byte { fixed: "20us" rate: "400MB/s" } }
                              flush_time: "150us" })",
          faults);
      add(out, "dext/" + c,
          std::string(common) + R"(capacity: "64MiB" block_size: "4KiB" interface_rate: "2GB/s" )" + cache_fields(cache) +
              R"( dext { outstanding_ios: 4 max_io_size: "64KiB" latency: "30us" media_rate: "1GB/s" flush_time: "80us" })",
          faults);
    }
    add(out, "reference/qd1/" + c,
        std::string(common) + R"(capacity: "16MiB" block_size: "4KiB" interface_rate: "1GB/s" )" + cache_fields(cache) +
            R"( reference { queue_depth: 1 service { fixed: "40us" } flush_time: "0ns" })");
  }
  // Low-power states with idle times of a few service times, so that the random workload's gaps
  // send the device in and out of them often, requests arriving during entries and exits.
  for (bool faults : {false, true})
    add(out, "reference/qd8/power",
        std::string(common) + R"(capacity: "64MiB" block_size: "512" interface_rate: "600MB/s" )" + cache_fields(true) +
            R"( reference { queue_depth: 8 media_servers: 2 service { exponential: "60us" } flush_time: "150us" }
                power { state { name: "light" entry_latency: "20us" exit_latency: "100us" }
                        state { name: "deep" entry_latency: "200us" exit_latency: "1ms" }
                        autonomous { state: "light" idle_time: "50us" }
                        autonomous { state: "deep" idle_time: "400us" } })",
        faults);
  add(out, "dext/power",
      std::string(common) + R"(capacity: "64MiB" block_size: "4KiB" interface_rate: "2GB/s" )" + cache_fields(true) +
          R"( dext { outstanding_ios: 4 max_io_size: "64KiB" latency: "30us" media_rate: "1GB/s" flush_time: "80us" }
              power { state { name: "PS4" entry_latency: "50us" exit_latency: "300us" }
                      autonomous { state: "PS4" idle_time: "40us" } })");
  for (bool cache : {true, false})
    add(out, std::string("ssd/samsung-970-evo-plus-1tb/power/") + (cache ? "cache" : "nocache"),
        std::string(common) + "profile: \"profiles/samsung-970-evo-plus-1tb.textproto\" " + cache_fields(cache) +
            R"( power { autonomous { state: "PS3" idle_time: "20us" } autonomous { state: "PS4" idle_time: "200us" } })",
        !cache);
  add(out, "hdd/sata_7200rpm/native/power/cache",
      R"(carry_data: true profile: "profiles/sata_7200rpm.textproto" )" + cache_fields(true) +
          R"( power { autonomous { state: "standby" idle_time: "5ms" } })");
  // The profile's spin-up (13.5 s) allows one transition a case; a disk with made-up short
  // latencies goes in and out often, its arm and cache state kept across.
  add(out, "hdd/atlas_III/SSTF/power/cache",
      R"(carry_data: true profile: "profiles/atlas_III.textproto" )" + cache_fields(true) +
          R"( hdd { controller { queue_depth: 16 scheduler: SSTF } }
              power { state { name: "unloaded" entry_latency: "1ms" exit_latency: "5ms" }
                      state { name: "standby" entry_latency: "4ms" exit_latency: "40ms" }
                      autonomous { state: "unloaded" idle_time: "2ms" } autonomous { state: "standby" idle_time: "12ms" } })",
      true);
  // A small SSD whose SLC cache (four SLC blocks) fills, goes direct, folds in the random workload's idle gaps
  // (after 50 us) and is folded when GC needs its blocks: data kept across folding.
  for (bool cache : {true, false})
    add(out, std::string("ssd/slc/") + (cache ? "cache" : "nocache"),
        std::string(common) + R"(capacity: "64MiB" block_size: "512" interface_rate: "2GB/s" )" + cache_fields(cache) +
            R"( ssd { nand { cell: TLC channels: 2 dies_per_channel: 1 planes_per_die: 2 pages_per_block: 12
                             page_size: "16KiB" }
                      cache { capacity: "256KiB" }
                      slc_cache { static_capacity: "128KiB" dynamic_capacity: "128KiB" idle_fold_delay: "50us" } })");
  for (const char* profile : {"samsung-870-evo-1tb", "samsung-970-evo-plus-1tb", "intel-dc-p4500-1tb",
                              "samsung-870-qvo-1tb"})
    for (bool cache : {true, false})
      for (bool faults : {false, true})
        add(out, std::string("ssd/") + profile + "/" + (cache ? "cache" : "nocache"),
            std::string(common) + "profile: \"profiles/" + profile + ".textproto\" " + cache_fields(cache), faults);
  for (const char* profile : {"atlas_III", "cheetah9LP", "hp_c2490a", "hp_c3323a", "sas_15k", "sata_7200rpm"}) {
    const std::string base = std::string("carry_data: true profile: \"profiles/") + profile + ".textproto\" ";
    for (bool cache : {true, false}) {
      const std::string c = cache ? "cache" : "nocache";
      add(out, std::string("hdd/") + profile + "/native/" + c, base + cache_fields(cache));
      for (const char* scheduler : {"FIFO", "SSTF", "CLOOK", "SPTF"})
        add(out, std::string("hdd/") + profile + "/" + scheduler + "/" + c,
            base + cache_fields(cache) + " hdd { controller { queue_depth: 16 scheduler: " + scheduler + " } }");
    }
    add(out, std::string("hdd/") + profile + "/native/cache", base + cache_fields(true), true);
    add(out, std::string("hdd/") + profile + "/SSTF/cache",
        base + cache_fields(true) + " hdd { controller { queue_depth: 16 scheduler: SSTF } }", true);
  }
  return out;
}

}  // namespace

const std::vector<ContractDevice>& contract_devices() {
  static const std::vector<ContractDevice> devices = build();
  return devices;
}

const ContractDevice& contract_device(const std::string& name) {
  for (const ContractDevice& d : contract_devices())
    if (d.name == name)
      return d;
  throw std::invalid_argument("no contract device named \"" + name + "\"");
}

}  // namespace blocksim::testing
