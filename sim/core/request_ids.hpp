// Hands out the run's request ids, 1, 2, 3 ..., shared by every workload and by the layers of the
// stack that split requests (their pieces get ids of their own), so ids are unique in a
// trace. 0 means "no request" in trace records.
#pragma once

#include <cstdint>

namespace blocksim {

class RequestIds {
 public:
  std::uint64_t next() { return ++last_; }
  std::uint64_t last() const { return last_; }

 private:
  std::uint64_t last_ = 0;
};

}  // namespace blocksim
