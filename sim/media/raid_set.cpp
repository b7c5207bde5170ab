#include "sim/media/raid_set.hpp"

#include <algorithm>

namespace blocksim {

RaidSet::RaidSet(const StackContext& context, std::string name, std::vector<IOMedia*> members)
    : failed_(members.size(), false),
      context_(context),
      name_(std::move(name)),
      members_(std::move(members)),
      opened_(members_.size(), false) {}

RaidSet::~RaidSet() = default;

bool RaidSet::assemble() {
  block_size_ = members_.front()->getPreferredBlockSize();
  for (IOMedia* m : members_)
    if (m->getPreferredBlockSize() != block_size_ || m->is_inactive())
      return false;
  // The set claims its members: a plain writer, or a reader when a member is not writable.
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (members_[i]->open(this, kIOStorageAccessReaderWriter)) {
      opened_[i] = true;
    } else if (members_[i]->open(this, kIOStorageAccessReader)) {
      opened_[i] = true;
      writable_ = false;
    } else {
      for (std::size_t j = 0; j < i; ++j)
        members_[j]->close(this);
      return false;
    }
    members_[i]->attach_stacked(this);
  }
  IOMediaParams params;
  params.size = set_size();
  params.preferred_block_size = block_size_;
  params.is_whole = true;
  params.is_writable = writable_;
  params.content_hint = "RAID";
  media_ = std::make_unique<IOMedia>(context_, name_, *this, params, device_index());
  media_->set_recording(true);
  if (context_.observer)
    context_.observer->media_published(media_.get());
  return true;
}

std::size_t RaidSet::live_members() const {
  return static_cast<std::size_t>(std::count(failed_.begin(), failed_.end(), false));
}

void RaidSet::fail_member(std::size_t index) {
  if (failed_.at(index))
    return;
  failed_[index] = true;
  const std::size_t live = live_members();
  emit_event("raid_member_failed", members_[index]->name());
  if (live + 1 == members_.size())
    emit_event("raid_degraded", std::to_string(live) + " of " + std::to_string(members_.size()) + " members live");
  if (live == 0)
    emit_event("raid_failed", "no member left");
}

void RaidSet::emit_event(const char* kind, const std::string& detail) const {
  if (context_.sink == nullptr)
    return;
  EventRecord event;
  event.time = context_.engine->now();
  event.kind = kind;
  event.device = static_cast<std::int32_t>(device_index());
  event.target = name_;
  event.detail = detail;
  context_.sink->event(event);
}

void RaidSet::provider_terminated(IOMedia* member) {
  for (std::size_t i = 0; i < members_.size(); ++i)
    if (members_[i] == member) {
      opened_[i] = false;
      fail_member(i);
    }
}

std::uint64_t RaidSet::smallest_member() const {
  std::uint64_t size = members_.front()->getSize();
  for (IOMedia* m : members_)
    size = std::min(size, m->getSize());
  return size;
}

// The set's media opens the set; the members are already held open by the set itself.
bool RaidSet::open(IOService* client, IOStorageAccess /*access*/) { return client == media_.get(); }
void RaidSet::close(IOService* /*client*/) {}

void RaidSet::read(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                   IOStorageCompletion* completion) {
  transfer(Op::kRead, byteStart, buffer, attributes, completion);
}

void RaidSet::write(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                    IOStorageCompletion* completion) {
  transfer(Op::kWrite, byteStart, buffer, attributes, completion);
}

RaidSet::Piece RaidSet::make_piece(const Request& r, std::uint32_t member, std::uint64_t member_offset,
                                   std::uint64_t buffer_offset, std::uint64_t length) {
  Piece p;
  p.request = r.slot;
  p.member = member;
  p.member_offset = member_offset;
  p.buffer_offset = buffer_offset;
  p.set = this;
  if (r.buffer) {
    p.buffer = r.buffer->sub_range(buffer_offset, length);
    p.buffer.request_id = context_.ids ? context_.ids->next() : 0;
    p.buffer.parent_id = r.buffer->request_id;
  }
  return p;
}

void RaidSet::transfer(Op op, std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                       IOStorageCompletion* completion) {
  const std::uint32_t slot = requests_.acquire();
  Request& r = requests_[slot];
  r.op = op;
  r.slot = slot;
  r.buffer = buffer;
  r.completion = completion ? *completion : IOStorageCompletion{};
  if (attributes)
    r.attributes = *attributes;
  plan(r, byteStart);
  r.issuing = true;
  // The vector of pieces is complete before any is issued: their addresses do not move.
  for (Piece& piece : r.pieces)
    issue(r, piece);
  r.issuing = false;
  maybe_finish(slot);
}

void RaidSet::issue(Request& r, Piece& piece) {
  ++r.pending;
  piece.status = kIOReturnSuccess;
  piece.bytes = 0;
  if (failed_[piece.member]) {
    on_piece_done(piece, kIOReturnNoDevice, 0);
    return;
  }
  IOMedia* member = members_[piece.member];
  IOStorageCompletion done{this, &RaidSet::piece_done, &piece};
  switch (r.op) {
    case Op::kRead: member->read(piece.member_offset, &piece.buffer, &r.attributes, &done); break;
    case Op::kWrite: member->write(piece.member_offset, &piece.buffer, &r.attributes, &done); break;
    default: {
      const IOReturn status = member->synchronize(0, 0, kIOStorageSynchronizeOptionNone, &done);
      if (status != kIOReturnSuccess)
        on_piece_done(piece, status, 0);
      break;
    }
  }
}

void RaidSet::piece_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes) {
  static_cast<RaidSet*>(target)->on_piece_done(*static_cast<Piece*>(parameter), status, bytes);
}

void RaidSet::on_piece_done(Piece& piece, IOReturn status, std::uint64_t bytes) {
  Request& r = requests_[piece.request];
  --r.pending;
  piece.status = status;
  piece.bytes = bytes;
  const bool short_transfer = r.buffer && bytes < piece.buffer.length;
  if ((status != kIOReturnSuccess || short_transfer) && retry(r, piece))
    return;
  maybe_finish(piece.request);
}

void RaidSet::maybe_finish(std::uint32_t slot) {
  Request& r = requests_[slot];
  if (r.pending > 0 || r.issuing)
    return;
  IOReturn status = kIOReturnSuccess;
  std::uint64_t bytes = 0;
  outcome(r, &status, &bytes);
  const IOStorageCompletion completion = r.completion;
  r.pieces.clear();
  requests_.release(slot);
  complete(completion, status, bytes);
}

IOReturn RaidSet::synchronize(std::uint64_t, std::uint64_t, IOStorageSynchronizeOptions options,
                              IOStorageCompletion* completion) {
  if (options & kIOStorageSynchronizeOptionReserved)
    return kIOReturnBadArgument;
  if (live_members() == 0)
    return kIOReturnNoDevice;
  const std::uint32_t slot = requests_.acquire();
  Request& r = requests_[slot];
  r.op = Op::kFlush;
  r.slot = slot;
  r.completion = completion ? *completion : IOStorageCompletion{};
  // Every live member flushes its whole cache.
  for (std::uint32_t m = 0; m < members_.size(); ++m)
    if (!failed_[m])
      r.pieces.push_back(make_piece(r, m, 0, 0, 0));
  // Completed from a timer at the earliest: a success return must not complete inside the call.
  r.issuing = true;
  context_.engine->at(context_.engine->now(), [this, slot] {
    Request& req = requests_[slot];
    for (Piece& piece : req.pieces)
      issue(req, piece);
    req.issuing = false;
    maybe_finish(slot);
  });
  return kIOReturnSuccess;
}

IOReturn RaidSet::unmap(IOStorageExtent*, std::uint32_t, IOStorageUnmapOptions, IOStorageCompletion*) {
  return kIOReturnUnsupported;
}

}  // namespace blocksim
