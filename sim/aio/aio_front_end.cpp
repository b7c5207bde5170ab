#include "sim/aio/aio_front_end.hpp"

#include <fcntl.h>

#include <cerrno>
#include <cstdio>

namespace blocksim {

// An open descriptor: a client of its storage of its own. It opens with SharedLock, as the BSD
// client that multiplexes every descriptor of a device node lets them all write.
struct AioFrontEnd::Descriptor final : IOService {
  IOStorage* storage = nullptr;
  bool readable = false;
  bool writable = false;
  std::uint64_t position = 0;
  bool open = false;
};

AioFrontEnd::AioFrontEnd(const StackContext& context, const AioLimits& limits) : context_(context), limits_(limits) {}

AioFrontEnd::~AioFrontEnd() = default;

int AioFrontEnd::fail(int error_number) {
  errno_ = error_number;
  return -1;
}

// Where `whence` counts an offset from in `d` (lseek's and aioread's argument); false for no whence.
bool AioFrontEnd::seek_base(const Descriptor& d, int whence, off_t* base) {
  switch (whence) {
    case SEEK_SET: *base = 0; return true;
    case SEEK_CUR: *base = static_cast<off_t>(d.position); return true;
    case SEEK_END: *base = static_cast<off_t>(d.storage->size_bytes()); return true;
    default: return false;
  }
}

AioFrontEnd::Descriptor* AioFrontEnd::descriptor(int fd) const {
  if (fd < 0 || static_cast<std::size_t>(fd) >= descriptors_.size() || !descriptors_[static_cast<std::size_t>(fd)]->open)
    return nullptr;
  return descriptors_[static_cast<std::size_t>(fd)].get();
}

int AioFrontEnd::open(IOStorage* storage, int oflag) {
  const int mode = oflag & O_ACCMODE;
  if (storage == nullptr || (mode != O_RDONLY && mode != O_WRONLY && mode != O_RDWR))
    return fail(EINVAL);
  auto d = std::make_unique<Descriptor>();
  d->storage = storage;
  d->readable = mode != O_WRONLY;
  d->writable = mode != O_RDONLY;
  const IOStorageAccess access =
      (d->writable ? kIOStorageAccessReaderWriter : kIOStorageAccessReader) | kIOStorageAccessSharedLock;
  if (!storage->open(d.get(), access))
    return fail(EACCES);
  d->open = true;
  descriptors_.push_back(std::move(d));
  return static_cast<int>(descriptors_.size() - 1);
}

int AioFrontEnd::close(int fd) {
  Descriptor* d = descriptor(fd);
  if (d == nullptr)
    return fail(EBADF);
  // aiocancel_all(fd): queued and running requests are cancelled, completed ones dropped.
  std::vector<const aio_result_t*> mine;
  for (const auto& [result, slot] : by_result_)
    if (requests_[slot].fd == fd)
      mine.push_back(result);
  for (const aio_result_t* result : mine) {
    const std::uint32_t slot = by_result_.at(result);
    if (requests_[slot].state == State::kDone) {
      std::erase(done_, slot);
      by_result_.erase(result);
      requests_[slot].result->aio_return = -1;
      requests_[slot].result->aio_errno = ECANCELED;
      --outstanding_;
      release(slot);
    } else {
      aiocancel(const_cast<aio_result_t*>(result));
    }
  }
  d->storage->close(d);
  d->open = false;
  return 0;
}

off_t AioFrontEnd::lseek(int fd, off_t offset, int whence) {
  Descriptor* d = descriptor(fd);
  if (d == nullptr)
    return fail(EBADF);
  off_t base = 0;
  if (!seek_base(*d, whence, &base))
    return fail(EINVAL);
  if (base + offset < 0)
    return fail(EINVAL);
  d->position = static_cast<std::uint64_t>(base + offset);
  return static_cast<off_t>(d->position);
}

int AioFrontEnd::aioread(int fd, char* bufp, int bufs, off_t offset, int whence, aio_result_t* resultp) {
  return submit(false, fd, bufp, bufs, offset, whence, resultp);
}

int AioFrontEnd::aiowrite(int fd, const char* bufp, int bufs, off_t offset, int whence, aio_result_t* resultp) {
  // The stack never writes into a write's buffer; IOMemoryDescriptor has one pointer type.
  return submit(true, fd, const_cast<char*>(bufp), bufs, offset, whence, resultp);
}

int AioFrontEnd::submit(bool write, int fd, char* bufp, int bufs, off_t offset, int whence, aio_result_t* resultp) {
  Descriptor* d = descriptor(fd);
  if (d == nullptr || (write ? !d->writable : !d->readable))
    return fail(EBADF);
  if (resultp == nullptr || (bufp == nullptr && bufs > 0))
    return fail(EFAULT);
  off_t base = 0;
  if (!seek_base(*d, whence, &base))
    return fail(EINVAL);
  if (bufs < 0 || base + offset < 0)
    return fail(EINVAL);
  if (outstanding_ >= limits_.max_outstanding)
    return fail(EAGAIN);
  if (bytes_in_flight_ + static_cast<std::uint64_t>(bufs) > limits_.memory)
    return fail(ENOMEM);
  if (by_result_.count(resultp))
    return fail(EINVAL);

  resultp->aio_return = AIO_INPROGRESS;
  resultp->aio_errno = 0;
  const std::uint32_t slot = requests_.acquire();
  Request& r = requests_[slot];
  r.slot = slot;
  r.result = resultp;
  r.fd = fd;
  r.offset = static_cast<std::uint64_t>(base + offset);
  r.buffer.direction = write ? IODirection::kOut : IODirection::kIn;
  r.buffer.length = static_cast<std::uint64_t>(bufs);
  r.buffer.bytes = reinterpret_cast<std::uint8_t*>(bufp);
  r.buffer.request_id = context_.ids ? context_.ids->next() : 0;
  r.buffer.segment_bytes = 4096;  // user memory: page-sized pieces, taken to be page aligned
  r.submit = context_.engine->now();
  r.queue_depth = static_cast<std::uint32_t>(outstanding_);
  by_result_[resultp] = slot;
  ++outstanding_;
  bytes_in_flight_ += r.buffer.length;
  queue_.push_back(slot);
  pump();
  return 0;
}

// Hands queued requests to free workers. Completions may come back inside dispatch (a media
// object refusing a request), so this loops rather than recursing.
void AioFrontEnd::pump() {
  if (pumping_)
    return;
  pumping_ = true;
  while (!queue_.empty() && busy_workers_ < limits_.workers) {
    const std::uint32_t slot = queue_.front();
    queue_.pop_front();
    dispatch(slot);
  }
  pumping_ = false;
}

void AioFrontEnd::dispatch(std::uint32_t slot) {
  Request& r = requests_[slot];
  ++busy_workers_;
  r.state = State::kInProgress;
  r.dispatch = context_.engine->now();
  IOStorage* storage = descriptors_[static_cast<std::size_t>(r.fd)]->storage;
  IOStorageCompletion done{this, &AioFrontEnd::io_done, &r};
  if (r.buffer.direction == IODirection::kOut)
    storage->write(r.offset, &r.buffer, nullptr, &done);
  else
    storage->read(r.offset, &r.buffer, nullptr, &done);
}

void AioFrontEnd::io_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes) {
  static_cast<AioFrontEnd*>(target)->on_io_done(static_cast<Request*>(parameter)->slot, status, bytes);
}

void AioFrontEnd::on_io_done(std::uint32_t slot, IOReturn status, std::uint64_t bytes) {
  Request& r = requests_[slot];
  --busy_workers_;
  if (r.state == State::kCancelled) {
    // Cancelled while running: its result was set then; it never reaches the done list.
    record(r, kIOReturnAborted, bytes);
    --outstanding_;
    release(slot);
  } else {
    record(r, status, bytes);
    r.result->aio_return = status == kIOReturnSuccess ? static_cast<ssize_t>(bytes) : -1;
    r.result->aio_errno = status == kIOReturnSuccess ? 0 : errno_from_return(status);
    r.state = State::kDone;
    done_.push_back(slot);
  }
  if (waiter_ && !done_.empty())
    wake_waiter(reap_front());
  else if (waiter_ && outstanding_ == 0)
    wake_waiter(AIO_FAILED);  // [sim] the last outstanding request was a cancelled one
  pump();
}

aio_result_t* AioFrontEnd::reap_front() {
  const std::uint32_t slot = done_.front();
  done_.pop_front();
  aio_result_t* result = requests_[slot].result;
  by_result_.erase(result);
  --outstanding_;
  release(slot);
  return result;
}

void AioFrontEnd::wake_waiter(aio_result_t* result) {
  Waiter waiter = std::move(waiter_);
  waiter_ = nullptr;
  ++wait_generation_;
  if (result == AIO_FAILED)
    errno_ = EINVAL;
  waiter(result);
}

aio_result_t* AioFrontEnd::aiowait(const struct timeval* timeout, Waiter waiter) {
  if (timeout && (timeout->tv_sec < 0 || timeout->tv_usec < 0 || timeout->tv_usec >= 1000000)) {
    errno_ = EINVAL;
    return AIO_FAILED;
  }
  if (!done_.empty())
    return reap_front();
  if (outstanding_ == 0 || waiter_) {
    errno_ = EINVAL;  // nothing outstanding ([sim] or another wait already pending)
    return AIO_FAILED;
  }
  if (timeout && timeout->tv_sec == 0 && timeout->tv_usec == 0)
    return nullptr;  // a poll
  if (!waiter)
    return nullptr;  // [sim] a caller that cannot wait is answered as a poll
  waiter_ = std::move(waiter);
  const std::uint64_t generation = ++wait_generation_;
  if (timeout) {
    const SimTime delay = static_cast<SimTime>(timeout->tv_sec) * kSecond + timeout->tv_usec * kMicrosecond;
    context_.engine->after(delay, [this, generation] {
      if (generation == wait_generation_ && waiter_)
        wake_waiter(nullptr);
    });
  }
  return AIO_WAIT_PENDING;
}

int AioFrontEnd::aiocancel(aio_result_t* resultp) {
  auto it = by_result_.find(resultp);
  if (it == by_result_.end())
    return fail(outstanding_ == done_.size() ? EINVAL : EACCES);
  const std::uint32_t slot = it->second;
  Request& r = requests_[slot];
  if (r.state == State::kDone)  // finished: not cancelled
    return fail(outstanding_ == done_.size() ? EINVAL : EACCES);
  by_result_.erase(it);
  resultp->aio_return = -1;
  resultp->aio_errno = ECANCELED;
  if (r.state == State::kQueued) {
    std::erase(queue_, slot);
    record(r, kIOReturnAborted, 0);
    --outstanding_;
    release(slot);
  } else {
    r.state = State::kCancelled;  // the worker is interrupted; the I/O below finishes on its own
  }
  return 0;
}

void AioFrontEnd::record(const Request& r, IOReturn status, std::uint64_t bytes) const {
  if (context_.sink == nullptr)
    return;
  IOStorage* storage = descriptors_[static_cast<std::size_t>(r.fd)]->storage;
  const std::uint64_t bs = storage->block_size() ? storage->block_size() : 1;
  CompletionRecord c;
  c.request_id = r.buffer.request_id;
  c.device = storage->device_index();
  c.op = r.buffer.direction == IODirection::kOut ? Op::kWrite : Op::kRead;
  c.layer = Layer::kAio;
  c.lba = r.offset / bs;
  c.blocks = r.buffer.length ? (r.offset + r.buffer.length + bs - 1) / bs - c.lba : 0;
  c.bytes = bytes;
  c.submit = r.submit;
  c.dispatch = r.state == State::kQueued ? r.submit : r.dispatch;
  c.complete = context_.engine->now();
  c.status = status;
  c.queue_depth = r.queue_depth;
  context_.sink->record(c);
}

void AioFrontEnd::release(std::uint32_t slot) {
  bytes_in_flight_ -= requests_[slot].buffer.length;
  requests_.release(slot);
}

}  // namespace blocksim
