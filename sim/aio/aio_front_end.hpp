// The Solaris / illumos asynchronous I/O calls (driver-api.md §2.1) over the stack's media:
// aioread / aiowrite on descriptors opened on a device, a partition or a RAID set, aiowait with a
// timeout in simulated time, aiocancel; aio_result_t and AIO_INPROGRESS; errors as illumos's
// user-level library gives them:
//   aioread / aiowrite   EBADF  bad descriptor, or not open for the direction
//                        EFAULT no buffer or no result record
//                        EINVAL whence not SEEK_SET / SEEK_CUR / SEEK_END, a negative offset or
//                               size, or a result record still in use by an outstanding request
//                        EAGAIN max_outstanding requests outstanding
//                        ENOMEM [sim] the library's buffer memory (`memory` bytes in flight) is used up
//   aiowait              NULL when the timeout expires (or a poll finds nothing done);
//                        (aio_result_t*)-1 with EINVAL when nothing is outstanding or the
//                        timeval is bad
//   aiocancel            0: cancelled (its result is -1 / ECANCELED at once; it is never returned
//                        by aiowait); -1 with EACCES when the record is not an outstanding
//                        request (or has completed) while others are, EINVAL when none is
// A finished request's result has aio_return = bytes, or -1 with aio_errno = the errno of its
// IOReturn (errno_from_return, §1.1). Requests run on `workers` threads of the library (illumos
// starts 4); more wait in its queue, where they can still be cancelled. Completed requests are
// handed out by aiowait in completion order. "Outstanding" means submitted and not yet returned
// by aiowait (nor cancelled), as illumos counts it.
//
// The simulation does not block: an aiowait that would block returns AIO_WAIT_PENDING and hands
// its result to the waiter later. errno is the front end's own (error()). Buffers are taken to be
// page aligned. Every request is recorded at the aio layer (a cancelled one with kIOReturnAborted).
// The caller owns the buffers and result records and keeps them until the request is reaped.
#pragma once

#include <sys/time.h>
#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "sim/core/slot_pool.hpp"
#include "sim/media/io_storage.hpp"
#include "sim/media/stack_context.hpp"

namespace blocksim {

struct aio_result_t {
  ssize_t aio_return = 0;
  int aio_errno = 0;
};

inline constexpr ssize_t AIO_INPROGRESS = -2;
inline aio_result_t* const AIO_FAILED = reinterpret_cast<aio_result_t*>(-1);
inline aio_result_t aio_wait_pending_marker;
// What aiowait returns in the simulation when the real call would block.
inline aio_result_t* const AIO_WAIT_PENDING = &aio_wait_pending_marker;

struct AioLimits {
  std::uint32_t max_outstanding = 256;
  std::uint32_t workers = 4;
  std::uint64_t memory = std::uint64_t{64} << 20;
};

class AioFrontEnd {
 public:
  using Waiter = std::function<void(aio_result_t* result)>;

  AioFrontEnd(const StackContext& context, const AioLimits& limits);
  ~AioFrontEnd();

  // A descriptor on `storage` (O_RDONLY, O_WRONLY or O_RDWR); -1 with EACCES when the storage
  // refuses the open (EINVAL for a bad flag).
  int open(IOStorage* storage, int oflag);
  // Cancels the descriptor's requests first (aiocancel_all), then closes it.
  int close(int fd);
  // Moves the descriptor's position (aio never does).
  off_t lseek(int fd, off_t offset, int whence);

  int aioread(int fd, char* bufp, int bufs, off_t offset, int whence, aio_result_t* resultp);
  int aiowrite(int fd, const char* bufp, int bufs, off_t offset, int whence, aio_result_t* resultp);
  aio_result_t* aiowait(const struct timeval* timeout, Waiter waiter = {});
  int aiocancel(aio_result_t* resultp);

  int error() const { return errno_; }
  std::size_t outstanding() const { return outstanding_; }
  std::size_t in_progress() const { return busy_workers_; }
  std::size_t done_waiting() const { return done_.size(); }

 private:
  struct Descriptor;
  enum class State : std::uint8_t { kQueued, kInProgress, kDone, kCancelled };
  struct Request {
    aio_result_t* result = nullptr;
    int fd = -1;
    State state = State::kQueued;
    IOMemoryDescriptor buffer;
    std::uint64_t offset = 0;
    SimTime submit = 0;
    SimTime dispatch = 0;
    std::uint32_t queue_depth = 0;
    std::uint32_t slot = 0;
  };

  int submit(bool write, int fd, char* bufp, int bufs, off_t offset, int whence, aio_result_t* resultp);
  int fail(int error_number);
  void pump();
  void dispatch(std::uint32_t slot);
  static void io_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes);
  void on_io_done(std::uint32_t slot, IOReturn status, std::uint64_t bytes);
  aio_result_t* reap_front();
  void wake_waiter(aio_result_t* result);
  void record(const Request& r, IOReturn status, std::uint64_t bytes) const;
  void release(std::uint32_t slot);
  Descriptor* descriptor(int fd) const;
  static bool seek_base(const Descriptor& d, int whence, off_t* base);

  StackContext context_;
  AioLimits limits_;
  int errno_ = 0;
  std::vector<std::unique_ptr<Descriptor>> descriptors_;
  SlotPool<Request> requests_;
  std::unordered_map<const aio_result_t*, std::uint32_t> by_result_;  // outstanding, by record
  std::deque<std::uint32_t> queue_;  // waiting for a worker
  std::deque<std::uint32_t> done_;   // completed, not yet reaped
  std::size_t outstanding_ = 0;
  std::uint32_t busy_workers_ = 0;
  std::uint64_t bytes_in_flight_ = 0;
  bool pumping_ = false;
  Waiter waiter_;
  std::uint64_t wait_generation_ = 0;
};

}  // namespace blocksim
