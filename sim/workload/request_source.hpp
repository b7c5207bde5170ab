// Anything that issues requests into a run: a synthetic job, a trace replay, an application on
// the aio front end. Built from a Workload message by the workload registry (sim/run/workload_registry.hpp); started once; the
// run ends when every source has stopped and every request has completed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "blocksim/scenario.pb.h"
#include "sim/device/block_storage_device.hpp"
#include "sim/device/completion_record.hpp"
#include "sim/core/engine.hpp"
#include "sim/media/io_storage.hpp"
#include "sim/core/request_ids.hpp"

namespace blocksim {

class JsonWriter;

// A request a source has in flight, kept in the source's SlotPool: the buffer, attributes and
// completion the storage holds on to until it completes, and its slot, to release it then.
struct SourceRequest {
  IOMemoryDescriptor buffer;
  IOStorageAttributes attributes;
  IOStorageCompletion completion;
  std::uint32_t slot = 0;
};

class RequestSource {
 public:
  virtual ~RequestSource() = default;
  virtual void start() = 0;
  virtual std::uint64_t issued() const = 0;
  virtual std::uint64_t completed() const = 0;
  virtual std::uint64_t failed() const = 0;
  // The request count it stops at, for progress reports; 0 if not known in advance.
  virtual std::uint64_t request_limit() const { return 0; }
  // For progress: bytes of its input read so far and in all (a replay: of the trace file, gzip
  // compressed as it is, times the passes); {0, 0} when it reads no file.
  virtual std::pair<std::uint64_t, std::uint64_t> input_progress() const { return {0, 0}; }
  // Called once after the run. A source that stopped on bad input (a malformed trace line)
  // throws that error here, so the run ends with it.
  virtual void finish() {}
  // Lines for after the summary (a replay's mapping and comparison); nothing by default.
  virtual void print_report(std::ostream& /*out*/) const {}
  // The same for the JSON summary: one object in its "workloads" array, or nothing by default.
  virtual void write_json_report(JsonWriter& /*json*/) const {}
  // End-of-run figures of the source (the summary prefixes them with the workload's name).
  virtual void collect_metrics(std::vector<DeviceMetric>* /*out*/) const {}
};

struct WorkloadContext;
// Builds the source of a `python` workload (requests from the program that started the run).
using PythonSourceFactory =
    std::function<std::unique_ptr<RequestSource>(const proto::Workload&, const WorkloadContext&)>;

// What a source needs from the run. The engine, ids and targets outlive the source.
struct WorkloadContext {
  Engine* engine = nullptr;
  RequestIds* ids = nullptr;
  std::uint64_t seed = 1;
  std::uint64_t stream = 0;                              // this source's own random stream
  std::function<IOStorage*(const std::string&)> target;  // a target by name; null if none
  std::string default_target;                            // the Workload's own `device`, resolved
  std::string scenario_folder;                           // for relative paths in the workload
  std::vector<std::string> devices;                      // every device's name, in scenario order
  std::function<void(CompletionSink*)> observe;          // sees every completion record (not owned)
  PythonSourceFactory python_source;                     // null in the command line
  CompletionSink* sink = nullptr;                        // for sources that record a layer of their own
  // A replay split across processes by device (`replay --jobs`): the devices, by scenario index,
  // whose requests this process issues (empty: all of them), and the file its part's log goes to.
  std::vector<bool> owned_devices;
  std::string part_log;
};

}  // namespace blocksim
