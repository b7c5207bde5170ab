// Splitting a trace line into fields and reading the numbers in them, exactly and without
// allocating: whole numbers, hex, and decimals such as "13.191135" read as an integer count of a
// smaller unit (ms with 6 decimals -> ns), so that times keep every digit the trace wrote.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace blocksim::text {

// Splits on runs of spaces and tabs. Fills at most `capacity` fields; returns how many fields the
// line has (which may be more than `capacity`).
std::size_t split_whitespace(std::string_view line, std::string_view* fields, std::size_t capacity);
// Splits on `separator` (no quoting: the trace formats here have none); fields are trimmed of
// spaces. Returns the field count, as above.
std::size_t split_on(std::string_view line, char separator, std::string_view* fields, std::size_t capacity);

// Comma-separated with quoting: a field that starts with '"' runs to the next '"' and may hold
// commas (no escaped quotes inside). Returns the field count, or 0 for an unterminated quote.
std::size_t split_csv(std::string_view line, std::string_view* fields, std::size_t capacity);

std::string_view trim(std::string_view text);
bool is_blank(std::string_view line);
bool equals_ignore_case(std::string_view a, std::string_view b);
bool starts_with_ignore_case(std::string_view text, std::string_view prefix);

bool parse_u64(std::string_view text, std::uint64_t* value);
bool parse_u32(std::string_view text, std::uint32_t* value);
// Hex digits, with or without "0x".
bool parse_hex(std::string_view text, std::uint64_t* value);
// A non-negative decimal number ("12", "12.5", "1.5e3") times 10^decimals, rounded to the
// nearest whole number: parse_scaled("13.191135", 6) = 13191135. False if it is not a number,
// is negative, or does not fit in 63 bits.
bool parse_scaled(std::string_view text, int decimals, std::int64_t* value);

}  // namespace blocksim::text
