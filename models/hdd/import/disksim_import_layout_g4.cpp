// DiskSim import: a dm_layout_g4 layout (track patterns `TP`, index trees `IDX`, `Slips`,
// `Remaps`, as DIXtrac extracts a drive) into the profile's layout tree (HddLayoutTree). The tree
// is carried over as it is: each TP becomes a track pattern's sectors per track, each IDX an index
// whose entries keep their slots, cylinders, angles and runs; the last IDX is the root.
#include <string>

#include "models/hdd/import/disksim_import.hpp"

namespace blocksim::disksim {

namespace {

constexpr std::size_t kTrackPatternFields = 3;  // low, high, sectors per track
constexpr std::size_t kEntryFields = 10;        // + head for a track child

const std::vector<ParamValue>& list_of(const ParamValue& value, const std::string& what) {
  if (value.kind != ParamValue::Kind::kList)
    throw ParamError(value.file, value.line, what + " must be a list");
  return value.list;
}

void import_index(const ParamValue& value, std::size_t patterns, std::vector<std::uint32_t>& pattern_sectors,
                  proto::HddLayoutIndex& index) {
  const auto& v = list_of(value, "an IDX entry list");
  std::size_t i = 0;
  bool first = true;
  while (i < v.size()) {
    if (i + kEntryFields > v.size())
      throw ParamError(v[i].file, v[i].line, "an IDX entry needs " + std::to_string(kEntryFields) + " or more values");
    index.add_slot(static_cast<std::uint64_t>(v[i].integer()));
    index.add_cylinder(static_cast<std::uint32_t>(v[i + 1].integer()));
    index.add_angle(v[i + 2].number());
    index.add_slots(static_cast<std::uint64_t>(v[i + 3].integer()));
    index.add_cylinders(static_cast<std::uint32_t>(v[i + 4].integer()));
    index.add_angle_step(v[i + 5].number());
    index.add_run_slots(static_cast<std::uint64_t>(v[i + 6].integer()));
    index.add_run_cylinders(static_cast<std::int32_t>(v[i + 7].integer()));
    const std::string& type = v[i + 8].text;
    const long child = v[i + 9].integer();
    const bool track = type == "TRACK";
    if (!track && type != "IDX")
      throw ParamError(v[i + 8].file, v[i + 8].line, "an IDX entry's child is TRACK or IDX (got \"" + type + "\")");
    if (first)
      index.set_tracks(track);
    else if (track != index.tracks())
      throw ParamError(v[i + 8].file, v[i + 8].line, "an index mixing TRACK and IDX children is not imported");
    first = false;
    index.add_child(static_cast<std::uint32_t>(child));
    i += kEntryFields;
    if (track) {
      if (i >= v.size())
        throw ParamError(v[i - 1].file, v[i - 1].line, "a TRACK entry ends with its head");
      if (child < 0 || static_cast<std::size_t>(child) >= patterns)
        throw ParamError(v[i - 1].file, v[i - 1].line, "TRACK " + std::to_string(child) + " names no TP");
      if (v[i - 7].integer() > static_cast<long>(pattern_sectors[static_cast<std::size_t>(child)]))
        throw ParamError(v[i - 7].file, v[i - 7].line, "an entry holds more blocks than its TP maps");
      index.add_head(static_cast<std::uint32_t>(v[i].integer()));
      ++i;
    }
  }
}

}  // namespace

void import_layout_g4(const ParamBlock& block, long block_count, proto::HddLayout& layout, ImportReport& report) {
  BlockFields f(block, report);
  auto& tree = *layout.mutable_tree();
  if (block_count <= 0)
    throw ParamError(block.file, block.line, "a dm_layout_g4 layout needs the dm_disk's Block count");
  tree.set_blocks(static_cast<std::uint64_t>(block_count));

  const ParamValue& tp = f.require("TP");
  const auto& patterns = list_of(tp, "TP");
  if (patterns.empty() || patterns.size() % kTrackPatternFields != 0)
    throw ParamError(tp.file, tp.line, "TP needs (low, high, sectors per track) triples");
  std::vector<std::uint32_t> mapped;  // sectors each pattern maps (high + 1)
  for (std::size_t i = 0; i < patterns.size(); i += kTrackPatternFields) {
    const long low = patterns[i].integer(), high = patterns[i + 1].integer(), spt = patterns[i + 2].integer();
    if (low != 0 || high < 0 || high >= spt)
      throw ParamError(patterns[i].file, patterns[i].line,
                       "only track patterns mapping sectors 0 .. high < sectors per track are imported");
    tree.add_track_sectors(static_cast<std::uint32_t>(spt));
    mapped.push_back(static_cast<std::uint32_t>(high + 1));
  }

  const ParamValue& idx = f.require("IDX");
  for (const auto& index : list_of(idx, "IDX"))
    import_index(index, mapped.size(), mapped, *tree.add_index());
  if (tree.index_size() == 0)
    throw ParamError(idx.file, idx.line, "IDX needs at least one index");
  const auto& root = tree.index(tree.index_size() - 1);
  if (root.cylinder(0) != 0 || root.angle(0) != 0.0)
    f.warn("IDX", "DiskSim adds the root's first entry's cylinder and angle to every track; not modelled");

  if (const ParamValue* slips = f.get("Slips")) {
    const auto& v = list_of(*slips, "Slips");
    if (v.size() % 2 != 0)
      throw ParamError(slips->file, slips->line, "Slips needs (slot, count) pairs");
    for (std::size_t i = 0; i < v.size(); i += 2) {
      tree.add_slip(static_cast<std::uint64_t>(v[i].integer()));
      tree.add_slip_count(static_cast<std::uint32_t>(v[i + 1].integer()));
    }
  }
  if (const ParamValue* remaps = f.get("Remaps"); remaps && !list_of(*remaps, "Remaps").empty())
    throw ParamError(remaps->file, remaps->line, "remapped sectors in a dm_layout_g4 layout are not imported");
}

}  // namespace blocksim::disksim
