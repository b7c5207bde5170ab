#include "sim/device/request_ledger.hpp"

#include <algorithm>
#include <sstream>

#include "sim/device/block_storage_device.hpp"

namespace blocksim {

namespace {
constexpr std::size_t kRecentLimit = 4096;

std::uint64_t ticket_of(std::uint32_t slot, std::uint32_t generation) {
  return (static_cast<std::uint64_t>(generation) << 32) | slot;
}
}  // namespace

IOStorageCompletion RequestLedger::open(const LedgerRequest& request, const IOStorageCompletion& inner) {
  const std::uint32_t slot = entries_.acquire();
  if (slot >= generations_.size())
    generations_.resize(slot + 1, 0);
  const std::uint32_t generation = ++generations_[slot];
  Entry& entry = entries_[slot];
  entry.request = request;
  entry.inner = inner;
  entry.generation = generation;
  ++opened_;
  // The ticket travels as the completion's parameter: slot and generation, so that a completion
  // arriving after its slot was reused is told from the slot's new request.
  return IOStorageCompletion{this, &RequestLedger::completed,
                             reinterpret_cast<void*>(static_cast<std::uintptr_t>(ticket_of(slot, generation)))};
}

void RequestLedger::refused(const IOStorageCompletion& wrapped) {
  const auto ticket = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(wrapped.parameter));
  const auto slot = static_cast<std::uint32_t>(ticket);
  const auto generation = static_cast<std::uint32_t>(ticket >> 32);
  if (slot >= generations_.size() || generations_[slot] != generation || entries_[slot].generation != generation)
    return;
  remember(ticket, entries_[slot].request, -1);
  entries_[slot].generation = 0;
  entries_.release(slot);
}

void RequestLedger::completed(void* target, void* parameter, IOReturn status, std::uint64_t bytes) {
  static_cast<RequestLedger*>(target)->strike(
      static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(parameter)), status, bytes);
}

void RequestLedger::strike(std::uint64_t ticket, IOReturn status, std::uint64_t bytes) {
  const auto slot = static_cast<std::uint32_t>(ticket);
  const auto generation = static_cast<std::uint32_t>(ticket >> 32);
  const SimTime now = engine_ ? engine_->now() : 0;
  if (slot < generations_.size() && entries_[slot].generation == generation && generation != 0) {
    const Entry entry = entries_[slot];
    remember(ticket, entry.request, now);
    entries_[slot].generation = 0;
    entries_.release(slot);
    complete(entry.inner, status, bytes);
    return;
  }
  std::ostringstream text;
  const Closed* before = recall(ticket);
  if (before && before->completed < 0) {
    ++late_completions_;
    text << "completion of a request whose call returned an error (it never started): "
         << describe(before->request) << ", completed at " << now << " ns";
  } else {
    ++double_completions_;
    text << "request completed a second time at " << now << " ns: ";
    if (before)
      text << describe(before->request) << ", first completed at " << before->completed << " ns";
    else
      text << "(an older request, no longer named in the ledger)";
  }
  violation(text.str());
}

void RequestLedger::violation(const std::string& text) {
  violations_.push_back(text);
  if (on_violation_)
    on_violation_(text);
}

void RequestLedger::remember(std::uint64_t ticket, const LedgerRequest& request, SimTime completed) {
  if (recent_.size() < kRecentLimit) {
    recent_.push_back({ticket, request, completed});
    return;
  }
  recent_[recent_next_] = {ticket, request, completed};
  recent_next_ = (recent_next_ + 1) % kRecentLimit;
}

const RequestLedger::Closed* RequestLedger::recall(std::uint64_t ticket) const {
  for (const Closed& closed : recent_)
    if (closed.ticket == ticket)
      return &closed;
  return nullptr;
}

std::vector<LedgerRequest> RequestLedger::oldest_outstanding(std::size_t limit, bool from_workload) const {
  std::vector<LedgerRequest> open;
  for (std::uint32_t slot = 0; slot < entries_.size(); ++slot)
    if (entries_[slot].generation != 0 && entries_[slot].request.from_workload == from_workload)
      open.push_back(entries_[slot].request);
  std::stable_sort(open.begin(), open.end(),
                   [](const LedgerRequest& a, const LedgerRequest& b) { return a.issued < b.issued; });
  if (open.size() > limit)
    open.resize(limit);
  return open;
}

std::size_t RequestLedger::outstanding_from_workloads() const {
  std::size_t count = 0;
  for (std::uint32_t slot = 0; slot < entries_.size(); ++slot)
    count += entries_[slot].generation != 0 && entries_[slot].request.from_workload ? 1 : 0;
  return count;
}

std::string RequestLedger::describe(const LedgerRequest& request) const {
  std::ostringstream text;
  const bool blocks = request.layer == Layer::kDevice && !request.from_workload;
  text << (request.from_workload ? "workload" : layer_name(request.layer)) << " layer, device ";
  if (request.device < device_names_.size())
    text << '"' << device_names_[request.device] << '"';
  else
    text << request.device;
  text << ", " << op_name(request.op);
  if (request.op == Op::kRead || request.op == Op::kWrite || request.op == Op::kUnmap)
    text << " at " << (blocks ? "block " : "byte ") << request.offset << " length " << request.length
         << (blocks ? " blocks" : " bytes");
  text << ", issued at " << request.issued << " ns";
  if (request.request_id)
    text << ", request id " << request.request_id;
  if (request.holder) {
    const std::string state = request.holder->request_state(request.buffer, request.op);
    if (!state.empty())
      text << "; the model holds it: " << state;
  }
  return text.str();
}

void RequestLedger::report(std::ostream& out, std::size_t limit) const {
  if (outstanding() > 0) {
    const std::size_t from_workloads = outstanding_from_workloads();
    out << "requests never completed: " << outstanding() << " (" << from_workloads << " issued by workloads, "
        << outstanding() - from_workloads << " passed down by the stack's layers)\n";
    for (const bool from_workload : {true, false})
      for (const LedgerRequest& request : oldest_outstanding(limit, from_workload))
        out << "  " << describe(request) << "\n";
  }
  for (std::size_t i = 0; i < violations_.size() && i < limit; ++i)
    out << "contract violation: " << violations_[i] << "\n";
  if (violations_.size() > limit)
    out << "contract violations in all: " << violations_.size() << "\n";
}

}  // namespace blocksim
