// Interpreter lifetimes: which run of Python (initialize ... finalize) a reference belongs to.
#pragma once
#include "../detail/compat.h"
#include "intern.h"
#include "kwnames.h"
#include "pending.h"
#include <atomic>
#include <cstdint>
#include <mutex>

namespace pyowned::detail {

// Python may be finalized and initialized again in one process (a py::Interpreter made a
// second time, or a host that does so around an extension module). A reference kept from
// an earlier run points into memory that finalization freed: it must never be touched
// again, not even to drop it. So every reference that may outlive a run (Py<T>, py::Error,
// the queue of pending decrefs, the caches below) remembers the number of the run it was
// made in, and is only used while that run is the current one.
//
// The number is bumped when a run ends: by ~Interpreter after Py_FinalizeEx, and by a
// Py_AtExit callback, which CPython calls as the very last step of Py_FinalizeEx, after
// every object that finalization frees is gone (so drops during finalization still
// decref). The callback is registered once per run by whatever pyowned code runs first in
// it (an Interpreter, a module's import, attach). Each shared object that includes pyowned
// (an extension module, a program) has its own number and its own callback: a Py<T> made in
// one of them is dropped by code of the same one.
class RunPointerBase;

class Lifetimes {
public:
    // The current run's number. Relaxed: a run is current for every thread that can reach a
    // reference made in it (they are attached, or synchronized with a thread that was).
    PYOWNED_INLINE std::uint64_t current() const noexcept { return current_.load(std::memory_order_relaxed); }

    // Registers the end-of-run callback for the current run if it is not yet. Attached.
    PYOWNED_INLINE void track() noexcept {
        if (PYOWNED_LIKELY(tracked_.load(std::memory_order_relaxed) == current())) return;
        track_slow();
    }

    // Ends the current run: forgets what the tables and the queue hold (without touching
    // it) and moves to the next number. Runs with no thread attached (after Py_FinalizeEx).
    void end_run() noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        std::uint64_t next = current() + 1;
        pending_decrefs.forget(next);
        intern_table.forget();
        kwnames_table.forget();
        clear_run_pointers();
        current_.store(next, std::memory_order_relaxed);
    }

    // Links `p` into the pointers end_run clears (once) and stores `value` in it.
    inline void keep(RunPointerBase& p, void* value) noexcept;

private:
    PYOWNED_COLD void track_slow() noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        std::uint64_t run = current();
        if (tracked_.load(std::memory_order_relaxed) == run) return;
        // At most 32 callbacks fit (CPython's limit); without one, only ~Interpreter ends runs.
        if (Py_AtExit(&on_finalized) == 0) tracked_.store(run, std::memory_order_relaxed);
    }
    static void on_finalized();  // defined below: it ends the run of `lifetimes`
    inline void clear_run_pointers() noexcept;

    RunPointerBase* run_pointers_ = nullptr;  // guarded by mutex_

    std::atomic<std::uint64_t> current_{1};
    std::atomic<std::uint64_t> tracked_{0};  // the run whose callback is registered
    std::mutex mutex_;
};

// A pointer valid for the run it was stored in, which the end of that run clears: a hot path
// reads it with one load and no compare of run numbers (the caches of bound classes).
class RunPointerBase {
protected:
    friend class Lifetimes;
    std::atomic<void*> value_{nullptr};
    RunPointerBase* next_ = nullptr;  // in Lifetimes' list, once linked
    bool linked_ = false;
};

template <class T>
class RunPointer : RunPointerBase {
public:
    // Acquire: a reader sees what was written to *p before it was stored.
    PYOWNED_INLINE T* get() const noexcept { return static_cast<T*>(value_.load(std::memory_order_acquire)); }
    inline void set(T* p) noexcept;
};

constinit inline Lifetimes lifetimes{};

inline void Lifetimes::keep(RunPointerBase& p, void* value) noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!p.linked_) {
        p.next_ = run_pointers_;
        run_pointers_ = &p;
        p.linked_ = true;
    }
    p.value_.store(value, std::memory_order_release);
}
inline void Lifetimes::clear_run_pointers() noexcept {  // under mutex_
    for (RunPointerBase* p = run_pointers_; p; p = p->next_) p->value_.store(nullptr, std::memory_order_relaxed);
}
template <class T>
inline void RunPointer<T>::set(T* p) noexcept {
    lifetimes.keep(*this, const_cast<void*>(static_cast<const void*>(p)));
}

PYOWNED_INLINE std::uint64_t current_run() noexcept { return lifetimes.current(); }

// Releases a strong reference of run `run` from a context that may or may not be attached:
// directly when attached, queued when not, and not at all once that run has ended (the
// object is gone, and another run may be current).
inline void release_anywhere(PyObject* obj, std::uint64_t run) {
    if (PYOWNED_UNLIKELY(run != current_run())) return;
    if (PYOWNED_LIKELY(compat::is_attached())) {  // attached implies initialized
        Py_DECREF(obj);
    } else if (Py_IsInitialized()) {
        pending_decrefs.push(obj, run);
    }
}

// Locks `m` from an attached thread, waiting detached: the thread holding it may need to
// attach (take the GIL, or stop the world on free-threaded builds) before it lets go.
[[nodiscard]] inline std::unique_lock<std::mutex> lock_attached(std::mutex& m) {
    std::unique_lock<std::mutex> lock(m, std::try_to_lock);
    if (!lock.owns_lock()) {
        PyThreadState* state = PyEval_SaveThread();
        lock.lock();
        PyEval_RestoreThread(state);
    }
    return lock;
}

// A Python object looked up once per run and kept for the rest of it (a class from the
// standard library, an ABC): a borrowed pointer, or nullptr with an error set. `make`
// returns a new reference or nullptr with an error set. Attached.
class RunCache {
public:
    template <class Make>
    PYOWNED_INLINE PyObject* get(Make&& make) noexcept {
        if (PYOWNED_LIKELY(run_.load(std::memory_order_acquire) == current_run())) return object_;
        return fill(make());
    }

    // `module.attr`, imported once per run.
    PyObject* import(const char* module, const char* attr) noexcept {
        return get([&]() -> PyObject* {
            PyObject* mod = PyImport_ImportModule(module);
            if (!mod) return nullptr;
            PyObject* value = PyObject_GetAttrString(mod, attr);
            Py_DECREF(mod);
            return value;
        });
    }

private:
    PYOWNED_COLD PyObject* fill(PyObject* made) noexcept {
        if (!made) return nullptr;
        std::lock_guard<std::mutex> lock(mutex_);
        std::uint64_t run = current_run();
        if (run_.load(std::memory_order_relaxed) == run) {
            Py_DECREF(made);  // another thread stored it first
            return object_;
        }
        object_ = made;  // kept until the run ends; an earlier run's object is forgotten
        run_.store(run, std::memory_order_release);
        return made;
    }

    PyObject* object_ = nullptr;
    std::atomic<std::uint64_t> run_{0};
    std::mutex mutex_;
};

}  // namespace pyowned::detail

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
PYOWNED_CORE void pyowned::detail::Lifetimes::on_finalized() { lifetimes.end_run(); }
#endif  // PYOWNED_CORE_DEFINITIONS
