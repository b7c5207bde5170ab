// Writes blocks onto a media object through the stack, as a partitioning tool does: it opens the
// media as its only plain writer (which tears down a partition scheme stacked on it), writes each
// piece in turn, flushes the device's cache, and closes. Closing as a writer makes the stack probe
// the media again, which finds the new table. The caller keeps the writer alive until `done` ran.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/media/io_media.hpp"
#include "sim/media/partition_table_image.hpp"
#include "sim/media/stack_context.hpp"

namespace blocksim {

class TableWriter final : public IOService {
 public:
  using Done = std::function<void(IOReturn status)>;

  TableWriter(const StackContext& context, IOMedia& media, std::vector<MediaWrite> writes);
  // `done` may run inside start() when the media cannot be opened for writing (kIOReturnNotPrivileged).
  void start(Done done);

 private:
  void write_next();
  static void write_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes);
  static void flush_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes);
  void end(IOReturn status);

  StackContext context_;
  IOMedia& media_;
  std::vector<MediaWrite> writes_;
  std::size_t next_ = 0;
  IOMemoryDescriptor descriptor_;
  Done done_;
};

}  // namespace blocksim
