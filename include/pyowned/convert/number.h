// Numbers (bool, int, float) in the form a binding's fast lane wants: read from an argument
// without a call, and made into a new reference without an exception on the way.
#pragma once
#include "floating.h"
#include "integer.h"

namespace pyowned::detail {

template <class T>
concept PlainNumber = std::same_as<T, bool> || std::floating_point<T> || Integer<T>;

// A new reference, or nullptr with MemoryError set.
template <PlainNumber T>
PYOWNED_INLINE PyObject* number_ptr(T value) noexcept {
    if constexpr (std::same_as<T, bool>) return Py_NewRef(value ? Py_True : Py_False);
    else if constexpr (std::floating_point<T>) return PyFloat_FromDouble(static_cast<double>(value));
    else return int_ptr(value);
}

// The numbers an argument gives without a call and without an error: True or False, an
// exact float as a double, a compact int in T's range. (A C float is range-checked with an
// error, so it is not among them.)
template <class T>
concept QuickNumber = std::same_as<T, bool> || std::same_as<T, double> || Integer<T>;

// The value of `o` when it is one of those; false with nothing set (and `out` untouched)
// for every other object, which the full conversion then handles.
template <QuickNumber T>
PYOWNED_INLINE bool quick_number(PyObject* o, std::optional<T>& out) noexcept {
    if constexpr (std::same_as<T, bool>) {
        if (o != Py_True && o != Py_False) return false;
        out = o == Py_True;
        return true;
    } else {
        if constexpr (std::same_as<T, double>) {
            if (!PyFloat_CheckExact(o)) return false;
        } else {
            if (!PyLong_Check(o)) return false;  // as the full conversion: bool is an int
        }
#if defined(__GNUC__)
        __asm__("" : "+r"(o));  // as in FromPython: GCC 12's -Warray-bounds on known objects
#endif
        if constexpr (std::same_as<T, double>) {
            out = detail::api::float_value(o);
        } else {
            T value;
            if (!compact_int_value(o, value)) return false;
            out = value;
        }
        return true;
    }
}

}  // namespace pyowned::detail
