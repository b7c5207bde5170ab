#include "tests/support/contract_case.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "models/ssd/ssd_config.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/trace/trace_format.hpp"

#ifndef BLOCKSIM_SOURCE_DIR
#error "BLOCKSIM_SOURCE_DIR must name the source tree (profiles are found under scenarios/)"
#endif

namespace blocksim::testing {

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


ContractCase::ContractCase(ContractWorld& world, const ContractDevice& device, const ContractOptions& options)
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
  if (model_ == "ssd") {
    const ssd::SsdConfig ssd = ssd::resolve_ssd_config(config_);
    // With an SLC cache a durable write may be programmed in SLC mode, the faster of the two. With
    // power-loss protection a write is durable in the DRAM cache, so while the write cache is on
    // (the workload may turn it on and off) a FUA write waits for no program at all.
    minimum_.program = ssd.slc.enabled ? std::min(ssd.timing.program, ssd.slc.program) : ssd.timing.program;
    if (ssd.power_loss_protection)
      minimum_.program = 0;
  }
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

ContractCase::~ContractCase() {
  driver_.reset();
  device_.reset();
}

WorkloadLimits ContractCase::limits(std::uint32_t requests) const {
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

ContractReport ContractCase::run(const RandomWorkload& workload) {
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

void ContractCase::violation(const std::string& text) {
  if (report_.violations.size() < 200)
    report_.violations.push_back("t=" + std::to_string(engine_.now()) + " " + text);
}

std::string ContractCase::describe(std::size_t i) const {
  const WorkRequest& r = requests_[i].request;
  return std::string("request ") + std::to_string(i) + " (" + work_op_name(r.op) + " block " + std::to_string(r.block) +
         " x" + std::to_string(r.blocks) + ", issued " + std::to_string(requests_[i].issued) + ")";
}

void ContractCase::inject_faults() {
  FaultInjector* injector = fault_injector(*device_);
  if (!injector)
    return;
  injector->add_unreadable(40, 3, 1);
  injector->add_failing_writes(50, 2, 0);
}

void ContractCase::completed(void* target, void* parameter, IOReturn status, std::uint64_t bytes) {
  static_cast<ContractCase*>(target)->on_complete(reinterpret_cast<std::uintptr_t>(parameter), status, bytes);
}

void ContractCase::issue(std::size_t i) {
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

void ContractCase::refuse(std::size_t i, IOReturn status) {
  Pending& p = requests_[i];
  p.refused = true;
  p.status = status;
  if (p.request.op == WorkOp::kUnmap)
    shadow_.write_ended(p.request.block, p.request.blocks, 0, false);
  ++report_.completed;
  issue_next();
}

void ContractCase::on_complete(std::size_t i, IOReturn status, std::uint64_t bytes) {
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

void ContractCase::check_read(std::size_t i) {
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

void ContractCase::issue_next() {
  if (!workload_->closed_loop || next_ >= requests_.size())
    return;
  const std::size_t i = next_++;
  engine_.after(workload_->requests[i].gap, [this, i] { issue(i); });
}

void ContractCase::finish() {
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

}  // namespace blocksim::testing
