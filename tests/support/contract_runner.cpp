#include "tests/support/contract_runner.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <sstream>
#include <stdexcept>

#include "models/common/device_base.hpp"
#include "models/device_registry.hpp"
#include "models/ssd/ssd_device.hpp"
#include "models/ssd/ssd_config.hpp"
#include "sim/core/random.hpp"
#include "sim/core/request_ledger.hpp"
#include "sim/core/units.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/stack/block_storage_driver.hpp"
#include "sim/trace/trace_format.hpp"
#include "sim/trace/trace_writer.hpp"
#include "tests/support/shadow_store.hpp"

#ifndef BLOCKSIM_SOURCE_DIR
#error "BLOCKSIM_SOURCE_DIR must name the source tree (profiles are found under scenarios/)"
#endif

namespace blocksim::testing {

std::string ContractReport::text(std::size_t limit) const {
  std::ostringstream out;
  out << "contract case: device " << device << ", seed " << seed << ", " << workload << ": " << requests
      << " requests, " << completed << " completed, " << device_commands << " device commands, " << blocks_checked
      << " blocks checked, device queue max " << max_device_queue << " of " << queue_depth << ", end "
      << end << " ns\n";
  if (power_cut.happened)
    out << "  power cut: " << power_cut.durable_writes << " durable writes, " << power_cut.blocks_checked
        << " blocks checked after the cut, " << power_cut.cached_blocks << " blocks only in the cache, "
        << power_cut.lost_blocks << " lost, " << power_cut.in_flight_slots << " slots being programmed\n";
  for (std::size_t i = 0; i < violations.size() && i < limit; ++i)
    out << "  violation: " << violations[i] << "\n";
  if (violations.size() > limit)
    out << "  ... " << violations.size() - limit << " more\n";
  return out.str();
}

SimTime power_cut_time(std::uint64_t seed, SimTime latest) {
  Rng rng(seed, 0x637574);  // "cut"
  return latest / 200 + static_cast<SimTime>(rng.uniform() * static_cast<double>(latest));
}

ContractWorld::ContractWorld() = default;

Endpoint ContractWorld::endpoint(double interface_rate, double dma_rate) {
  if (!made_) {
    const BusHandle bus = engine_.add_bus("disk0-interface", interface_rate, 0, true);
    endpoint_ = engine_.add_endpoint("disk0", bus, dma_rate);
    rate_ = interface_rate;
    dma_rate_ = dma_rate;
    made_ = true;
  } else if (interface_rate != rate_ || dma_rate != dma_rate_) {
    throw std::runtime_error("contract world: a second device needs a bus of another rate");
  }
  return endpoint_;
}

namespace {

constexpr double kDefaultBusRate = 4e9;

// The least time the model can take over a request, by what it must do whatever its state: its
// bytes cross the bus; a DriverKit-shaped read waits its latency and media time; the reference
// device's media time when it has a fixed part; an SSD's write that must be durable programs
// flash first (tPROG). One nanosecond of slack for rounding.
struct MinimumService {
  double bus_rate = kDefaultBusRate;
  std::string model;
  SimTime dext_latency = 0;
  double dext_media_rate = 0;
  SimTime reference_read_fixed = 0;
  SimTime reference_write_fixed = 0;
  bool cache_on = false;
  SimTime program = 0;  // SSD tPROG

  static SimTime fixed_part(const proto::ServiceTime& s) {
    if (s.has_fixed())
      return units::duration_ns(s.fixed());
    if (s.has_fixed_plus_per_byte())
      return units::duration_ns(s.fixed_plus_per_byte().fixed());
    return 0;
  }

  SimTime of(const CompletionRecord& r) const {
    if (r.op != Op::kRead && r.op != Op::kWrite)
      return 0;
    const bool durable = r.op == Op::kWrite && (!cache_on || (r.flags & kFlagFua));
    SimTime least = static_cast<SimTime>(static_cast<double>(r.bytes) * 1e9 / bus_rate);
    if (model == "dext" && r.op == Op::kRead)
      least = std::max(least, dext_latency + static_cast<SimTime>(static_cast<double>(r.bytes) * 1e9 / dext_media_rate));
    if (model == "reference")
      least += r.op == Op::kRead ? reference_read_fixed : durable ? reference_write_fixed : 0;
    if (model == "ssd" && durable)
      least = std::max(least, program);
    return least - 1;
  }
};

std::uint32_t queue_depth_of(const proto::Device& config, const std::string& model) {
  if (model == "reference")
    return config.reference().queue_depth();
  if (model == "dext")
    return config.dext().outstanding_ios();
  if (model == "hdd")
    return config.hdd().controller().queue_depth();
  if (model == "ssd") {
    const ssd::SsdConfig ssd = ssd::resolve_ssd_config(config);
    return ssd.host.protocol == ssd::HostProtocol::kSata ? ssd.host.queue_depth : ssd.host.max_commands;
  }
  return 1;
}

// Records every completion into a digest, and keeps the device layer's for the checks at the end.
class CheckingSink final : public CompletionSink {
 public:
  void record(const CompletionRecord& r) override {
    mix(r.request_id);
    mix(r.parent_id);
    mix(r.device);
    mix(static_cast<std::uint64_t>(r.op) << 8 | static_cast<std::uint64_t>(r.layer));
    mix(r.flags);
    mix(r.lba);
    mix(r.blocks);
    mix(r.bytes);
    mix(static_cast<std::uint64_t>(r.submit));
    mix(static_cast<std::uint64_t>(r.dispatch));
    mix(static_cast<std::uint64_t>(r.complete));
    mix(static_cast<std::uint64_t>(static_cast<std::uint32_t>(r.status)));
    mix(r.queue_depth);
    if (r.layer == Layer::kDevice)
      device.push_back(r);
    else
      others.push_back(r);
    if (writer)
      writer->write(r);
  }
  void event(const EventRecord& e) override {
    mix(static_cast<std::uint64_t>(e.time));
    for (char c : e.kind)
      mix(static_cast<unsigned char>(c));
  }
  std::uint64_t digest = 0xcbf29ce484222325ULL;
  std::unique_ptr<TraceWriter> writer;  // when the case writes a trace
  std::vector<CompletionRecord> device;
  std::vector<CompletionRecord> others;

 private:
  void mix(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      digest ^= (v >> (8 * i)) & 0xff;
      digest *= 0x100000001b3ULL;
    }
  }
};

proto::Scenario load_device(const ContractDevice& device) {
  // The loader wants a workload; this one is never built.
  const std::string text = "device { name: \"disk0\" " + device.fields + " } workload { device: \"disk0\" job { requests: 1 } }";
  try {
    return load_scenario_text(text, "contract:" + device.name, std::string(BLOCKSIM_SOURCE_DIR) + "/scenarios")
        .scenario;
  } catch (const std::exception& e) {
    throw std::runtime_error("contract device " + device.name + ": " + e.what());
  }
}

// One case: the stack, the workload's requests in flight and the checks made as they complete.
class ContractCase {
 public:
  ContractCase(ContractWorld& world, const ContractDevice& device, const ContractOptions& options)
      : engine_(world.engine()), cut_at_(options.power_cut_at), ledger_(&engine_) {
    report_.device = device.name;
    const proto::Scenario scenario = load_device(device);
    config_ = scenario.device(0);
    model_ = device_model_name(config_);
    const double interface_rate =
        config_.has_interface_rate() ? units::bandwidth(config_.interface_rate()) : kDefaultBusRate;
    const double dma_rate = config_.has_dma_rate() ? units::bandwidth(config_.dma_rate()) : 0;
    minimum_.bus_rate = dma_rate > 0 ? std::min(interface_rate, dma_rate) : interface_rate;
    minimum_.model = model_;
    if (model_ == "dext") {
      minimum_.dext_latency = units::duration_ns(config_.dext().latency());
      minimum_.dext_media_rate = units::bandwidth(config_.dext().media_rate());
    }
    if (model_ == "reference") {
      minimum_.reference_read_fixed = MinimumService::fixed_part(config_.reference().service());
      minimum_.reference_write_fixed = config_.reference().has_write_service()
                                           ? MinimumService::fixed_part(config_.reference().write_service())
                                           : minimum_.reference_read_fixed;
    }
    if (model_ == "ssd")
      minimum_.program = ssd::resolve_ssd_config(config_).timing.program;
    report_.queue_depth = queue_depth_of(config_, model_);
    verbose_ = std::getenv("BLOCKSIM_CONTRACT_VERBOSE") != nullptr;

    DeviceContext context;
    context.engine = &engine_;
    context.index = 0;
    context.name = "disk0";
    context.sink = &sink_;
    context.dma = world.endpoint(interface_rate, dma_rate);
    device_ = make_device(context, config_);
    bool cache = false;
    minimum_.cache_on = device_->getWriteCacheState(&cache) == kIOReturnSuccess && cache;
    ledger_.set_violation_handler([this](const std::string& text) { violation("ledger: " + text); });
    driver_ = std::make_unique<IOBlockStorageDriver>(StackContext{&engine_, &ids_, &sink_, nullptr, &ledger_},
                                                     *device_, "disk0", 0);
    if (IOReturn status = driver_->start(); status != kIOReturnSuccess)
      throw std::runtime_error("contract device " + device.name + ": the driver did not start: " +
                               std::string(io_return_name(status)));
    engine_.run();
    block_size_ = driver_->block_size();
    start_time_ = engine_.now();
    if (!options.trace_path.empty()) {
      proto::TraceHeader header;
      header.set_format_version(kTraceFormatVersion);
      header.set_blocksim_version(BLOCKSIM_VERSION);
      *header.mutable_scenario() = scenario;
      proto::TraceDevice* d = header.add_device();
      d->set_index(0);
      d->set_name("disk0");
      d->set_model(model_);
      d->set_block_size(static_cast<std::uint32_t>(block_size_));
      d->set_capacity_bytes(driver_->size_bytes());
      sink_.writer = std::make_unique<TraceWriter>(options.trace_path, header);
    }
    faults_ = device.faults;
  }

  ~ContractCase() {
    driver_.reset();
    device_.reset();
  }

  WorkloadLimits limits(std::uint32_t requests) const {
    WorkloadLimits l;
    l.block_size = block_size_;
    l.block_count = driver_->size_bytes() / block_size_;
    const BreakUpLimits& w = driver_->limits(true);
    std::uint64_t most = w.max_block_count;
    if (w.max_byte_count)
      most = most ? std::min(most, w.max_byte_count / block_size_) : w.max_byte_count / block_size_;
    l.max_transfer_blocks = most ? most : (1 << 20) / block_size_;
    l.queue_depth = report_.queue_depth;
    l.unmap = device_->characteristics().feature_unmap && cut_at_ < 0;
    l.unmap_granule_blocks =
        std::max<std::uint64_t>(1, device_->characteristics().unmap_granularity_bytes / block_size_);
    l.durability_mix = cut_at_ >= 0;
    l.service_time = model_ == "hdd" ? 8'000'000 : 100'000;
    l.requests = requests;
    l.region_blocks = std::max<std::uint64_t>(64, (8ULL << 20) / block_size_);
    return l;
  }

  ContractReport run(const RandomWorkload& workload) {
    workload_ = &workload;
    report_.seed = workload.seed;
    report_.workload = workload.describe();
    report_.requests = workload.requests.size();
    if (faults_)
      inject_faults();
    requests_.resize(workload.requests.size());
    if (workload.closed_loop) {
      for (std::uint32_t i = 0; i < workload.depth && next_ < requests_.size(); ++i)
        issue(next_++);
    } else {
      SimTime at = engine_.now();
      for (std::size_t i = 0; i < requests_.size(); ++i) {
        at += workload.requests[i].gap;
        engine_.at(at, [this, i] { issue(i); });
      }
    }
    if (cut_at_ >= 0) {
      engine_.run_until(start_time_ + cut_at_);
      cut_power();
      return std::move(report_);
    }
    engine_.run();
    finish();
    return std::move(report_);
  }

 private:
  struct Pending {
    WorkRequest request;
    IOMemoryDescriptor buffer;
    IOStorageAttributes attributes;
    IOStorageExtent extent;
    std::vector<std::uint8_t> bytes;
    std::vector<ShadowStore::Expectation> expected;
    std::uint64_t serial = 0;
    SimTime issued = -1;
    SimTime done_at = -1;
    std::uint32_t calls = 0;
    bool submitting = false;
    bool refused = false;
    IOReturn status = kIOReturnInvalid;
    ContractCase* owner = nullptr;
  };

  void violation(const std::string& text) {
    if (report_.violations.size() < 200)
      report_.violations.push_back("t=" + std::to_string(engine_.now()) + " " + text);
  }

  std::string describe(std::size_t i) const {
    const WorkRequest& r = requests_[i].request;
    return std::string("request ") + std::to_string(i) + " (" + work_op_name(r.op) + " block " + std::to_string(r.block) +
           " x" + std::to_string(r.blocks) + ", issued " + std::to_string(requests_[i].issued) + ")";
  }

  // Unreadable sectors and failing writes inside the region the workload uses.
  void inject_faults() {
    FaultInjector* injector = fault_injector(*device_);
    if (!injector)
      return;
    injector->add_unreadable(40, 3, 1);
    injector->add_failing_writes(50, 2, 0);
  }

  static void completed(void* target, void* parameter, IOReturn status, std::uint64_t bytes) {
    static_cast<ContractCase*>(target)->on_complete(reinterpret_cast<std::uintptr_t>(parameter), status, bytes);
  }

  void issue(std::size_t i) {
    Pending& p = requests_[i];
    p.request = workload_->requests[i];
    p.owner = this;
    p.issued = engine_.now();
    const WorkRequest& r = p.request;
    const std::uint64_t offset = r.block * block_size_;
    const std::uint64_t length = r.blocks * block_size_;
    IOStorageCompletion done{this, &ContractCase::completed, reinterpret_cast<void*>(static_cast<std::uintptr_t>(i))};
    p.submitting = true;
    if (verbose_)
      std::fprintf(stderr, "%lld issue %s\n", static_cast<long long>(engine_.now()), describe(i).c_str());
    switch (r.op) {
      case WorkOp::kRead:
      case WorkOp::kWrite:
      case WorkOp::kFuaWrite: {
        const bool write = r.op != WorkOp::kRead;
        p.bytes.assign(length, write ? 0 : 0xA5);  // a read's buffer starts dirty: zeros must be written
        if (write) {
          p.serial = ++serials_;
          for (std::uint64_t b = 0; b < r.blocks; ++b)
            ShadowStore::fill_block(p.serial, r.block + b, p.bytes.data() + b * block_size_, block_size_);
          shadow_.write_started(r.block, r.blocks);
        } else {
          p.expected = shadow_.read_started(r.block, r.blocks);
        }
        p.buffer.direction = write ? IODirection::kOut : IODirection::kIn;
        p.buffer.length = length;
        p.buffer.bytes = p.bytes.data();
        p.buffer.request_id = ids_.next();
        p.attributes.options = r.op == WorkOp::kFuaWrite ? kIOStorageOptionForceUnitAccess : kIOStorageOptionNone;
        if (write)
          driver_->write(offset, &p.buffer, &p.attributes, &done);
        else
          driver_->read(offset, &p.buffer, &p.attributes, &done);
        break;
      }
      case WorkOp::kFlush:
        if (IOReturn status = driver_->synchronize(0, 0, kIOStorageSynchronizeOptionNone, &done);
            status != kIOReturnSuccess)
          refuse(i, status);
        break;
      case WorkOp::kUnmap:
        shadow_.write_started(r.block, r.blocks);
        p.extent = IOStorageExtent{offset, length};
        if (IOReturn status = driver_->unmap(&p.extent, 1, 0, &done); status != kIOReturnSuccess)
          refuse(i, status);
        break;
    }
    p.submitting = false;
  }

  // A call that returned an error: it never started; its completion must not run.
  void refuse(std::size_t i, IOReturn status) {
    Pending& p = requests_[i];
    p.refused = true;
    p.status = status;
    if (p.request.op == WorkOp::kUnmap)
      shadow_.write_ended(p.request.block, p.request.blocks, 0, false);
    ++report_.completed;
    issue_next();
  }

  void on_complete(std::size_t i, IOReturn status, std::uint64_t bytes) {
    Pending& p = requests_[i];
    ++p.calls;
    if (p.calls > 1) {
      violation(describe(i) + " completed a second time, status " + std::string(io_return_name(status)));
      return;
    }
    if (p.refused)
      violation(describe(i) + " completed although its call returned an error");
    if (p.submitting)
      violation(describe(i) + " completed inside the call that issued it");
    p.status = status;
    p.done_at = engine_.now();
    ++report_.completed;
    if (verbose_)
      std::fprintf(stderr, "%lld done %s: %s\n", static_cast<long long>(engine_.now()), describe(i).c_str(),
                   std::string(io_return_name(status)).c_str());
    const WorkRequest& r = p.request;
    const bool ok = status == kIOReturnSuccess;
    if (ok && (r.op == WorkOp::kRead || r.op == WorkOp::kWrite || r.op == WorkOp::kFuaWrite) &&
        bytes != r.blocks * block_size_)
      violation(describe(i) + " succeeded with " + std::to_string(bytes) + " bytes");
    if (r.op == WorkOp::kWrite || r.op == WorkOp::kFuaWrite || r.op == WorkOp::kUnmap)
      shadow_.write_ended(r.block, r.blocks, p.serial, ok);
    if (r.op == WorkOp::kRead && ok && config_.carry_data())
      check_read(i);
    issue_next();
  }

  void check_read(std::size_t i) {
    Pending& p = requests_[i];
    std::vector<std::uint8_t> want(block_size_);
    std::uint32_t reported = 0;
    for (std::uint64_t b = 0; b < p.request.blocks; ++b) {
      const ShadowStore::Expectation& e = p.expected[b];
      const std::uint64_t block = p.request.block + b;
      if (!e.known || !shadow_.unchanged(block, e))
        continue;
      ++report_.blocks_checked;
      ShadowStore::fill_block(e.value, block, want.data(), block_size_);
      if (std::memcmp(want.data(), p.bytes.data() + b * block_size_, block_size_) != 0 && reported++ < 2)
        violation(describe(i) + ": block " + std::to_string(block) + " does not hold " +
                  (e.value ? "write #" + std::to_string(e.value) : std::string("zeros")) + " but " +
                  what_block_holds(block, p.bytes.data() + b * block_size_));
    }
  }

  // The power cut and its checks (ContractOptions::power_cut_at).
  void cut_power() {
    PowerCutFigures& f = report_.power_cut;
    f.happened = true;
    const SimTime cut = engine_.now();
    IOBlockStorageDevice* model = device_.get();
    if (FaultInjector* injector = fault_injector(*device_))
      model = &injector->model();
    auto* base = dynamic_cast<DeviceBase*>(model);
    DeviceData* data = base ? base->data() : nullptr;
    if (!data) {
      violation("power cut: the device carries no data");
      return;
    }
    // The blocks the workload wrote, and their durable bytes before the cut.
    std::vector<std::uint64_t> touched;
    {
      std::vector<bool> seen;
      for (const Pending& p : requests_)
        if (p.issued >= 0 && (p.request.op == WorkOp::kWrite || p.request.op == WorkOp::kFuaWrite))
          for (std::uint64_t b = p.request.block; b < p.request.block + p.request.blocks; ++b) {
            if (b >= seen.size())
              seen.resize(b + 1, false);
            if (!seen[b]) {
              seen[b] = true;
              touched.push_back(b);
            }
          }
    }
    std::vector<std::uint8_t> durable_before(touched.size() * block_size_);
    for (std::size_t k = 0; k < touched.size(); ++k)
      data->read_durable(touched[k], 1, durable_before.data() + k * block_size_);
    f.cached_blocks = data->cached_blocks();
    const std::uint64_t lost_before = data->lost_blocks();
    auto* ssd = dynamic_cast<SsdDeviceModel*>(model);
    std::vector<std::uint32_t> in_flight;
    if (ssd)
      in_flight = ssd->flash_writer().slots_in_flight();
    f.in_flight_slots = in_flight.size();

    device_->power_cut();

    // Exactly the cache is lost.
    f.lost_blocks = data->lost_blocks() - lost_before;
    if (f.lost_blocks != f.cached_blocks)
      violation("power cut: " + std::to_string(f.lost_blocks) + " blocks lost, but the cache held " +
                std::to_string(f.cached_blocks));
    std::vector<DeviceMetric> metrics;
    device_->collect_metrics(&metrics);
    bool reported = false;
    for (const DeviceMetric& m : metrics)
      if (m.name == "power_cut.lost_blocks") {
        reported = true;
        if (static_cast<std::uint64_t>(m.value) != data->lost_blocks())
          violation("power cut: the device reports " + std::to_string(m.value) + " lost blocks, its data lost " +
                    std::to_string(data->lost_blocks()));
      }
    if (!reported)
      violation("power cut: the device does not report power_cut.lost_blocks");
    std::vector<std::uint8_t> after(block_size_);
    std::uint32_t changed = 0;
    for (std::size_t k = 0; k < touched.size(); ++k) {
      data->read(touched[k], 1, after.data());
      if (std::memcmp(after.data(), durable_before.data() + k * block_size_, block_size_) != 0 && changed++ < 3)
        violation("power cut: block " + std::to_string(touched[k]) + " after the cut is not its durable copy before it");
    }

    // Durability of what was acknowledged durable.
    const bool cache_on = minimum_.cache_on;
    auto durable = [&](const Pending& w) {
      if (w.done_at < 0 || w.status != kIOReturnSuccess)
        return false;
      if (!cache_on || w.request.op == WorkOp::kFuaWrite)
        return true;
      for (const Pending& fl : requests_)
        if (fl.request.op == WorkOp::kFlush && fl.done_at >= 0 && fl.status == kIOReturnSuccess &&
            fl.issued >= w.done_at)
          return true;
      return false;
    };
    std::vector<std::vector<std::size_t>> writes_of;
    std::uint64_t highest = 0;
    for (std::uint64_t b : touched)
      highest = std::max(highest, b);
    writes_of.assign(highest + 1, {});
    for (std::size_t i = 0; i < requests_.size(); ++i) {
      const Pending& p = requests_[i];
      if (p.issued >= 0 && (p.request.op == WorkOp::kWrite || p.request.op == WorkOp::kFuaWrite)) {
        for (std::uint64_t b = p.request.block; b < p.request.block + p.request.blocks; ++b)
          writes_of[b].push_back(i);
        if (durable(p))
          ++f.durable_writes;
      }
    }
    std::vector<std::uint8_t> candidate(block_size_);
    std::uint32_t lost_reports = 0;
    for (std::uint64_t b : touched) {
      std::vector<std::size_t> durables;
      for (std::size_t i : writes_of[b])
        if (durable(requests_[i]))
          durables.push_back(i);
      if (durables.empty())
        continue;
      ++f.blocks_checked;
      data->read(b, 1, after.data());
      bool found = false;
      for (std::size_t i : writes_of[b]) {
        const Pending& w = requests_[i];
        // Older than a durable write (acknowledged before it was issued): it cannot be what the
        // block holds.
        bool superseded = false;
        for (std::size_t d : durables)
          if (w.done_at >= 0 && w.done_at <= requests_[d].issued && d != i)
            superseded = true;
        if (superseded)
          continue;
        ShadowStore::fill_block(w.serial, b, candidate.data(), block_size_);
        if (std::memcmp(candidate.data(), after.data(), block_size_) == 0) {
          found = true;
          break;
        }
      }
      if (!found && lost_reports++ < 3)
        violation("power cut at " + std::to_string(cut) + ": block " + std::to_string(b) + " lost write #" +
                  std::to_string(requests_[durables.back()].serial) + " (made durable before the cut); it holds " +
                  what_block_holds(b, after.data()));
    }

    // SSD: nothing mapped to a slot whose program did not end.
    if (ssd) {
      std::sort(in_flight.begin(), in_flight.end());
      const std::uint64_t unit = ssd->ssd_config().geometry.unit_bytes;
      std::uint32_t bad = 0;
      for (std::uint64_t b : touched) {
        const std::uint64_t lpn = b * block_size_ / unit;
        const std::uint32_t psn = ssd->ftl().lookup(lpn);
        if (std::binary_search(in_flight.begin(), in_flight.end(), psn) && bad++ < 3)
          violation("power cut: the FTL maps unit " + std::to_string(lpn) + " to slot " + std::to_string(psn) +
                    ", whose program never ended");
        data->read(b, 1, after.data());
        bool zeros = true;
        for (std::uint8_t byte : after)
          zeros = zeros && byte == 0;
        if (!zeros && psn == ssd::kNoSlot && bad++ < 3)
          violation("power cut: block " + std::to_string(b) + " holds durable data but its unit is not mapped");
      }
    }
    report_.end = cut - start_time_;
    report_.digest = sink_.digest;
    if (sink_.writer)
      sink_.writer->finish(proto::RunEnd{});
  }

  // Which write's bytes a block holds, for the report: "write #N", "zeros" or "other bytes".
  std::string what_block_holds(std::uint64_t block, const std::uint8_t* bytes) const {
    std::vector<std::uint8_t> candidate(block_size_);
    for (std::uint64_t serial = 0; serial <= serials_; ++serial) {
      ShadowStore::fill_block(serial, block, candidate.data(), block_size_);
      if (std::memcmp(candidate.data(), bytes, block_size_) == 0)
        return serial ? "write #" + std::to_string(serial) : "zeros";
    }
    return "other bytes";
  }

  void issue_next() {
    if (!workload_->closed_loop || next_ >= requests_.size())
      return;
    const std::size_t i = next_++;
    engine_.after(workload_->requests[i].gap, [this, i] { issue(i); });
  }

  void finish() {
    if (sink_.writer)
      sink_.writer->finish(proto::RunEnd{});
    report_.end = engine_.now() - start_time_;
    report_.digest = sink_.digest;
    report_.device_commands = sink_.device.size();
    for (std::size_t i = 0; i < requests_.size(); ++i) {
      const Pending& p = requests_[i];
      if (p.issued < 0)
        violation("request " + std::to_string(i) + " was never issued");
      else if (p.calls == 0 && !p.refused)
        violation(describe(i) + " never completed");
    }
    if (ledger_.outstanding() > 0) {
      std::ostringstream out;
      ledger_.report(out);
      violation("ledger: " + std::to_string(ledger_.outstanding()) + " device calls outstanding: " + out.str());
    }
    check_records();
  }

  // Every layer's records: no completion before its request plus the model's minimum; the
  // device's queue never deeper than its queue depth.
  void check_records() {
    std::uint32_t early = 0;
    auto check_time = [&](const CompletionRecord& r, SimTime least) {
      if (r.complete < r.submit + least && early++ < 3)
        violation(std::string(layer_name(r.layer)) + " " + op_name(r.op) + " request " + std::to_string(r.request_id) +
                  " lba " + std::to_string(r.lba) + " x" + std::to_string(r.blocks) + " completed after " +
                  std::to_string(r.complete - r.submit) + " ns, under the least possible " + std::to_string(least) +
                  " ns");
    };
    // An unmap that came while a write to the same blocks was in flight may release it early:
    // its data is gone anyway, and the host did not order the two (driver-api.md §7.5).
    auto unmapped_meanwhile = [&](const CompletionRecord& w) {
      for (const CompletionRecord& u : sink_.device)
        if (u.op == Op::kUnmap && u.submit >= w.submit && u.submit <= w.complete && u.lba < w.lba + w.blocks &&
            w.lba < u.lba + u.blocks)
          return true;
      return false;
    };
    std::vector<std::pair<SimTime, int>> edges;
    for (const CompletionRecord& r : sink_.device) {
      if (r.dispatch < r.submit || r.complete < r.dispatch)
        violation("device record " + std::to_string(r.request_id) + " has submit " + std::to_string(r.submit) +
                  ", dispatch " + std::to_string(r.dispatch) + ", complete " + std::to_string(r.complete));
      if (r.status == kIOReturnSuccess && !(r.op == Op::kWrite && unmapped_meanwhile(r)))
        check_time(r, minimum_.of(r));
      else
        check_time(r, 0);
      // A request the fault injector answered for the model (after its retries) spans the
      // tries and the gaps between them; the model's own records of the tries are the ones
      // that held a tag.
      if (r.status != kIOReturnSuccess)
        continue;
      edges.emplace_back(r.dispatch, +1);
      edges.emplace_back(r.complete, -1);
    }
    for (const CompletionRecord& r : sink_.others)
      check_time(r, 0);
    // At equal times completions go first: a tag freed at t may be taken at t.
    std::sort(edges.begin(), edges.end());
    std::int64_t held = 0;
    for (const auto& [t, d] : edges) {
      held += d;
      report_.max_device_queue = std::max<std::uint32_t>(report_.max_device_queue, static_cast<std::uint32_t>(std::max<std::int64_t>(held, 0)));
    }
    if (report_.max_device_queue > report_.queue_depth)
      violation("the device held " + std::to_string(report_.max_device_queue) + " commands at once; its queue depth is " +
                std::to_string(report_.queue_depth));
  }

  Engine& engine_;
  SimTime cut_at_;
  RequestIds ids_;
  RequestLedger ledger_;
  CheckingSink sink_;
  proto::Device config_;
  std::string model_;
  MinimumService minimum_;
  std::unique_ptr<IOBlockStorageDevice> device_;
  std::unique_ptr<IOBlockStorageDriver> driver_;
  std::uint64_t block_size_ = 512;
  SimTime start_time_ = 0;
  bool faults_ = false;
  bool verbose_ = false;  // BLOCKSIM_CONTRACT_VERBOSE: every issue and completion on stderr
  const RandomWorkload* workload_ = nullptr;
  std::deque<Pending> requests_;
  std::size_t next_ = 0;
  std::uint64_t serials_ = 0;
  ShadowStore shadow_;
  ContractReport report_;
};

}  // namespace

ContractReport run_contract(ContractWorld& world, const ContractDevice& device,
                            const std::function<RandomWorkload(const WorkloadLimits&)>& make,
                            const ContractOptions& options) {
  ContractCase c(world, device, options);
  const RandomWorkload workload = make(c.limits(options.requests));
  return c.run(workload);
}

ContractReport run_contract_case(const ContractDevice& device, std::uint64_t seed, const ContractOptions& options) {
  ContractWorld world;
  return run_contract(world, device, [seed](const WorkloadLimits& l) { return make_random_workload(seed, l); },
                      options);
}

}  // namespace blocksim::testing
