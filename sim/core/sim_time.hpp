// Simulated time as the world outside the engine sees it: signed 64-bit integer nanoseconds
// since the start of the run (enough for 292 years of simulated time).
#pragma once

#include <cstdint>

namespace blocksim {

using SimTime = std::int64_t;

inline constexpr SimTime kNanosecond = 1;
inline constexpr SimTime kMicrosecond = 1'000;
inline constexpr SimTime kMillisecond = 1'000'000;
inline constexpr SimTime kSecond = 1'000'000'000;

}  // namespace blocksim
