// CRC-32 as GPT uses it (UEFI: the IEEE 802.3 polynomial, reflected, 0x04C11DB7 / 0xEDB88320,
// initial value and final XOR 0xFFFFFFFF), for the header and entry-array checks of a GPT scan.
#pragma once

#include <cstddef>
#include <cstdint>

namespace blocksim {

std::uint32_t crc32(const std::uint8_t* data, std::size_t length);

}  // namespace blocksim
