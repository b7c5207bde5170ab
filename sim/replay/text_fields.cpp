#include "sim/replay/text_fields.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace blocksim::text {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr std::int64_t kPow10[] = {1,         10,         100,         1000,         10000,        100000,
                                   1000000,   10000000,   100000000,   1000000000,   10000000000,  100000000000,
                                   1000000000000};

// The slow path for forms with an exponent: through a double, rounded.
bool parse_scaled_double(std::string_view text, int decimals, std::int64_t* value) {
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(number) || number < 0)
    return false;
  const double scaled = std::round(number * static_cast<double>(kPow10[decimals]));
  if (scaled >= 9.2e18)
    return false;
  *value = static_cast<std::int64_t>(scaled);
  return true;
}

}  // namespace

std::size_t split_whitespace(std::string_view line, std::string_view* fields, std::size_t capacity) {
  std::size_t count = 0;
  std::size_t i = 0;
  const std::size_t n = line.size();
  while (i < n) {
    while (i < n && is_space(line[i]))
      ++i;
    if (i >= n)
      break;
    const std::size_t start = i;
    while (i < n && !is_space(line[i]))
      ++i;
    if (count < capacity)
      fields[count] = line.substr(start, i - start);
    ++count;
  }
  return count;
}

std::size_t split_on(std::string_view line, char separator, std::string_view* fields, std::size_t capacity) {
  std::size_t count = 0;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = line.find(separator, start);
    const std::string_view field = line.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start);
    if (count < capacity)
      fields[count] = trim(field);
    ++count;
    if (at == std::string_view::npos)
      return count;
    start = at + 1;
  }
}

std::size_t split_csv(std::string_view line, std::string_view* fields, std::size_t capacity) {
  std::size_t count = 0;
  std::size_t at = 0;
  for (;;) {
    std::string_view field;
    if (at < line.size() && line[at] == '"') {
      const std::size_t close = line.find('"', at + 1);
      if (close == std::string_view::npos)
        return 0;
      field = line.substr(at + 1, close - at - 1);
      at = close + 1;
      if (at < line.size() && line[at] != ',')
        return 0;
    } else {
      const std::size_t comma = line.find(',', at);
      field = trim(line.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at));
      at = comma == std::string_view::npos ? line.size() : comma;
    }
    if (count < capacity)
      fields[count] = field;
    ++count;
    if (at >= line.size())
      return count;
    ++at;  // past the comma
  }
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

bool is_blank(std::string_view line) { return trim(line).empty(); }

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i]))
      return false;
  return true;
}

bool starts_with_ignore_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equals_ignore_case(text.substr(0, prefix.size()), prefix);
}

bool parse_u64(std::string_view text, std::uint64_t* value) {
  if (text.empty())
    return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parse_u32(std::string_view text, std::uint32_t* value) {
  if (text.empty())
    return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parse_hex(std::string_view text, std::uint64_t* value) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    text.remove_prefix(2);
  if (text.empty())
    return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value, 16);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parse_scaled(std::string_view text, int decimals, std::int64_t* value) {
  if (text.empty() || decimals < 0 || decimals > 12)
    return false;
  if (text.front() == '+')
    text.remove_prefix(1);
  if (text.find_first_of("eE") != std::string_view::npos)
    return parse_scaled_double(text, decimals, value);
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() && fraction.empty())
    return false;
  std::uint64_t integer = 0;
  if (!whole.empty() && !parse_u64(whole, &integer))
    return false;
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  const auto scale = static_cast<std::uint64_t>(kPow10[decimals]);
  if (integer > kMax / scale)
    return false;
  std::uint64_t result = integer * scale;
  std::uint64_t digit_scale = scale;
  bool round_up = false;
  for (std::size_t i = 0; i < fraction.size(); ++i) {
    const char c = fraction[i];
    if (c < '0' || c > '9')
      return false;
    if (digit_scale > 1) {
      digit_scale /= 10;
      result += static_cast<std::uint64_t>(c - '0') * digit_scale;
    } else if (i == static_cast<std::size_t>(decimals)) {
      round_up = c >= '5';
    }
  }
  if (round_up)
    ++result;
  if (result > kMax)
    return false;
  *value = static_cast<std::int64_t>(result);
  return true;
}

}  // namespace blocksim::text
