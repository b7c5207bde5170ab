// The completion contract on the reference model under request sequences a fuzzer picks: the
// configuration "reference/qd8/cache/faults" of the contract suite (tests/fuzz/contract_fuzz.hpp).
#include "tests/fuzz/contract_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return blocksim::testing::fuzz_contract("reference/qd8/cache/faults", data, size);
}
