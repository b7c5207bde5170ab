// What an engine event runs: any callable taking nothing, stored in place when it fits (up to
// kInline bytes: the lambdas the models schedule, a few pointers, an index and a Callback or a
// std::function), so that scheduling an event allocates nothing on the hot path; a larger callable
// goes to the heap. Move-only, like the events that own it.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace blocksim {

class EventAction {
 public:
  static constexpr std::size_t kInline = 64;

  EventAction() = default;
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, EventAction>>>
  EventAction(F&& fn) {  // NOLINT: implicit, as std::function's
    using T = std::decay_t<F>;
    if constexpr (sizeof(T) <= kInline && alignof(T) <= alignof(std::max_align_t) &&
                  std::is_nothrow_move_constructible_v<T>) {
      new (storage_) T(std::forward<F>(fn));
      ops_ = &kInPlace<T>;
    } else {
      *reinterpret_cast<T**>(storage_) = new T(std::forward<F>(fn));
      ops_ = &kOnHeap<T>;
    }
  }
  EventAction(EventAction&& other) noexcept { take(other); }
  EventAction& operator=(EventAction&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  EventAction(const EventAction&) = delete;
  EventAction& operator=(const EventAction&) = delete;
  ~EventAction() { reset(); }

  explicit operator bool() const { return ops_ != nullptr; }
  void operator()() { ops_->call(storage_); }
  void reset() {
    if (ops_) {
      ops_->destroy(storage_);
      ops_ = nullptr;
    }
  }

 private:
  struct Ops {
    void (*call)(void* storage);
    void (*move)(void* from, void* to);  // leaves `from` destroyed
    void (*destroy)(void* storage);
  };
  template <class T>
  static constexpr Ops kInPlace = {
      [](void* storage) { (*static_cast<T*>(storage))(); },
      [](void* from, void* to) {
        new (to) T(std::move(*static_cast<T*>(from)));
        static_cast<T*>(from)->~T();
      },
      [](void* storage) { static_cast<T*>(storage)->~T(); }};
  template <class T>
  static constexpr Ops kOnHeap = {[](void* storage) { (**static_cast<T**>(storage))(); },
                                  [](void* from, void* to) { *static_cast<T**>(to) = *static_cast<T**>(from); },
                                  [](void* storage) { delete *static_cast<T**>(storage); }};

  void take(EventAction& other) {
    if (other.ops_) {
      other.ops_->move(other.storage_, storage_);
      ops_ = other.ops_;
      other.ops_ = nullptr;
    }
  }

  alignas(std::max_align_t) unsigned char storage_[kInline];
  const Ops* ops_ = nullptr;
};

}  // namespace blocksim
