// The queue of decrefs owed by Py<T> handles dropped on a detached thread, and of other
// releases owed to Python (a buffer view's PyBuffer_Release) from such threads.
#pragma once
#include "../detail/compat.h"
#include <atomic>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

namespace pyowned::detail {

// One short lock per push; the vector keeps its capacity across drains, so the common
// case allocates nothing. `nonempty` lets every attach check the queue with one relaxed load.
class PendingDecrefs {
public:
    // `run`: the interpreter run the reference belongs to (see lifetime.h). Checked under
    // the lock, so a push racing with the end of that run is dropped, never drained later.
    // Out of memory, the reference is lost (leaked) rather than touched detached.
    void push(PyObject* obj, std::uint64_t run) noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        if (run != run_) return;
        try {
            objects_.push_back(obj);
        } catch (...) {
            return;
        }
        nonempty_.store(true, std::memory_order_release);
    }

    // A release that must run attached: `release(data, true)` at the next drain, or
    // `release(data, false)` (free `data` without touching Python) when the run ends first.
    using Release = void (*)(void* data, bool attached) noexcept;
    void push_release(Release release, void* data, std::uint64_t run) noexcept {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (run == run_) {
                try {
                    releases_.push_back({release, data});
                    nonempty_.store(true, std::memory_order_release);
                    return;
                } catch (...) {  // out of memory: freed without the release (a leak, not a crash)
                }
            }
        }
        release(data, false);
    }

    // Must run attached. Decrefs outside the lock: a decref may run arbitrary Python code,
    // which may drop (attached, so directly) or queue (other threads) more references.
    PYOWNED_INLINE void drain() {
        if (PYOWNED_LIKELY(!nonempty_.load(std::memory_order_relaxed))) return;
        drain_slow();
    }

    // Whether references wait to be dropped: the fast lanes of bindings leave a waiting
    // queue to the full path, which drains it.
    PYOWNED_INLINE bool waiting() const noexcept { return nonempty_.load(std::memory_order_relaxed); }

    // After finalization the objects are gone: forget them without touching them, and
    // take only references of `next_run` from now on.
    void forget(std::uint64_t next_run);

private:
    PYOWNED_CORE_COLD void drain_slow();

    std::mutex mutex_;
    std::vector<PyObject*> objects_;
    std::vector<std::pair<Release, void*>> releases_;
    std::atomic<bool> nonempty_{false};
    std::uint64_t run_ = 1;  // guarded by mutex_
};

// One queue per shared object that includes pyowned (an extension module or a program).
constinit inline PendingDecrefs pending_decrefs{};

PYOWNED_INLINE void drain_pending_decrefs() { pending_decrefs.drain(); }
PYOWNED_INLINE bool pending_decrefs_waiting() noexcept { return pending_decrefs.waiting(); }

}  // namespace pyowned::detail

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE void PendingDecrefs::forget(std::uint64_t next_run) {
    std::vector<std::pair<Release, void*>> releases;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        releases.swap(releases_);
        objects_.clear();
        run_ = next_run;
        nonempty_.store(false, std::memory_order_relaxed);
    }
    for (auto [release, data] : releases) release(data, false);
}

PYOWNED_CORE void PendingDecrefs::drain_slow() {
    std::vector<PyObject*> batch;
    std::vector<std::pair<Release, void*>> releases;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        batch.swap(objects_);
        releases.swap(releases_);
        nonempty_.store(false, std::memory_order_relaxed);
    }
    for (auto [release, data] : releases) release(data, true);
    for (PyObject* obj : batch) Py_DECREF(obj);
    batch.clear();
    std::lock_guard<std::mutex> lock(mutex_);
    if (objects_.empty()) objects_.swap(batch);  // give the capacity back
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
