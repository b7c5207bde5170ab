#include "sim/replay/request_reader.hpp"

#include <cstdio>

#include "sim/replay/text_fields.hpp"

namespace blocksim {

std::uint32_t DeviceNames::id(std::string_view name) {
  if (!names_.empty() && name == last_)
    return last_id_;
  std::string key(name);
  auto [it, added] = ids_.try_emplace(key, static_cast<std::uint32_t>(names_.size()));
  if (added)
    names_.push_back(key);
  last_ = std::move(key);
  last_id_ = it->second;
  return last_id_;
}

std::uint32_t DeviceNames::id(std::uint64_t number) {
  if (number < id_of_number_.size() && id_of_number_[number] != kUnseen)
    return id_of_number_[number];
  const std::uint32_t found = id(std::to_string(number));
  if (number < kNumbersRemembered) {
    if (number >= id_of_number_.size())
      id_of_number_.resize(number + 1, kUnseen);
    id_of_number_[number] = found;
  }
  return found;
}

bool TextRequestReader::next_line(std::string_view* line) {
  while (lines_.next(line))
    if (!text::is_blank(*line)) {
      seen_a_line_ = true;
      return true;
    }
  // A trace without a single line is a mistake (a wrong path, a file cut to nothing), not a
  // replay of nothing.
  if (!seen_a_line_)
    throw TraceInputError(path_, 0, "the trace is empty: it has no lines", false);
  return false;
}

namespace {
// An error message quotes what it found; from a binary file that is noise, so bytes that are not
// printable ASCII are shown as \xNN and a long message is cut.
std::string printable(const std::string& what) {
  constexpr std::size_t kMaxLength = 300;
  std::string out;
  for (unsigned char c : what) {
    if (out.size() >= kMaxLength) {
      out += "...";
      break;
    }
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    }
  }
  return out;
}
}  // namespace

void TextRequestReader::fail(const std::string& what) const {
  throw TraceInputError(path_, lines_.line_number(), printable(what));
}

void TextRequestReader::bad_field(int index, std::string_view name, std::string_view text,
                                  std::string_view expected) const {
  fail("field " + std::to_string(index) + " (" + std::string(name) + "): \"" + std::string(text) + "\" is not " +
       std::string(expected));
}

SimTime RequestReader::relative(SimTime raw) {
  if (!has_origin_) {
    has_origin_ = true;
    origin_ = raw;
  }
  // In unsigned arithmetic: a reader's raw times lie within [0, kMaxTraceTime], but a damaged
  // binary trace's need not, and the difference must not overflow.
  return static_cast<SimTime>(static_cast<std::uint64_t>(raw) - static_cast<std::uint64_t>(origin_));
}

std::uint64_t TextRequestReader::u64_field(std::string_view text, int index, std::string_view name) const {
  std::uint64_t value = 0;
  if (!text::parse_u64(text, &value))
    bad_field(index, name, text, "a whole number");
  return value;
}

std::uint64_t TextRequestReader::hex_field(std::string_view text, int index, std::string_view name) const {
  std::uint64_t value = 0;
  if (!text::parse_hex(text, &value))
    bad_field(index, name, text, "a hexadecimal number");
  return value;
}

SimTime TextRequestReader::scaled_field(std::string_view text, int decimals, int index, std::string_view name) const {
  std::int64_t value = 0;
  if (!text::parse_scaled(text, decimals, &value))
    bad_field(index, name, text, "a non-negative number");
  if (value > kMaxTraceTime)
    bad_field(index, name, text, "a time within 2^61 ns");
  return value;
}

SimTime TextRequestReader::time_field(std::string_view text, std::uint64_t unit_ns, int index,
                                      std::string_view name) const {
  const std::uint64_t value = u64_field(text, index, name);
  if (value > static_cast<std::uint64_t>(kMaxTraceTime) / unit_ns)
    bad_field(index, name, text, "a time within 2^61 ns");
  return static_cast<SimTime>(value * unit_ns);
}

std::uint64_t TextRequestReader::sectors_to_bytes(std::uint64_t sectors, int index, std::string_view name) const {
  constexpr std::uint64_t kSector = 512;
  if (sectors > UINT64_MAX / kSector)
    fail("field " + std::to_string(index) + " (" + std::string(name) + "): " + std::to_string(sectors) +
         " sectors is more than 64 bits of bytes");
  return sectors * kSector;
}

}  // namespace blocksim
