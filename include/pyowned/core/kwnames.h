// The kwnames tuples of calls with keyword arguments: made once per set of names, found
// again by the names' interned strs, so a call with py::arg("k") = v builds no tuple.
#pragma once
#include "../detail/compat.h"
#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>

namespace pyowned::detail {

// Open-addressed table of tuples of interned names. A tuple is found by hashing the strs'
// addresses and compared item by item (an interned str is the only one of its text while it
// lives, and the tuple keeps its strs alive, so identity is equality). Entries are never removed: a found tuple needs no
// reference of the caller's. Lookups take no lock (entries are published with release
// stores); inserts take a short one.
class KwnamesTable {
public:
    // The tuple of `names` (interned strs), borrowed from the table; or a new reference
    // (owned = true) when the table is full near its slot; nullptr with an error set.
    PyObject* get(PyObject* const* names, std::size_t n, bool& owned) noexcept {
        owned = false;
        std::size_t i = slot_of(names, n);
        for (std::size_t probe = 0; probe < kProbes; ++probe, i = (i + 1) & (kSize - 1)) {
            PyObject* tuple = slots_[i].load(std::memory_order_acquire);
            if (!tuple) break;
            if (holds(tuple, names, n)) return tuple;
        }
        return insert_slow(names, n, owned);
    }

    // A new tuple of `names` (a new reference), or nullptr with an error set.
    static PyObject* make(PyObject* const* names, std::size_t n) noexcept {
        PyObject* tuple = PyTuple_New(static_cast<Py_ssize_t>(n));
        if (tuple)
            for (std::size_t k = 0; k < n; ++k)
                detail::api::tuple_init(tuple, static_cast<Py_ssize_t>(k), Py_NewRef(names[k]));
        return tuple;
    }

    // At the end of an interpreter run its tuples are gone: forget them without touching them.
    void forget() noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto& slot : slots_) slot.store(nullptr, std::memory_order_relaxed);
    }

private:
    static constexpr std::size_t kSize = 256, kProbes = 8;

    static std::size_t slot_of(PyObject* const* names, std::size_t n) noexcept {
        std::uintptr_t h = n;
        for (std::size_t k = 0; k < n; ++k)
            h = (h ^ reinterpret_cast<std::uintptr_t>(names[k])) * 0x9E3779B97F4A7C15ull;
        return static_cast<std::size_t>(h >> 56) & (kSize - 1);
    }
    static bool holds(PyObject* tuple, PyObject* const* names, std::size_t n) noexcept {
        if (static_cast<std::size_t>(detail::api::tuple_size(tuple)) != n) return false;
        for (std::size_t k = 0; k < n; ++k)
            if (detail::api::tuple_item(tuple, static_cast<Py_ssize_t>(k)) != names[k]) return false;
        return true;
    }

    PYOWNED_COLD PyObject* insert_slow(PyObject* const* names, std::size_t n, bool& owned) noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        std::size_t i = slot_of(names, n);
        for (std::size_t probe = 0; probe < kProbes; ++probe, i = (i + 1) & (kSize - 1)) {
            PyObject* tuple = slots_[i].load(std::memory_order_relaxed);
            if (tuple && holds(tuple, names, n)) return tuple;  // another thread inserted it first
            if (!tuple) {
                if (!(tuple = make(names, n))) return nullptr;
                slots_[i].store(tuple, std::memory_order_release);  // the table keeps it until the run ends
                return tuple;
            }
        }
        owned = true;  // no room near its slot
        return make(names, n);
    }

    std::array<std::atomic<PyObject*>, kSize> slots_{};
    std::mutex mutex_;
};

constinit inline KwnamesTable kwnames_table{};

}  // namespace pyowned::detail
