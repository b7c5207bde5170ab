// What a read must return, block by block, for the contract tests: the bytes of the last
// acknowledged write (or zeros after an unmap, or before any write). A block written by two
// requests in flight at once may hold either, as may a block whose write failed: such a block is
// unknown until a write alone over it completes. A read is checked only on blocks that were known
// when it was issued and saw no write start before it completed.
//
// Write contents are not stored: a write's bytes are a function of its serial number, the block
// and the byte's place (fill_block), so any block can be regenerated for comparison.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace blocksim::testing {

class ShadowStore {
 public:
  // What a read expects of one block.
  struct Expectation {
    bool known = false;
    std::uint64_t value = 0;       // write serial; 0: zeros
    std::uint64_t generation = 0;  // writes started on the block so far
  };

  // A write (serial > 0) or an unmap (serial 0) starts / ends over [block, block + n).
  void write_started(std::uint64_t block, std::uint64_t n);
  void write_ended(std::uint64_t block, std::uint64_t n, std::uint64_t serial, bool succeeded);
  std::vector<Expectation> read_started(std::uint64_t block, std::uint64_t n) const;
  // Whether a block's expectation still holds (no write has started on it since).
  bool unchanged(std::uint64_t block, const Expectation& e) const;

  // The bytes write `serial` puts in `block` (zeros for serial 0).
  static void fill_block(std::uint64_t serial, std::uint64_t block, std::uint8_t* out, std::uint64_t block_size);

 private:
  struct State {
    std::uint64_t value = 0;
    std::uint64_t generation = 0;
    std::uint32_t in_flight = 0;
    bool known = true;
    bool conflicted = false;  // two writes overlapped in time since it was last known
  };
  std::unordered_map<std::uint64_t, State> blocks_;
};

}  // namespace blocksim::testing
