// tuple: constructors, items by index (negative counts from the end), range-for.
#pragma once
#include "iteration.h"
#include "list.h"
#include "sequence.h"

namespace pyowned {

namespace detail {
template <class Self>
struct Methods<Tuple, Self> : Methods<Sequence, Self> {
    PYOWNED_HANDLE_ALIASES;

    [[nodiscard]] Owned<Any> get_item(Py_ssize_t index) const {
        if (PYOWNED_UNLIKELY(!normalize_index(index, detail::api::tuple_size(this->ptr()))))
            raise<IndexError>("tuple index out of range");
        return Owned<Any>::from_borrowed_ptr(this->self().py(), detail::api::tuple_item(this->ptr(), index));
    }
    [[nodiscard]] Py_ssize_t len() const noexcept { return detail::api::tuple_size(this->ptr()); }

    [[nodiscard]] IndexIterator<false> begin() const noexcept { return IndexIterator<false>(this->ptr()); }
    [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }
};
}  // namespace detail

// A tuple of the given values, each converted with IntoPython.
template <class... T>
Owned<Tuple> Tuple::of([[maybe_unused]] Python py, T&&... items) {
    auto tuple = detail::steal_or_throw<Owned<Tuple>>(PyTuple_New(sizeof...(T)));
    [[maybe_unused]] Py_ssize_t i = 0;
    // steals each new reference into its slot; a throw midway leaves NULL slots, which
    // tuple dealloc skips
    ((detail::api::tuple_init(tuple.ptr(), i++, into_py(py, std::forward<T>(items)).into_ptr())), ...);
    return tuple;
}

// A tuple of every element of a C++ range.
template <class R>
Owned<Tuple> Tuple::from(Python py, R&& range) {
    if constexpr (std::ranges::sized_range<R>) {
        auto tuple =
            detail::steal_or_throw<Owned<Tuple>>(PyTuple_New(static_cast<Py_ssize_t>(std::ranges::size(range))));
        Py_ssize_t i = 0;
        for (auto&& item : range)
            detail::api::tuple_init(tuple.ptr(), i++, into_py(py, detail::forward_element<R>(item)).into_ptr());
        return tuple;
    } else {
        return List::from(py, std::forward<R>(range)).to_tuple();
    }
}

}  // namespace pyowned
