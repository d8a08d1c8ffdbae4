// list: constructors, items by index (negative counts from the end), mutation, range-for.
#pragma once
#include "iteration.h"
#include "sequence.h"

namespace pyowned {

namespace detail {
// Python's index rule: a negative index counts from the end; out of range is IndexError.
PYOWNED_INLINE bool normalize_index(Py_ssize_t& index, Py_ssize_t size) noexcept {
    if (index < 0) index += size;
    return static_cast<std::size_t>(index) < static_cast<std::size_t>(size);
}

template <class Self>
struct Methods<List, Self> : Methods<Sequence, Self> {
    PYOWNED_HANDLE_ALIASES;

    void append(auto&& value) const {
        auto v = hold(this->self().py(), std::forward<decltype(value)>(value));
        check_status(PyList_Append(this->ptr(), v.ptr()));
    }
    // Inserts before `index`, as list.insert does (any index is clamped into range).
    void insert(Py_ssize_t index, auto&& value) const {
        auto v = hold(this->self().py(), std::forward<decltype(value)>(value));
        if (index < 0) index = std::max<Py_ssize_t>(index + detail::api::list_size(this->ptr()), 0);
        check_status(PyList_Insert(this->ptr(), index, v.ptr()));
    }
    // self[index]; a list subclass's own __getitem__ runs, as in Python.
    [[nodiscard]] Owned<Any> get_item(Py_ssize_t index) const {
        if (PYOWNED_UNLIKELY(!PyList_CheckExact(this->ptr()))) return Methods<Sequence, Self>::get_item(index);
#ifdef Py_GIL_DISABLED
        // another thread may resize the list: take the item and its reference in one step
        if (index < 0) index += detail::api::list_size(this->ptr());
        return steal_or_throw<Owned<Any>>(PyList_GetItemRef(this->ptr(), index));  // IndexError past the end
#else
        if (PYOWNED_UNLIKELY(!normalize_index(index, detail::api::list_size(this->ptr()))))
            out_of_range("list index out of range");
        return Owned<Any>::from_borrowed_ptr(this->self().py(), detail::api::list_item(this->ptr(), index));
#endif
    }
    void set_item(Py_ssize_t index, auto&& value) const {
        if (PYOWNED_UNLIKELY(!normalize_index(index, detail::api::list_size(this->ptr()))))
            out_of_range("list assignment index out of range");
        auto v = hold(this->self().py(), std::forward<decltype(value)>(value));
        check_status(PyList_SetItem(this->ptr(), index, Py_NewRef(v.ptr())));  // steals the new reference
    }
    [[nodiscard]] Py_ssize_t len() const noexcept { return detail::api::list_size(this->ptr()); }
    // list.extend(iterable): TypeError "'int' object is not iterable" as Python words it.
    void extend(auto&& iterable) const {
        auto v = hold(this->self().py(), std::forward<decltype(iterable)>(iterable));
#ifdef Py_GIL_DISABLED
        constexpr bool direct = false;  // the size read and the insertion would be two steps
#else
        constexpr bool direct = true;
#endif
        if (direct && PyList_CheckExact(this->ptr()) && (PyList_CheckExact(v.ptr()) || PyTuple_CheckExact(v.ptr()))) {
            const Py_ssize_t n = detail::api::list_size(this->ptr());
            check_status(PyList_SetSlice(this->ptr(), n, n, v.ptr()));  // copies v's items first
        } else {
            (void)this->call_method("extend", Borrowed<Any>::from_ptr(this->self().py(), v.ptr()));
        }
    }
    void clear() const {
        if (PyList_CheckExact(this->ptr())) check_status(PyList_SetSlice(this->ptr(), 0, PY_SSIZE_T_MAX, nullptr));
        else (void)this->call_method("clear");
    }
    // list.pop(index): the item removed; IndexError "pop from empty list" or "pop index out
    // of range" as Python's.
    [[nodiscard]] Owned<Any> pop(Py_ssize_t index = -1) const {
        if (!PyList_CheckExact(this->ptr())) return this->call_method("pop", index);
#ifdef Py_GIL_DISABLED
        return this->call_method("pop", index);  // atomic under the list's own lock
#else
        const Py_ssize_t n = detail::api::list_size(this->ptr());
        if (PYOWNED_UNLIKELY(n == 0)) out_of_range("pop from empty list");
        if (PYOWNED_UNLIKELY(!normalize_index(index, n))) out_of_range("pop index out of range");
        auto item = Owned<Any>::from_borrowed_ptr(this->self().py(), detail::api::list_item(this->ptr(), index));
        check_status(PyList_SetSlice(this->ptr(), index, index + 1, nullptr));
        return item;
#endif
    }
    // list.index(value), with the list's own ValueError ("99 is not in list"; a sequence's
    // index words it generically). count is the sequence's.
    [[nodiscard]] Py_ssize_t index(auto&& value) const {
        return this->call_method("index", std::forward<decltype(value)>(value)).template extract<Py_ssize_t>();
    }
    void sort() const { check_status(PyList_Sort(this->ptr())); }
    void reverse() const { check_status(PyList_Reverse(this->ptr())); }
    [[nodiscard]] Owned<Tuple> to_tuple() const { return steal_or_throw<Owned<Tuple>>(PyList_AsTuple(this->ptr())); }

    [[nodiscard]] ListIterator begin() const { return ListIterator(this->ptr()); }
    [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }

private:
    [[noreturn]] PYOWNED_COLD static void out_of_range(const char* message) { raise<IndexError>(message); }
};
}  // namespace detail

inline Owned<List> List::empty(Python) { return detail::steal_or_throw<Owned<List>>(PyList_New(0)); }

// A list of every element of a C++ range, each converted with IntoPython (moved out of
// the range when it is an rvalue, so move-only elements convert too).
template <class R>
Owned<List> List::from(Python py, R&& range) {
    if constexpr (std::ranges::sized_range<R>) {
        auto list = detail::steal_or_throw<Owned<List>>(PyList_New(static_cast<Py_ssize_t>(std::ranges::size(range))));
        Py_ssize_t i = 0;
        for (auto&& item : range) {
            // steals the new reference into the slot; a throw midway leaves NULL slots,
            // which list_dealloc skips
            detail::api::list_init(list.ptr(), i++, into_py(py, detail::forward_element<R>(item)).into_ptr());
        }
        return list;
    } else {
        Owned<List> list = empty(py);
        for (auto&& item : range) list.append(detail::forward_element<R>(item));
        return list;
    }
}

}  // namespace pyowned
