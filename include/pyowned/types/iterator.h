// Iterator: next() and range-for over any Python iterator.
#pragma once
#include "iteration.h"

namespace pyowned::detail {

template <class Self>
struct Methods<Iterator, Self> : Methods<Any, Self> {
    PYOWNED_HANDLE_ALIASES;

    // The next item, or nullopt when exhausted; an error raised by the iterator is thrown.
    [[nodiscard]] std::optional<Owned<Any>> next() const {
        PyObject* item = PyIter_Next(this->ptr());
        if (item) return Owned<Any>::from_owned_ptr(this->self().py(), item);
        if (PYOWNED_UNLIKELY(PyErr_Occurred())) throw_fetched();
        return std::nullopt;
    }

    // for (auto& item : iterator): consumes the iterator.
    [[nodiscard]] ProtocolIterator begin() const { return ProtocolIterator(Py_NewRef(this->ptr())); }
    [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }
};

}  // namespace pyowned::detail
