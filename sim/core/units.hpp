// Quantities written with units in scenarios and profiles: durations ("250ns", "8.5ms"), sizes
// ("512", "4KiB", "1TB", fio's "4k"), bandwidths ("4GB/s", "6Gb/s") and rates ("20k/s").
// The parse_* functions report what is wrong; the plain accessors are for values the scenario
// validator has already accepted and throw std::invalid_argument otherwise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/sim_time.hpp"

namespace blocksim::units {

struct ParseResult {
  std::optional<double> value;  // in the base unit: ns, bytes, bytes/s, 1/s
  std::string error;            // set when value is empty
};

ParseResult parse_duration(std::string_view text);
ParseResult parse_bytes(std::string_view text);
ParseResult parse_bandwidth(std::string_view text);
ParseResult parse_rate(std::string_view text);

SimTime duration_ns(std::string_view text);
// A duration in milliseconds as a profile writes it: to the nanosecond, without trailing zeros
// (0.47828 -> "0.47828ms", 2 -> "2ms").
std::string ms_text(double milliseconds);
std::uint64_t bytes(std::string_view text);
double bandwidth(std::string_view text);  // bytes per second
double rate(std::string_view text);       // per second

// For an error about a size that must be a multiple of something: when `text` uses a decimal unit
// (KB, MB, GB, TB: powers of 1000), what it was read as and the binary unit the writer probably
// meant, e.g. ` ("4 KB" reads as 4,000 bytes; did you mean "4 KiB"?)`; "" otherwise.
std::string decimal_size_hint(std::string_view text);

}  // namespace blocksim::units
