// What RAID-0 and RAID-1 sets share: members (whole disks, partitions or other RAID sets, as
// media objects) that the set opens for itself, the set's own whole-disk IOMedia (named after the
// set, recording media-layer completions, probed for a partition table like any whole media), and
// requests split into pieces on members, issued together, the set's request completing when the
// last piece has. Pieces get request ids of their own whose parent is the set's request.
//
// A member fails when a scenario says so, when its media object is terminated, or (RAID-1) when
// it returns an error other than a media error; a failed member is never used again (no rebuild
// is modelled). The set leaves a trace event when a member fails ("raid_member_failed"), when
// it first goes degraded ("raid_degraded") and when no member is left ("raid_failed").
// Unmap is not offered (kIOReturnUnsupported). The set owns its media object; the members
// outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/slot_pool.hpp"
#include "sim/media/io_media.hpp"
#include "sim/media/stack_context.hpp"

namespace blocksim {

class RaidSet : public IOStorage, public IOMediaClient {
 public:
  RaidSet(const StackContext& context, std::string name, std::vector<IOMedia*> members);
  ~RaidSet() override;

  // Opens every member and publishes the set's media. False (and nothing published) when a member
  // cannot be opened or the members' block sizes differ.
  bool assemble();
  IOMedia* media() const { return media_.get(); }
  const std::string& name() const { return name_; }
  const std::vector<IOMedia*>& members() const { return members_; }
  bool member_failed(std::size_t index) const { return failed_[index]; }
  bool degraded() const { return live_members() < members_.size(); }
  std::size_t live_members() const;
  // Takes a member out of service (a scenario event, or its errors).
  virtual void fail_member(std::size_t index);

  bool open(IOService* client, IOStorageAccess access) override;
  void close(IOService* client) override;
  void read(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
            IOStorageCompletion* completion) override;
  void write(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
             IOStorageCompletion* completion) override;
  IOReturn synchronize(std::uint64_t byteStart, std::uint64_t byteCount, IOStorageSynchronizeOptions options,
                       IOStorageCompletion* completion) override;
  IOReturn unmap(IOStorageExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                 IOStorageCompletion* completion) override;
  std::uint64_t size_bytes() const override { return set_size(); }
  std::uint64_t block_size() const override { return block_size_; }
  std::uint32_t device_index() const override { return members_.front()->device_index(); }

  void provider_terminated(IOMedia* member) override;

 protected:
  struct Piece {
    std::uint32_t request = 0;
    std::uint32_t member = 0;
    std::uint64_t member_offset = 0;
    std::uint64_t buffer_offset = 0;
    IOMemoryDescriptor buffer;
    IOReturn status = kIOReturnSuccess;
    std::uint64_t bytes = 0;
    RaidSet* set = nullptr;
    std::uint64_t tried = 0;  // members that failed this piece with a media error (bit per member)
  };
  struct Request {
    Op op = Op::kRead;
    IOMemoryDescriptor* buffer = nullptr;  // the client's; null for a flush
    IOStorageAttributes attributes;
    IOStorageCompletion completion;
    std::vector<Piece> pieces;
    std::uint32_t pending = 0;
    bool issuing = false;
    std::uint32_t slot = 0;
  };

  // The set's capacity in bytes.
  virtual std::uint64_t set_size() const = 0;
  // Splits a read or write at `byteStart` into pieces (member, member offset, buffer part).
  virtual void plan(Request& r, std::uint64_t byteStart) = 0;
  // A piece failed or came back short: true if the set sent it again (a mirror's other copy).
  virtual bool retry(Request& /*r*/, Piece& /*piece*/) { return false; }
  // The set request's status and bytes once every piece is done.
  virtual void outcome(const Request& r, IOReturn* status, std::uint64_t* bytes) = 0;

  // A piece for `member`, covering [buffer_offset, + length) of the client's buffer.
  Piece make_piece(const Request& r, std::uint32_t member, std::uint64_t member_offset, std::uint64_t buffer_offset,
                   std::uint64_t length);
  void issue(Request& r, Piece& piece);
  void emit_event(const char* kind, const std::string& detail) const;
  std::uint64_t smallest_member() const;
  const StackContext& context() const { return context_; }
  std::vector<bool> failed_;

 private:
  static void piece_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes);
  void on_piece_done(Piece& piece, IOReturn status, std::uint64_t bytes);
  void transfer(Op op, std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                IOStorageCompletion* completion);
  void maybe_finish(std::uint32_t slot);

  StackContext context_;
  std::string name_;
  std::vector<IOMedia*> members_;
  std::vector<bool> opened_;
  std::uint64_t block_size_ = 0;
  bool writable_ = true;
  std::unique_ptr<IOMedia> media_;
  SlotPool<Request> requests_;
};

}  // namespace blocksim
