#include "sim/trace/trace_format.hpp"

namespace blocksim {

void to_proto(const CompletionRecord& r, proto::Completion* out) {
  out->set_request_id(r.request_id);
  out->set_device(r.device);
  out->set_op(static_cast<proto::Op>(static_cast<int>(r.op)));
  out->set_lba(r.lba);
  out->set_blocks(r.blocks);
  out->set_bytes(r.bytes);
  out->set_flags(r.flags);
  out->set_submit_ns(static_cast<std::uint64_t>(r.submit));
  out->set_dispatch_ns(static_cast<std::uint64_t>(r.dispatch));
  out->set_complete_ns(static_cast<std::uint64_t>(r.complete));
  out->set_status(r.status);
  out->set_queue_depth(r.queue_depth);
  out->set_layer(static_cast<proto::Layer>(static_cast<int>(r.layer)));
  if (r.parent_id != 0)
    out->set_parent_id(r.parent_id);
  else
    out->clear_parent_id();
}

CompletionRecord from_proto(const proto::Completion& c) {
  CompletionRecord r;
  r.request_id = c.request_id();
  r.parent_id = c.parent_id();
  r.device = c.device();
  r.op = static_cast<blocksim::Op>(static_cast<int>(c.op()));
  r.layer = static_cast<blocksim::Layer>(static_cast<int>(c.layer()));
  r.flags = c.flags();
  r.lba = c.lba();
  r.blocks = c.blocks();
  r.bytes = c.bytes();
  r.submit = static_cast<SimTime>(c.submit_ns());
  // A converted trace leaves out the times its source did not record: latency 0, not garbage.
  r.dispatch = static_cast<SimTime>(c.has_dispatch_ns() ? c.dispatch_ns() : c.submit_ns());
  r.complete = static_cast<SimTime>(c.has_complete_ns() ? c.complete_ns() : c.submit_ns());
  r.status = c.status();
  r.queue_depth = c.queue_depth();
  return r;
}

}  // namespace blocksim
