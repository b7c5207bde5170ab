// Power cuts on the models with a write cache (HDD and SSD; the reference device has
// its own in tests/sim/driver/durability_test.cpp): 40 trials per model, each a random workload
// with flushes and FUA writes (tests/support/random_workload.hpp) cut at a random time, each in a
// process of its own. ContractOptions::power_cut_at says what is checked after the cut.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/contract_runner.hpp"

namespace blocksim::testing {
namespace {

struct Model {
  const char* prefix;
  const char* devices[2];  // 20 trials each
  SimTime latest_cut;      // cuts fall in [latest / 200, latest]
};

constexpr Model kModels[] = {
    {"hdd", {"hdd/hp_c3323a/native/cache", "hdd/atlas_III/native/cache"}, 600'000'000},
    {"ssd", {"ssd/samsung-870-evo-1tb/cache", "ssd/samsung-970-evo-plus-1tb/cache"}, 50'000'000},
    // A cache with power-loss protection (nothing volatile: a cut loses nothing), and a small
    // drive whose SLC cache opens, fills and folds within the workload.
    {"ssd", {"ssd/intel-dc-p4500-1tb/cache", "ssd/slc/cache"}, 50'000'000},
};
constexpr int kTrialsPerDevice = 20;

class PowerCutTrial : public ::testing::Test {
 public:
  PowerCutTrial(std::string device, std::uint64_t seed, SimTime cut) : device_(std::move(device)), seed_(seed), cut_(cut) {}
  void TestBody() override {
    ContractOptions options;
    options.power_cut_at = cut_;
    const ContractReport report = run_contract_case(contract_device(device_), seed_, options);
    ASSERT_TRUE(report.power_cut.happened);
    EXPECT_EQ(report.power_cut.lost_blocks, report.power_cut.cached_blocks);
    EXPECT_TRUE(report.ok()) << report.text() << "replay: " << BLOCKSIM_CONTRACT_CASE << " --cut " << cut_ << " '"
                             << device_ << "' " << seed_;
    std::cout << report.text();
  }

 private:
  std::string device_;
  std::uint64_t seed_;
  SimTime cut_;
};

const bool registered = [] {
  for (const Model& model : kModels)
    for (const char* device : model.devices)
      for (int trial = 0; trial < kTrialsPerDevice; ++trial) {
        const std::uint64_t seed = 5000 + static_cast<std::uint64_t>(trial);
        const SimTime cut = power_cut_time(seed, model.latest_cut);
        std::string name;
        for (const char* c = device; *c; ++c)
          name += (*c == '/' || *c == '-') ? '_' : *c;
        name += "_trial" + std::to_string(trial);
        ::testing::RegisterTest("PowerCut", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                                [d = std::string(device), seed, cut]() -> ::testing::Test* {
                                  return new PowerCutTrial(d, seed, cut);
                                });
      }
  return true;
}();

}  // namespace
}  // namespace blocksim::testing
