#include "sim/media/raid1_set.hpp"

namespace blocksim {

namespace {
// A member that cannot read some sectors is still a good member.
bool media_error(IOReturn status) { return status == kIOReturnIOError || status == kIOReturnBadMedia; }
constexpr std::uint32_t kMaskedMembers = 64;
}  // namespace

int Raid1Set::pick_reader(std::uint64_t exclude) {
  const auto n = static_cast<std::uint32_t>(members().size());
  reads_outstanding_.resize(n, 0);
  int best = -1;
  for (std::uint32_t k = 0; k < n; ++k) {
    const std::uint32_t m = (turn_ + k) % n;
    if (failed_[m] || (m < kMaskedMembers && (exclude >> m) & 1))
      continue;
    if (best < 0 || reads_outstanding_[m] < reads_outstanding_[static_cast<std::uint32_t>(best)])
      best = static_cast<int>(m);
  }
  if (best >= 0) {
    turn_ = (static_cast<std::uint32_t>(best) + 1) % n;
    ++reads_outstanding_[static_cast<std::uint32_t>(best)];
  }
  return best;
}

void Raid1Set::read_done(const Piece& piece) { --reads_outstanding_[piece.member]; }

void Raid1Set::plan(Request& r, std::uint64_t byteStart) {
  if (r.op == Op::kRead) {
    const int member = pick_reader();
    // With no live member the piece goes to a failed one, which answers kIOReturnNoDevice.
    r.pieces.push_back(make_piece(r, member < 0 ? 0 : static_cast<std::uint32_t>(member), byteStart, 0,
                                  r.buffer->length));
    if (member < 0)
      ++reads_outstanding_[0];
    return;
  }
  for (std::uint32_t m = 0; m < members().size(); ++m)
    if (!failed_[m])
      r.pieces.push_back(make_piece(r, m, byteStart, 0, r.buffer->length));
  if (r.pieces.empty())
    r.pieces.push_back(make_piece(r, 0, byteStart, 0, r.buffer->length));
}

bool Raid1Set::retry(Request& r, Piece& piece) {
  if (r.op == Op::kRead && media_error(piece.status) && piece.member < kMaskedMembers && !failed_[piece.member]) {
    piece.tried |= std::uint64_t{1} << piece.member;  // keep the member; read the other copy
    ++media_errors_;
  } else {
    fail_member(piece.member);
  }
  if (r.op != Op::kRead)
    return false;
  const int other = pick_reader(piece.tried);
  if (other < 0)
    return false;  // no copy left: the read fails (outcome() settles the count)
  read_done(piece);
  piece.member = static_cast<std::uint32_t>(other);
  issue(r, piece);
  return true;
}

void Raid1Set::outcome(const Request& r, IOReturn* status, std::uint64_t* bytes) {
  if (r.op == Op::kRead) {
    const Piece& piece = r.pieces.front();
    read_done(piece);
    *status = piece.status;
    *bytes = piece.bytes;
    return;
  }
  // A write (or flush) succeeds when one copy succeeded; else the first error.
  *status = r.pieces.empty() ? kIOReturnNoDevice : r.pieces.front().status;
  *bytes = 0;
  for (const Piece& piece : r.pieces)
    if (piece.status == kIOReturnSuccess && (!r.buffer || piece.bytes == piece.buffer.length)) {
      *status = kIOReturnSuccess;
      *bytes = r.buffer ? r.buffer->length : 0;
      return;
    }
}

}  // namespace blocksim
