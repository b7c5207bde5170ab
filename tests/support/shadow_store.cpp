#include "tests/support/shadow_store.hpp"

#include <algorithm>
#include <cstring>

namespace blocksim::testing {

void ShadowStore::write_started(std::uint64_t block, std::uint64_t n) {
  for (std::uint64_t b = block; b < block + n; ++b) {
    State& s = blocks_[b];
    if (s.in_flight > 0)
      s.conflicted = true;
    ++s.in_flight;
    ++s.generation;
  }
}

void ShadowStore::write_ended(std::uint64_t block, std::uint64_t n, std::uint64_t serial, bool succeeded) {
  for (std::uint64_t b = block; b < block + n; ++b) {
    State& s = blocks_[b];
    --s.in_flight;
    if (!succeeded)
      s.conflicted = true;  // a failed write may have left part of its bytes
    if (s.in_flight == 0) {
      s.known = !s.conflicted;
      s.value = serial;
      s.conflicted = false;
    } else {
      s.known = false;
    }
  }
}

std::vector<ShadowStore::Expectation> ShadowStore::read_started(std::uint64_t block, std::uint64_t n) const {
  std::vector<Expectation> out(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    auto it = blocks_.find(block + i);
    if (it == blocks_.end()) {
      out[i] = Expectation{true, 0, 0};
      continue;
    }
    const State& s = it->second;
    out[i] = Expectation{s.known && s.in_flight == 0, s.value, s.generation};
  }
  return out;
}

bool ShadowStore::unchanged(std::uint64_t block, const Expectation& e) const {
  auto it = blocks_.find(block);
  return (it == blocks_.end() ? 0 : it->second.generation) == e.generation;
}

void ShadowStore::fill_block(std::uint64_t serial, std::uint64_t block, std::uint8_t* out, std::uint64_t block_size) {
  if (serial == 0) {
    std::memset(out, 0, block_size);
    return;
  }
  std::uint64_t x = serial * 0x9E3779B97F4A7C15ULL ^ (block + 1) * 0xC2B2AE3D27D4EB4FULL;
  for (std::uint64_t i = 0; i < block_size; i += 8) {
    // splitmix64 steps: every 8 bytes differ, and so does every block of every write.
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    std::memcpy(out + i, &z, std::min<std::uint64_t>(8, block_size - i));
  }
}

}  // namespace blocksim::testing
