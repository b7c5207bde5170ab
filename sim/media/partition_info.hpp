// A partition a scan found: where it lies in its provider media and what the table says of it.
#pragma once

#include <cstdint>
#include <string>

namespace blocksim {

struct PartitionInfo {
  std::uint32_t id = 0;    // "Partition ID": GPT entry index, MBR slot (5 and up for logical ones)
  std::uint64_t base = 0;  // bytes from the start of the provider
  std::uint64_t size = 0;
  std::string label;         // GPT name (UTF-8) or "Untitled <id>"
  std::string content_hint;  // GPT type GUID, or the MBR type as "0x83"
};

}  // namespace blocksim
