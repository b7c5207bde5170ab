// The on-disk GPT layout (UEFI; driver-api.md §3.3): header fields' offsets, GUIDs in their
// mixed-endian form, and entry names in UTF-16LE. Shared by the scan and the set-up writer.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace blocksim::gpt {

inline constexpr char kSignature[8] = {'E', 'F', 'I', ' ', 'P', 'A', 'R', 'T'};
inline constexpr std::uint32_t kRevision = 0x00010000;
inline constexpr std::uint32_t kHeaderSize = 92;  // offset of the padding: what hdr_crc_self covers
inline constexpr std::uint32_t kEntrySize = 128;
inline constexpr std::uint32_t kEntryCount = 128;
inline constexpr std::uint8_t kProtectiveType = 0xEE;

// Header field offsets.
inline constexpr int kHdrRevision = 8, kHdrSize = 12, kHdrCrcSelf = 16, kHdrLbaSelf = 24, kHdrLbaAlt = 32,
                     kHdrLbaStart = 40, kHdrLbaEnd = 48, kHdrUuid = 56, kHdrLbaTable = 72, kHdrEntries = 80,
                     kHdrEntrySize = 84, kHdrCrcTable = 88;
// Entry field offsets.
inline constexpr int kEntType = 0, kEntUuid = 16, kEntLbaStart = 32, kEntLbaEnd = 40, kEntAttr = 48, kEntName = 56;
inline constexpr int kEntNameChars = 36;

using Guid = std::array<std::uint8_t, 16>;  // as stored on disk

// "48465300-0000-11AA-AA11-00306543ECAC" (the first three fields are little-endian on disk).
std::string format_guid(const std::uint8_t* bytes);
std::optional<Guid> parse_guid(const std::string& text);
bool is_zero(const std::uint8_t* guid);

std::string name_from_utf16le(const std::uint8_t* name, int chars);
// Fills `chars` UTF-16LE code units (zero padded); characters beyond them are cut.
void name_to_utf16le(const std::string& utf8, std::uint8_t* name, int chars);

}  // namespace blocksim::gpt
