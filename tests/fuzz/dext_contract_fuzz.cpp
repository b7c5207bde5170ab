// The completion contract on the dext model under request sequences a fuzzer picks: the
// configuration "dext/cache/faults" of the contract suite (tests/fuzz/contract_fuzz.hpp).
#include "tests/fuzz/contract_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return blocksim::testing::fuzz_contract("dext/cache/faults", data, size);
}
