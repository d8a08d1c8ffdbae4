// Integer conversions: every C++ integer type from/to Python int (or an object with __index__).
#pragma once
#include "../types/any_impl.h"
#include "../detail/compat.h"
#include <climits>
#include <concepts>
#include <limits>

namespace pyowned {

namespace detail {

template <class T>
concept Integer = std::integral<T> && !std::same_as<T, bool> && !std::same_as<T, char> && !std::same_as<T, wchar_t> &&
                  !std::same_as<T, char8_t> && !std::same_as<T, char16_t> && !std::same_as<T, char32_t>;

// The C type named in OverflowError messages.
template <class T>
constexpr const char* c_int_name() {
    if constexpr (std::is_signed_v<T>) {
        if constexpr (sizeof(T) == 1) return "int8_t";
        else if constexpr (sizeof(T) == 2) return "int16_t";
        else if constexpr (sizeof(T) == 4) return "int32_t";
        else return "int64_t";
    } else {
        if constexpr (sizeof(T) == 1) return "uint8_t";
        else if constexpr (sizeof(T) == 2) return "uint16_t";
        else if constexpr (sizeof(T) == 4) return "uint32_t";
        else return "uint64_t";
    }
}

PYOWNED_CORE_COLD PYOWNED_CORE void set_int_overflow(const char* ctype, bool too_large) noexcept;

// Replaces CPython's OverflowError with one naming the C type (negative, or too large).
PYOWNED_CORE_COLD PYOWNED_CORE void set_unsigned_overflow(PyObject* o, const char* ctype) noexcept;

// The compact value of an int when it fits T: the inline fast path of every conversion.
template <class T>
PYOWNED_INLINE bool compact_int_value(PyObject* o, T& out) noexcept {
    Py_ssize_t small = 0;
    if (!compat::compact_long_value(o, &small)) return false;
    if constexpr (!std::is_signed_v<T> || sizeof(T) < sizeof(Py_ssize_t)) {
        using Limits = std::numeric_limits<T>;
        if (small < static_cast<Py_ssize_t>(Limits::min()) ||
            (sizeof(T) < sizeof(Py_ssize_t) && small > static_cast<Py_ssize_t>(Limits::max())))
            return false;  // out of T's range: the slow path words the OverflowError
    }
    out = static_cast<T>(small);
    return true;
}

// Reads an int (no __index__) that is not compact, or out of T's range, as T. nullopt with
// an error set when out of range. Out of line: one copy per T, however many callers.
template <class T>
PYOWNED_NOINLINE std::optional<T> int_value_slow(PyObject* o) noexcept {
    if constexpr (std::is_signed_v<T>) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (PYOWNED_UNLIKELY(overflow)) {
            set_int_overflow(c_int_name<T>(), overflow > 0);
            return std::nullopt;
        }
        if (PYOWNED_UNLIKELY(v == -1 && PyErr_Occurred())) return std::nullopt;
        if constexpr (sizeof(T) < sizeof(long long)) {
            if (PYOWNED_UNLIKELY(v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max())) {
                set_int_overflow(c_int_name<T>(), v > 0);
                return std::nullopt;
            }
        }
        return static_cast<T>(v);
    } else {
        unsigned long long v = PyLong_AsUnsignedLongLong(o);
        if (PYOWNED_UNLIKELY(v == static_cast<unsigned long long>(-1) && PyErr_Occurred())) {
            if (PyErr_ExceptionMatches(PyExc_OverflowError)) set_unsigned_overflow(o, c_int_name<T>());
            return std::nullopt;
        }
        if constexpr (sizeof(T) < sizeof(unsigned long long)) {
            if (PYOWNED_UNLIKELY(v > std::numeric_limits<T>::max())) {
                set_int_overflow(c_int_name<T>(), true);
                return std::nullopt;
            }
        }
        return static_cast<T>(v);
    }
}

// Reads an int (no __index__) as T. nullopt with an error set when out of range.
template <class T>
PYOWNED_INLINE std::optional<T> int_value(PyObject* o) noexcept {
    T value;
    if (PYOWNED_LIKELY(compact_int_value(o, value))) return value;
    return int_value_slow<T>(o);
}

// Everything but a compact int in range: a large int, or an object with __index__.
template <class T>
PYOWNED_NOINLINE std::optional<T> int_from_object(PyObject* o) noexcept {
    if (PyLong_Check(o)) return int_value_slow<T>(o);
    if (PyFloat_Check(o) || !api::has_index(Py_TYPE(o)))
        return std::nullopt;  // not an int: no error, another overload may take it
    PyObject* index = PyNumber_Index(o);
    if (!index) return std::nullopt;  // __index__ raised: its error stays set
    std::optional<T> value = int_value<T>(index);
    Py_DECREF(index);
    return value;
}

}  // namespace detail

// int (and bool, an int subclass) or any object with __index__ (except float).
template <detail::Integer T>
struct FromPython<T> {
    static constexpr std::string_view name = "int";
    PYOWNED_INLINE static std::optional<T> from_python(Borrowed<Any> obj, bool /*convert*/) noexcept {
        PyObject* o = obj.ptr();
        if (PYOWNED_LIKELY(PyLong_Check(o))) {
#if defined(__GNUC__)
            // GCC 12 at -O2, inlining this for a known object such as None, warns
            // (-Warray-bounds) about the read on the path the check above rules out; an
            // empty asm hides where the pointer came from, at no cost.
            __asm__("" : "+r"(o));
#endif
            T value;
            if (PYOWNED_LIKELY(detail::compact_int_value(o, value))) return value;
        }
        return detail::int_from_object<T>(o);
    }
};

namespace detail {
// A new int for `value`, or nullptr with MemoryError set.
template <Integer T>
PYOWNED_INLINE PyObject* int_ptr(T value) noexcept {
    if constexpr (std::is_signed_v<T>) {
        if constexpr (sizeof(T) <= sizeof(long)) return PyLong_FromLong(value);
        else return PyLong_FromLongLong(value);
    } else {
        if constexpr (sizeof(T) <= sizeof(unsigned long)) return PyLong_FromUnsignedLong(value);
        else return PyLong_FromUnsignedLongLong(value);
    }
}
}  // namespace detail

template <detail::Integer T>
struct IntoPython<T> {
    static Owned<Int> into_python(Python, T value) {
        return detail::steal_or_throw<Owned<Int>>(detail::int_ptr(value));
    }
};

}  // namespace pyowned

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE_COLD PYOWNED_CORE void set_int_overflow(const char* ctype, bool too_large) noexcept {
    PyErr_Format(PyExc_OverflowError, "Python int too %s to convert to C %s", too_large ? "large" : "small", ctype);
}

PYOWNED_CORE_COLD PYOWNED_CORE void set_unsigned_overflow(PyObject* o, const char* ctype) noexcept {
    PyErr_Clear();
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow < 0 || (overflow == 0 && v < 0))
        PyErr_SetString(PyExc_OverflowError, "can't convert negative int to unsigned");
    else set_int_overflow(ctype, true);
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
