// The completion contract on the ssd model under request sequences a fuzzer picks: the
// configuration "ssd/samsung-970-evo-plus-1tb/cache" of the contract suite (tests/fuzz/contract_fuzz.hpp).
#include "tests/fuzz/contract_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return blocksim::testing::fuzz_contract("ssd/samsung-970-evo-plus-1tb/cache", data, size);
}
