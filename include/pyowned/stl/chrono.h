// std::chrono::duration<Rep, Period>: from datetime.timedelta (converting pass: also int or
// float seconds); into datetime.timedelta. Integer results truncate toward zero, as
// std::chrono::duration_cast does; a result outside Rep's range is an OverflowError.
#pragma once
#include "common.h"
#include <chrono>
#include <cmath>
#include <limits>
#include <ratio>
#include <type_traits>

namespace pyowned {

namespace detail {

// An integer wide enough for any timedelta in microseconds (|max| ~ 8.64e19 > 2^63).
#ifdef __SIZEOF_INT128__
__extension__ typedef __int128 wide_int;
#else
#error "pyowned/stl/chrono.h needs a 128-bit integer type (__int128)"
#endif

// datetime.timedelta, looked up once.
inline PyObject* timedelta_type() noexcept {
    static RunCache slot;
    return slot.import("datetime", "timedelta");
}

PYOWNED_COLD inline void set_duration_overflow(const char* from) noexcept {
    PyErr_Format(PyExc_OverflowError, "Python %s out of range for C++ std::chrono::duration", from);
}

// trunc(value * R::num / R::den), or nullopt when it does not fit in Out.
template <class Out, class R>
std::optional<Out> scale(wide_int value) noexcept {
    if constexpr (std::is_floating_point_v<Out>) {
        return static_cast<Out>(static_cast<long double>(value) * R::num / R::den);
    } else {
        // value = q * den + r with |r| < den, so value * num / den = q * num + r * num / den
        // exactly, and |r * num| < 2^126 cannot overflow.
        wide_int q = value / R::den, r = value % R::den, high, result;
        if (__builtin_mul_overflow(q, static_cast<wide_int>(R::num), &high)) return std::nullopt;
        if (__builtin_add_overflow(high, r * R::num / R::den, &result)) return std::nullopt;
        if constexpr (!std::is_same_v<Out, wide_int>) {
            if (result < static_cast<wide_int>(std::numeric_limits<Out>::min()) ||
                result > static_cast<wide_int>(std::numeric_limits<Out>::max()))
                return std::nullopt;
        }
        return static_cast<Out>(result);
    }
}

// trunc(seconds * R::num / R::den) for a float number of seconds; nullopt with an error
// set when it does not fit in Rep (NaN for an integer Rep: ValueError, as int(nan)).
template <class Rep, class R>
std::optional<Rep> scale_float(double seconds) noexcept {
    long double ticks = static_cast<long double>(seconds) * R::num / R::den;
    if constexpr (std::is_floating_point_v<Rep>) {
        Rep result = static_cast<Rep>(ticks);                // NaN and infinities pass through
        if (std::isinf(result) && std::isfinite(seconds)) {  // a finite value never silently becomes inf
            set_duration_overflow("float");
            return std::nullopt;
        }
        return result;
    } else {
        if (std::isnan(ticks)) {
            PyErr_SetString(PyExc_ValueError, "cannot convert float NaN to C++ std::chrono::duration");
            return std::nullopt;
        }
        ticks = std::trunc(ticks);
        long double low = std::is_signed_v<Rep> ? -std::ldexp(1.0L, std::numeric_limits<Rep>::digits) : 0.0L;
        if (!(ticks >= low && ticks < std::ldexp(1.0L, std::numeric_limits<Rep>::digits))) {
            set_duration_overflow("float");
            return std::nullopt;
        }
        return static_cast<Rep>(ticks);
    }
}

// The whole microseconds of a timedelta: days * 86400e6 + seconds * 1e6 + microseconds.
inline std::optional<wide_int> timedelta_microseconds(PyObject* td) noexcept {
    long long parts[3];
    const char* names[3] = {"days", "seconds", "microseconds"};
    for (int i = 0; i < 3; ++i) {
        NameRef name = intern_table.get(names[i]);
        if (!name.get()) return std::nullopt;
        PyObject* value = PyObject_GetAttr(td, name.get());
        if (!value) return std::nullopt;
        parts[i] = PyLong_AsLongLong(value);  // at most 999999999 (days): never overflows
        Py_DECREF(value);
        if (parts[i] == -1 && PyErr_Occurred()) return std::nullopt;
    }
    return (static_cast<wide_int>(parts[0]) * 86400 + parts[1]) * 1000000 + parts[2];
}

}  // namespace detail

template <class Rep, class Period>
    requires(std::is_arithmetic_v<Rep> && !std::is_same_v<Rep, bool>)
struct FromPython<std::chrono::duration<Rep, Period>> {
    static constexpr std::string_view name = "datetime.timedelta";
    static std::optional<std::chrono::duration<Rep, Period>> from_python(Borrowed<Any> obj, bool convert) noexcept {
        using D = std::chrono::duration<Rep, Period>;
        PyObject* o = obj.ptr();
        PyObject* td = detail::timedelta_type();
        if (!td) return std::nullopt;  // datetime failed to import: its error stays set
        if (PyObject_TypeCheck(o, reinterpret_cast<PyTypeObject*>(td))) {
            std::optional<detail::wide_int> us = detail::timedelta_microseconds(o);
            if (!us) return std::nullopt;
            auto ticks = detail::scale<Rep, std::ratio_divide<std::micro, Period>>(*us);
            if (!ticks) {
                detail::set_duration_overflow("timedelta");
                return std::nullopt;
            }
            return D(*ticks);
        }
        if (!convert) return std::nullopt;
        using PerSecond = std::ratio_divide<std::ratio<1>, Period>;
        if (PyFloat_Check(o)) {
            auto ticks = detail::scale_float<Rep, PerSecond>(detail::api::float_value(o));
            if (!ticks) return std::nullopt;
            return D(*ticks);
        }
        if (PyLong_Check(o)) {
            int overflow = 0;
            long long seconds = PyLong_AsLongLongAndOverflow(o, &overflow);
            if (seconds == -1 && PyErr_Occurred()) return std::nullopt;
            auto ticks = overflow ? std::nullopt : detail::scale<Rep, PerSecond>(seconds);
            if (!ticks) {
                detail::set_duration_overflow("int");
                return std::nullopt;
            }
            return D(*ticks);
        }
        return std::nullopt;
    }
};

// An integer Rep goes through whole microseconds (finer ticks truncate toward zero); a
// floating Rep through a float of microseconds, which timedelta rounds half to even.
template <class Rep, class Period>
    requires(std::is_arithmetic_v<Rep> && !std::is_same_v<Rep, bool>)
struct IntoPython<std::chrono::duration<Rep, Period>> {
    static Owned<Any> into_python(Python py, const std::chrono::duration<Rep, Period>& value) {
        PyObject* td = detail::timedelta_type();
        if (!td) detail::throw_fetched();
        Borrowed<Any> timedelta = Borrowed<Any>::from_ptr(py, td);
        using ToMicro = std::ratio_divide<Period, std::micro>;
        if constexpr (std::is_floating_point_v<Rep>) {
            double us = static_cast<double>(static_cast<long double>(value.count()) * ToMicro::num / ToMicro::den);
            return timedelta.call(0, 0, us);
        } else {
            auto us = detail::scale<detail::wide_int, ToMicro>(value.count());
            constexpr detail::wide_int limit = detail::wide_int{1000000} * std::numeric_limits<long long>::max();
            if (!us || *us > limit || *us < -limit)
                raise<OverflowError>("C++ std::chrono::duration too large for timedelta");
            // timedelta normalizes the parts (negative seconds borrow from days)
            return timedelta.call(0, static_cast<long long>(*us / 1000000), static_cast<long long>(*us % 1000000));
        }
    }
};

}  // namespace pyowned
