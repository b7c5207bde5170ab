#include "models/ssd/nand_array.hpp"

#include <algorithm>
#include <cmath>

namespace blocksim::ssd {

NandArray::NandArray(Engine& engine, const SsdGeometry& geometry, const NandTiming& timing)
    : engine_(engine), g_(geometry), t_(timing), dies_(geometry.dies()), channels_(geometry.channels) {
  for (std::uint32_t die = 0; die < geometry.dies(); ++die)
    set_idle(die, true);
}

void NandArray::read(std::uint32_t plane, std::uint32_t page_in_plane, std::uint64_t bytes, Callback done,
                     SimTime read_time) {
  const std::uint32_t index = read_ops_.acquire();
  read_ops_[index] = ReadOp{plane, page_in_plane, bytes, done, read_time > 0 ? read_time : t_.read};
  const std::uint32_t die = g_.die_of_plane(plane);
  dies_[die].reads.push_back(index);
  if (holds_ == 0) {
    try_start(die, false);
  } else if (!dies_[die].held) {
    dies_[die].held = true;
    held_dies_.push_back(die);
  }
}

void NandArray::release_starts() {
  if (--holds_ > 0)
    return;
  std::vector<std::uint32_t> dies;
  dies.swap(held_dies_);
  for (const std::uint32_t die : dies) {
    dies_[die].held = false;
    try_start(die, false);
  }
}

void NandArray::program(std::uint32_t die, std::uint64_t bytes, Callback done) {
  dies_[die].programs.push_back(ProgramOp{bytes, 0, done, 0});
  try_start(die, false);
}

void NandArray::erase(std::uint32_t die, Callback done) {
  dies_[die].erases.push_back(done);
  try_start(die, false);
}

void NandArray::kick_idle() {
  // Backwards: a die that starts leaves the list by swapping the last entry into its place.
  for (std::size_t i = idle_.size(); i-- > 0;) {
    if (!scheduler_ || !scheduler_->has_work())
      return;
    if (i < idle_.size())
      try_start(idle_[i], false);
  }
}

void NandArray::set_idle(std::uint32_t die, bool idle) {
  Die& d = dies_[die];
  if (idle && d.idle_position == kNotIdle) {
    d.idle_position = idle_.size();
    idle_.push_back(die);
  } else if (!idle && d.idle_position != kNotIdle) {
    const std::uint32_t last = idle_.back();
    idle_[d.idle_position] = last;
    dies_[last].idle_position = d.idle_position;
    idle_.pop_back();
    d.idle_position = kNotIdle;
  }
}

void NandArray::begin(std::uint32_t die, Activity activity) {
  Die& d = dies_[die];
  d.activity = activity;
  d.busy_since = engine_.now();
  set_idle(die, false);
}

void NandArray::end(std::uint32_t die) {
  Die& d = dies_[die];
  d.busy_total += engine_.now() - d.busy_since;
  d.activity = Activity::kNone;
}

void NandArray::try_start(std::uint32_t die, bool just_idle) {
  Die& d = dies_[die];
  if (d.activity != Activity::kNone)
    return;
  if (!d.reads.empty()) {
    start_reads(die);
    return;
  }
  if (!d.erases.empty()) {
    d.erase_done = d.erases.front();
    d.erases.pop_front();
    begin(die, Activity::kErase);
    engine_.after(at_speed(t_.erase, die), [this, die] {
      end(die);
      const Callback done = dies_[die].erase_done;
      try_start(die, true);
      done();
    });
    return;
  }
  ProgramOp op;
  bool have = false;
  if (!d.programs.empty()) {
    op = d.programs.front();
    d.programs.pop_front();
    have = true;
  } else if (scheduler_ && scheduler_->has_work()) {
    d.activity = Activity::kAsking;
    have = scheduler_->next_program(die, &op);
    d.activity = Activity::kNone;
    if (!have && (!d.reads.empty() || !d.erases.empty() || !d.programs.empty())) {
      try_start(die, just_idle);  // the scheduler queued work here meanwhile
      return;
    }
  }
  if (have) {
    d.program = op;
    begin(die, Activity::kProgram);
    ++programs_;
    if (op.merge_reads > 0)
      engine_.after(at_speed(t_.read * op.merge_reads, die),
                    [this, die] { need_channel(die, dies_[die].program.bytes); });
    else
      need_channel(die, op.bytes);
    return;
  }
  set_idle(die, true);
  if (just_idle && scheduler_)
    scheduler_->die_idle(die);
}

void NandArray::start_reads(std::uint32_t die) {
  Die& d = dies_[die];
  d.group.clear();
  const std::uint32_t first = d.reads.front();
  d.reads.pop_front();
  d.group.push_back(first);
  std::uint64_t bytes = read_ops_[first].bytes;
  SimTime read_time = read_ops_[first].read_time;
  if (t_.multi_plane && g_.planes_per_die > 1) {
    const std::uint32_t page = read_ops_[first].page;
    std::uint32_t planes_taken = 1u << (read_ops_[first].plane % g_.planes_per_die);
    for (std::size_t i = 0; i < d.reads.size() && i < kReadScanWindow && d.group.size() < g_.planes_per_die;) {
      const ReadOp& op = read_ops_[d.reads[i]];
      const std::uint32_t bit = 1u << (op.plane % g_.planes_per_die);
      if (op.page == page && !(planes_taken & bit)) {
        planes_taken |= bit;
        bytes += op.bytes;
        read_time = std::max(read_time, op.read_time);
        d.group.push_back(d.reads[i]);
        d.reads.erase(d.reads.begin() + static_cast<std::ptrdiff_t>(i));
      } else {
        ++i;
      }
    }
  }
  page_reads_ += d.group.size();
  multi_plane_reads_ += d.group.size() > 1;
  begin(die, Activity::kRead);
  engine_.after(at_speed(read_time, die), [this, die, bytes] { need_channel(die, bytes); });
}

void NandArray::set_die_speed(std::uint32_t die, double speed) {
  if (die_speed_.empty())
    die_speed_.assign(dies_.size(), 1.0);
  die_speed_.at(die) = speed;
}

SimTime NandArray::at_speed(SimTime duration, std::uint32_t die) const {
  if (die_speed_.empty() || die_speed_[die] == 1.0)
    return duration;
  return static_cast<SimTime>(std::llround(static_cast<double>(duration) / die_speed_[die]));
}

void NandArray::need_channel(std::uint32_t die, std::uint64_t bytes) {
  Die& d = dies_[die];
  d.transfer = t_.command + static_cast<SimTime>(std::llround(static_cast<double>(bytes) * 1e9 /
                                                             t_.channel_bytes_per_second));
  const std::uint32_t channel = g_.channel_of_die(die);
  if (channels_[channel].busy)
    channels_[channel].waiting.push_back(die);
  else
    start_transfer(channel, die);
}

void NandArray::start_transfer(std::uint32_t channel, std::uint32_t die) {
  Channel& c = channels_[channel];
  c.busy = true;
  const SimTime duration = dies_[die].transfer;
  c.busy_total += duration;
  engine_.after(duration, [this, channel, die] { transfer_done(channel, die); });
}

void NandArray::transfer_done(std::uint32_t channel, std::uint32_t die) {
  Channel& c = channels_[channel];
  c.busy = false;
  if (!c.waiting.empty()) {
    const std::uint32_t next = c.waiting.front();
    c.waiting.pop_front();
    start_transfer(channel, next);
  }
  if (dies_[die].activity == Activity::kRead) {
    reads_done(die);
    return;
  }
  const SimTime program = dies_[die].program.program_time > 0 ? dies_[die].program.program_time : t_.program;
  engine_.after(at_speed(program, die), [this, die] {
    end(die);
    const Callback done = dies_[die].program.done;
    try_start(die, true);
    done();
  });
}

void NandArray::reads_done(std::uint32_t die) {
  end(die);
  // The callbacks may start reads on this die: take them out of the die's state first.
  std::vector<Callback> finished;
  finished.swap(finished_);
  finished.clear();
  for (const std::uint32_t index : dies_[die].group) {
    finished.push_back(read_ops_[index].done);
    read_ops_.release(index);
  }
  dies_[die].group.clear();
  try_start(die, true);
  for (const Callback& done : finished)
    done();
  finished.swap(finished_);
}

}  // namespace blocksim::ssd
