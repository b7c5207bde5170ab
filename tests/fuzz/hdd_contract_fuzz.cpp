// The completion contract on the hdd model under request sequences a fuzzer picks: the
// configuration "hdd/atlas_III/native/cache" of the contract suite (tests/fuzz/contract_fuzz.hpp).
#include "tests/fuzz/contract_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return blocksim::testing::fuzz_contract("hdd/atlas_III/native/cache", data, size);
}
