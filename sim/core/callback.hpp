// A plain function pointer with a context and one integer argument: the allocation-free
// callback the engine and the device models pass along the hot path, where std::function
// would allocate per request.
#pragma once

#include <cstdint>

namespace blocksim {

struct Callback {
  void (*fn)(void* context, std::uint64_t arg) = nullptr;
  void* context = nullptr;
  std::uint64_t arg = 0;

  void operator()() const { fn(context, arg); }
  explicit operator bool() const { return fn != nullptr; }

  // Binds a member function `void T::method(std::uint64_t)` of `object`.
  template <class T, void (T::*Method)(std::uint64_t)>
  static Callback to(T* object, std::uint64_t arg) {
    return Callback{[](void* self, std::uint64_t a) { (static_cast<T*>(self)->*Method)(a); }, object, arg};
  }
};

}  // namespace blocksim
