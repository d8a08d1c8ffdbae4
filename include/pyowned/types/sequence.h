// Sequence (collections.abc.Sequence) and Mapping (collections.abc.Mapping): generic protocols.
#pragma once
#include "../types/any_impl.h"
#include "iteration.h"

namespace pyowned {

namespace detail {

// isinstance(o, collections.abc.Sequence / Mapping); the ABCs are looked up once per
// interpreter run and kept for the rest of it.
inline int check_abc(PyObject* o, int which) noexcept {
    static RunCache abcs[2];
    PyObject* abc = abcs[which].import("collections.abc", which == 0 ? "Sequence" : "Mapping");
    if (!abc) return -1;
    return PyObject_IsInstance(o, abc);
}

template <class Self>
struct Methods<Sequence, Self> : Methods<Any, Self> {
    PYOWNED_HANDLE_ALIASES;

    // self[index]; a negative index counts from the end; IndexError when out of range.
    [[nodiscard]] Owned<Any> get_item(Py_ssize_t index) const {
        // self[index] as Python spells it: PySequence_GetItem would add len() to a negative
        // index before the type's own __getitem__ adds it again
        auto i = steal_or_throw<Owned<Any>>(PyLong_FromSsize_t(index));
        return steal_or_throw<Owned<Any>>(PyObject_GetItem(this->ptr(), i.ptr()));
    }
    [[nodiscard]] ProtocolIterator begin() const {
        return ProtocolIterator(steal_or_throw<Owned<Any>>(PyObject_GetIter(this->ptr())).into_ptr());
    }
    [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }
    // Python's seq.index(value): the first position, ValueError when absent.
    [[nodiscard]] Py_ssize_t index(auto&& value) const {
        auto v = hold(this->self().py(), std::forward<decltype(value)>(value));
        Py_ssize_t i = PySequence_Index(this->ptr(), v.ptr());
        if (i < 0) throw_fetched();
        return i;
    }
    [[nodiscard]] Py_ssize_t count(auto&& value) const {
        auto v = hold(this->self().py(), std::forward<decltype(value)>(value));
        Py_ssize_t n = PySequence_Count(this->ptr(), v.ptr());
        if (n < 0) throw_fetched();
        return n;
    }
    [[nodiscard]] Owned<List> to_list() const { return steal_or_throw<Owned<List>>(PySequence_List(this->ptr())); }
    [[nodiscard]] Owned<Tuple> to_tuple() const { return steal_or_throw<Owned<Tuple>>(PySequence_Tuple(this->ptr())); }
};

template <class Self>
struct Methods<Mapping, Self> : Methods<Any, Self> {
    PYOWNED_HANDLE_ALIASES;

    [[nodiscard]] Owned<List> keys() const { return steal_or_throw<Owned<List>>(PyMapping_Keys(this->ptr())); }
    [[nodiscard]] Owned<List> values() const { return steal_or_throw<Owned<List>>(PyMapping_Values(this->ptr())); }
    [[nodiscard]] Owned<List> items() const { return steal_or_throw<Owned<List>>(PyMapping_Items(this->ptr())); }
};

}  // namespace detail
}  // namespace pyowned
