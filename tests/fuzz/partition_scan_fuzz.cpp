// Fuzzes the GPT and MBR scanners with the input as the first bytes of a disk (the first byte
// picks a 512-byte or 4 KiB block): the bytes go onto a reference device that carries data, the
// driver publishes its media, and both scans read it through the stack as at set-up. Any input
// must end in a table found or not, never a crash, a hang, a leak or a sanitizer report.
// SimGrid allows one engine per process, so one engine and one bus serve every input.
#include <google/protobuf/text_format.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "models/common/device_base.hpp"
#include "models/device_registry.hpp"
#include "sim/driver/block_storage_driver.hpp"
#include "sim/media/partition_scan.hpp"

namespace {

struct Rig {
  blocksim::Engine engine;
  blocksim::RequestIds ids;
  blocksim::Endpoint dma = engine.add_endpoint("disk", engine.add_bus("bus", 4e9, 0, true));
};

Rig& rig() {
  static Rig* r = new Rig();  // reachable to the end: not a leak
  return *r;
}

void scan(blocksim::PartitionScan& scanner) {
  bool done = false;
  scanner.start([&done](bool, const std::vector<blocksim::PartitionInfo>&) { done = true; });
  rig().engine.run();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1)
    return 0;
  const std::uint64_t block = (data[0] & 1) ? 4096 : 512;
  ++data;
  --size;
  blocksim::proto::Device config;
  google::protobuf::TextFormat::ParseFromString(
      "capacity: \"2MiB\" carry_data: true reference { queue_depth: 4 service { fixed: \"0ns\" } }", &config);
  config.set_block_size(std::to_string(block));
  blocksim::DeviceContext context;
  context.engine = &rig().engine;
  context.dma = rig().dma;
  context.name = "disk0";
  auto device = blocksim::make_device(context, config);
  auto* base = static_cast<blocksim::DeviceBase*>(&blocksim::fault_injector(*device)->model());
  std::vector<std::uint8_t> bytes((size + block - 1) / block * block, 0);
  std::copy(data, data + size, bytes.begin());
  base->data()->write(0, bytes.size() / block, bytes.data(), blocksim::Durability::kDurable);

  const blocksim::StackContext stack{&rig().engine, &rig().ids, nullptr, nullptr};
  blocksim::IOBlockStorageDriver driver(stack, *device, "disk0", 0);
  if (driver.start() != blocksim::kIOReturnSuccess || driver.media() == nullptr)
    return 0;
  {
    blocksim::GptScan gpt(stack, *driver.media());
    scan(gpt);
  }
  {
    blocksim::MbrScan mbr(stack, *driver.media());
    scan(mbr);
  }
  return 0;
}
