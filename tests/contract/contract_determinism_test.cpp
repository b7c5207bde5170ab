// Same case, same seed: the same trace, byte for byte. Each case runs twice, each time in a
// process of its own (contract_case --digest prints the FNV-1a digest of every record of every
// layer), for one configuration of each model and both loop kinds (seeds 4 and 9 give closed
// and open loops).
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "tests/support/case_digest.hpp"

namespace {

std::string digest(const std::string& device, int seed) {
  return blocksim::testing::case_digest(BLOCKSIM_CONTRACT_CASE, "'" + device + "' " + std::to_string(seed));
}

class Determinism : public ::testing::TestWithParam<const char*> {};

TEST_P(Determinism, SameSeedSameTrace) {
  for (int seed : {4, 9}) {
    const std::string first = digest(GetParam(), seed);
    const std::string second = digest(GetParam(), seed);
    EXPECT_EQ(first, second) << GetParam() << " seed " << seed;
    EXPECT_NE(first.find(" status 0"), std::string::npos) << first;
    // A different seed is a different case.
    EXPECT_NE(first, digest(GetParam(), seed + 100)) << GetParam();
  }
}

INSTANTIATE_TEST_SUITE_P(Models, Determinism,
                         ::testing::Values("reference/qd8/cache/faults", "dext/nocache", "ssd/samsung-870-evo-1tb/cache",
                                           "ssd/samsung-970-evo-plus-1tb/nocache", "hdd/atlas_III/native/nocache"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name;
                           for (const char* c = info.param; *c; ++c)
                             name += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '_';
                           return name;
                         });

}  // namespace
