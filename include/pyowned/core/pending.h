// The queue of decrefs owed by Py<T> handles dropped on a detached thread.
#pragma once
#include "../detail/compat.h"
#include <atomic>
#include <mutex>
#include <vector>

namespace pyowned::detail {

// One short lock per push; the vector keeps its capacity across drains, so the common
// case allocates nothing. `nonempty` lets every attach check the queue with one relaxed load.
class PendingDecrefs {
public:
    void push(PyObject* obj) {
        std::lock_guard<std::mutex> lock(mutex_);
        objects_.push_back(obj);
        nonempty_.store(true, std::memory_order_release);
    }

    // Must run attached. Decrefs outside the lock: a decref may run arbitrary Python code,
    // which may drop (attached, so directly) or queue (other threads) more references.
    PYOWNED_INLINE void drain() {
        if (PYOWNED_LIKELY(!nonempty_.load(std::memory_order_relaxed))) return;
        drain_slow();
    }

    // After finalization the objects are gone: forget them without touching them.
    void forget() {
        std::lock_guard<std::mutex> lock(mutex_);
        objects_.clear();
        nonempty_.store(false, std::memory_order_relaxed);
    }

private:
    PYOWNED_COLD void drain_slow() {
        std::vector<PyObject*> batch;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            batch.swap(objects_);
            nonempty_.store(false, std::memory_order_relaxed);
        }
        for (PyObject* obj : batch) Py_DECREF(obj);
        batch.clear();
        std::lock_guard<std::mutex> lock(mutex_);
        if (objects_.empty()) objects_.swap(batch);  // give the capacity back
    }

    std::mutex mutex_;
    std::vector<PyObject*> objects_;
    std::atomic<bool> nonempty_{false};
};

// One queue per shared object that includes pyowned (an extension module or a program).
constinit inline PendingDecrefs pending_decrefs{};

PYOWNED_INLINE void drain_pending_decrefs() { pending_decrefs.drain(); }

// Releases a strong reference from a context that may or may not be attached: directly
// when attached, queued when not, and not at all once the interpreter is gone.
inline void release_anywhere(PyObject* obj) {
    if (PYOWNED_LIKELY(compat::is_attached())) {  // attached implies initialized
        Py_DECREF(obj);
    } else if (Py_IsInitialized()) {
        pending_decrefs.push(obj);
    }
}

}  // namespace pyowned::detail
