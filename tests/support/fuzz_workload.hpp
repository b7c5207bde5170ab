// Decodes a fuzzer's input bytes into a workload for the contract runner (contract_runner.hpp):
// the first byte picks open or closed loop and the depth, then every 7 bytes are one request:
//   op (1 byte: read, write, FUA write, flush, unmap by value mod 5; unmap becomes a read on a
//   device without it), block (2 bytes, within the workload's region), length (2 bytes, 1 block
//   to one and a half times the driver's largest transfer), gap (2 bytes, in units of 1/256 of
//   the device's typical service time). At most `limits.requests` requests.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tests/support/random_workload.hpp"

namespace blocksim::testing {

RandomWorkload decode_workload(const std::uint8_t* data, std::size_t size, const WorkloadLimits& limits);

}  // namespace blocksim::testing
