// The DiskSim importer on the validation drives shipped in data/: figures carried over as the files give
// them, block counts by DiskSim's formula, every parameter carried or named, errors that name the
// file and line (files that source one another in a loop, or nest without end, among them), and a
// printed profile that reads back to the same Device and loads as a profile; a small dm_layout_g4
// layout (the tree of layout_tree_test.cpp in DiskSim's syntax) carried over.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>

#include "models/hdd/import/disksim_import.hpp"
#include "models/hdd/import/disksim_params.hpp"
#include "models/hdd/layout.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace blocksim::disksim {
namespace {

const std::string kData = std::string(BLOCKSIM_SOURCE_DIR) + "/data/disksim-validate/";

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool mentions(const std::vector<std::string>& lines, const std::string& what) {
  for (const auto& line : lines)
    if (line.find(what) != std::string::npos)
      return true;
  return false;
}

TEST(DiskSimImport, CarriesTheHpC3323aOver) {
  const ImportedProfile p = import_disksim(kData + "hp_c3323a.parv");
  const auto& hdd = p.device.hdd();
  EXPECT_EQ(p.disk, "HP_C3323A_validate");
  EXPECT_EQ(hdd.mechanics().rpm(), 5396);  // the _validate model sourced by hp_c3323a.parv
  EXPECT_EQ(hdd.mechanics().head_switch(), "0.65ms");
  EXPECT_EQ(hdd.mechanics().write_settle(), "0.07ms");
  ASSERT_EQ(hdd.mechanics().seek().table().point_size(), 67);
  EXPECT_EQ(hdd.mechanics().seek().table().point(0).time(), "1.178043ms");
  EXPECT_EQ(hdd.layout().surfaces(), 7u);
  ASSERT_EQ(hdd.layout().zone_size(), 8);
  EXPECT_EQ(hdd.layout().sparing(), proto::HddLayout::SPARE_TRACKS_PER_ZONE);
  EXPECT_EQ(hdd.layout().zone(0).reserved_sectors(), 1320u);
  EXPECT_EQ(hdd.layout().zone(1).first_sector_offset(), 48u);
  EXPECT_EQ(hdd.controller().queue_depth(), 1u);
  EXPECT_EQ(hdd.controller().scheduler(), proto::HddController::FIFO);
  EXPECT_EQ(hdd.controller().overheads().read_miss_after_read(), "2.502ms");
  EXPECT_EQ(hdd.controller().overheads().read_complete(), "0.241ms");
  EXPECT_EQ(hdd.cache().segments(), 2u);
  EXPECT_EQ(hdd.cache().segment_sectors(), 512u);
  EXPECT_EQ(hdd.cache().read_ahead(), proto::HddCache::TO_SEGMENT_FULL);
  EXPECT_EQ(hdd.cache().max_read_ahead(), 256u);
  EXPECT_EQ(hdd.cache().write_policy(), proto::HddCache::WRITE_THROUGH);
  EXPECT_DOUBLE_EQ(hdd.cache().read_water_mark(), 1.0);
  EXPECT_TRUE(hdd.cache().read_ahead_release_follows_overhead());  // DiskSim's rule, on every import
  EXPECT_TRUE(hdd.host_interface().hold_bus_for_read());
  // BUS1 moves a sector in 0.1455 ms: 512 B / 0.1455 ms.
  EXPECT_EQ(p.device.interface_rate(), "3518900.3436B/s");
  // The model file's comment gives DiskSim's own count: 2,056,008 blocks.
  EXPECT_EQ(p.device.capacity(), std::to_string(2056008ULL * 512));
  EXPECT_TRUE(mentions(p.report.notes, "\"Use separate write segment\" = 1"));
  EXPECT_TRUE(p.report.warnings.empty());
  EXPECT_TRUE(mentions(p.report.notes, "\"Full strobe seek time\""));
}

// DiskSim's count of a zone's blocks: cylinders x surfaces x sectors per track, less the reserved
// sectors, less the spares the scheme sets aside (spare tracks x sectors for scheme 1, the zone's
// spares for 9) or, for spares at the end of the disk (7), one block per slip.
std::uint64_t disksim_count(const proto::HddLayout& layout) {
  std::uint64_t total = 0;
  for (const auto& z : layout.zone()) {
    std::uint64_t n = std::uint64_t{z.last_cylinder() - z.first_cylinder() + 1} * layout.surfaces() *
                          z.sectors_per_track() - z.reserved_sectors();
    switch (layout.sparing()) {
      case proto::HddLayout::SPARE_TRACKS_PER_ZONE: n -= z.spares() * z.sectors_per_track(); break;
      case proto::HddLayout::SPARE_SECTORS_PER_ZONE: n -= z.spares(); break;
      case proto::HddLayout::SPARE_SECTORS_AT_END_OF_DISK: n -= static_cast<std::uint64_t>(z.slip_size()); break;
      default: ADD_FAILURE() << "scheme not covered by this test"; break;
    }
    total += n;
  }
  return total;
}

TEST(DiskSimImport, BlockCountsFollowDiskSimsFormula) {
  for (const char* drive : {"hp_c3323a", "hp_c2490a", "atlas_III", "cheetah9LP"}) {
    const ImportedProfile p = import_disksim(kData + drive + ".parv");
    EXPECT_EQ(p.device.capacity(), std::to_string(disksim_count(p.device.hdd().layout()) * 512)) << drive;
  }
}

TEST(DiskSimImport, ThePrintedProfileReadsBackAndLoads) {
  const ImportedProfile p = import_disksim(kData + "cheetah9LP.parv");
  const std::string text = profile_text(p);
  proto::Device back;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &back));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(back, p.device));
  const std::string profile = ::testing::TempDir() + "cheetah9LP.textproto";
  std::ofstream(profile) << text;
  const LoadedScenario loaded = load_scenario_text(
      "device { profile: \"" + profile + "\" } workload { job { requests: 1 } }", "test.textproto", "");
  EXPECT_EQ(loaded.scenario.device(0).hdd().layout().zone_size(), 11);
}

// A copy of the HP C3323A files with `edit` applied to the disk block, in a folder of its own.
std::string edited_copy(const std::string& folder, const std::string& find, const std::string& replace) {
  const std::string dir = ::testing::TempDir() + folder + "/";
  std::filesystem::create_directories(dir);
  for (const char* f : {"hp_c3323a.parv", "hp_c3323a_validate.model", "hp_c3323a_validate.seek"})
    std::filesystem::copy_file(kData + f, dir + f, std::filesystem::copy_options::overwrite_existing);
  std::string specs = read(kData + "hp_c3323a_validate.diskspecs");
  specs.replace(specs.find(find), find.size(), replace);
  std::ofstream(dir + "hp_c3323a_validate.diskspecs") << specs;
  return dir + "hp_c3323a.parv";
}

TEST(DiskSimImport, UnknownParametersAreNamedWithTheirPlace) {
  const std::string parv =
      edited_copy("unknown", "Minimum seek delay = 0.000000", "Minimum seek delay = 0.000000,\n   Frobnication level = 3");
  const ImportedProfile p = import_disksim(parv);
  EXPECT_TRUE(mentions(p.report.warnings, "hp_c3323a_validate.diskspecs:84: disksim_disk HP_C3323A_validate: "
                                          "\"Frobnication level\" = 3: unknown parameter"));
}

TEST(DiskSimImport, BadFilesStopWithFileAndLine) {
  const std::string parv = edited_copy("broken", "Max queue length = 1,", "Max queue length = 1 }");
  try {
    import_disksim(parv);
    FAIL() << "a broken block was accepted";
  } catch (const ParamError& e) {
    EXPECT_NE(std::string(e.what()).find("hp_c3323a_validate.diskspecs:"), std::string::npos) << e.what();
  }
  EXPECT_THROW(import_disksim(::testing::TempDir() + "no-such-file.parv"), ParamError);
}

// Found by the importer's fuzzer: files that source one another recursed until the stack overflowed.
TEST(DiskSimImport, FilesThatSourceThemselvesOrNestWithoutEndAreRefused) {
  const std::string dir = ::testing::TempDir() + "loops/";
  std::filesystem::create_directories(dir);
  const auto refused = [&](const std::string& file, const std::string& what) {
    try {
      read_param_file(dir + file);
      ADD_FAILURE() << file << " was accepted";
    } catch (const ParamError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  std::ofstream(dir + "self.parv") << "\nsource self.parv\n";
  refused("self.parv", "self.parv:2: \"source self.parv\" sources a file that is already being read");
  std::ofstream(dir + "a.parv") << "disksim_global Global { Init Seed = 42, Model = source b.model }\n";
  std::ofstream(dir + "b.model") << "source ./a.parv\n";
  refused("a.parv", "b.model:1: \"source ./a.parv\" sources a file that is already being read");
  std::ofstream(dir + "deep.parv") << "disksim_global Global { Seeds = " << std::string(100000, '[') << "\n";
  refused("deep.parv", "deep.parv:1: blocks, lists or topologies nest more than 64 deep");
  // Ten files each sourcing the next ten times would read ten billion files.
  for (int i = 0; i < 10; ++i) {
    std::ofstream f(dir + "fan" + std::to_string(i) + ".parv");
    for (int k = 0; k < 10 && i < 9; ++k)
      f << "source fan" << i + 1 << ".parv\n";
  }
  refused("fan0.parv", "would read more than 256 files in one import");
  // A file sourced twice, not in a loop, is fine.
  std::ofstream(dir + "twice.parv") << "source leaf.model\nsource leaf.model\n";
  std::ofstream(dir + "leaf.model") << "disksim_global Global { Init Seed = 1 }\n";
  EXPECT_EQ(read_param_file(dir + "twice.parv").files.size(), 3u);
}

// The HP C3323A's files with its model's layout replaced by a dm_layout_g4 tree: 2 surfaces, a band
// of 4 cylinders down on head 0 (10-sector tracks) and up on head 1 (8-sector tracks), twice over
// 8 cylinders, two slipped sectors.
TEST(DiskSimImport, CarriesADmLayoutG4TreeOver) {
  const std::string dir = ::testing::TempDir() + "g4/";
  std::filesystem::create_directories(dir);
  for (const char* f : {"hp_c3323a.parv", "hp_c3323a_validate.diskspecs", "hp_c3323a_validate.seek"})
    std::filesystem::copy_file(kData + f, dir + f, std::filesystem::copy_options::overwrite_existing);
  const std::string hp = read(kData + "hp_c3323a_validate.model");
  std::ofstream(dir + "hp_c3323a_validate.model")
      << "dm_disk HP_C3323A_validate_model {\n"
         "   Number of data surfaces = 2,\n   Number of cylinders = 8,\n   Block count = 141,\n"
         "   Layout Model = dm_layout_g4 {\n"
         "      TP = [ 0, 9, 10, 0, 7, 8 ],\n"
         "      IDX = [ [ 0, 3, 0.0, 10, 1, 0.25, 40, -4, TRACK, 0, 0,\n"
         "                40, 0, 0.5, 8, 1, 0.125, 32, 4, TRACK, 1, 1 ],\n"
         "              [ 0, 0, 0.0, 72, 4, 0.1, 144, 8, IDX, 0 ] ],\n"
         "      Slips = [ 12, 2 ],\n      Remaps = [ ]\n   },\n   "
      << hp.substr(hp.find("Mechanical Model"));
  const ImportedProfile p = import_disksim(dir + "hp_c3323a.parv");
  const auto& layout = p.device.hdd().layout();
  EXPECT_EQ(layout.zone_size(), 0);
  const auto& tree = layout.tree();
  EXPECT_EQ(tree.blocks(), 141u);
  ASSERT_EQ(tree.track_sectors_size(), 2);
  EXPECT_EQ(tree.track_sectors(1), 8u);
  ASSERT_EQ(tree.index_size(), 2);
  EXPECT_TRUE(tree.index(0).tracks());
  EXPECT_FALSE(tree.index(1).tracks());
  EXPECT_EQ(tree.index(0).run_cylinders(0), -4);
  EXPECT_DOUBLE_EQ(tree.index(0).angle_step(1), 0.125);
  EXPECT_EQ(tree.index(0).head(1), 1u);
  EXPECT_EQ(tree.index(1).slots(0), 72u);
  ASSERT_EQ(tree.slip_size(), 1);
  EXPECT_EQ(tree.slip(0), 12u);
  EXPECT_EQ(tree.slip_count(0), 2u);
  const hdd::Layout built(layout);
  EXPECT_EQ(built.locate(140), (hdd::PhysicalSector{7, 1, 6}));
  EXPECT_NEAR(built.sector_angle({6, 1, 4}), 0.35, 1e-12);
}

}  // namespace
}  // namespace blocksim::disksim
