// The devices of a run and what stands on them: builds each device model on its bus, and the
// storage a workload reaches it through (today the thinnest driver, DeviceStorage). Owns all of
// it. Targets are found by name: a device's name reaches its whole storage.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "blocksim/scenario.pb.h"
#include "sim/core/block_storage_device.hpp"
#include "sim/core/completion_record.hpp"
#include "sim/core/engine.hpp"
#include "sim/stack/io_storage.hpp"

namespace blocksim {

class DeviceStack {
 public:
  DeviceStack(Engine& engine, const proto::Scenario& scenario, CompletionSink* sink);
  ~DeviceStack();

  // The storage a workload names, or null.
  IOStorage* target(const std::string& name) const;
  std::size_t device_count() const { return devices_.size(); }
  IOBlockStorageDevice& device(std::size_t index) const { return *devices_.at(index); }

 private:
  std::vector<std::string> names_;
  std::vector<std::unique_ptr<IOBlockStorageDevice>> devices_;
  std::vector<std::unique_ptr<IOStorage>> storages_;
};

}  // namespace blocksim
