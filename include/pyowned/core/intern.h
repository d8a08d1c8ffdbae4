// Interned names: the str for a name given as a C string is made once, found by its address.
#pragma once
#include "../detail/compat.h"
#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <utility>

namespace pyowned::detail {

// A name's str: borrowed from the intern table, or owned when the table could not keep it.
class NameRef {
public:
    NameRef(PyObject* str, bool owned) noexcept : str_(str), owned_(owned) {}
    NameRef(NameRef&& o) noexcept : str_(std::exchange(o.str_, nullptr)), owned_(o.owned_) {}
    NameRef(const NameRef&) = delete;
    NameRef& operator=(const NameRef&) = delete;
    ~NameRef() {
        if (owned_) Py_XDECREF(str_);
    }
    PyObject* get() const noexcept { return str_; }  // nullptr: failed, with an error set

private:
    PyObject* str_;
    bool owned_;
};

// Open-addressed table from a name's address to its interned str. The address is only a
// hint: the text is compared too, so a reused buffer never yields a stale name (it gets a
// fresh str of its own instead). Entries are never removed, so a found str needs no
// reference of the caller's. Entries are published with release stores, so lookups take
// no lock on any build; inserts take a short lock (free-threaded builds insert in parallel).
class InternTable {
public:
    PYOWNED_INLINE NameRef get(const char* name) noexcept {
        std::size_t i = slot_of(name);
        for (std::size_t probe = 0; probe < kProbes; ++probe, i = (i + 1) & (kSize - 1)) {
            const char* key = slots_[i].key.load(std::memory_order_acquire);
            if (key == name) {
                PyObject* str = slots_[i].str;
                if (PYOWNED_LIKELY(matches(str, name))) return {str, false};
                return {PyUnicode_InternFromString(name), true};
            }
            if (!key) break;
        }
        return insert_slow(name);
    }

    // At the end of an interpreter run its strs are gone: forget them without touching them.
    void forget() noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        for (Slot& slot : slots_) {
            slot.key.store(nullptr, std::memory_order_relaxed);
            slot.str = nullptr;
        }
    }

private:
    static constexpr std::size_t kSize = 1024, kProbes = 16;
    struct Slot {
        std::atomic<const char*> key{nullptr};
        PyObject* str = nullptr;
    };

    static std::size_t slot_of(const char* name) noexcept {
        auto bits = reinterpret_cast<std::uintptr_t>(name);
        return static_cast<std::size_t>((bits * 0x9E3779B97F4A7C15ull) >> 54) & (kSize - 1);
    }
    PYOWNED_INLINE static bool matches(PyObject* str, const char* name) noexcept {
#if PYOWNED_LIMITED
        Py_ssize_t n = 0;
        const char* utf8 = PyUnicode_AsUTF8AndSize(str, &n);  // cached; made from a C name: no NUL
        if (!utf8) {       // out of memory making the cache: no match, the error left set as the
            return false;  // regular build's PyUnicode_AsUTF8 leaves it
        }
        return std::strncmp(utf8, name, static_cast<std::size_t>(n)) == 0 && name[n] == '\0';
#else
        if (PYOWNED_LIKELY(PyUnicode_IS_COMPACT_ASCII(str))) {
            // an ASCII str's own characters, compared in place (they hold no NUL)
            const char* text = static_cast<const char*>(PyUnicode_DATA(str));
            const Py_ssize_t n = PyUnicode_GET_LENGTH(str);
            for (Py_ssize_t i = 0; i < n; ++i)
                if (text[i] != name[i]) return false;  // also stops at a shorter name's NUL
            return name[n] == '\0';
        }
        const char* text = detail::api::utf8(str);  // the str's cached UTF-8
        return text && std::strcmp(text, name) == 0;
#endif
    }

    PYOWNED_COLD NameRef insert_slow(const char* name) noexcept {
        PyObject* str = PyUnicode_InternFromString(name);
        if (!str) return {nullptr, false};
        std::lock_guard<std::mutex> lock(mutex_);
        std::size_t i = slot_of(name);
        for (std::size_t probe = 0; probe < kProbes; ++probe, i = (i + 1) & (kSize - 1)) {
            const char* key = slots_[i].key.load(std::memory_order_relaxed);
            if (key == name) {
                if (!matches(slots_[i].str, name)) return {str, true};
                Py_DECREF(str);  // another thread inserted it first
                return {slots_[i].str, false};
            }
            if (!key) {
                slots_[i].str = str;  // the table keeps this reference until the run ends
                slots_[i].key.store(name, std::memory_order_release);
                return {str, false};
            }
        }
        return {str, true};  // no room near its slot: the caller owns this one
    }

    std::array<Slot, kSize> slots_{};
    std::mutex mutex_;
};

constinit inline InternTable intern_table{};

}  // namespace pyowned::detail
