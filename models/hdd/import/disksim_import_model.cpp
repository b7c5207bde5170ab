// DiskSim import: the drive's mechanics and layout (dm_disk with dm_layout_g1 or dm_layout_g4
// and dm_mech_g1, and the .seek file its seek curve names).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/hdd/layout.hpp"
#include "models/hdd/import/disksim_import.hpp"

namespace blocksim::disksim {

namespace {

// A skew or offset in the zone's units, as whole sectors (DiskSim truncates sectors to integers).
std::uint32_t sectors(double value, bool revolutions, std::uint32_t spt) {
  if (revolutions)
    return static_cast<std::uint32_t>(std::lround(value * spt)) % spt;
  return static_cast<std::uint32_t>(static_cast<long>(value));
}

void import_zone(const ParamBlock& block, bool revolutions, proto::HddZone& zone, ImportReport& report) {
  BlockFields f(block, report);
  zone.set_first_cylinder(static_cast<std::uint32_t>(f.require("First cylinder number").integer()));
  zone.set_last_cylinder(static_cast<std::uint32_t>(f.require("Last cylinder number").integer()));
  const auto spt = static_cast<std::uint32_t>(f.require("Blocks per track").integer());
  zone.set_sectors_per_track(spt);
  const std::string units = f.text("Skew units", revolutions ? "revolutions" : "sectors");
  const bool zone_revolutions = units == "revolutions";
  if (zone_revolutions)
    f.warn("Skew units", "skews in revolutions are rounded to whole sectors");
  zone.set_first_sector_offset(sectors(f.number("Offset of first block", 0), zone_revolutions, spt));
  zone.set_reserved_sectors(static_cast<std::uint64_t>(f.integer("Empty space at zone front", 0)));
  zone.set_track_skew(sectors(f.number("Skew for track switch", 0), zone_revolutions, spt));
  zone.set_cylinder_skew(sectors(f.number("Skew for cylinder switch", 0), zone_revolutions, spt));
  zone.set_spares(static_cast<std::uint64_t>(f.integer("Number of spares", 0)));
  if (const ParamValue* slips = f.get("slips"))
    for (const auto& v : slips->list)
      zone.add_slip(static_cast<std::uint64_t>(v.integer()));
  if (const ParamValue* defects = f.get("defects")) {
    if (defects->list.size() % 2 != 0)
      throw ParamError(defects->file, defects->line, "\"defects\" needs (defect, spare) pairs");
    for (std::size_t i = 0; i + 1 < defects->list.size(); i += 2) {
      auto* remap = zone.add_remap();
      remap->set_defect(static_cast<std::uint64_t>(defects->list[i].integer()));
      remap->set_spare(static_cast<std::uint64_t>(defects->list[i + 1].integer()));
    }
  }
}

void import_layout(const ParamBlock& block, proto::HddLayout& layout, ImportReport& report) {
  BlockFields f(block, report);
  const long mapping = f.integer("LBN-to-PBN mapping scheme", 0);
  if (mapping < 0 || mapping > 2)
    throw ParamError(block.file, block.line, "LBN-to-PBN mapping scheme " + std::to_string(mapping) + " is unknown");
  layout.set_mapping(static_cast<proto::HddLayout::Mapping>(mapping));
  const long sparing = f.integer("Sparing scheme used", 0);
  if (sparing < 0 || sparing > 10)
    throw ParamError(block.file, block.line, "sparing scheme " + std::to_string(sparing) + " is unknown");
  layout.set_sparing(static_cast<proto::HddLayout::Sparing>(sparing));
  layout.set_sparing_range(static_cast<std::uint32_t>(std::max(1L, f.integer("Rangesize for sparing", 1))));
  const bool revolutions = f.text("Skew units", "sectors") == "revolutions";
  const ParamValue& zones = f.require("Zones");
  for (const auto& z : zones.list) {
    if (z.kind != ParamValue::Kind::kBlock)
      throw ParamError(z.file, z.line, "a zone must be a dm_layout_g1_zone block");
    import_zone(*z.block, revolutions, *layout.add_zone(), report);
  }
}

// "Seek distances measured: N" then N lines "distance, time[, anything]". A dual curve's lines
// carry a write time fourth ("distance, read, stdev, write"); DiskSim 2.01.016 reads the first two
// numbers only, so writes seek by the read curve there and here, with a warning.
void read_seek_file(const std::string& path, const ParamValue& from, proto::HddSeekTable& table, ImportReport& report) {
  std::ifstream in(path);
  if (!in)
    throw ParamError(from.file, from.line, "cannot read the seek curve \"" + path + "\"");
  std::string line;
  long expected = -1;
  int number = 0, dual = 0;
  double write_low = 0, write_high = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    if (expected < 0 && line.find(':') != std::string::npos) {
      expected = std::strtol(line.substr(line.find(':') + 1).c_str(), nullptr, 10);
      continue;
    }
    long distance = 0;
    double time = 0;
    if (std::sscanf(line.c_str(), " %ld , %lf", &distance, &time) != 2 || distance <= 0)
      throw ParamError(path, number, "expected \"distance, time\"");
    double stdev = 0, write = 0;
    if (std::sscanf(line.c_str(), " %ld , %lf , %lf , %lf", &distance, &time, &stdev, &write) == 4) {
      write_low = dual == 0 ? write - time : std::min(write_low, write - time);
      write_high = dual == 0 ? write - time : std::max(write_high, write - time);
      ++dual;
    }
    auto* point = table.add_point();
    point->set_cylinders(static_cast<std::uint32_t>(distance));
    point->set_time(ms_text(time));
  }
  if (dual > 0) {
    char span[96];
    std::snprintf(span, sizeof span, "%.3f to %.3f ms", write_low, write_high);
    report.warnings.push_back(std::filesystem::path(path).filename().string() + ": " + std::to_string(dual) +
                              " lines carry a write seek time fourth (the read time plus " + span +
                              "); DiskSim 2.01.016 reads only distance and time, so writes seek by the read "
                              "curve (seek.write_table would use it)");
  }
  if (expected >= 0 && expected != table.point_size())
    report.warnings.push_back(std::filesystem::path(path).filename().string() + ": says " + std::to_string(expected) +
                              " points, holds " + std::to_string(table.point_size()) + "; all are used");
}

void import_mechanics(const ParamBlock& block, proto::HddMechanics& mech, long cylinders, ImportReport& report) {
  BlockFields f(block, report);
  const std::string access = f.text("Access time type", "trackSwitchPlusRotation");
  if (access != "trackSwitchPlusRotation")
    f.warn("Access time type", "not modelled as such: blocksim always tracks the platter's angle and seeks");
  f.unsupported_unless("Constant access time", "0", "not modelled: access times come from the mechanics");
  mech.set_rpm(f.require("Rotation speed (in rpms)").number());
  mech.set_head_switch(ms_text(f.number("Head switch time", 0)));
  mech.set_write_settle(ms_text(f.number("Add. write settling delay", 0)));
  f.unsupported_unless("Percent error in rpms", "0", "not modelled (DiskSim 4.0 ignores it as well)");

  const std::string type = f.text("Seek type", "extracted");
  auto& seek = *mech.mutable_seek();
  const double single = f.number("Single cylinder seek time", 0);
  const double average = f.number("Average seek time", 0);
  const double full = f.number("Full strobe seek time", 0);
  const double constant = f.number("Constant seek time", 0);
  const ParamValue* hpl = f.get("HPL seek equation values");
  const ParamValue* first_ten = f.get("First ten seek times");
  const ParamValue* curve = f.get("Full seek curve");
  const bool uses_three = type == "linear" || type == "curve";
  for (const char* name : {"Single cylinder seek time", "Average seek time", "Full strobe seek time"})
    if (!uses_three && !(type == "hpl" && std::string(name) == "Single cylinder seek time"))
      f.no_effect(name, "used only by the linear and curve seek types; no effect with \"" + type + "\"");
  if (type != "constant")
    f.no_effect("Constant seek time", "used only by the constant seek type");
  if (hpl && type != "hpl" && type != "hplplus10")
    f.note("HPL seek equation values", "ignored with seek type \"" + type + "\", as DiskSim does");
  if (first_ten && type != "hplplus10")
    f.note("First ten seek times", "ignored with seek type \"" + type + "\", as DiskSim does");

  if (type == "extracted") {
    if (!curve)
      throw ParamError(block.file, block.line, "seek type \"extracted\" needs \"Full seek curve\"");
    std::string path = curve->text;
    const auto folder = std::filesystem::path(curve->file).parent_path();
    if (!std::filesystem::exists(path) && !folder.empty())
      path = (folder / curve->text).string();
    read_seek_file(path, *curve, *seek.mutable_table(), report);
  } else if (type == "hpl" || type == "hplplus10") {
    if (!hpl || hpl->list.size() != 6)
      throw ParamError(block.file, block.line, "seek type \"" + type + "\" needs six \"HPL seek equation values\"");
    auto& formula = *seek.mutable_formula();
    formula.set_boundary(static_cast<std::uint32_t>(hpl->list[0].integer()));
    formula.set_sqrt_base(ms_text(hpl->list[1].number()));
    formula.set_sqrt_factor(ms_text(hpl->list[2].number()));
    formula.set_linear_base(ms_text(hpl->list[3].number()));
    formula.set_linear_factor(ms_text(hpl->list[4].number()));
    if (hpl->list[5].number() != -1)
      formula.set_single_cylinder(ms_text(type == "hpl" ? single : hpl->list[5].number()));
    if (type == "hpl")
      f.warn("Seek type", "\"hpl\": the two-piece curve is modelled as Ruemmler and Wilkes give it; DiskSim 4.0's code "
                          "compares with a value it never sets and always takes the linear piece");
    if (type == "hplplus10") {
      if (!first_ten || first_ten->list.size() != 10)
        throw ParamError(block.file, block.line, "seek type \"hplplus10\" needs ten \"First ten seek times\"");
      for (const auto& t : first_ten->list)
        seek.add_short_seek(ms_text(t.number()));
    }
  } else if (type == "curve") {
    auto& three = *seek.mutable_three_point();
    three.set_single_cylinder(ms_text(single));
    three.set_average(ms_text(average));
    three.set_full_stroke(ms_text(full));
    f.warn("Seek type", "\"curve\": fitted as single + a*sqrt(d-1) + b*(d-1) through the full-stroke and average "
                        "figures (Lee's three-point curve)");
  } else if (type == "linear") {
    auto& table = *seek.mutable_table();
    const auto third = static_cast<std::uint32_t>(std::max(2L, cylinders / 3));
    const std::pair<std::uint32_t, double> points[] = {
        {1, single}, {third, average}, {static_cast<std::uint32_t>(std::max(3L, cylinders - 1)), full}};
    for (const auto& [d, t] : points) {
      auto* point = table.add_point();
      point->set_cylinders(d);
      point->set_time(ms_text(t));
    }
    f.warn("Seek type", "\"linear\": modelled as lines through single, average (a third of the stroke) and full "
                        "stroke; DiskSim 4.0's code gives the full-stroke time for every seek of 2 or more cylinders");
  } else if (type == "constant") {
    auto& table = *seek.mutable_table();
    for (const long d : {1L, std::max(2L, cylinders)}) {
      auto* point = table.add_point();
      point->set_cylinders(static_cast<std::uint32_t>(d));
      point->set_time(ms_text(constant));
    }
  } else {
    throw ParamError(block.file, block.line, "seek type \"" + type + "\" is unknown");
  }
}

}  // namespace

void import_model(const ParamBlock& block, proto::HddDevice& hdd, ImportReport& report) {
  BlockFields f(block, report);
  auto& layout = *hdd.mutable_layout();
  layout.set_surfaces(static_cast<std::uint32_t>(f.require("Number of data surfaces").integer()));
  const long cylinders = f.require("Number of cylinders").integer();
  const ParamValue& layout_model = f.require("Layout Model");
  const std::string layout_type = layout_model.block ? layout_model.block->type : layout_model.text;
  if (layout_model.kind != ParamValue::Kind::kBlock || (layout_type != "dm_layout_g1" && layout_type != "dm_layout_g4"))
    throw ParamError(layout_model.file, layout_model.line,
                     "only dm_layout_g1 and dm_layout_g4 layouts can be imported (got \"" + layout_type + "\")");
  const bool g4 = layout_type == "dm_layout_g4";
  if (g4)
    import_layout_g4(*layout_model.block, f.require("Block count").integer(), layout, report);
  else
    import_layout(*layout_model.block, layout, report);
  const ParamValue& mech_model = f.require("Mechanical Model");
  if (mech_model.kind != ParamValue::Kind::kBlock || mech_model.block->type != "dm_mech_g1")
    throw ParamError(mech_model.file, mech_model.line, "only dm_mech_g1 mechanics can be imported");
  import_mechanics(*mech_model.block, *hdd.mutable_mechanics(), cylinders, report);

  if (layout.zone_size() > 0 && static_cast<long>(layout.zone(layout.zone_size() - 1).last_cylinder()) + 1 != cylinders)
    f.warn("Number of cylinders", "the zones end at cylinder " +
                                      std::to_string(layout.zone(layout.zone_size() - 1).last_cylinder()) +
                                      "; the zones are used");
  const hdd::Layout built(layout);
  if (g4 && static_cast<long>(built.cylinders()) != cylinders)
    f.warn("Number of cylinders", "the layout tree reaches " + std::to_string(built.cylinders()) +
                                      " cylinders; those are used");
  if (const ParamValue* count = f.get("Block count"); !g4 && count && count->integer() != static_cast<long>(built.block_count()))
    f.note("Block count", "the layout holds " + std::to_string(built.block_count()) +
                              " blocks; that count is used (as DiskSim does)");
}

}  // namespace blocksim::disksim
