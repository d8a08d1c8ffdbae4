// slice: the constructor (start, stop, step; nullopt is None).
#pragma once
#include "../types/any_impl.h"

namespace pyowned {

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
