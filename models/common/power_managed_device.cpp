#include "models/common/power_managed_device.hpp"

#include <map>
#include <utility>

#include "sim/core/units.hpp"

namespace blocksim {

std::vector<PowerStateSpec> power_state_specs(const proto::Device& config) {
  std::vector<PowerStateSpec> specs;
  for (const auto& state : config.power().state()) {
    PowerStateSpec spec;
    spec.name = state.name();
    spec.entry_latency = units::duration_ns(state.entry_latency());
    spec.exit_latency = units::duration_ns(state.exit_latency());
    specs.push_back(std::move(spec));
  }
  for (const auto& entry : config.power().autonomous())
    for (auto& spec : specs)
      if (spec.name == entry.state())
        spec.idle_time = units::duration_ns(entry.idle_time());
  return specs;
}

std::optional<ConfigProblem> check_power_states(const proto::Device& config) {
  const auto& power = config.power();
  std::map<std::string, int> ordinal;  // name -> position in the list
  for (int i = 0; i < power.state_size(); ++i) {
    const std::string& name = power.state(i).name();
    if (name == "active" || name == "transition" || !ordinal.emplace(name, i).second)
      return ConfigProblem{{{"power", -1}, {"state", i}, {"name", -1}},
                           "power state \"" + name + "\" is named twice (\"active\" and \"transition\" are taken)"};
  }
  std::map<int, std::pair<SimTime, int>> idle;  // position -> (idle time, autonomous entry)
  for (int i = 0; i < power.autonomous_size(); ++i) {
    const auto& entry = power.autonomous(i);
    const auto it = ordinal.find(entry.state());
    if (it == ordinal.end())
      return ConfigProblem{{{"power", -1}, {"autonomous", i}, {"state", -1}},
                           "no power state is named \"" + entry.state() + "\""};
    if (!idle.emplace(it->second, std::make_pair(units::duration_ns(entry.idle_time()), i)).second)
      return ConfigProblem{{{"power", -1}, {"autonomous", i}, {"state", -1}},
                           "power state \"" + entry.state() + "\" is given two idle times"};
  }
  std::optional<SimTime> shallower;
  for (const auto& [position, time_and_entry] : idle) {
    if (shallower && time_and_entry.first <= *shallower)
      return ConfigProblem{{{"power", -1}, {"autonomous", time_and_entry.second}, {"idle_time", -1}},
                           "idle_time " + power.autonomous(time_and_entry.second).idle_time() +
                               " must be longer than a shallower state's: a device enters deeper states later"};
    shallower = time_and_entry.first;
  }
  return std::nullopt;
}

PowerManagedDevice::PowerManagedDevice(Engine& engine, CompletionSink* sink, std::vector<PowerStateSpec> states)
    : engine_(engine), sink_(sink), states_(engine, std::move(states), [this] { release_held(); }) {}

PowerManagedDevice::~PowerManagedDevice() {
  if (model_)
    model_->attach_client(nullptr);
}

void PowerManagedDevice::adopt(std::unique_ptr<IOBlockStorageDevice> model) {
  model_ = std::move(model);
  set_provider(model_.get());
  model_->attach_client(this);
}

// --- calls that need the device awake -------------------------------------------------------------

IOReturn PowerManagedDevice::doAsyncReadWrite(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                                              IOStorageAttributes* attributes, IOStorageCompletion* completion) {
  const std::uint32_t slot = calls_.acquire();
  Call& c = calls_[slot];
  c.kind = Kind::kReadWrite;
  c.buffer = buffer;
  c.block = block;
  c.nblks = nblks;
  if (attributes) {
    c.attributes = *attributes;
    c.has_attributes = true;
  }
  c.completion = completion ? *completion : IOStorageCompletion{};
  return arrive(slot);
}

IOReturn PowerManagedDevice::doSynchronize(std::uint64_t block, std::uint64_t nblks,
                                           IOStorageSynchronizeOptions options, IOStorageCompletion* completion) {
  const std::uint32_t slot = calls_.acquire();
  Call& c = calls_[slot];
  c.kind = Kind::kSynchronize;
  c.block = block;
  c.nblks = nblks;
  c.options = options;
  c.completion = completion ? *completion : IOStorageCompletion{};
  return arrive(slot);
}

IOReturn PowerManagedDevice::doUnmap(IOBlockStorageDeviceExtent* extents, std::uint32_t extentsCount,
                                     IOStorageUnmapOptions options, IOStorageCompletion* completion) {
  const std::uint32_t slot = calls_.acquire();
  Call& c = calls_[slot];
  c.kind = Kind::kUnmap;
  if (extents)
    c.extents.assign(extents, extents + extentsCount);
  c.options = options;
  c.completion = completion ? *completion : IOStorageCompletion{};
  return arrive(slot);
}

IOReturn PowerManagedDevice::arrive(std::uint32_t slot) {
  Call& c = calls_[slot];
  c.self = this;
  c.slot = slot;
  c.arrival = engine_.now();
  if (states_.admit())
    return send(slot);
  c.held = true;
  ++waited_requests_;
  if (c.kind == Kind::kReadWrite && c.buffer && c.buffer->request_id != 0)
    waited_submit_[c.buffer->request_id] = c.arrival;
  held_.push_back(slot);
  return kIOReturnSuccess;  // it goes to the model when the device is awake
}

// Sends an admitted call to the model. On a refusal the call is gone (and no longer counted).
IOReturn PowerManagedDevice::send(std::uint32_t slot) {
  Call& c = calls_[slot];
  c.held = false;
  IOStorageCompletion done{this, &PowerManagedDevice::call_done, &c};
  IOReturn status = kIOReturnSuccess;
  switch (c.kind) {
    case Kind::kReadWrite:
      status = model_->doAsyncReadWrite(c.buffer, c.block, c.nblks, c.has_attributes ? &c.attributes : nullptr, &done);
      break;
    case Kind::kSynchronize:
      status = model_->doSynchronize(c.block, c.nblks, c.options, &done);
      break;
    case Kind::kUnmap:
      status = model_->doUnmap(c.extents.empty() ? nullptr : c.extents.data(),
                               static_cast<std::uint32_t>(c.extents.size()), c.options, &done);
      break;
  }
  if (status != kIOReturnSuccess) {
    if (c.buffer)
      waited_submit_.erase(c.buffer->request_id);
    calls_.release(slot);
    states_.finished();
  }
  return status;
}

// The exit has ended: what waited goes to the model in arrival order. The model refusing one
// now (its media went away meanwhile) completes it with the refusal, since its caller was told
// it had started.
void PowerManagedDevice::release_held() {
  std::deque<std::uint32_t> held;
  held.swap(held_);
  for (const std::uint32_t slot : held) {
    states_.admit();
    const IOStorageCompletion completion = calls_[slot].completion;
    if (const IOReturn status = send(slot); status != kIOReturnSuccess)
      complete(completion, status, 0);
  }
}

void PowerManagedDevice::call_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes) {
  static_cast<PowerManagedDevice*>(target)->on_call_done(static_cast<Call*>(parameter)->slot, status, bytes);
}

void PowerManagedDevice::on_call_done(std::uint32_t slot, IOReturn status, std::uint64_t bytes) {
  const Call& c = calls_[slot];
  const IOStorageCompletion completion = c.completion;
  if (c.buffer && !waited_submit_.empty())
    waited_submit_.erase(c.buffer->request_id);
  calls_.release(slot);
  // The caller first: a request it sends from its completion finds the device still busy, as
  // the next command of a queue that never emptied does.
  complete(completion, status, bytes);
  states_.finished();
}

// --- power calls ----------------------------------------------------------------------------------

IOReturn PowerManagedDevice::requestIdle() { return states_.request(states_.deepest()); }

IOReturn PowerManagedDevice::setPowerState(std::uint32_t powerStateOrdinal) {
  return states_.request(powerStateOrdinal);
}

IOReturn PowerManagedDevice::getPowerState(std::uint32_t* powerStateOrdinal) const {
  *powerStateOrdinal = states_.current();
  return kIOReturnSuccess;
}

IOReturn PowerManagedDevice::abort(IOMemoryDescriptor* buffer) {
  for (auto it = held_.begin(); it != held_.end(); ++it) {
    if (calls_[*it].buffer != buffer)
      continue;
    const std::uint32_t slot = *it;
    held_.erase(it);
    const IOStorageCompletion completion = calls_[slot].completion;
    waited_submit_.erase(buffer->request_id);
    calls_.release(slot);
    engine_.at(engine_.now(), [completion] { complete(completion, kIOReturnAborted, 0); });
    return kIOReturnSuccess;
  }
  return model_->abort(buffer);
}

void PowerManagedDevice::power_cut() {
  states_.stop();
  model_->power_cut();
}

void PowerManagedDevice::collect_metrics(std::vector<DeviceMetric>* out) const {
  model_->collect_metrics(out);
  states_.collect_metrics(out);
  out->push_back({"power.waited_requests", static_cast<double>(waited_requests_), "count"});
}

std::string PowerManagedDevice::request_state(const IOMemoryDescriptor* buffer, Op op) const {
  for (const std::uint32_t slot : held_)
    if (buffer != nullptr && calls_[slot].buffer == buffer)
      return "held while the device is in a low-power state, waiting for " + states_.waiting_for();
  return model_->request_state(buffer, op);
}

IOReturn PowerManagedDevice::message(std::uint32_t type, IOBlockStorageDevice*, std::uintptr_t argument) {
  return messageClients(type, argument);
}

void PowerManagedDevice::record(const CompletionRecord& record) {
  if (sink_ == nullptr)
    return;
  if (!waited_submit_.empty() && record.layer == Layer::kDevice && record.request_id != 0) {
    if (auto it = waited_submit_.find(record.request_id); it != waited_submit_.end()) {
      CompletionRecord moved = record;
      moved.submit = it->second;
      waited_submit_.erase(it);
      sink_->record(moved);
      return;
    }
  }
  sink_->record(record);
}

}  // namespace blocksim
