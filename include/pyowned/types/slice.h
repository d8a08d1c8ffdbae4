// slice: the constructor (start, stop, step; nullopt is None).
#pragma once
#include "../types/any_impl.h"

namespace pyowned {

// What slice.indices(length) gives, with the number of items the slice selects.
struct SliceIndices {
    Py_ssize_t start, stop, step, count;
};

namespace detail {
template <class Self>
struct Methods<Slice, Self> : Methods<Any, Self> {
    PYOWNED_HANDLE_ALIASES;

    // The slice applied to a sequence of `length` items, as Python's slice.indices (plus the
    // count): ValueError for a negative length or a zero step, TypeError for a part that is
    // not an integer or None.
    [[nodiscard]] SliceIndices indices(Py_ssize_t length) const {
        if (PYOWNED_UNLIKELY(length < 0)) raise<ValueError>("length should not be negative");
        SliceIndices r{};
        check_status(PySlice_Unpack(this->ptr(), &r.start, &r.stop, &r.step));
        r.count = PySlice_AdjustIndices(length, &r.start, &r.stop, r.step);
        return r;
    }
};
}  // namespace detail

inline Owned<Slice> Slice::of(Python py, std::optional<Py_ssize_t> start, std::optional<Py_ssize_t> stop,
                              std::optional<Py_ssize_t> step) {
    auto part = [&](const std::optional<Py_ssize_t>& v) -> Owned<Any> {
        if (!v) return Owned<Any>::from_borrowed_ptr(py, Py_None);
        return detail::steal_or_throw<Owned<Any>>(PyLong_FromSsize_t(*v));
    };
    Owned<Any> a = part(start), b = part(stop), c = part(step);
    return detail::steal_or_throw<Owned<Slice>>(PySlice_New(a.ptr(), b.ptr(), c.ptr()));
}

}  // namespace pyowned
