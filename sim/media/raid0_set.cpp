#include "sim/media/raid0_set.hpp"

#include <algorithm>

namespace blocksim {

std::uint64_t Raid0Set::set_size() const {
  return smallest_member() / stripe_size_ * stripe_size_ * members().size();
}

void Raid0Set::plan(Request& r, std::uint64_t byteStart) {
  const std::uint64_t n = members().size();
  std::uint64_t done = 0;
  while (done < r.buffer->length) {
    const std::uint64_t x = byteStart + done;
    const std::uint64_t stripe = x / stripe_size_;
    const std::uint64_t within = x % stripe_size_;
    const std::uint64_t length = std::min(stripe_size_ - within, r.buffer->length - done);
    const auto member = static_cast<std::uint32_t>(stripe % n);
    r.pieces.push_back(make_piece(r, member, (stripe / n) * stripe_size_ + within, done, length));
    done += length;
  }
}

void Raid0Set::outcome(const Request& r, IOReturn* status, std::uint64_t* bytes) {
  *status = kIOReturnSuccess;
  *bytes = 0;
  for (const Piece& piece : r.pieces) {
    if (piece.status != kIOReturnSuccess) {
      *status = piece.status;
      return;
    }
    *bytes += piece.bytes;
    if (r.buffer && piece.bytes < piece.buffer.length)
      return;  // short: what follows is not contiguous with what was done
  }
}

}  // namespace blocksim
