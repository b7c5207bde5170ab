// The randomised contract suite: every device configuration of contract_devices() with fixed
// seeds, one case per test (each in its own process: one engine per process). A failing case
// prints its report and the command that replays it alone. Cases in known_failing.txt are
// registered DISABLED_ (they wait for a fix in the HDD model).
//
// Seeds: 12 per configuration of the fast models (reference, DriverKit-shaped, SSD), 3 per HDD
// configuration (its cases take simulated seconds and there are many configurations).
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/contract_runner.hpp"

namespace blocksim::testing {
namespace {

std::set<std::string> known_failing() {
  std::set<std::string> out;
  std::ifstream in(std::string(BLOCKSIM_SOURCE_DIR) + "/tests/contract/known_failing.txt");
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#')
      out.insert(line);
  return out;
}

std::string test_name(const std::string& device, std::uint64_t seed) {
  std::string name;
  for (char c : device)
    name += (c == '/' || c == '-') ? '_' : c;
  return name + "_seed" + std::to_string(seed);
}

class ContractCase : public ::testing::Test {
 public:
  ContractCase(std::string device, std::uint64_t seed) : device_(std::move(device)), seed_(seed) {}
  void TestBody() override {
    const ContractReport report = run_contract_case(contract_device(device_), seed_);
    EXPECT_EQ(report.completed, report.requests);
    EXPECT_TRUE(report.ok()) << report.text() << "replay: " << BLOCKSIM_CONTRACT_CASE << " '" << device_ << "' "
                             << seed_;
  }

 private:
  std::string device_;
  std::uint64_t seed_;
};

// Registered before main() runs the tests (gtest_main calls RUN_ALL_TESTS after static init).
const bool registered = [] {
  const std::set<std::string> failing = known_failing();
  for (const ContractDevice& device : contract_devices()) {
    const std::uint64_t seeds = device.name.rfind("hdd/", 0) == 0 ? 3 : 12;
    for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
      const bool disabled = failing.count(device.name + " " + std::to_string(seed)) > 0;
      const std::string name = (disabled ? "DISABLED_" : "") + test_name(device.name, seed);
      ::testing::RegisterTest("Contract", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                              [d = device.name, seed]() -> ::testing::Test* { return new ContractCase(d, seed); });
    }
  }
  return true;
}();

}  // namespace
}  // namespace blocksim::testing
