// Brings a fresh FTL to a given state without simulating the writes in time: a sequential fill of
// a share of the logical space (laid out by SequentialLayout, no memory per unit), then uniformly
// random single-unit overwrites of the filled space through the FTL and its garbage collection,
// exactly as the timed path places them (one open block per plane, GC copies kept in the
// victim's plane), until the valid-page distribution is that of the random-write steady state.
// Counters are reset afterwards: metrics cover the simulated run only.
#pragma once

#include <cstdint>

#include "models/ssd/ftl.hpp"
#include "sim/core/random.hpp"

namespace blocksim::ssd {

struct PreconditionResult {
  std::uint64_t filled_units = 0;
  std::uint64_t overwrites = 0;
  std::uint64_t gc_victims = 0;
};

PreconditionResult precondition(Ftl& ftl, double fill, double random_overwrites, Rng& rng);

// Places host unit `lpn` on flash without simulated time, in the next plane round robin from
// `cursor` that has room (collecting garbage where one has none), then collects garbage in that
// plane while it is at its foreground threshold, counting victims into `gc_victims`: how
// preconditioning lays out its overwrites, and how a drive with power-loss protection writes its
// cache out when the power fails. False when no plane can take it.
bool place_without_time(Ftl& ftl, std::uint32_t lpn, std::uint32_t& cursor, std::uint64_t* gc_victims);

// Collects one victim of `plane` at once: copies its valid units into the plane's open block and
// erases it. False when the plane has no victim worth collecting.
bool collect_now(Ftl& ftl, std::uint32_t plane);

}  // namespace blocksim::ssd
