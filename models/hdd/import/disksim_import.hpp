// DiskSim drive import: reads a .parv (or a .diskspecs) with the files it sources, finds the disk
// it instantiates and the bus and controller in front of it, and builds the blocksim Device
// profile of that drive: mechanics and layout from the .model and .seek files, controller, cache
// and overheads from the disk block, the interface's per-sector time from the bus, controller and
// disk. Every parameter read is either carried over or named in the report. docs/hdd.md lists how
// each DiskSim parameter maps. Throws ParamError for files it cannot read or understand.
#pragma once

#include <string>
#include <vector>

#include "blocksim/device.pb.h"
#include "models/hdd/import/block_fields.hpp"
#include "sim/core/units.hpp"

namespace blocksim::disksim {

struct ImportedProfile {
  proto::Device device;
  ImportReport report;
  std::vector<std::string> files;  // every file read
  std::string disk;                // the disk block imported
};

// `disk`: the instance or block name when the file holds several disks (default: the first).
ImportedProfile import_disksim(const std::string& path, const std::string& disk = "");

// The profile as text format, headed by comments naming its files and the report.
std::string profile_text(const ImportedProfile& profile);

// Internal pieces, one per DiskSim block type (disksim_import_*.cpp).
void import_model(const ParamBlock& dm_disk, proto::HddDevice& hdd, ImportReport& report);
void import_disk_block(const ParamBlock& disk, proto::HddDevice& hdd, double& bulk_ms, ImportReport& report);
// dm_layout_g4: the tree as it is; `block_count` is the dm_disk's Block count (DiskSim's capacity).
void import_layout_g4(const ParamBlock& layout, long block_count, proto::HddLayout& layout_out, ImportReport& report);
void import_scheduler(const ParamBlock& ioqueue, proto::HddController& controller, ImportReport& report);
using units::ms_text;  // sim/core/units.hpp

}  // namespace blocksim::disksim
