#include "sim/media/gpt_format.hpp"

#include <cstdio>
#include <vector>

#include "sim/media/little_endian.hpp"

namespace blocksim::gpt {

namespace {
// The on-disk byte of each hex pair of the text form, in text order.
constexpr int kTextOrder[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
}  // namespace

std::string format_guid(const std::uint8_t* b) {
  char text[37];
  std::snprintf(text, sizeof text, "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X", b[3], b[2],
                b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return text;
}

std::optional<Guid> parse_guid(const std::string& text) {
  std::string hex;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '-') {
      if (i != 8 && i != 13 && i != 18 && i != 23)
        return std::nullopt;
      continue;
    }
    if (!std::isxdigit(static_cast<unsigned char>(text[i])))
      return std::nullopt;
    hex += text[i];
  }
  if (hex.size() != 32 || text.size() != 36)
    return std::nullopt;
  Guid g{};
  for (int i = 0; i < 16; ++i)
    g[kTextOrder[i]] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  return g;
}

bool is_zero(const std::uint8_t* guid) {
  for (int i = 0; i < 16; ++i)
    if (guid[i] != 0)
      return false;
  return true;
}

std::string name_from_utf16le(const std::uint8_t* name, int chars) {
  std::string out;
  for (int i = 0; i < chars; ++i) {
    std::uint32_t c = le::u16(name + 2 * i);
    if (c == 0)
      break;
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < chars) {  // a surrogate pair
      const std::uint32_t low = le::u16(name + 2 * (i + 1));
      if (low >= 0xDC00 && low < 0xE000) {
        c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        ++i;
      }
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | c >> 6);
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | c >> 12);
      out += static_cast<char>(0x80 | (c >> 6 & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | c >> 18);
      out += static_cast<char>(0x80 | (c >> 12 & 0x3F));
      out += static_cast<char>(0x80 | (c >> 6 & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

void name_to_utf16le(const std::string& utf8, std::uint8_t* name, int chars) {
  std::vector<std::uint16_t> units;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    std::uint32_t c = b;
    int extra = 0;
    if (b >= 0xF0) {
      c = b & 0x07;
      extra = 3;
    } else if (b >= 0xE0) {
      c = b & 0x0F;
      extra = 2;
    } else if (b >= 0xC0) {
      c = b & 0x1F;
      extra = 1;
    }
    for (int k = 1; k <= extra && i + k < utf8.size(); ++k)
      c = c << 6 | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    i += 1 + extra;
    if (c >= 0x10000) {
      units.push_back(static_cast<std::uint16_t>(0xD800 + ((c - 0x10000) >> 10)));
      units.push_back(static_cast<std::uint16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)));
    } else {
      units.push_back(static_cast<std::uint16_t>(c));
    }
  }
  for (int i = 0; i < chars; ++i)
    le::put16(name + 2 * i, i < static_cast<int>(units.size()) ? units[static_cast<std::size_t>(i)] : 0);
}

}  // namespace blocksim::gpt
