#include "sim/core/units.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace blocksim::units {

namespace {

struct Suffix {
  std::string_view text;
  double factor;
};

constexpr Suffix kDurationSuffixes[] = {
    {"ns", 1.0}, {"us", 1e3}, {"µs", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"min", 60e9}, {"h", 3600e9},
};

constexpr Suffix kByteSuffixes[] = {
    {"", 1.0},        {"B", 1.0},           {"KB", 1e3},          {"MB", 1e6},          {"GB", 1e9},
    {"TB", 1e12},     {"PB", 1e15},         {"KiB", 1024.0},      {"MiB", 1048576.0},   {"GiB", 1073741824.0},
    {"TiB", 1099511627776.0},               {"PiB", 1125899906842624.0},                {"k", 1024.0},
    {"K", 1024.0},    {"M", 1048576.0},     {"G", 1073741824.0},  {"T", 1099511627776.0},
};

constexpr Suffix kBandwidthSuffixes[] = {
    {"B/s", 1.0},          {"KB/s", 1e3},          {"MB/s", 1e6},         {"GB/s", 1e9},
    {"TB/s", 1e12},        {"KiB/s", 1024.0},      {"MiB/s", 1048576.0},  {"GiB/s", 1073741824.0},
    {"b/s", 1.0 / 8},      {"Kb/s", 1e3 / 8},      {"Mb/s", 1e6 / 8},     {"Gb/s", 1e9 / 8},
    {"Tb/s", 1e12 / 8},
};

constexpr Suffix kRateSuffixes[] = {
    {"/s", 1.0}, {"k/s", 1e3}, {"K/s", 1e3}, {"M/s", 1e6}, {"G/s", 1e9},
};

template <std::size_t N>
ParseResult parse_with(std::string_view text, const Suffix (&suffixes)[N], std::string_view what,
                       std::string_view expected_units) {
  std::string_view s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  double number = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), number);
  auto fail = [&](std::string message) { return ParseResult{std::nullopt, std::move(message)}; };
  if (ec != std::errc() || !std::isfinite(number))
    return fail("invalid " + std::string(what) + " \"" + std::string(text) + "\": expected a number followed by " +
                std::string(expected_units));
  std::string_view unit(end, static_cast<std::size_t>(s.data() + s.size() - end));
  while (!unit.empty() && unit.front() == ' ')
    unit.remove_prefix(1);
  for (const auto& suffix : suffixes)
    if (unit == suffix.text)
      return ParseResult{number * suffix.factor, {}};
  return fail("invalid " + std::string(what) + " \"" + std::string(text) + "\": unknown unit \"" + std::string(unit) +
              "\", expected " + std::string(expected_units));
}

double require(const ParseResult& result) {
  if (!result.value)
    throw std::invalid_argument(result.error);
  return *result.value;
}

}  // namespace

ParseResult parse_duration(std::string_view text) {
  auto result = parse_with(text, kDurationSuffixes, "duration", "ns, us, ms, s, min or h");
  if (result.value && std::fabs(*result.value) > 9.2e18)
    return {std::nullopt, "duration \"" + std::string(text) + "\" is too long (the limit is 292 years)"};
  if (result.value)
    result.value = std::round(*result.value);
  return result;
}

ParseResult parse_bytes(std::string_view text) {
  auto result = parse_with(text, kByteSuffixes, "size", "B, KB, MB, GB, TB, KiB, MiB, GiB, TiB or nothing for bytes");
  if (result.value && std::fabs(*result.value) > 1.8e19)
    return {std::nullopt, "size \"" + std::string(text) + "\" is too large"};
  if (result.value && *result.value != std::floor(*result.value))
    return {std::nullopt, "size \"" + std::string(text) + "\" is not a whole number of bytes"};
  return result;
}

ParseResult parse_bandwidth(std::string_view text) {
  return parse_with(text, kBandwidthSuffixes, "bandwidth", "B/s, KB/s, MB/s, GB/s, KiB/s, MiB/s, GiB/s or Mb/s, Gb/s");
}

ParseResult parse_rate(std::string_view text) {
  return parse_with(text, kRateSuffixes, "rate", "/s, k/s or M/s");
}

std::string decimal_size_hint(std::string_view text) {
  static constexpr std::pair<std::string_view, std::string_view> kDecimal[] = {
      {"kB", "KiB"}, {"KB", "KiB"}, {"MB", "MiB"}, {"GB", "GiB"}, {"TB", "TiB"}};
  std::string_view trimmed = text;
  while (!trimmed.empty() && trimmed.back() == ' ')
    trimmed.remove_suffix(1);
  for (const auto& [decimal, binary] : kDecimal) {
    if (trimmed.size() <= decimal.size() || trimmed.substr(trimmed.size() - decimal.size()) != decimal)
      continue;
    const auto parsed = parse_bytes(text);
    if (!parsed.value)
      return "";
    std::string digits = std::to_string(static_cast<std::uint64_t>(*parsed.value));
    for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3)
      digits.insert(static_cast<std::size_t>(at), ",");
    const std::string_view number = trimmed.substr(0, trimmed.size() - decimal.size());
    return " (\"" + std::string(text) + "\" reads as " + digits + " bytes; did you mean \"" + std::string(number) +
           std::string(binary) + "\"?)";
  }
  return "";
}

SimTime duration_ns(std::string_view text) { return static_cast<SimTime>(require(parse_duration(text))); }
std::uint64_t bytes(std::string_view text) { return static_cast<std::uint64_t>(require(parse_bytes(text))); }
double bandwidth(std::string_view text) { return require(parse_bandwidth(text)); }
double rate(std::string_view text) { return require(parse_rate(text)); }

std::string ms_text(double milliseconds) {
  // Trimmed in the buffer: GCC 12 warns falsely (-Wrestrict) on the same done with std::string.
  char buffer[64];
  int length = std::snprintf(buffer, sizeof buffer - 2, "%.6f", milliseconds);
  length = std::clamp(length, 0, static_cast<int>(sizeof buffer) - 3);
  while (length > 0 && buffer[length - 1] == '0')
    --length;
  if (length > 0 && buffer[length - 1] == '.')
    --length;
  if (length == 2 && buffer[0] == '-' && buffer[1] == '0') {
    buffer[0] = '0';
    length = 1;
  }
  buffer[length++] = 'm';
  buffer[length++] = 's';
  return std::string(buffer, static_cast<std::size_t>(length));
}

}  // namespace blocksim::units
