// The iterators behind range-for: indexed (list, tuple), dict items, and the iterator protocol.
// None of them stores anything per item beyond the item itself: no global object store.
#pragma once
#include "../types/any_impl.h"
#include "../detail/compat.h"
#include <optional>
#include <cstddef>
#include <iterator>
#include <utility>

namespace pyowned::detail {

// list / tuple items by index. Dereferencing gives a new strong reference, so the item
// stays alive even if the loop body removes it from the list. The end test re-reads the
// size, so a list that shrinks mid-loop ends the loop instead of reading past its end.
template <bool IsList>
class IndexIterator {
public:
    using value_type = Owned<Any>;
    using difference_type = std::ptrdiff_t;

    IndexIterator() = default;
    explicit IndexIterator(PyObject* seq) noexcept : seq_(seq) {}

    value_type operator*() const noexcept {
        PYOWNED_ASSERT_ATTACHED();
        PyObject* item = IsList ? detail::api::list_item(seq_, index_) : detail::api::tuple_item(seq_, index_);
        return Owned<Any>::from_borrowed_ptr(token(), item);  // borrowed from the container
    }
    IndexIterator& operator++() noexcept {
        ++index_;
        return *this;
    }
    void operator++(int) noexcept { ++index_; }
    bool operator==(std::default_sentinel_t) const noexcept {
        return index_ >= (IsList ? detail::api::list_size(seq_) : detail::api::tuple_size(seq_));
    }

private:
    PyObject* seq_ = nullptr;
    Py_ssize_t index_ = 0;
};

#ifdef Py_GIL_DISABLED
// list items on a free-threaded build: another thread may shrink the list between the end
// test and the read, so each step takes its item with PyList_GetItemRef (a strong
// reference, or none past the end) and the iterator holds it.
class ListIterator {
public:
    using value_type = Owned<Any>;
    using difference_type = std::ptrdiff_t;

    ListIterator() = default;
    explicit ListIterator(PyObject* list) : list_(list) { advance(); }

    value_type operator*() const noexcept { return *item_; }
    ListIterator& operator++() {
        ++index_;
        advance();
        return *this;
    }
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const noexcept { return !item_.has_value(); }

private:
    void advance() {
        PyObject* item = PyList_GetItemRef(list_, index_);
        if (item) {
            item_.emplace(Owned<Any>::from_owned_ptr(token(), item));
        } else {
            PyErr_Clear();  // IndexError: past the end
            item_.reset();
        }
    }

    PyObject* list_ = nullptr;
    Py_ssize_t index_ = 0;
    std::optional<Owned<Any>> item_;
};
#else
using ListIterator = IndexIterator<true>;
#endif

// dict (key, value) pairs through PyDict_Next. A dict that changes size, or whose keys are
// replaced, mid-loop raises RuntimeError, as Python's own loop does.
class DictIterator {
public:
    using value_type = std::pair<Owned<Any>, Owned<Any>>;
    using difference_type = std::ptrdiff_t;

    DictIterator() = default;
    explicit DictIterator(PyObject* dict) : dict_(dict), size_(detail::api::dict_size(dict)), remaining_(size_) {
        advance();
    }

#ifdef Py_GIL_DISABLED
    // Free-threaded: each step runs under the dict's critical section and takes strong
    // references, since another thread may remove the items as soon as the lock is released.
    value_type operator*() const noexcept { return *current_; }
    bool operator==(std::default_sentinel_t) const noexcept { return !current_.has_value(); }
#else
    value_type operator*() const noexcept {
        PYOWNED_ASSERT_ATTACHED();
        // borrowed from the dict until the next step; the pair holds its own references
        return {Owned<Any>::from_borrowed_ptr(token(), key_), Owned<Any>::from_borrowed_ptr(token(), value_)};
    }
    bool operator==(std::default_sentinel_t) const noexcept { return key_ == nullptr; }
#endif
    DictIterator& operator++() {
        advance();
        return *this;
    }
    void operator++(int) { advance(); }

private:
#ifdef Py_GIL_DISABLED
    void advance() {
        PyObject *key = nullptr, *value = nullptr;
        bool changed = false, more = false;
        Py_BEGIN_CRITICAL_SECTION(dict_);
        if (detail::api::dict_size(dict_) != size_) {
            changed = true;
        } else if (PyDict_Next(dict_, &pos_, &key, &value)) {
            Py_INCREF(key);
            Py_INCREF(value);
            more = true;
        }
        Py_END_CRITICAL_SECTION();
        if (PYOWNED_UNLIKELY(changed)) changed_size();
        if (more && PYOWNED_UNLIKELY(remaining_-- == 0)) {
            Py_DECREF(key);
            Py_DECREF(value);
            keys_changed();
        }
        if (more)
            current_.emplace(Owned<Any>::from_owned_ptr(token(), key), Owned<Any>::from_owned_ptr(token(), value));
        else current_.reset();
    }
    [[noreturn]] PYOWNED_COLD void changed_size() {
        current_.reset();
        raise<RuntimeError>("dictionary changed size during iteration");
    }
    [[noreturn]] PYOWNED_COLD void keys_changed() {
        current_.reset();
        raise<RuntimeError>("dictionary keys changed during iteration");
    }
    std::optional<value_type> current_;
#else
    void advance() {
        if (PYOWNED_UNLIKELY(detail::api::dict_size(dict_) != size_)) changed_size();
        if (!PyDict_Next(dict_, &pos_, &key_, &value_)) {
            key_ = nullptr;
            return;
        }
        if (PYOWNED_UNLIKELY(remaining_-- == 0)) keys_changed();  // more items than it had
    }
    [[noreturn]] PYOWNED_COLD void changed_size() {
        key_ = nullptr;
        raise<RuntimeError>("dictionary changed size during iteration");
    }
    [[noreturn]] PYOWNED_COLD void keys_changed() {
        key_ = nullptr;
        raise<RuntimeError>("dictionary keys changed during iteration");
    }
    PyObject* key_ = nullptr;
    PyObject* value_ = nullptr;
#endif

    PyObject* dict_ = nullptr;
    Py_ssize_t size_ = 0;
    Py_ssize_t remaining_ = 0;  // items still to come: one more means keys were replaced
    Py_ssize_t pos_ = 0;
};

// Anything through the iterator protocol (sets, frozensets, iterators). The iterator
// holds the current item; dereferencing gives a reference to it, so `for (auto& x : set)`
// costs no reference traffic beyond PyIter_Next's own. An error raised by the iterator
// is thrown from ++ (or from begin()).
class ProtocolIterator {
public:
    using value_type = Owned<Any>;
    using reference = const Owned<Any>&;
    using difference_type = std::ptrdiff_t;

    ProtocolIterator() = default;
    // Takes over `iterator`, a new reference to an iterator object.
    explicit ProtocolIterator(PyObject* iterator) : iter_(iterator) {
        try {
            advance();
        } catch (...) {  // the destructor does not run for a constructor that throws
            Py_DECREF(iter_);
            throw;
        }
    }
    ProtocolIterator(ProtocolIterator&& other) noexcept
        : iter_(std::exchange(other.iter_, nullptr)), item_(std::move(other.item_)) {}
    ProtocolIterator& operator=(ProtocolIterator&& other) noexcept {
        std::swap(iter_, other.iter_);
        std::swap(item_, other.item_);
        return *this;
    }
    ~ProtocolIterator() {
        if (iter_) {
            PYOWNED_ASSERT_ATTACHED();
            Py_DECREF(iter_);
        }
    }

    const Owned<Any>& operator*() const noexcept { return *item_; }
    const Owned<Any>* operator->() const noexcept { return &*item_; }
    ProtocolIterator& operator++() {
        advance();
        return *this;
    }
    void operator++(int) { advance(); }
    bool operator==(std::default_sentinel_t) const noexcept { return !item_.has_value(); }

private:
    void advance() {
        PyObject* next = PyIter_Next(iter_);
        if (next) {
            item_.emplace(Owned<Any>::from_owned_ptr(token(), next));
            return;
        }
        item_.reset();
        if (PYOWNED_UNLIKELY(PyErr_Occurred())) throw_fetched();
    }

    PyObject* iter_ = nullptr;  // strong
    std::optional<Owned<Any>> item_;
};

static_assert(std::input_iterator<IndexIterator<true>>);
static_assert(std::input_iterator<ListIterator>);
static_assert(std::input_iterator<DictIterator>);
static_assert(std::input_iterator<ProtocolIterator>);

}  // namespace pyowned::detail
