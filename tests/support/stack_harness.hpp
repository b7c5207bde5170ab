// Test support for the stack: an engine, request ids, a recording sink, the completion ledger and a
// media registry, ways to build devices from Device text and drivers over them, and I/O helpers
// that submit a request and run the simulation until everything is done. One harness per test (one engine per process).
#pragma once

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "models/device_registry.hpp"
#include "sim/driver/block_storage_driver.hpp"
#include "sim/media/media_registry.hpp"
#include "tests/support/recording_sink.hpp"

namespace blocksim::testing {

// What became of one request: its completion's status and bytes, how often the completion ran,
// and whether it ran inside the call that submitted the request.
struct IoResult {
  IOReturn status = kIOReturnInvalid;
  std::uint64_t bytes = 0;
  int calls = 0;
  bool inside_call = false;
  bool submitting = false;
  SimTime completed_at = -1;
  Engine* engine = nullptr;

  static void action(void* target, void*, IOReturn status, std::uint64_t bytes) {
    auto* r = static_cast<IoResult*>(target);
    r->status = status;
    r->bytes = bytes;
    ++r->calls;
    r->inside_call = r->inside_call || r->submitting;
    r->completed_at = r->engine ? r->engine->now() : 0;
  }
};

// One request in flight: its buffer, attributes and result stay put while it runs.
struct Io {
  IOMemoryDescriptor buffer;
  IOStorageAttributes attributes;
  std::vector<std::uint8_t> bytes;
  IoResult result;
  IOStorageCompletion completion() { return IOStorageCompletion{&result, &IoResult::action, nullptr}; }
};

class StackHarness {
 public:
  // Probing for partition tables is off until a test turns it on.
  StackHarness() : ledger(&engine), registry(StackContext{&engine, &ids, &sink, nullptr, &ledger}) {
    registry.set_probe_filter([](const IOMedia&) { return false; });
  }
  void enable_probing() {
    registry.set_probe_filter([](const IOMedia&) { return true; });
  }

  Engine engine;
  RequestIds ids;
  RecordingSink sink;
  RequestLedger ledger;  // every request the driver passes to its device is entered here
  MediaRegistry registry;
  class Client final : public IOService {};
  Client client;  // an opener for tests
  Client other;   // a second one

  StackContext context() const { return registry.context(); }

  // A device model from the fields of a Device message ("capacity: ... reference { }").
  std::unique_ptr<IOBlockStorageDevice> make_device(const std::string& fields, std::uint32_t index = 0,
                                                    const std::string& name = "disk0") {
    proto::Device config;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(fields, &config)) << fields;
    DeviceContext context;
    context.engine = &engine;
    context.index = index;
    context.name = name;
    context.sink = &sink;
    context.dma = engine.add_endpoint(name, engine.add_bus(name + "-bus", 4e9, 0, true));
    return blocksim::make_device(context, config);
  }

  // A started driver over `device`, publishing its whole media as `name`.
  std::unique_ptr<IOBlockStorageDriver> make_driver(IOBlockStorageDevice& device, const std::string& name = "disk0",
                                                    std::uint32_t index = 0) {
    auto driver = std::make_unique<IOBlockStorageDriver>(context(), device, name, index);
    EXPECT_EQ(driver->start(), kIOReturnSuccess);
    return driver;
  }

  Io& submit(IOStorage& target, IODirection direction, std::uint64_t offset, std::uint64_t length,
             IOStorageOptions options = 0, const std::vector<std::uint8_t>* data = nullptr) {
    ios_.emplace_back();
    Io& io = ios_.back();
    io.bytes = data ? *data : std::vector<std::uint8_t>(length, 0);
    io.buffer.direction = direction;
    io.buffer.length = length;
    io.buffer.bytes = io.bytes.data();
    io.buffer.request_id = ids.next();
    io.attributes.options = options;
    io.result.engine = &engine;
    IOStorageCompletion done = io.completion();
    io.result.submitting = true;
    if (direction == IODirection::kIn)
      target.read(offset, &io.buffer, &io.attributes, &done);
    else
      target.write(offset, &io.buffer, &io.attributes, &done);
    io.result.submitting = false;
    return io;
  }

  // Submits and runs the simulation to its end.
  Io& read(IOStorage& target, std::uint64_t offset, std::uint64_t length) {
    Io& io = submit(target, IODirection::kIn, offset, length);
    engine.run();
    return io;
  }
  Io& write(IOStorage& target, std::uint64_t offset, const std::vector<std::uint8_t>& data,
            IOStorageOptions options = 0) {
    Io& io = submit(target, IODirection::kOut, offset, data.size(), options, &data);
    engine.run();
    return io;
  }
  // A command (synchronize, unmap, eject ...) through a completion; `returned` is its return code.
  struct Command {
    IOReturn returned = kIOReturnInvalid;
    IoResult result;
  };
  template <class Call>
  Command command(Call&& call) {
    commands_.emplace_back();
    Command& c = commands_.back();
    c.result.engine = &engine;
    IOStorageCompletion done{&c.result, &IoResult::action, nullptr};
    c.result.submitting = true;
    c.returned = call(&done);
    c.result.submitting = false;
    engine.run();
    return c;
  }

  static std::vector<std::uint8_t> pattern(std::uint64_t length, std::uint8_t seed) {
    std::vector<std::uint8_t> bytes(length);
    for (std::uint64_t i = 0; i < length; ++i)
      bytes[i] = static_cast<std::uint8_t>(seed * 31 + i * 7 + (i >> 8));
    return bytes;
  }

 private:
  std::deque<Io> ios_;
  std::deque<Command> commands_;
};

}  // namespace blocksim::testing
