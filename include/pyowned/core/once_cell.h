// py::OnceCell<T>: a value initialized once per interpreter run, for module-level caches.
#pragma once
#include "python.h"
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <utility>

namespace pyowned {

// get_or_init(py, f) returns the stored value, calling f(py) to make it the first time in
// each interpreter run (core/lifetime.h): after a py::Interpreter is made again, the value
// of the earlier run (whose objects are gone) is replaced, never handed out.
// f runs without any lock held, since it may run Python code that releases the GIL or
// re-enters: when two threads race, both may call f, the first result is kept and the
// other dropped (attached, so a handle in it is released at once). A Py<T> in the value
// outlives its interpreter run harmlessly (its drop then does nothing).
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
        const std::uint64_t run = detail::current_run();
        if (run_.load(std::memory_order_relaxed) != run) {
            value_.emplace(std::move(made));  // replaces an earlier run's value
            run_.store(run, std::memory_order_release);
        }
        return *value_;
    }

    // The value if it has been initialized in this interpreter run, else nullptr.
    const T* get() const noexcept {
        return run_.load(std::memory_order_acquire) == detail::current_run() ? &*value_ : nullptr;
    }

private:
    std::atomic<std::uint64_t> run_{0};  // the run the value was made in; 0: none yet
    std::mutex mutex_;
    std::optional<T> value_;
};

}  // namespace pyowned
