// Pickling and copying instances of bound classes: .def(py::pickle(get, set)) gives
// __getstate__ and a __setstate__ that constructs the object into the uninitialized
// instance pickle and copy make; py::copyable gives __copy__ and __deepcopy__ through T's copy
// constructor.
#pragma once
#include "construct.h"

namespace pyowned {

// A py::Class extra: __copy__ and __deepcopy__ copy the C++ object with its copy constructor
// (and a Python subclass's __dict__, deep-copied for __deepcopy__).
struct copyable_t {};
inline constexpr copyable_t copyable{};

namespace detail {

template <class Get, class Set>
struct Pickle {
    Get get;
    Set set;
};

// A copy of `self` (an instance holding T itself) in a new instance of its type: the C++ object
// copied under a shared borrow; with `memo` (deepcopy's), the __dict__ deep-copied, `self`
// recorded in the memo first so a dict that refers back to it gets the copy.
template <class T>
Owned<Any> copy_instance(Borrowed<T> self, PyObject* memo) {
    static_assert(std::is_copy_constructible_v<T>, "pyowned: py::copyable needs T's copy constructor");
    PyObject* o = self.ptr();
    const ClassRecord* r = class_of<T>();
    if (!r) throw_fetched();
    const ClassRecord* have = head_of(o)->record.load(std::memory_order_acquire);
    if (have != r)
        throw Error::of<TypeError>(std::string("pyowned: cannot copy a '") + detail::api::type_name_of(o).c_str() +
                                   "' holding " +
                                   (have ? "a C++ '" + have->cpp_name + "'" : std::string("no C++ object")) +
                                   " with the py::copyable of '" + r->cpp_name + "'");
    PyTypeObject* type = Py_TYPE(o);
    Owned<Any> made = steal_or_throw<Owned<Any>>(api::type_alloc(type));
    {
        Ref<T> from = self.get();
        Uninit<T>(made.ptr(), r).construct(*from);
    }
    const int has_dict = api::type_has_dict(type);
    if (has_dict < 0) throw_fetched();
    if (has_dict) {
        Owned<Any> dict = self.getattr("__dict__");
        if (memo) {
            Owned<Any> key = steal_or_throw<Owned<Any>>(PyLong_FromVoidPtr(o));
            check_status(PyDict_SetItem(memo, key.ptr(), made.ptr()));
            static RunCache deepcopy;
            PyObject* f = deepcopy.import("copy", "deepcopy");
            if (!f) throw_fetched();
            dict = steal_or_throw<Owned<Any>>(PyObject_CallFunctionObjArgs(f, dict.ptr(), memo, nullptr));
        }
        made.getattr("__dict__").call_method("update", dict);
    }
    return made;
}

}  // namespace detail

// Pickling (protocols 2-5), copy.copy and copy.deepcopy for a bound class, as pybind11's:
// `get(const T&)` returns the state (any convertible value), `set(state)` returns a new T (or
// a std::unique_ptr / std::shared_ptr to one), constructed into the uninitialized instance that
// unpickling makes. __setstate__ on an initialized instance is a TypeError.
//     .def(py::pickle([](const Point& p) { return std::make_tuple(p.x, p.y); },
//                     [](std::tuple<double, double> s) { return Point{std::get<0>(s), std::get<1>(s)}; }))
template <class Get, class Set>
detail::Pickle<std::decay_t<Get>, std::decay_t<Set>> pickle(Get&& get, Set&& set) {
    return {std::forward<Get>(get), std::forward<Set>(set)};
}

}  // namespace pyowned
