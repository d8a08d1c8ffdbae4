// dict: constructors, lookups (get never raises for a missing key), mutation, range-for over items.
#pragma once
#include "iteration.h"
#include "list.h"
#include "sequence.h"

namespace pyowned {

namespace detail {
template <class Self>
struct Methods<Dict, Self> : Methods<Mapping, Self> {
    PYOWNED_HANDLE_ALIASES;

    // dict.get(key): the value, or nullopt when the key is missing (not an error). An
    // unhashable key still raises TypeError.
    template <class K>
    [[nodiscard]] std::optional<Owned<Any>> get(K&& key) const {
        auto k = hold(this->self().py(), std::forward<K>(key));
        PyObject* value;
        int found = compat::dict_get_item_ref(this->ptr(), k.ptr(), &value);
        check_status(found);
        if (!found) return std::nullopt;
        return Owned<Any>::from_owned_ptr(this->self().py(), value);
    }
    // self[key]; KeyError(key) when missing. A dict subclass gets Python's full lookup
    // (so a defaultdict's __missing__ runs).
    template <class K>
    [[nodiscard]] Owned<Any> get_item(K&& key) const {
        auto k = hold(this->self().py(), std::forward<K>(key));
        if (PYOWNED_UNLIKELY(!PyDict_CheckExact(this->ptr())))
            return steal_or_throw<Owned<Any>>(PyObject_GetItem(this->ptr(), k.ptr()));
        PyObject* value;
        int found = compat::dict_get_item_ref(this->ptr(), k.ptr(), &value);
        check_status(found);
        if (PYOWNED_UNLIKELY(!found)) missing(k.ptr());
        return Owned<Any>::from_owned_ptr(this->self().py(), value);
    }
    template <class K, class V>
    void set_item(K&& key, V&& value) const {
        auto k = hold(this->self().py(), std::forward<K>(key));
        auto v = hold(this->self().py(), std::forward<V>(value));
        check_status(PyDict_SetItem(this->ptr(), k.ptr(), v.ptr()));
    }
    // del self[key]; KeyError(key) when missing.
    template <class K>
    void del_item(K&& key) const {
        auto k = hold(this->self().py(), std::forward<K>(key));
        check_status(PyDict_DelItem(this->ptr(), k.ptr()));
    }
    template <class K>
    [[nodiscard]] bool contains(K&& key) const {
        auto k = hold(this->self().py(), std::forward<K>(key));
        int r = PyDict_Contains(this->ptr(), k.ptr());
        check_status(r);
        return r == 1;
    }
    [[nodiscard]] Py_ssize_t len() const noexcept { return detail::api::dict_size(this->ptr()); }
    [[nodiscard]] Owned<List> keys() const { return steal_or_throw<Owned<List>>(PyDict_Keys(this->ptr())); }
    [[nodiscard]] Owned<List> values() const { return steal_or_throw<Owned<List>>(PyDict_Values(this->ptr())); }
    [[nodiscard]] Owned<List> items() const { return steal_or_throw<Owned<List>>(PyDict_Items(this->ptr())); }
    [[nodiscard]] Owned<Dict> copy() const { return steal_or_throw<Owned<Dict>>(PyDict_Copy(this->ptr())); }
    void clear() const noexcept { PyDict_Clear(this->ptr()); }
    // dict.update(other) for a mapping `other`.
    template <class M>
    void update(M&& other) const {
        auto o = hold(this->self().py(), std::forward<M>(other));
        check_status(PyDict_Update(this->ptr(), o.ptr()));
    }

    // for (auto [key, value] : dict)
    [[nodiscard]] DictIterator begin() const { return DictIterator(this->ptr()); }
    [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }

private:
    [[noreturn]] PYOWNED_COLD static void missing(PyObject* key) {
        // KeyError(key), as dict[key] raises: the key goes in a 1-tuple, or PyErr_SetObject
        // would take a tuple key as the argument list (and None as no arguments)
        if (PyObject* args = PyTuple_Pack(1, key)) {
            PyErr_SetObject(PyExc_KeyError, args);
            Py_DECREF(args);
        }
        throw_fetched();
    }
};
}  // namespace detail

inline Owned<Dict> Dict::empty(Python) { return detail::steal_or_throw<Owned<Dict>>(PyDict_New()); }

// A dict of every (key, value) pair of a C++ map (or range of pairs), converted with IntoPython.
template <class M>
Owned<Dict> Dict::from(Python py, M&& map) {
    Owned<Dict> dict = empty(py);
    for (auto&& [key, value] : map) {
        if constexpr (std::is_lvalue_reference_v<M>) dict.set_item(key, value);
        else dict.set_item(std::move(key), std::move(value));
    }
    return dict;
}

}  // namespace pyowned
