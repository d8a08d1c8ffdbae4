// set and frozenset: constructors, membership, mutation (set), range-for.
#pragma once
#include "iteration.h"

namespace pyowned {

namespace detail {
template <class Self>
struct Methods<FrozenSet, Self> : Methods<Any, Self> {
    PYOWNED_HANDLE_ALIASES;

    template <class V>
    [[nodiscard]] bool contains(V&& value) const {
        auto v = hold(this->self().py(), std::forward<V>(value));
        int r = PySequence_Contains(this->ptr(), v.ptr());  // `in`: a set key is tried as a frozenset
        check_status(r);
        return r == 1;
    }
    [[nodiscard]] Py_ssize_t len() const noexcept { return detail::api::set_size(this->ptr()); }

    // for (auto& item : set); a set changed during the loop raises RuntimeError.
    [[nodiscard]] ProtocolIterator begin() const {
        return ProtocolIterator(steal_or_throw<Owned<Any>>(PyObject_GetIter(this->ptr())).into_ptr());
    }
    [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }
};

template <class Self>
struct Methods<Set, Self> : Methods<FrozenSet, Self> {
    PYOWNED_HANDLE_ALIASES;

    template <class V>
    void add(V&& value) const {
        auto v = hold(this->self().py(), std::forward<V>(value));
        check_status(PySet_Add(this->ptr(), v.ptr()));
    }
    // Removes `value` if present; returns whether it was.
    template <class V>
    bool discard(V&& value) const {
        auto v = hold(this->self().py(), std::forward<V>(value));
        int r = PySet_Discard(this->ptr(), v.ptr());
        if (r < 0 && PySet_Check(v.ptr()) && PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();  // as set.discard: a set is looked up as a frozenset
            auto frozen = steal_or_throw<Owned<Any>>(PyFrozenSet_New(v.ptr()));
            r = PySet_Discard(this->ptr(), frozen.ptr());
        }
        check_status(r);
        return r == 1;
    }
    void clear() const { check_status(PySet_Clear(this->ptr())); }
};

template <class R, class Tag>
Owned<Tag> set_from(Python py, R&& range, PyObject* (*make)(PyObject*)) {
    auto set = steal_or_throw<Owned<Tag>>(make(nullptr));
    for (auto&& item : range) {
        auto v = hold(py, forward_element<R>(item));
        check_status(PySet_Add(set.ptr(), v.ptr()));  // also fills a new, unshared frozenset
    }
    return set;
}
}  // namespace detail

inline Owned<Set> Set::empty(Python) { return detail::steal_or_throw<Owned<Set>>(PySet_New(nullptr)); }

template <class R>
Owned<Set> Set::from(Python py, R&& range) {
    return detail::set_from<R, Set>(py, std::forward<R>(range), PySet_New);
}

template <class R>
Owned<FrozenSet> FrozenSet::from(Python py, R&& range) {
    return detail::set_from<R, FrozenSet>(py, std::forward<R>(range), PyFrozenSet_New);
}

}  // namespace pyowned
