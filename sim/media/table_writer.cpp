#include "sim/media/table_writer.hpp"

namespace blocksim {

TableWriter::TableWriter(const StackContext& context, IOMedia& media, std::vector<MediaWrite> writes)
    : context_(context), media_(media), writes_(std::move(writes)) {}

void TableWriter::start(Done done) {
  done_ = std::move(done);
  if (!media_.open(this, kIOStorageAccessReaderWriter)) {
    if (auto d = std::move(done_))
      d(kIOReturnNotPrivileged);
    return;
  }
  write_next();
}

void TableWriter::write_next() {
  if (next_ == writes_.size()) {
    IOStorageCompletion completion{this, &TableWriter::flush_done, nullptr};
    const IOReturn status = media_.synchronize(0, 0, kIOStorageSynchronizeOptionNone, &completion);
    if (status != kIOReturnSuccess)
      end(status);
    return;
  }
  MediaWrite& w = writes_[next_++];
  descriptor_ = IOMemoryDescriptor{};
  descriptor_.direction = IODirection::kOut;
  descriptor_.length = w.bytes.size();
  descriptor_.bytes = w.bytes.data();
  descriptor_.request_id = context_.ids ? context_.ids->next() : 0;
  IOStorageCompletion completion{this, &TableWriter::write_done, nullptr};
  media_.write(w.offset, &descriptor_, nullptr, &completion);
}

void TableWriter::write_done(void* target, void*, IOReturn status, std::uint64_t) {
  auto* self = static_cast<TableWriter*>(target);
  if (status != kIOReturnSuccess) {
    self->end(status);
    return;
  }
  self->write_next();
}

void TableWriter::flush_done(void* target, void*, IOReturn status, std::uint64_t) {
  static_cast<TableWriter*>(target)->end(status);
}

void TableWriter::end(IOReturn status) {
  media_.close(this);
  if (auto d = std::move(done_))
    d(status);
}

}  // namespace blocksim
