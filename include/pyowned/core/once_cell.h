// py::OnceCell<T>: a value initialized once (per interpreter), for module-level caches.
#pragma once
#include "python.h"
#include <atomic>
#include <mutex>
#include <optional>
#include <utility>

namespace pyowned {

// get_or_init(py, f) returns the stored value, calling f(py) to make it the first time.
// f runs without any lock held, since it may run Python code that releases the GIL or
// re-enters: when two threads race, both may call f, the first result is kept and the
// other dropped (attached, so a handle in it is released at once). The value lives as
// long as the cell; a Py<T> in it outlives the interpreter harmlessly (no-op decref).
template <class T>
class OnceCell {
public:
    constexpr OnceCell() noexcept = default;
    OnceCell(const OnceCell&) = delete;
    OnceCell& operator=(const OnceCell&) = delete;

    template <class F>
    const T& get_or_init(Python py, F&& make) {
        if (const T* value = get()) return *value;
        T made = std::forward<F>(make)(py);
        std::lock_guard<std::mutex> lock(mutex_);
        if (!ready_.load(std::memory_order_relaxed)) {
            value_.emplace(std::move(made));
            ready_.store(true, std::memory_order_release);
        }
        return *value_;
    }

    // The value if it has been initialized, else nullptr.
    const T* get() const noexcept {
        return ready_.load(std::memory_order_acquire) ? &*value_ : nullptr;
    }

private:
    std::atomic<bool> ready_{false};
    std::mutex mutex_;
    std::optional<T> value_;
};

}  // namespace pyowned
