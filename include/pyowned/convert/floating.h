// Floating-point and bool conversions.
#pragma once
#include "../types/any_impl.h"
#include <cmath>
#include <concepts>

namespace pyowned {

namespace detail {
// A double as T: float range-checked (a finite double beyond float's range, after rounding,
// is an OverflowError; casting it would be undefined behaviour).
template <class T>
PYOWNED_INLINE std::optional<T> double_as(double d) noexcept {
    if constexpr (std::same_as<T, float>) {
        if (PYOWNED_UNLIKELY(std::isfinite(d) && std::fabs(d) >= 0x1.ffffffp127)) {
            PyErr_SetString(PyExc_OverflowError, "Python float too large to convert to C float");
            return std::nullopt;
        }
        return static_cast<float>(d);
    } else {
        return static_cast<T>(d);
    }
}

// Everything but an exact float: a float subclass, or (converting) int, __float__, __index__.
template <class T>
PYOWNED_NOINLINE std::optional<T> float_from_object(PyObject* o, bool convert) noexcept {
    if (!PyFloat_Check(o)) {
        if (!convert) return std::nullopt;
        if (!detail::api::has_float_or_index(Py_TYPE(o))) return std::nullopt;
    }
    double d = PyFloat_AsDouble(o);
    if (d == -1.0 && PyErr_Occurred()) return std::nullopt;
    return double_as<T>(d);
}
}  // namespace detail

// float; in the converting pass also int and objects with __float__ or __index__.
// NaN, infinities and -0.0 pass through bit-exactly. A double too large for a float is an
// OverflowError (a finite value never silently becomes inf).
template <std::floating_point T>
struct FromPython<T> {
    static constexpr std::string_view name = "float";
    PYOWNED_INLINE static std::optional<T> from_python(Borrowed<Any> obj, bool convert) noexcept {
        PyObject* o = obj.ptr();
        if (PYOWNED_LIKELY(PyFloat_CheckExact(o))) {
#if defined(__GNUC__)
            // GCC 12 at -O2, inlining this for a known object such as None, warns
            // (-Warray-bounds) about this read on the path the check above rules out; an
            // empty asm hides where the pointer came from, at no cost.
            __asm__("" : "+r"(o));
#endif
            return detail::double_as<T>(detail::api::float_value(o));
        }
        return detail::float_from_object<T>(o, convert);
    }
};

template <std::floating_point T>
struct IntoPython<T> {
    static Owned<Float> into_python(Python, T value) {
        return detail::steal_or_throw<Owned<Float>>(PyFloat_FromDouble(static_cast<double>(value)));
    }
};

// Only True and False (not 0/1, not truthy objects).
template <>
struct FromPython<bool> {
    static constexpr std::string_view name = "bool";
    PYOWNED_INLINE static std::optional<bool> from_python(Borrowed<Any> obj, bool /*convert*/) noexcept {
        if (obj.ptr() == Py_True) return true;
        if (obj.ptr() == Py_False) return false;
        return std::nullopt;
    }
};

template <>
struct IntoPython<bool> {
    static Owned<Bool> into_python(Python py, bool value) noexcept {
        return Owned<Bool>::from_borrowed_ptr(py, value ? Py_True : Py_False);
    }
};

}  // namespace pyowned
