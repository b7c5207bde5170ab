// The DriverKit kernel shim against driver-api.md §6.3, with a dext the test drives by hand:
// StartDev's checks, request ids 0..N-1 and waiting when N are in flight, validation of
// CompleteIO (unknown ids, finished ids, more bytes than asked), errors the dext returns, the
// single-segment rule, termination, synchronize without options, unmap in chunks, eject, the
// fixed answers and the revision-string quirk.
#include <gtest/gtest.h>

#include <cstring>
#include <deque>

#include "sim/device/user_block_storage_shim.hpp"
#include "tests/support/stack_harness.hpp"

namespace blocksim {
namespace {

class HandDrivenDext final : public IOUserBlockStorageDevice {
 public:
  struct Call {
    std::string what;
    std::uint32_t id = 0;
    std::uint64_t lba = 0;
    std::uint64_t blocks = 0;
    std::uint64_t size = 0;
    std::uint64_t dma = 0;
    IOUserStorageOptions options = 0;
    std::vector<BlockRange> ranges;
  };
  DeviceParams params{1024, 512, 4096, 2, 2, 4, 64, true, true};
  kern_return_t next_return = kIOReturnSuccess;
  bool complete_inside = false;  // finish every read/write from inside DoAsyncReadWrite
  std::vector<Call> calls;

  kern_return_t GetDeviceParams(DeviceParams* p) override {
    *p = params;
    return kIOReturnSuccess;
  }
  kern_return_t DoAsyncReadWrite(bool isRead, std::uint32_t id, std::uint64_t dma, std::uint64_t size,
                                 std::uint64_t lba, std::uint64_t blocks, IOUserStorageOptions options) override {
    calls.push_back({isRead ? "read" : "write", id, lba, blocks, size, dma, options, {}});
    if (next_return != kIOReturnSuccess)
      return next_return;
    if (complete_inside)
      CompleteIO(id, size, kIOReturnSuccess);
    return kIOReturnSuccess;
  }
  kern_return_t DoAsyncSynchronize(std::uint32_t id, std::uint64_t lba, std::uint64_t blocks) override {
    calls.push_back({"sync", id, lba, blocks, 0, 0, 0, {}});
    return next_return;
  }
  kern_return_t DoAsyncUnmapPriv(std::uint32_t id, const BlockRange* ranges, std::uint32_t n) override {
    calls.push_back({"unmap", id, 0, 0, 0, 0, 0, std::vector<BlockRange>(ranges, ranges + n)});
    return next_return;
  }
  kern_return_t DoAsyncEjectMedia(std::uint32_t id) override {
    calls.push_back({"eject", id, 0, 0, 0, 0, 0, {}});
    return next_return;
  }
  kern_return_t GetVendorString(DeviceString* s) override { return put("Vendor", s); }
  kern_return_t GetProductString(DeviceString* s) override { return put("Product", s); }
  kern_return_t GetRevisionString(DeviceString* s) override { return put("Revision", s); }
  kern_return_t GetAdditionalInfoString(DeviceString* s) override { return put("Info", s); }
  kern_return_t ReportEjectability(bool* b) override { return set(b, true); }
  kern_return_t ReportRemovability(bool* b) override { return set(b, true); }
  kern_return_t ReportWriteProtection(bool* b) override { return set(b, false); }
  std::uint8_t* memory(std::uint64_t dma, std::uint64_t size) const { return dma_memory(dma, size); }

 private:
  static kern_return_t put(const char* text, DeviceString* s) {
    std::strncpy(s->data, text, kMaxDeviceStringLength - 1);
    return kIOReturnSuccess;
  }
  static kern_return_t set(bool* b, bool value) {
    *b = value;
    return kIOReturnSuccess;
  }
};

class ShimTest : public ::testing::Test {
 protected:
  void start() {
    auto dext = std::make_unique<HandDrivenDext>();
    dext_ = dext.get();
    configure(*dext_);
    shim_ = std::make_unique<UserBlockStorageShim>(h_.engine, std::move(dext), &h_.sink, 0);
  }
  virtual void configure(HandDrivenDext&) {}
  // A read or write straight to the shim; the IOKit return code, the completion in `io`.
  IOReturn submit(testing::Io& io, IODirection direction, std::uint64_t block, std::uint64_t nblks,
                  IOStorageOptions options = 0) {
    io.bytes.assign(nblks * 512, 0);
    io.buffer = IOMemoryDescriptor{direction, nblks * 512, io.bytes.data(), h_.ids.next()};
    io.attributes.options = options;
    io.result.engine = &h_.engine;
    IOStorageCompletion done = io.completion();
    io.result.submitting = true;
    const IOReturn status = shim_->doAsyncReadWrite(&io.buffer, block, nblks, &io.attributes, &done);
    io.result.submitting = false;
    return status;
  }
  testing::StackHarness h_;
  HandDrivenDext* dext_ = nullptr;
  std::unique_ptr<UserBlockStorageShim> shim_;
  std::deque<testing::Io> ios_;
  testing::Io& io() { return ios_.emplace_back(); }
};

TEST_F(ShimTest, StartRefusesAZeroBlockSizeOrZeroOutstandingRequests) {
  start();
  dext_->params.blockSize = 0;
  EXPECT_EQ(shim_->start(), kIOReturnError);
  dext_->params.blockSize = 512;
  dext_->params.numOfOutstandingIOs = 0;
  EXPECT_EQ(shim_->start(), kIOReturnError);
  auto& r = io();
  EXPECT_EQ(submit(r, IODirection::kIn, 0, 1), kIOReturnNoDevice);  // never started: inactive
  dext_->params.numOfOutstandingIOs = 2;
  EXPECT_EQ(shim_->start(), kIOReturnSuccess);
}

TEST_F(ShimTest, IdsAreZeroToNMinusOneAndTheNextSubmissionWaits) {
  start();
  ASSERT_EQ(shim_->start(), kIOReturnSuccess);
  auto& a = io();
  auto& b = io();
  auto& c = io();
  EXPECT_EQ(submit(a, IODirection::kIn, 0, 1), kIOReturnSuccess);
  EXPECT_EQ(submit(b, IODirection::kIn, 1, 1), kIOReturnSuccess);
  EXPECT_EQ(submit(c, IODirection::kIn, 2, 1), kIOReturnSuccess);  // blocks: not an error
  ASSERT_EQ(dext_->calls.size(), 2u);
  EXPECT_EQ(dext_->calls[0].id, 0u);
  EXPECT_EQ(dext_->calls[1].id, 1u);
  EXPECT_EQ(shim_->blocked(), 1u);
  dext_->CompleteIO(1, 512, kIOReturnSuccess);
  h_.engine.run();
  EXPECT_EQ(b.result.status, kIOReturnSuccess);
  ASSERT_EQ(dext_->calls.size(), 3u);
  EXPECT_EQ(dext_->calls[2].id, 1u);  // the waiting request got the freed record
  EXPECT_EQ(dext_->calls[2].lba, 2u);
  dext_->CompleteIO(0, 512, kIOReturnSuccess);
  dext_->CompleteIO(1, 512, kIOReturnSuccess);
  h_.engine.run();
  for (auto* r : {&a, &b, &c})
    EXPECT_EQ(r->result.calls, 1);
}

TEST_F(ShimTest, CompleteIOIsValidated) {
  start();
  ASSERT_EQ(shim_->start(), kIOReturnSuccess);
  auto& a = io();
  ASSERT_EQ(submit(a, IODirection::kIn, 0, 1), kIOReturnSuccess);
  dext_->CompleteIO(7, 512, kIOReturnSuccess);  // an id out of range: ignored
  EXPECT_EQ(a.result.calls, 0);
  dext_->CompleteIO(0, 1024, kIOReturnSuccess);  // more bytes than asked
  EXPECT_EQ(a.result.status, kIOReturnIOError);
  EXPECT_EQ(a.result.bytes, 0u);
  dext_->CompleteIO(0, 512, kIOReturnSuccess);  // already finished: ignored
  EXPECT_EQ(a.result.calls, 1);
  EXPECT_EQ(errno_from_return(kIOReturnIOError), EIO);
}

TEST_F(ShimTest, ADextErrorIsReturnedAndFreesTheRecord) {
  start();
  ASSERT_EQ(shim_->start(), kIOReturnSuccess);
  dext_->next_return = kIOReturnNotReady;
  auto& a = io();
  EXPECT_EQ(submit(a, IODirection::kIn, 0, 1), kIOReturnNotReady);
  EXPECT_EQ(shim_->records_in_use(), 0u);
  EXPECT_EQ(a.result.calls, 0);  // an error return never calls the completion
}

TEST_F(ShimTest, ABufferLargerThanMaxIOSizeDoesNotMapToOneSegment) {
  start();
  ASSERT_EQ(shim_->start(), kIOReturnSuccess);
  auto& a = io();
  EXPECT_EQ(submit(a, IODirection::kIn, 0, 16), kIOReturnError);  // 8 KiB > maxIOSize 4 KiB
  EXPECT_TRUE(dext_->calls.empty());
}

TEST_F(ShimTest, OnlyFuaCrossesAndCompletionsNeverRunInsideTheCall) {
  start();
  ASSERT_EQ(shim_->start(), kIOReturnSuccess);
  dext_->complete_inside = true;
  auto& a = io();
  ASSERT_EQ(submit(a, IODirection::kOut, 4, 2, kIOStorageOptionForceUnitAccess | kIOStorageOptionIsEncrypted),
            kIOReturnSuccess);
  EXPECT_EQ(dext_->calls[0].options, kIOUserStorageOptionForceUnitAccess);
  EXPECT_EQ(dext_->calls[0].size, 1024u);
  EXPECT_EQ(a.result.calls, 0);
  h_.engine.run();
  EXPECT_EQ(a.result.status, kIOReturnSuccess);
  EXPECT_FALSE(a.result.inside_call);
}

TEST_F(ShimTest, TheDextReachesTheBufferThroughItsDmaAddress) {
  start();
  ASSERT_EQ(shim_->start(), kIOReturnSuccess);
  auto& a = io();
  ASSERT_EQ(submit(a, IODirection::kOut, 0, 2), kIOReturnSuccess);
  const auto& call = dext_->calls[0];
  EXPECT_EQ(dext_->memory(call.dma, call.size), a.bytes.data());
  EXPECT_EQ(dext_->memory(call.dma + 512, 512), a.bytes.data() + 512);
  EXPECT_EQ(dext_->memory(call.dma, call.size + 1), nullptr);  // past the buffer
  dext_->CompleteIO(call.id, 1024, kIOReturnSuccess);
  EXPECT_EQ(dext_->memory(call.dma, call.size), nullptr);  // no longer mapped
}

TEST_F(ShimTest, TerminationAbortsWhatIsInFlight) {
  start();
  ASSERT_EQ(shim_->start(), kIOReturnSuccess);
  auto driver = h_.make_driver(*shim_);
  ASSERT_NE(driver->media(), nullptr);
  auto& a = io();
  auto& b = io();
  auto& c = io();
  submit(a, IODirection::kIn, 0, 1);
  submit(b, IODirection::kIn, 1, 1);
  submit(c, IODirection::kIn, 2, 1);  // waits for a record
  EXPECT_EQ(shim_->terminate(), kIOReturnSuccess);
  h_.engine.run();
  EXPECT_EQ(a.result.status, kIOReturnAborted);
  EXPECT_EQ(b.result.status, kIOReturnAborted);
  EXPECT_EQ(c.result.status, kIOReturnNoDevice);
  EXPECT_EQ(errno_from_return(kIOReturnAborted), EBUSY);
  dext_->CompleteIO(0, 512, kIOReturnSuccess);  // late: ignored
  EXPECT_EQ(a.result.calls, 1);
  auto& d = io();
  EXPECT_EQ(submit(d, IODirection::kIn, 0, 1), kIOReturnNoDevice);
  EXPECT_EQ(driver->media(), nullptr);  // the driver was told the media went offline
}

TEST_F(ShimTest, SynchronizeLosesItsOptionsAndUnmapGoesInChunks) {
  start();
  ASSERT_EQ(shim_->start(), kIOReturnSuccess);
  testing::IoResult sync;
  IOStorageCompletion sync_done{&sync, &testing::IoResult::action, nullptr};
  ASSERT_EQ(shim_->doSynchronize(8, 16, kIOStorageSynchronizeOptionBarrier, &sync_done), kIOReturnSuccess);
  ASSERT_EQ(dext_->calls.size(), 1u);
  EXPECT_EQ(dext_->calls[0].what, "sync");  // a plain range flush: the barrier does not cross
  EXPECT_EQ(dext_->calls[0].lba, 8u);
  EXPECT_EQ(dext_->calls[0].blocks, 16u);
  EXPECT_EQ(shim_->records_in_use(), 1u);  // a synchronize holds a record too
  dext_->Complete(dext_->calls[0].id, kIOReturnSuccess);
  EXPECT_EQ(sync.status, kIOReturnSuccess);
  EXPECT_EQ(shim_->records_in_use(), 0u);

  IOBlockStorageDeviceExtent extents[5] = {{0, 1}, {2, 1}, {4, 1}, {6, 1}, {8, 1}};
  testing::IoResult unmap;
  IOStorageCompletion done{&unmap, &testing::IoResult::action, nullptr};
  ASSERT_EQ(shim_->doUnmap(extents, 5, 0, &done), kIOReturnSuccess);
  ASSERT_EQ(dext_->calls.back().ranges.size(), 2u);  // maxNumOfUnmapRegions = 2
  dext_->Complete(dext_->calls.back().id, kIOReturnSuccess);
  ASSERT_EQ(dext_->calls.back().ranges.size(), 2u);  // the next chunk only after the first completed
  EXPECT_EQ(dext_->calls.back().ranges[0].startBlock, 4u);
  dext_->Complete(dext_->calls.back().id, kIOReturnSuccess);
  ASSERT_EQ(dext_->calls.back().ranges.size(), 1u);
  dext_->Complete(dext_->calls.back().id, kIOReturnSuccess);
  EXPECT_EQ(unmap.status, kIOReturnSuccess);
  EXPECT_EQ(unmap.calls, 1);

  ASSERT_EQ(shim_->doUnmap(extents, 5, 0, &done), kIOReturnSuccess);
  dext_->Complete(dext_->calls.back().id, kIOReturnBadArgument);  // the first error stops it
  EXPECT_EQ(unmap.status, kIOReturnBadArgument);
  EXPECT_EQ(dext_->calls.size(), 5u);  // sync, three chunks, and the one that failed
}

TEST_F(ShimTest, ASuccessfulEjectTerminatesTheShim) {
  start();
  ASSERT_EQ(shim_->start(), kIOReturnSuccess);
  testing::IoResult eject;
  IOStorageCompletion done{&eject, &testing::IoResult::action, nullptr};
  ASSERT_EQ(shim_->doEjectMedia(&done), kIOReturnSuccess);
  dext_->Complete(dext_->calls.back().id, kIOReturnSuccess);
  h_.engine.run();
  EXPECT_EQ(eject.status, kIOReturnSuccess);
  EXPECT_TRUE(shim_->is_inactive());
}

TEST_F(ShimTest, FixedAnswersLimitsAndTheRevisionStringQuirk) {
  start();
  ASSERT_EQ(shim_->start(), kIOReturnSuccess);
  bool present = false, changed = false;
  EXPECT_EQ(shim_->reportMediaState(&present, &changed), kIOReturnSuccess);
  EXPECT_TRUE(present);
  EXPECT_TRUE(changed);
  std::uint64_t max_block = 0, block_size = 0;
  shim_->reportMaxValidBlock(&max_block);
  shim_->reportBlockSize(&block_size);
  EXPECT_EQ(max_block, 1023u);
  EXPECT_EQ(block_size, 512u);
  EXPECT_EQ(shim_->doFormatMedia(512 * 1024, nullptr), kIOReturnUnsupported);
  std::uint64_t capacity = 0;
  EXPECT_EQ(shim_->doGetFormatCapacities(&capacity, 1), 1u);
  EXPECT_EQ(capacity, 512u * 1024);
  EXPECT_EQ(shim_->getVendorString(), "Vendor");
  EXPECT_EQ(shim_->getProductString(), "Product");
  EXPECT_EQ(shim_->getRevisionString(), "Vendor");  // the kext asks GetVendorString (§6.3)
  EXPECT_EQ(shim_->getAdditionalDeviceInfoString(), "Vendor");
  EXPECT_EQ(shim_->getWriteCacheState(nullptr), kIOReturnUnsupported);
  const DeviceCharacteristics c = shim_->characteristics();
  EXPECT_EQ(c.max_byte_count_read, 4096u);
  EXPECT_EQ(c.max_block_count_write, 8u);
  EXPECT_EQ(c.min_segment_alignment, 4u);
  EXPECT_TRUE(c.feature_unmap);
  EXPECT_TRUE(c.feature_force_unit_access);
  EXPECT_FALSE(c.feature_barrier);
}

}  // namespace
}  // namespace blocksim
