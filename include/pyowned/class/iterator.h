// Python iterators over C++ ranges: py::make_iterator, make_key_iterator, make_value_iterator.
// Each kind of C++ iterator gets a small bound class (made once per interpreter run) whose
// tp_iternext advances it and converts the item.
#pragma once
#include "handle.h"
#include "gc.h"
#include "patients.h"

namespace pyowned {

namespace detail {

enum class IterAccess { item, key, value };

// The iterator's state: the C++ iterator, the end, and optionally the bound instance the
// range belongs to, held with a shared borrow as long as the iterator exists (no exclusive
// borrow, so no mutation through pyowned, can invalidate the C++ iterator meanwhile).
template <class It, class End, IterAccess A>
struct IteratorState {
    It it;
    End end;
    // Shared-borrowed while held; empty without one. (A Py, not a std::optional of one: GCC 12
    // saw the disengaged optional's destruction as a read of uninitialized memory.)
    Py<Any> owner;
    bool started = false, done = false;

    IteratorState(It b, End e, Py<Any> o) : it(std::move(b)), end(std::move(e)), owner(std::move(o)) {}
    IteratorState(IteratorState&& other) noexcept = default;
    IteratorState& operator=(IteratorState&&) = delete;
    ~IteratorState() { release(); }

    // The owner is visited by the collector (a cycle through it, such as the iterator kept in
    // the owner's __dict__, is collected); clearing it ends the iteration.
    void traverse(Visitor& visit) const { visit(owner); }
    void clear() {
        done = true;
        release();
    }

private:
    void release() noexcept {
        if (owner.is_empty()) return;             // (no owner, or moved from, or released)
        end_borrow<false>(head_of(owner.ptr()));  // (the iterator's dealloc or tp_clear: attached)
        Py<Any> dropped = std::move(owner);
    }
};

// tp_iternext: the next item converted, or nullptr without an error at the end.
template <class State, IterAccess A>
PyObject* iterator_next(PyObject* self) noexcept {
    ClassBorrow<State, true> borrow;
    if (!borrow.acquire(self, true)) return nullptr;
    State& s = *borrow.get();
    try {
        if (s.done) return nullptr;
        if (s.started) ++s.it;
        s.started = true;
        if (s.it == s.end) {
            s.done = true;
            return nullptr;
        }
        if constexpr (A == IterAccess::item) return into_py(token(), *s.it).into_ptr();
        else if constexpr (A == IterAccess::key) return into_py(token(), (*s.it).first).into_ptr();
        else return into_py(token(), (*s.it).second).into_ptr();
    } catch (...) {
        translate_exception(token());
        return nullptr;
    }
}

// The bound class of State in this run: made on first use, in a module object of its own
// ("pyowned.iterator", kept for the run), by one thread while others wait; published only once
// complete (its tp_iternext set), so no instance of a half-made class exists.
template <class State, IterAccess A>
void ensure_iterator_class(Python py) {
    static RunPointer<PyTypeObject> ready;
    if (PYOWNED_LIKELY(ready.get() != nullptr)) return;
    static std::mutex making;
    auto lock = lock_attached(making);
    if (ready.get()) return;  // made while this thread waited
    static RunCache scope;
    PyObject* module = scope.get([] { return PyModule_New("pyowned"); });
    if (!module) throw_fetched();
    Class<State>(Borrowed<Any>::from_ptr(py, module), "iterator", "An iterator over a C++ range.", module_local)
        .def("__iter__", [](Borrowed<State> self) { return self; })
        .def("__next__", [](Borrowed<State> self) {
            PyObject* item = iterator_next<State, A>(self.ptr());
            if (!item) {
                if (PyErr_Occurred()) throw_fetched();
                throw Error::of<StopIteration>("");
            }
            return Owned<Any>::from_owned_ptr(self.py(), item);
        });
    PyTypeObject* type = ClassCache<State>::slot.type.get();
#if !PYOWNED_LIMITED  // (a limited build's next() calls __next__ through CPython's slot wrapper)
    // next() and for loops take this slot directly: the end is a null result, no exception
    type->tp_iternext = &iterator_next<State, A>;
    PyType_Modified(type);
#endif
    ready.set(type);
}

template <IterAccess A, class It, class End>
Owned<Any> make_iterator_of(Python py, It begin, End end, PyObject* owner) {
    using State = IteratorState<It, End, A>;
    ensure_iterator_class<State, A>(py);
    if (owner && !try_borrow<false>(head_of(owner))) raise_borrowed(owner, false), throw_fetched();
    // (an empty Py without an owner: from_owned_ptr of null)
    State state(std::move(begin), std::move(end),
                owner ? Py<Any>::from_borrowed_ptr(py, owner) : Py<Any>::from_owned_ptr(py, nullptr));
    return into_py(py, std::move(state));  // on failure the state's destructor gives the borrow back
}

template <class T>
PyObject* borrowable_owner(Borrowed<T> owner) {
    static_assert(BoundClass<T>, "pyowned: make_iterator's owner is an instance of a bound class");
    return owner.ptr();
}

}  // namespace detail

// A Python iterator over [begin, end): each item is *it converted (a copy, as a return value
// is). The range must outlive the iterator: over a bound object's data, add
// py::keep_alive<0, 1>() to the method returning it, or use the overload taking the owner.
template <class It, class End>
[[nodiscard]] Owned<Any> make_iterator(Python py, It begin, End end) {
    return detail::make_iterator_of<detail::IterAccess::item>(py, std::move(begin), std::move(end), nullptr);
}
// The same over the data of `owner`, an instance of a bound class: the iterator holds it and a
// shared borrow of it while it exists, so it stays alive and cannot be mutated through
// pyowned (T& methods, def_rw setters raise RuntimeError) while its C++ iterators are in use.
//     .def("__iter__", [](py::Borrowed<Vec> self) {
//         const Vec& v = *self.get();
//         return py::make_iterator(self, v.begin(), v.end());
//     })
template <class T, class It, class End>
[[nodiscard]] Owned<Any> make_iterator(Borrowed<T> owner, It begin, End end) {
    return detail::make_iterator_of<detail::IterAccess::item>(owner.py(), std::move(begin), std::move(end),
                                                              detail::borrowable_owner(owner));
}
// Over a range of pairs (a map): the keys; the values.
template <class It, class End>
[[nodiscard]] Owned<Any> make_key_iterator(Python py, It begin, End end) {
    return detail::make_iterator_of<detail::IterAccess::key>(py, std::move(begin), std::move(end), nullptr);
}
template <class T, class It, class End>
[[nodiscard]] Owned<Any> make_key_iterator(Borrowed<T> owner, It begin, End end) {
    return detail::make_iterator_of<detail::IterAccess::key>(owner.py(), std::move(begin), std::move(end),
                                                             detail::borrowable_owner(owner));
}
template <class It, class End>
[[nodiscard]] Owned<Any> make_value_iterator(Python py, It begin, End end) {
    return detail::make_iterator_of<detail::IterAccess::value>(py, std::move(begin), std::move(end), nullptr);
}
template <class T, class It, class End>
[[nodiscard]] Owned<Any> make_value_iterator(Borrowed<T> owner, It begin, End end) {
    return detail::make_iterator_of<detail::IterAccess::value>(owner.py(), std::move(begin), std::move(end),
                                                               detail::borrowable_owner(owner));
}

}  // namespace pyowned
