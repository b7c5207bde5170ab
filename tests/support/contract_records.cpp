// ContractCase: the checks of every layer's completion records (contract_case.hpp).
#include "tests/support/contract_case.hpp"

namespace blocksim::testing {

void ContractCase::check_records() {
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

}  // namespace blocksim::testing
