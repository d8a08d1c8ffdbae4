// Virtual methods overridden in Python: a trampoline class derives from the bound C++ class,
// declares PYOWNED_TRAMPOLINE(Base, n) and overrides each virtual method with
// PYOWNED_OVERRIDE(name, args...) or PYOWNED_OVERRIDE_PURE(name, args...); bound as
// py::Class<Base, Trampoline>, its py::init constructs the trampoline for Python subclasses.
#pragma once
#include "construct.h"
#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>
#include <stdexcept>

namespace pyowned::detail {

// One overridable method of a trampoline (a static in the overriding function): its name,
// interned once per run.
struct OverrideSite {
    const char* name;
    RunCache interned{};
    PyObject* name_object() noexcept {
        return interned.get([this] { return PyUnicode_InternFromString(name); });
    }
};

// Where the Python class's overrides were found, per object, on builds with a GIL (which
// serializes its use): valid while the class's version tag (which CPython changes whenever a
// class in its MRO is modified, and never reuses) is the one seen.
template <std::size_t N>
struct OverrideCache {
    struct Entry {
        const OverrideSite* site = nullptr;
        unsigned version = 0;
        PyObject* found = nullptr;  // borrowed from the class's dict (unchanged while the version is), or null
    };
    Entry entries[N];
    std::size_t next = 0;  // the entry replaced when all are taken
};

// The Python object a trampoline lives in. Borrowed: the instance owns the C++ object (inline
// or through its holder), so it never outlives it unless the instance holds a shared_ptr of
// which C++ kept another copy; that instance's death clears it. Set by py::init for an
// instance of a Python subclass; a copied trampoline belongs to no Python object.
template <std::size_t N>
struct TrampolineState {
    static_assert(N > 0, "pyowned: PYOWNED_TRAMPOLINE(Base, n): n is the number of overridable methods (at least 1)");
    std::atomic<PyObject*> self{nullptr};
    std::uint64_t run = 0;
#ifndef Py_GIL_DISABLED
    mutable OverrideCache<N> cache;  // (the overriding methods may be const)
#endif

    TrampolineState() noexcept = default;
    TrampolineState(const TrampolineState&) noexcept {}
    TrampolineState& operator=(const TrampolineState&) noexcept { return *this; }
    void attach_to(PyObject* object) noexcept {
        run = current_run();
        self.store(object, std::memory_order_release);
    }
    // Links a trampoline a factory made: false when it already belongs to another instance.
    bool try_attach(PyObject* object) noexcept {
        PyObject* none = nullptr;
        if (run == current_run() && !self.compare_exchange_strong(none, object, std::memory_order_acq_rel))
            return false;
        attach_to(object);  // (a trampoline of an ended run belongs to no instance now)
        return true;
    }
};

template <class T>
concept Trampoline = requires(T& t) {
    typename T::PyownedBase;
    t.pyowned_trampoline_.self;
};

// The override of `site`'s method in the Python class of `self`: defined by a class that comes
// before the nearest class bound by this shared object in its MRO. A new reference, or null
// (nothing set) when there is none; throws py::Error for an error of the lookup.
template <std::size_t N>
PyObject* find_override([[maybe_unused]] const TrampolineState<N>& state, OverrideSite& site, PyObject* self) {
    PyTypeObject* type = Py_TYPE(self);
#ifndef Py_GIL_DISABLED
    const unsigned version = compat::type_version(type);  // 0: none, nothing cached
    if (version) {
        for (const auto& e : state.cache.entries)
            if (e.site == &site && e.version == version) return e.found ? Py_NewRef(e.found) : nullptr;
    }
#endif
    PyObject* name = site.name_object();
    if (!name) throw_fetched();
    PyObject* found = nullptr;
    // held while walked: assigning __bases__ (another thread, or Python code a dict look-up
    // runs) replaces the tuple
    PyObject* mro = api::type_mro(type);
    if (!mro && PyErr_Occurred()) throw_fetched();
    int status = 0;
    for (Py_ssize_t i = 0, n = mro ? detail::api::tuple_size(mro) : 0; i < n && status == 0; ++i) {
        auto* t = reinterpret_cast<PyTypeObject*>(detail::api::tuple_item(mro, i));
        if (bound_dealloc(t)) break;  // the bound class: methods from here on are C++ ones
        if (PyObject* dict = api::type_dict(t)) {
            status = compat::dict_get_item_ref(dict, name, &found);
            Py_DECREF(dict);
        } else if (PyErr_Occurred()) {
            status = -1;
        }
        if (found) break;
    }
    Py_XDECREF(mro);
    if (status < 0) throw_fetched();
#ifndef Py_GIL_DISABLED
    if (version && version == compat::type_version(type)) {
        auto& entries = state.cache.entries;
        std::size_t slot = 0;
        while (slot < N && entries[slot].site && entries[slot].site != &site) ++slot;
        if (slot == N) slot = state.cache.next++ % N;
        entries[slot] = {&site, version, found};
    }
#endif
    return found;
}

// A bound method of a class with a trampoline, running on this thread (a mark pushed by its
// binding, CallingBase). The trampoline's method of that name on that object then calls the
// C++ base's: the binding calls the C++ method, which is virtual and comes back to the
// trampoline, so the call came from super().name() in an override, or from Python on a class
// that does not override it. Only the innermost mark counts (the base's own virtual calls of
// other methods still reach their overrides).
struct BaseCall {
    const void* object;  // the most derived C++ object
    const char* name;    // the method's Python name
    const BaseCall* outer;
};
inline thread_local const BaseCall* base_calls = nullptr;

template <class C>
PYOWNED_INLINE const void* most_derived(const C* p) noexcept {
    if constexpr (std::is_polymorphic_v<C>) return dynamic_cast<const void*>(p);
    else return p;
}

template <class C>
PYOWNED_INLINE bool calling_base(const C* object, const char* name) noexcept {
    const BaseCall* innermost = base_calls;  // (usually null: nothing more to compute)
    return innermost && innermost->object == most_derived(object) && std::strcmp(innermost->name, name) == 0;
}

// A method binding of a class with a trampoline: F with the mark around each call (same
// parameters, the object first: a reference or pointer; other kinds of self are not marked).
template <class F, class R, class Params>
struct CallingBase;
template <class F, class R, class Self, class... A>
struct CallingBase<F, R, type_list<Self, A...>> {
    F f;
    std::string name;
    R operator()(Self self, A... args) {
        const void* object = nullptr;
        if constexpr (std::is_pointer_v<std::remove_cvref_t<Self>>) object = self ? most_derived(self) : nullptr;
        else if constexpr (std::is_lvalue_reference_v<Self>) object = most_derived(&self);
        const BaseCall*& calls = base_calls;  // (one look-up of this thread's variable)
        BaseCall mark{object, name.c_str(), calls};
        calls = &mark;
        struct Restore {
            const BaseCall*& calls;
            const BaseCall* outer;
            ~Restore() { calls = outer; }
        } restore{calls, mark.outer};
        return std::invoke(f, std::forward<Self>(self), std::forward<A>(args)...);
    }
};

// A factory of a class with a trampoline returned T by value for an instance of a Python
// subclass, and the trampoline cannot be made from it.
template <class T>
[[noreturn]] PYOWNED_COLD void throw_no_trampoline_from_value(const Uninit<T>& self) {
    throw Error::of<TypeError>("pyowned: the factory of " + std::string(class_name<T>()) + " returned a " +
                               std::string(class_name<T>()) + " for an instance of Python subclass '" +
                               detail::api::type_name_of(self.ptr()).c_str() +
                               "', and its trampoline has no constructor from one (its overrides could not be called)");
}

// What PYOWNED_OVERRIDE gets: the override's result, or nothing (the C++ base's then runs).
template <class R>
struct Overridden {
    std::optional<R> value;
    explicit operator bool() const noexcept { return value.has_value(); }
    R take() { return std::move(*value); }
};
template <>
struct Overridden<void> {
    bool called = false;
    explicit operator bool() const noexcept { return called; }
    void take() const noexcept {}
};

template <class Base>
[[noreturn]] PYOWNED_COLD void throw_pure_virtual(const char* method, PyObject* self) {
    std::string cls(class_name<Base>());
    throw std::runtime_error(
        "pyowned: " + cls + "." + method + "() is pure virtual and " +
        (self ? "'" + std::string(detail::api::type_name_of(self).c_str()) + "' does not override it"
              : "this object has no Python class to override it"));
}
template <class R, class Base>
[[noreturn]] PYOWNED_COLD void throw_override_result(const char* method, PyObject* self, PyObject* result) {
    throw Error::of<TypeError>(std::string(detail::api::type_name_of(self).c_str()) + "." + method + "() returned '" +
                               detail::api::type_name_of(result).c_str() + "', but " + std::string(class_name<Base>()) +
                               "." + method + "() returns '" + std::string(python_name<R>()) + "'");
}
[[noreturn]] PYOWNED_CORE_COLD PYOWNED_CORE void throw_override_finalizing();

// Whether `o` is a Python function (def or lambda). The limited API has no PyFunction_Check:
// types.FunctionType, looked up once per run.
PYOWNED_INLINE bool is_python_function(PyObject* o) noexcept {
#if PYOWNED_LIMITED
    static RunCache function_type;
    PyObject* type = function_type.import("types", "FunctionType");
    if (!type) PyErr_Clear();  // not found: treated as any other descriptor (bound by lookup)
    return type && Py_IS_TYPE(o, reinterpret_cast<PyTypeObject*>(type));
#else
    return PyFunction_Check(o);
#endif
}

// The call PYOWNED_OVERRIDE makes: attaches if the thread is not attached, finds the override
// and calls it with `args` converted, converts its result. Nothing when the object has no
// Python override of the method (std::runtime_error instead for a pure virtual one); throws
// py::Error for a Python exception and TypeError for a result of the wrong type.
template <class R, class Base, std::size_t N, class... A>
Overridden<R> call_override(const Base* object, const TrampolineState<N>& state, OverrideSite& site, bool pure,
                            A&&... args) {
    static_assert(std::is_void_v<R> || (!std::is_reference_v<R> && !std::is_pointer_v<R> &&
                                        views_of<R>() == Views::none && !is_handle_v<R>),
                  "pyowned: a virtual method overridden in Python must return void or a value that owns itself "
                  "(not a reference, pointer, view or handle, which would outlive the Python result)");
    if (!state.self.load(std::memory_order_relaxed) || calling_base(object, site.name)) {
        if (pure) throw_pure_virtual<Base>(site.name, nullptr);
        return {};  // no Python object, or super() / a class without the override: the base
    }
    auto call = [&](Python py) -> Overridden<R> {
        // read attached: on builds with a GIL no other thread is between dropping the
        // instance's last reference and its destroy_object clearing `self`; a refcount of 0
        // is an instance being deallocated on this thread (its weak references' callbacks)
        PyObject* self = state.self.load(std::memory_order_acquire);
        if (!self || state.run != current_run() || Py_REFCNT(self) <= 0) {
            if (pure) throw_pure_virtual<Base>(site.name, nullptr);
            return {};
        }
        Owned<Any> held = Owned<Any>::from_borrowed_ptr(py, self);  // alive for the call
        PyObject* found = find_override(state, site, self);
        if (!found) {
            if (pure) throw_pure_virtual<Base>(site.name, self);
            return {};
        }
        Owned<Any> method = Owned<Any>::from_owned_ptr(py, found);
        Owned<Any> result = [&] {
            // a function (the usual override): called with self first, without a bound method
            if (is_python_function(found)) return method.call(held, std::forward<A>(args)...);
            PyObject* name = site.name_object();  // any other descriptor: as Python's attribute lookup binds it
            PyObject* bound = name ? PyObject_GetAttr(self, name) : nullptr;
            if (!bound) throw_fetched();
            return Owned<Any>::from_owned_ptr(py, bound).call(std::forward<A>(args)...);
        }();
        if constexpr (std::is_void_v<R>) {
            return {true};
        } else {
            std::optional<R> value = result.template try_extract<R>();
            if (!value) throw_override_result<R, Base>(site.name, self, result.ptr());
            return {std::move(value)};
        }
    };
    if (PYOWNED_LIKELY(compat::is_attached())) return call(token());
    if (!Py_IsInitialized() || compat::is_finalizing()) throw_override_finalizing();
    return attach(call);
}

}  // namespace pyowned::detail

// In a trampoline class: its bound base and the number of methods it overrides (the size of
// the per-object cache of where the Python class's overrides are). Inherits Base's
// constructors.
#define PYOWNED_TRAMPOLINE(Base, N) \
    using PyownedBase = Base;       \
    using Base::Base;               \
    ::pyowned::detail::TrampolineState<N> pyowned_trampoline_

// The body of a virtual method of a trampoline: the Python override of `name`, called with
// the arguments after it, or else Base::name(args...).
#define PYOWNED_OVERRIDE(name, ...) PYOWNED_OVERRIDE_NAME(#name, name __VA_OPT__(, ) __VA_ARGS__)

// The same for a pure virtual method: without a Python override, std::runtime_error naming
// the method (RuntimeError in Python).
#define PYOWNED_OVERRIDE_PURE(name, ...) PYOWNED_OVERRIDE_PURE_NAME(#name, name __VA_OPT__(, ) __VA_ARGS__)

// The same for a method bound under another Python name: .def("get_legs", &Animal::legs)
// with PYOWNED_OVERRIDE_NAME("get_legs", legs).
#define PYOWNED_OVERRIDE_NAME(python_name, name, ...)                                                      \
    static ::pyowned::detail::OverrideSite pyowned_site_{python_name};                                     \
    if (auto pyowned_result_ =                                                                             \
            ::pyowned::detail::call_override<decltype(this->PyownedBase::name(__VA_ARGS__)), PyownedBase>( \
                static_cast<const PyownedBase*>(this), this->pyowned_trampoline_, pyowned_site_,           \
                false __VA_OPT__(, ) __VA_ARGS__))                                                         \
        return pyowned_result_.take();                                                                     \
    return PyownedBase::name(__VA_ARGS__)

#define PYOWNED_OVERRIDE_PURE_NAME(python_name, name, ...)                                                \
    static ::pyowned::detail::OverrideSite pyowned_site_{python_name};                                    \
    return ::pyowned::detail::call_override<decltype(this->PyownedBase::name(__VA_ARGS__)), PyownedBase>( \
               static_cast<const PyownedBase*>(this), this->pyowned_trampoline_, pyowned_site_,           \
               true __VA_OPT__(, ) __VA_ARGS__)                                                           \
        .take()

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

[[noreturn]] PYOWNED_CORE_COLD PYOWNED_CORE void throw_override_finalizing() {
    throw std::runtime_error(
        "pyowned: a virtual method overridden in Python was called after the interpreter began finalizing");
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
