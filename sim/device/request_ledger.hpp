// The run's check of the completion contract (driver-api.md: a started request completes exactly
// once): every request a workload issues and every request a layer passes down is entered here
// when it starts and struck off when its completion runs. A layer hands down, in place of its own
// completion, the one open() returns; the ledger's completion strikes the entry off and calls the
// layer's. What is still open when the engine has nothing left to do was lost; a completion that
// comes for an entry already struck off is a double completion, reported at the moment it happens
// (and not passed on, so the layer above never sees a request end twice).
//
// A call that returns an error has not started (its completion must never run): the caller says
// so with refused(), and a completion that comes for it later is a violation too.
//
// Owned by the run (Simulation, or a test); layers hold a pointer to it through their context.
// Entries live in a pool sized by the requests in flight; a small ring of recently struck-off
// entries names the request of a late second completion.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "sim/device/completion_record.hpp"
#include "sim/core/engine.hpp"
#include "sim/core/slot_pool.hpp"
#include "sim/device/storage_types.hpp"

namespace blocksim {

class IOBlockStorageDevice;

// What a ledger entry says of its request.
struct LedgerRequest {
  Layer layer = Layer::kDevice;
  bool from_workload = false;  // entered where a workload called the stack (above every layer)
  std::uint32_t device = 0;  // the device's index in the run
  Op op = Op::kRead;
  std::uint64_t offset = 0;  // bytes above the device interface, blocks at the device layer
  std::uint64_t length = 0;  // bytes above, blocks at the device layer
  SimTime issued = 0;
  std::uint64_t request_id = 0;
  const IOMemoryDescriptor* buffer = nullptr;   // null for commands without data
  const IOBlockStorageDevice* holder = nullptr;  // device-layer entries: the model holding it
};

class RequestLedger {
 public:
  // Called with a violation's text the moment it is found (the run prints it at once).
  using ViolationHandler = std::function<void(const std::string&)>;

  // `engine` (may be null in tests that have none) stamps completion times.
  explicit RequestLedger(const Engine* engine = nullptr) : engine_(engine) {}
  RequestLedger(const RequestLedger&) = delete;
  RequestLedger& operator=(const RequestLedger&) = delete;

  void set_violation_handler(ViolationHandler handler) { on_violation_ = std::move(handler); }
  // The run's device names, by index, for messages (else devices are named by index).
  void name_devices(std::vector<std::string> names) { device_names_ = std::move(names); }

  // Enters `request`; returns the completion to hand down in place of `inner`.
  IOStorageCompletion open(const LedgerRequest& request, const IOStorageCompletion& inner);
  // The call that was handed `wrapped` returned an error: the request never started.
  void refused(const IOStorageCompletion& wrapped);

  std::size_t outstanding() const { return entries_.in_use(); }
  std::uint64_t opened() const { return opened_; }
  std::uint64_t double_completions() const { return double_completions_; }
  std::uint64_t late_completions() const { return late_completions_; }  // of refused calls
  // The outstanding requests, oldest first, at most `limit` of them: those a workload issued, or
  // those a layer passed down.
  std::vector<LedgerRequest> oldest_outstanding(std::size_t limit, bool from_workload) const;
  std::size_t outstanding_from_workloads() const;
  // Every violation so far: double completions and completions of refused calls.
  const std::vector<std::string>& violations() const { return violations_; }
  // Contract kept: nothing outstanding (unless `outstanding_allowed`, after a power cut) and no
  // violation.
  bool kept(bool outstanding_allowed = false) const {
    return violations_.empty() && (outstanding_allowed || outstanding() == 0);
  }
  // The lost requests (the first `limit` of the workloads' and of the layers', with what the
  // model holds them as) and the violations.
  void report(std::ostream& out, std::size_t limit = 5) const;

  std::string describe(const LedgerRequest& request) const;

 private:
  struct Entry {
    LedgerRequest request;
    IOStorageCompletion inner;
    std::uint32_t generation = 0;
    bool refused = false;
  };
  struct Closed {
    std::uint64_t ticket = 0;
    LedgerRequest request;
    SimTime completed = -1;  // -1: refused
  };
  static void completed(void* target, void* parameter, IOReturn status, std::uint64_t bytes);
  void strike(std::uint64_t ticket, IOReturn status, std::uint64_t bytes);
  void violation(const std::string& text);
  void remember(std::uint64_t ticket, const LedgerRequest& request, SimTime completed);
  const Closed* recall(std::uint64_t ticket) const;

  SlotPool<Entry> entries_;
  std::vector<std::uint32_t> generations_;  // per slot; survives the slot's reuse
  std::vector<Closed> recent_;              // ring of struck-off entries
  std::size_t recent_next_ = 0;
  std::uint64_t opened_ = 0;
  std::uint64_t double_completions_ = 0;
  std::uint64_t late_completions_ = 0;
  std::vector<std::string> violations_;
  std::vector<std::string> device_names_;
  ViolationHandler on_violation_;
  const Engine* engine_;
};

}  // namespace blocksim
