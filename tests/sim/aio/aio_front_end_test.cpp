// The Solaris aio calls against driver-api.md §2.1 (and illumos's aio.c): AIO_INPROGRESS, results
// and errno mapped from IOReturn, aiowait's timeout in simulated time and its poll, aiocancel of
// queued, running and completed requests, and each submission error: EAGAIN at the limit, EBADF,
// EINVAL, EFAULT, ENOMEM.
#include <gtest/gtest.h>

#include <fcntl.h>

#include "sim/aio/aio_front_end.hpp"
#include "tests/support/scripted_device.hpp"
#include "tests/support/stack_harness.hpp"

namespace blocksim {
namespace {

using testing::StackHarness;

class AioTest : public ::testing::Test {
 protected:
  void build(AioLimits limits = {}, const std::string& media = "") {
    device_ = h_.make_device(R"(capacity: "1MiB" block_size: "512" carry_data: true )" + media +
                             R"( reference { queue_depth: 32 media_servers: 32 service { fixed: "100us" } })");
    driver_ = h_.make_driver(*device_);
    aio_ = std::make_unique<AioFrontEnd>(h_.context(), limits);
  }
  // aiowait that records what the waiter got and when.
  aio_result_t* wait(const timeval* timeout) {
    waited_ = AIO_WAIT_PENDING;
    aio_result_t* r = aio_->aiowait(timeout, [this](aio_result_t* got) {
      waited_ = got;
      woke_at_ = h_.engine.now();
    });
    return r;
  }

  StackHarness h_;
  std::unique_ptr<IOBlockStorageDevice> device_;
  std::unique_ptr<IOBlockStorageDriver> driver_;
  std::unique_ptr<AioFrontEnd> aio_;
  aio_result_t* waited_ = nullptr;
  SimTime woke_at_ = -1;
  char buffer_[8][4096] = {};
};

TEST_F(AioTest, ARequestIsInProgressUntilAiowaitHandsItBack) {
  build();
  const int fd = aio_->open(driver_->media(), O_RDWR);
  ASSERT_GE(fd, 0);
  aio_result_t result;
  ASSERT_EQ(aio_->aioread(fd, buffer_[0], 4096, 8192, SEEK_SET, &result), 0);
  EXPECT_EQ(result.aio_return, AIO_INPROGRESS);
  EXPECT_EQ(wait(nullptr), AIO_WAIT_PENDING);
  h_.engine.run();
  EXPECT_EQ(waited_, &result);
  EXPECT_EQ(result.aio_return, 4096);
  EXPECT_EQ(result.aio_errno, 0);
}

TEST_F(AioTest, AiowaitTimesOutInSimulatedTime) {
  build();
  const int fd = aio_->open(driver_->media(), O_RDONLY);
  aio_result_t result;
  ASSERT_EQ(aio_->aioread(fd, buffer_[0], 512, 0, SEEK_SET, &result), 0);
  const timeval thirty_us{0, 30};
  const SimTime start = h_.engine.now();
  EXPECT_EQ(wait(&thirty_us), AIO_WAIT_PENDING);
  h_.engine.run_until(start + 50 * kMicrosecond);
  EXPECT_EQ(waited_, nullptr);  // NULL: the time ran out
  EXPECT_EQ(woke_at_, start + 30 * kMicrosecond);
  EXPECT_EQ(result.aio_return, AIO_INPROGRESS);
  EXPECT_EQ(wait(nullptr), AIO_WAIT_PENDING);  // now without a limit
  h_.engine.run();
  EXPECT_EQ(waited_, &result);
  EXPECT_GE(woke_at_, start + 100 * kMicrosecond);
}

TEST_F(AioTest, APollReturnsAtOnce) {
  build();
  const int fd = aio_->open(driver_->media(), O_RDONLY);
  aio_result_t result;
  ASSERT_EQ(aio_->aioread(fd, buffer_[0], 512, 0, SEEK_SET, &result), 0);
  const timeval poll{0, 0};
  EXPECT_EQ(aio_->aiowait(&poll), nullptr);
  h_.engine.run();
  EXPECT_EQ(aio_->aiowait(&poll), &result);
}

TEST_F(AioTest, AiowaitWithNothingOutstandingOrABadTimevalIsEinval) {
  build();
  EXPECT_EQ(aio_->aiowait(nullptr, [](aio_result_t*) {}), AIO_FAILED);
  EXPECT_EQ(aio_->error(), EINVAL);
  const int fd = aio_->open(driver_->media(), O_RDONLY);
  aio_result_t result;
  ASSERT_EQ(aio_->aioread(fd, buffer_[0], 512, 0, SEEK_SET, &result), 0);
  for (const timeval bad : {timeval{0, 1000000}, timeval{-1, 0}, timeval{0, -5}}) {
    EXPECT_EQ(aio_->aiowait(&bad, [](aio_result_t*) {}), AIO_FAILED);
    EXPECT_EQ(aio_->error(), EINVAL);
  }
}

TEST_F(AioTest, EagainAtTheOutstandingLimit) {
  AioLimits limits;
  limits.max_outstanding = 2;
  build(limits);
  const int fd = aio_->open(driver_->media(), O_RDONLY);
  aio_result_t r[3];
  ASSERT_EQ(aio_->aioread(fd, buffer_[0], 512, 0, SEEK_SET, &r[0]), 0);
  ASSERT_EQ(aio_->aioread(fd, buffer_[1], 512, 512, SEEK_SET, &r[1]), 0);
  EXPECT_EQ(aio_->aioread(fd, buffer_[2], 512, 1024, SEEK_SET, &r[2]), -1);
  EXPECT_EQ(aio_->error(), EAGAIN);
  h_.engine.run();
  // Completed but not yet reaped still counts as outstanding; reaping frees a place.
  EXPECT_EQ(aio_->aioread(fd, buffer_[2], 512, 1024, SEEK_SET, &r[2]), -1);
  ASSERT_NE(aio_->aiowait(nullptr), AIO_FAILED);
  EXPECT_EQ(aio_->aioread(fd, buffer_[2], 512, 1024, SEEK_SET, &r[2]), 0);
}

TEST_F(AioTest, EbadfForBadDescriptorsAndTheWrongDirection) {
  build();
  aio_result_t r;
  EXPECT_EQ(aio_->aioread(7, buffer_[0], 512, 0, SEEK_SET, &r), -1);
  EXPECT_EQ(aio_->error(), EBADF);
  const int reader = aio_->open(driver_->media(), O_RDONLY);
  const int writer = aio_->open(driver_->media(), O_WRONLY);
  EXPECT_EQ(aio_->aiowrite(reader, buffer_[0], 512, 0, SEEK_SET, &r), -1);
  EXPECT_EQ(aio_->error(), EBADF);
  EXPECT_EQ(aio_->aioread(writer, buffer_[0], 512, 0, SEEK_SET, &r), -1);
  EXPECT_EQ(aio_->error(), EBADF);
  EXPECT_EQ(aio_->close(reader), 0);
  EXPECT_EQ(aio_->aioread(reader, buffer_[0], 512, 0, SEEK_SET, &r), -1);
  EXPECT_EQ(aio_->error(), EBADF);
}

TEST_F(AioTest, EinvalForARecordInUseABadWhenceOrANegativeOffset) {
  build();
  const int fd = aio_->open(driver_->media(), O_RDWR);
  aio_result_t r, other;
  ASSERT_EQ(aio_->aioread(fd, buffer_[0], 512, 0, SEEK_SET, &r), 0);
  EXPECT_EQ(aio_->aioread(fd, buffer_[1], 512, 512, SEEK_SET, &r), -1);  // r still belongs to a request
  EXPECT_EQ(aio_->error(), EINVAL);
  EXPECT_EQ(aio_->aioread(fd, buffer_[1], 512, 0, 7, &other), -1);
  EXPECT_EQ(aio_->error(), EINVAL);
  EXPECT_EQ(aio_->aioread(fd, buffer_[1], 512, -512, SEEK_CUR, &other), -1);
  EXPECT_EQ(aio_->error(), EINVAL);
  EXPECT_EQ(aio_->aioread(fd, nullptr, 512, 0, SEEK_SET, &other), -1);
  EXPECT_EQ(aio_->error(), EFAULT);
  // SEEK_END counts from the size; the descriptor's position does not move.
  ASSERT_EQ(aio_->aiowrite(fd, buffer_[1], 512, -512, SEEK_END, &other), 0);
  EXPECT_EQ(aio_->lseek(fd, 0, SEEK_CUR), 0);
  h_.engine.run();
  EXPECT_EQ(other.aio_return, 512);
}

TEST_F(AioTest, EnomemWhenTheLibrarysMemoryIsUsedUp) {
  AioLimits limits;
  limits.memory = 4096;
  build(limits);
  const int fd = aio_->open(driver_->media(), O_RDONLY);
  aio_result_t a, b;
  ASSERT_EQ(aio_->aioread(fd, buffer_[0], 4096, 0, SEEK_SET, &a), 0);
  EXPECT_EQ(aio_->aioread(fd, buffer_[1], 512, 0, SEEK_SET, &b), -1);
  EXPECT_EQ(aio_->error(), ENOMEM);
}

TEST_F(AioTest, CancellingQueuedRunningAndCompletedRequests) {
  AioLimits limits;
  limits.workers = 1;  // the second and third requests wait in the library's queue
  build(limits);
  const int fd = aio_->open(driver_->media(), O_RDONLY);
  aio_result_t r[4];
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(aio_->aioread(fd, buffer_[i], 512, 512 * i, SEEK_SET, &r[i]), 0);
  EXPECT_EQ(aio_->in_progress(), 1u);
  // Queued: cancelled, -1 / ECANCELED at once.
  EXPECT_EQ(aio_->aiocancel(&r[2]), 0);
  EXPECT_EQ(r[2].aio_return, -1);
  EXPECT_EQ(r[2].aio_errno, ECANCELED);
  // Running: cancelled too; the I/O below finishes on its own and is never handed out.
  EXPECT_EQ(aio_->aiocancel(&r[0]), 0);
  EXPECT_EQ(r[0].aio_errno, ECANCELED);
  // Not a request at all, while one is outstanding: EACCES.
  EXPECT_EQ(aio_->aiocancel(&r[3]), -1);
  EXPECT_EQ(aio_->error(), EACCES);
  h_.engine.run();
  EXPECT_EQ(r[1].aio_return, 512);
  // Completed (not reaped) and nothing else pending: EINVAL.
  EXPECT_EQ(aio_->aiocancel(&r[1]), -1);
  EXPECT_EQ(aio_->error(), EINVAL);
  EXPECT_EQ(aio_->aiowait(nullptr), &r[1]);  // the only one aiowait ever returns
  EXPECT_EQ(aio_->aiowait(nullptr, [](aio_result_t*) {}), AIO_FAILED);
  EXPECT_EQ(r[0].aio_return, -1);  // the cancelled result stayed as aiocancel set it
  int device_reads = 0;
  for (const auto& rec : h_.sink.records)
    device_reads += rec.layer == Layer::kDevice;
  EXPECT_EQ(device_reads, 2);  // the queued one never reached the device
}

TEST_F(AioTest, ACompletedRequestCannotBeCancelledWhileOthersRun) {
  build();
  const int fd = aio_->open(driver_->media(), O_RDONLY);
  aio_result_t quick, slow;
  ASSERT_EQ(aio_->aioread(fd, buffer_[0], 512, 0, SEEK_SET, &quick), 0);
  h_.engine.run();
  ASSERT_EQ(aio_->aioread(fd, buffer_[1], 512, 0, SEEK_SET, &slow), 0);
  EXPECT_EQ(aio_->aiocancel(&quick), -1);
  EXPECT_EQ(aio_->error(), EACCES);
}

TEST_F(AioTest, ErrnoComesFromTheIOReturn) {
  build();
  const int fd = aio_->open(driver_->media(), O_RDWR);
  aio_result_t past_end;
  // Past the end of the media: IOMedia's kIOReturnBadArgument, EINVAL.
  ASSERT_EQ(aio_->aioread(fd, buffer_[0], 1024, (1 << 20) - 512, SEEK_SET, &past_end), 0);
  EXPECT_EQ(aio_->aiowait(nullptr), &past_end);
  EXPECT_EQ(past_end.aio_return, -1);
  EXPECT_EQ(past_end.aio_errno, EINVAL);
}

TEST(AioErrno, UnderrunIsEioAndMissingMediaIsEnxio) {
  StackHarness h;
  testing::ScriptedDevice device(h.engine, 512, 2048);
  device.removable = true;
  auto driver = h.make_driver(device);
  AioFrontEnd aio(h.context(), AioLimits{});
  const int fd = aio.open(driver->media(), O_RDONLY);
  char buffer[1024];
  aio_result_t shortread, gone;
  device.answers.push_back({kIOReturnSuccess, kIOReturnSuccess, 512, 1000});
  ASSERT_EQ(aio.aioread(fd, buffer, 1024, 0, SEEK_SET, &shortread), 0);
  h.engine.run();
  EXPECT_EQ(aio.aiowait(nullptr), &shortread);
  EXPECT_EQ(shortread.aio_errno, EIO);  // kIOReturnUnderrun
  device.set_media_present(false);
  ASSERT_EQ(aio.aioread(fd, buffer, 512, 0, SEEK_SET, &gone), 0);
  EXPECT_EQ(aio.aiowait(nullptr), &gone);
  EXPECT_EQ(gone.aio_errno, ENXIO);  // kIOReturnNoMedia from the terminated media object
}

TEST_F(AioTest, OpeningWriteProtectedMediaForWritingIsRefused) {
  build({}, "media { write_protected: true }");
  EXPECT_EQ(aio_->open(driver_->media(), O_RDWR), -1);
  EXPECT_EQ(aio_->error(), EACCES);
  EXPECT_GE(aio_->open(driver_->media(), O_RDONLY), 0);
}

TEST_F(AioTest, UnalignedWritesAndReadsCarryTheirBytes) {
  build();
  const int fd = aio_->open(driver_->media(), O_RDWR);
  for (int i = 0; i < 1000; ++i)
    buffer_[0][i] = static_cast<char>(i * 13);
  aio_result_t w, r;
  ASSERT_EQ(aio_->aiowrite(fd, buffer_[0], 1000, 777, SEEK_SET, &w), 0);
  EXPECT_EQ(aio_->aiowait(nullptr, [](aio_result_t*) {}), AIO_WAIT_PENDING);
  h_.engine.run();
  EXPECT_EQ(w.aio_return, 1000);
  ASSERT_EQ(aio_->aioread(fd, buffer_[1], 1000, 777, SEEK_SET, &r), 0);
  h_.engine.run();
  EXPECT_EQ(aio_->aiowait(nullptr), &r);
  EXPECT_EQ(std::string(buffer_[1], 1000), std::string(buffer_[0], 1000));
}

}  // namespace
}  // namespace blocksim
