// py::Class<T, Base>: binds a C++ type as a Python class. The template side only makes the
// per-signature entry points and the per-class destroy/upcast functions; making the type,
// its methods, slots and attributes is shared code (class/type.h, method.h, slots.h).
#pragma once
#include "construct.h"
#include "gc.h"
#include "pickle.h"
#include "property.h"
#include "slots.h"
#include "trampoline.h"
#include "buffer.h"

namespace pyowned {

// Extras of py::Class, given after the docstring.
struct frozen_t {};
struct unlocked_t {};
struct final_t {};
struct dynamic_attr_t {};
struct weakref_t {};
struct module_local_t {};
// Instances are immutable after construction (declare pyowned::is_frozen<T> too).
inline constexpr frozen_t frozen{};
// The type synchronizes itself: no borrow flag and no lock (declare pyowned::is_unlocked<T> too).
inline constexpr unlocked_t unlocked{};
// Python code may not subclass it.
inline constexpr final_t final{};
// Instances get a __dict__ (arbitrary attributes).
inline constexpr dynamic_attr_t dynamic_attr{};
// Instances can be weakly referenced.
inline constexpr weakref_t weakref{};
// Not shared with other pyowned modules.
inline constexpr module_local_t module_local{};

namespace detail {

// A method's parameters as Python sees them: a member function pointer's object first.
template <class F>
struct method_traits : callable_traits<F> {};
template <class C, class R, class... A>
struct method_traits<R (C::*)(A...)> {
    using ret = R;
    using params = type_list<C&, A...>;
};
template <class C, class R, class... A>
struct method_traits<R (C::*)(A...) const> {
    using ret = R;
    using params = type_list<const C&, A...>;
};
template <class C, class R, class... A>
struct method_traits<R (C::*)(A...) noexcept> : method_traits<R (C::*)(A...)> {};
template <class C, class R, class... A>
struct method_traits<R (C::*)(A...) const noexcept> : method_traits<R (C::*)(A...) const> {};

// py::method<&T::f>: a member function as a stateless callable (see py::method).
template <auto M>
struct MemberMethod {
    template <class Self, class... A>
    decltype(auto) operator()(Self&& self, A&&... args) const {
        // Called directly rather than through std::invoke: g++ then resolves the member
        // pointer early and inlines a small method into the binding's fast lane.
        if constexpr (std::is_member_function_pointer_v<decltype(M)>)
            return (std::forward<Self>(self).*M)(std::forward<A>(args)...);
        else return std::invoke(M, std::forward<Self>(self), std::forward<A>(args)...);
    }
};
template <auto M>
struct method_traits<MemberMethod<M>> : method_traits<decltype(M)> {};

// add_method for a method (or a static one), as add_annotated calls it.
template <bool Static>
PyObject* add_method_as(Python py, ClassRecord& cls, const char* name, const FunctionSpec& spec, Invoker invoke,
                        void* callable, void (*destroy)(void*), std::span<const Annotation> annotations) {
    return add_method(py, cls, name, spec, invoke, callable, destroy, annotations, Static);
}

// Binds `f` as method `name` of the class (`Static`: a static method, every parameter an
// argument): the only part compiled per method, besides the Binding's entry points. Returns
// the method object (borrowed). With call guards among the extras, the callable wrapped with
// them is defined instead.
template <bool Static = false, class F, class... Extra>
PyObject* define_method(Python py, ClassRecord& cls, const char* name, F&& f, Extra&&... extra) {
    if constexpr (needs_guards_v<F, Extra...> && Static) {
        return define_method<true>(py, cls, name, with_guards<callable_traits, F, Extra...>(std::forward<F>(f)),
                                   std::forward<Extra>(extra)...);
    } else if constexpr (needs_guards_v<F, Extra...>) {
        return define_method<false>(py, cls, name, with_guards<method_traits, F, Extra...>(std::forward<F>(f)),
                                    std::forward<Extra>(extra)...);
    } else {
        using Fn = std::decay_t<F>;
        using Traits = std::conditional_t<Static, callable_traits<Fn>, method_traits<Fn>>;
        using Sig = typename signature_of<typename Traits::params>::type;
        static_assert(Static || (Sig::regular > 0 && Sig::kinds[0] == ParamKind::regular),
                      "pyowned: a method's first parameter is the object (const T&, T&, T, a pointer or a handle); "
                      "use def_static for a function without one");
        constexpr bool positional =
            !Sig::has_args && !Sig::has_kwargs && !(std::is_same_v<std::decay_t<Extra>, kw_only> || ...);
        constexpr EntryKind kind = Static ? (positional ? EntryKind::static_positional : EntryKind::static_keywords)
                                          : (positional ? EntryKind::method_positional : EntryKind::method_keywords);
        using Bound = BindingOf<Fn, returned_t<typename Traits::ret, Extra...>, typename Traits::params>;
        constexpr bool own_entries = (std::is_same_v<std::decay_t<Extra>, inline_call> || ...);
        using Specs = typename Bound::template specs<keeps_alive_v<Extra...>, own_entries>;
        constexpr FunctionSpec spec = Specs::template spec<kind, names_given<Extra...>()>();
        const Invoker invoke = Bound::invoker();
        constexpr auto add = &add_method_as<Static>;
        const char* const returns = result_name_z<typename Traits::ret>::chars.data();
        if constexpr (is_stateless_v<Fn>) {
            return add_annotated<add, ClassRecord&, extra_param_t<Extra>...>(
                py, cls, name, spec.entries, spec.method, spec.classes, spec.claim, returns, invoke, nullptr, nullptr,
                std::forward<Extra>(extra)...);
        } else {
            void (*destroy)(void*) = [](void* p) { delete static_cast<Fn*>(p); };
            // its record frees the callable on any error
            return add_annotated<add, ClassRecord&, extra_param_t<Extra>...>(
                py, cls, name, spec.entries, spec.method, spec.classes, spec.claim, returns, invoke,
                new Fn(std::forward<F>(f)), destroy, std::forward<Extra>(extra)...);
        }
    }
}

// Calling the class itself: a new instance and its __init__ (not inherited by subclasses,
// which go through tp_new and tp_init). `cls`: the class's slot.
PYOWNED_CORE PyObject* class_call_full(PyObject* type, PyObject* const* args, std::size_t nargsf, PyObject* kwnames,
                                       const ClassSlot* cls) noexcept;
// The class's call (its tp_vectorcall), per class only this: its slot given to the shared call.
template <class T>
PyObject* class_vectorcall(PyObject* type, PyObject* const* args, std::size_t nargsf, PyObject* kwnames) noexcept {
    return class_call_full(type, args, nargsf, kwnames, &ClassCache<T>::slot);
}

// The same while the class has one constructor B with only regular parameters (Class::
// constructor installs it): exactly its positional arguments make the instance here, with
// B's entry inlined (one stack frame); every other call goes the way above. One per B, so
// shared by the classes whose constructors have one erased signature (B calls each one's
// invoker), each class's call a thunk giving its slot.
template <class B>
PYOWNED_NOINLINE PyObject* construct_call(PyObject* type, PyObject* const* args, std::size_t nargsf, PyObject* kwnames,
                                          const ClassSlot* cls) noexcept {
    const ClassRecord* r = cls->record.get();
    if (PYOWNED_UNLIKELY(!r || kwnames || detail::api::vectorcall_nargs(nargsf) != B::N - 1 ||
                         pending_decrefs_waiting()))
        return class_call_full(type, args, nargsf, kwnames, cls);
    PyObject* self = alloc_instance(r);
    if (PYOWNED_UNLIKELY(!self)) return nullptr;
    if (PYOWNED_UNLIKELY(!B::template construct_entry<true>(r->construct_record, self, args))) {
        Py_DECREF(self);
        return nullptr;
    }
    return self;
}
template <class T, class B>
struct ClassCall<Uninit<T>, B> {
    static PyObject* call(PyObject* type, PyObject* const* args, std::size_t nargsf, PyObject* kwnames) noexcept {
        return construct_call<B>(type, args, nargsf, kwnames, &ClassCache<T>::slot);
    }
};

// What py::Class<T> knows of T at compile time, one constant per class (ClassLayoutOf), from
// which the core makes its record: pointers to functions compiled per class, and facts.
struct ClassLayout {
    ClassFacts facts;  // size, alignment, frozen, unlocked
    const std::type_info* cpp_type;
    ClassSlot* slot;               // where its record and type are cached (ClassCache<T>::slot), and its C++ name
    Py_ssize_t offset, basicsize;  // of the storage in the instance; of the instance
    bool overaligned, trivially_destructible;
    void (*destroy)(PyObject* self);
    // a class with a trampoline (of type `trampoline`): ClassRecord's two functions
    const std::type_info* trampoline = nullptr;
    PyObject* (*python_object)(void* object) = nullptr;
    void* (*trampoline_object)(void* trampoline) = nullptr;
    // T's own traverse and clear (SelfTraversing), if any
    int (*traverse)(const void* state, const void* value, visitproc visit, void* arg) = nullptr;
    void (*clear)(const void* state, void* value) = nullptr;
    // the bound base class's slot, and the cast to its subobject, if any
    const ClassSlot* base = nullptr;
    void* (*upcast)(void*) = nullptr;
};

// The options py::Class's extras give.
struct ClassOptions {
    bool module_local, final, dynamic_attr, weakref;
};

// Binds a class (py::Class's constructor): its record made from `layout`, its type made, the
// record stored (the class store owns it from here on) and registered, cached in its slot,
// the type set as `scope.<name>`. Returns the record.
PYOWNED_CORE_COLD PYOWNED_CORE ClassRecord& add_class(const ClassLayout& layout, PyObject* scope, const char* name,
                                                      const char* doc, ClassOptions options);

// Makes `init` (the __init__ method object, its latest overload defined) the class's
// constructor: the class's call takes its construct entry while it is one overload with one
// (exactly its positional arguments), else `call` (class_vectorcall); the class's text
// signature follows it.
PYOWNED_CORE_COLD PYOWNED_CORE void install_init(ClassRecord& cls, PyObject* init, vectorcallfunc call);

// The layout of class T storing Stored (T, or its trampoline Tr), with bound base Base or void.
template <class T, class Tr, class Stored, class Base>
struct ClassLayoutOf {
    static void* trampoline_object(void* p) noexcept { return static_cast<T*>(static_cast<Tr*>(p)); }
    static void* upcast(void* p) noexcept { return static_cast<Base*>(static_cast<T*>(p)); }
    static constexpr ClassLayout make() {
        ClassLayout l{facts_of<T>(),
                      &typeid(T),
                      &ClassCache<T>::slot,
                      static_cast<Py_ssize_t>(storage_offset<T>),
                      static_cast<Py_ssize_t>(storage_offset<T> + storage_size<Stored>),
                      alignof(T) > storage_alignment,
                      std::is_trivially_destructible_v<T>,
                      nullptr};
        if constexpr (destroys_trivially<T, Tr>) l.destroy = &destroy_trivial;
        else l.destroy = &destroy_object<T, Tr>;
        if constexpr (!std::is_void_v<Tr>) {
            l.trampoline = &typeid(Tr);
            l.python_object = &python_object_of<T, Tr>;
            l.trampoline_object = &trampoline_object;
        }
        if constexpr (SelfTraversing<T>) {
            l.traverse = &OwnTraversal<T>::traverse;
            l.clear = &OwnTraversal<T>::clear;
        }
        if constexpr (!std::is_void_v<Base>) {
            l.base = &ClassCache<Base>::slot;
            l.upcast = &upcast;
        }
        return l;
    }
    static constexpr ClassLayout value = make();
};

}  // namespace detail

// A member function named at compile time: .def("norm", py::method<&Point::norm>). Unlike a
// member function pointer passed as a value (&Point::norm), known only at run time, it lets
// the method be a CPython method descriptor, which the specializing interpreter calls
// without going through the generic call path (a captureless lambda does the same).
template <auto M>
inline constexpr detail::MemberMethod<M> method{};

namespace detail {

// The bound base and the trampoline among py::Class's X and Y (void when absent): a base is
// a class T derives from, a trampoline one that derives from T.
template <class T, class X>
inline constexpr bool is_base_arg_v = !std::is_void_v<X> && std::is_base_of_v<X, T> && !std::is_same_v<X, T>;
template <class T, class X>
inline constexpr bool is_trampoline_arg_v = !std::is_void_v<X> && std::is_base_of_v<T, X> && !std::is_same_v<X, T>;
template <class T, class X, class Y>
using class_base_t = std::conditional_t<is_base_arg_v<T, X>, X, std::conditional_t<is_base_arg_v<T, Y>, Y, void>>;
template <class T, class X, class Y>
using class_trampoline_t =
    std::conditional_t<is_trampoline_arg_v<T, X>, X, std::conditional_t<is_trampoline_arg_v<T, Y>, Y, void>>;

}  // namespace detail

// Binds the C++ type T as a Python class in `scope` (a module, or a bound class for a nested
// class). `X` and `Y` are optional: T's bound base class, and a trampoline (a class deriving
// from T with PYOWNED_TRAMPOLINE, whose virtual methods Python subclasses override):
//     py::Class<Point>(m, "Point", "A point in the plane.")
//         .def(py::init<double, double>(), py::arg("x") = 0.0, py::arg("y") = 0.0)
//         .def_rw("x", &Point::x)
//         .def("norm", &Point::norm);
//     py::Class<Animal, PyAnimal>(m, "Animal").def(py::init<>()).def("sound", &Animal::sound);
template <class T, class X = void, class Y = void>
class Class {
    using Base = detail::class_base_t<T, X, Y>;
    using Trampoline = detail::class_trampoline_t<T, X, Y>;
    static constexpr bool has_trampoline = !std::is_void_v<Trampoline>;
    static_assert(std::is_void_v<X> || detail::is_base_arg_v<T, X> || detail::is_trampoline_arg_v<T, X>,
                  "pyowned: py::Class<T, X>: X must be T's bound base class or a trampoline deriving from T");
    static_assert(std::is_void_v<Y> || (detail::is_base_arg_v<T, Y> && detail::is_trampoline_arg_v<T, X>) ||
                      (detail::is_trampoline_arg_v<T, Y> && detail::is_base_arg_v<T, X>),
                  "pyowned: py::Class<T, X, Y>: one of X and Y is T's bound base class, the other its trampoline");
    // What the instance stores: T, or its trampoline, which must fit T's place
    using Stored = std::conditional_t<has_trampoline, Trampoline, T>;
    static_assert(!has_trampoline || detail::Trampoline<Stored>,
                  "pyowned: a trampoline declares PYOWNED_TRAMPOLINE(Base, n) in its body");
    static_assert(!has_trampoline || (std::is_polymorphic_v<T> && alignof(Stored) == alignof(T)),
                  "pyowned: a trampoline overrides virtual methods of T, so T is polymorphic; it adds no "
                  "over-aligned members");

public:
    template <class Scope, class... Extra>
        requires requires(const Scope& s) { s.ptr(); }
    Class(const Scope& scope, const char* name, const char* doc, Extra... extras)
        : Class(scope.ptr(), name, doc, extras...) {}
    template <class Scope>
        requires requires(const Scope& s) { s.ptr(); }
    Class(const Scope& scope, const char* name) : Class(scope.ptr(), name, nullptr) {}

    // A method, a special method (filling its type slot), or with py::init a constructor.
    template <class F, class... Extra>
    Class& def(const char* name, F&& f, Extra&&... extra) {
        if constexpr (has_trampoline) {
            // marked while it runs: the trampoline's method of this name calls the C++ base's
            using Fn = std::decay_t<F>;
            using Traits = detail::method_traits<Fn>;
            detail::define_method(
                py(), *record_, name,
                detail::CallingBase<Fn, typename Traits::ret, typename Traits::params>{std::forward<F>(f), name},
                std::forward<Extra>(extra)...);
        } else {
            detail::define_method(py(), *record_, name, std::forward<F>(f), std::forward<Extra>(extra)...);
        }
        return *this;
    }
    // A constructor. With a trampoline, an instance of a Python subclass (or of any class,
    // when T is abstract) gets the trampoline, which calls the subclass's overrides.
    template <class... Args, class... Extra>
    Class& def(detail::Constructor<Args...>, Extra&&... extra) {
        return constructor(
            [](detail::Uninit<T> self, Args... args) {
                if constexpr (!has_trampoline) {
                    self.construct(std::forward<Args>(args)...);
                } else if constexpr (std::is_abstract_v<T>) {
                    self.template construct_trampoline<Trampoline>(std::forward<Args>(args)...);
                } else {
                    if (self.of_subclass()) self.template construct_trampoline<Trampoline>(std::forward<Args>(args)...);
                    else self.construct(std::forward<Args>(args)...);
                }
            },
            std::forward<Extra>(extra)...);
    }
    template <class F, class... Extra>
    Class& def(detail::Factory<F> factory, Extra&&... extra) {
        return constructor(factory_body(std::move(factory.make), typename detail::callable_traits<F>::params{}),
                           std::forward<Extra>(extra)...);
    }

    // Pickling and copying: __getstate__ from `get`, and a __setstate__ constructing the
    // object from what `set` returns (see py::pickle).
    template <class G, class S>
    Class& def(detail::Pickle<G, S> p) {
        def("__getstate__", std::move(p.get));
        detail::define_method(py(), *record_, "__setstate__",
                              factory_body(std::move(p.set), typename detail::callable_traits<S>::params{}));
        record_->has_init = true;  // unpickling makes an instance with __new__
        return *this;
    }

    // A static method: called on the class or an instance, without the object.
    template <class F, class... Extra>
    Class& def_static(const char* name, F&& f, Extra&&... extra) {
        detail::define_method<true>(py(), *record_, name, std::forward<F>(f), std::forward<Extra>(extra)...);
        return *this;
    }

    // A field, read and written through the instance (each access a borrow). A field of a
    // bound class type reads as a view that keeps the instance alive; any other, a copy.
    template <class M>
    Class& def_rw(const char* name, M T::* member, const char* doc = nullptr) {
        static_assert(!is_frozen<T>, "pyowned: def_rw on a py::frozen class: use def_ro");
        detail::add_field(*record_, name, doc, member, true);
        return *this;
    }
    template <class M>
    Class& def_ro(const char* name, M T::* member, const char* doc = nullptr) {
        detail::add_field(*record_, name, doc, member, false);
        return *this;
    }
    // A property from a getter taking the object (or a const member function).
    template <class G>
    Class& def_prop_ro(const char* name, G getter, const char* doc = nullptr) {
        using A = detail::Accessors<T, G, G>;
        detail::add_property(*record_, name, doc,
                             detail::result_name_z<std::invoke_result_t<const G&, T&>>::chars.data(), &A::get, nullptr,
                             new A{std::move(getter), {}}, &A::destroy);
        return *this;
    }
    // A property from a getter and a setter taking the object and the value.
    template <class G, class S>
    Class& def_prop_rw(const char* name, G getter, S setter, const char* doc = nullptr) {
        static_assert(!is_frozen<T>, "pyowned: def_prop_rw on a py::frozen class: use def_prop_ro");
        using A = detail::Accessors<T, G, S>;
        detail::add_property(*record_, name, doc,
                             detail::result_name_z<std::invoke_result_t<const G&, T&>>::chars.data(), &A::get, &A::set,
                             new A{std::move(getter), std::move(setter)}, &A::destroy);
        return *this;
    }

    // The buffer protocol: `f(self)` (T& for a writable export, const T& for a read-only one)
    // returns the py::BufferInfo memoryview(obj) and numpy.asarray(obj) show without a copy.
    // While an export lives the instance is shared-borrowed: a T& method or a def_rw setter
    // raises BufferError. Call it before Python subclasses are made (they inherit the slots).
    template <class F>
    Class& def_buffer(F f) {
        using Fn = std::decay_t<F>;
        static_assert(
            std::is_invocable_r_v<BufferInfo, const Fn&, const T&> || std::is_invocable_r_v<BufferInfo, const Fn&, T&>,
            "pyowned: def_buffer(f): f takes T& (or const T& for a read-only export) and returns py::BufferInfo");
        static_assert(!is_frozen<T> || std::is_invocable_v<const Fn&, const T&>,
                      "pyowned: def_buffer on a py::frozen class: f takes const T& (a read-only export)");
        static_assert(!PYOWNED_LIMITED || sizeof(Fn) == 0,
                      "pyowned: def_buffer is not available in a STABLE_ABI (limited API) build yet: a type's buffer "
                      "slot cannot be added after the type is made");
        record_->buffer_state = std::make_shared<const Fn>(std::move(f));
        record_->get_buffer = &detail::export_buffer<T, Fn>;
        detail::enable_buffer(record_->type);
        return *this;
    }

    // A class attribute: Point.ORIGIN = value.
    template <class V>
    Class& attr(const char* name, V&& value) {
        Owned<Any> v = into_py(py(), std::forward<V>(value));
        detail::set_scope_attr(type_ptr(), Str::from(py(), name).ptr(), v.ptr());
        return *this;
    }

    // The members that hold Python references (py::Py, std::optional of one, std containers
    // of them): the class takes part in garbage collection, so reference cycles through C++
    // objects are collected. Call it before any instance exists.
    template <class... M>
    Class& traverse(M T::*... members) {
        using Traversal = detail::MemberTraversal<T, M...>;
        record_->gc_state = std::make_shared<const Traversal>(Traversal{std::make_tuple(members...)});
        record_->traverse = &Traversal::traverse;
        record_->clear = &Traversal::clear;
        make_gc();
        return *this;
    }

    PyObject* ptr() const noexcept { return type_ptr(); }
    // The class object.
    Borrowed<Type> type() const noexcept { return Borrowed<Type>::from_ptr(py(), type_ptr()); }

private:
    static Python py() noexcept { return detail::token(); }
    PyObject* type_ptr() const noexcept { return reinterpret_cast<PyObject*>(record_->type); }

    template <class... Extra>
    Class(PyObject* scope, const char* name, const char* doc, Extra...) {
        constexpr bool frozen = (std::is_same_v<Extra, frozen_t> || ...);
        constexpr bool unlocked = (std::is_same_v<Extra, unlocked_t> || ...);
        static_assert(frozen == is_frozen<T>,
                      "pyowned: py::frozen and pyowned::is_frozen<T> must agree: declare "
                      "template <> inline constexpr bool pyowned::is_frozen<T> = true; and pass py::frozen");
        static_assert(unlocked == is_unlocked<T>,
                      "pyowned: py::unlocked and pyowned::is_unlocked<T> must agree: declare "
                      "template <> inline constexpr bool pyowned::is_unlocked<T> = true; and pass py::unlocked");
        static_assert(!(frozen && unlocked), "pyowned: a class is py::frozen or py::unlocked, not both");
        record_ = &detail::add_class(
            detail::ClassLayoutOf<T, Trampoline, Stored, Base>::value, scope, name, doc,
            {(std::is_same_v<Extra, module_local_t> || ...), (std::is_same_v<Extra, final_t> || ...),
             (std::is_same_v<Extra, dynamic_attr_t> || ...), (std::is_same_v<Extra, weakref_t> || ...)});
        if constexpr ((std::is_same_v<Extra, copyable_t> || ...)) {
            def("__copy__", [](Borrowed<T> self) { return detail::copy_instance(self, nullptr); });
            def("__deepcopy__",
                [](Borrowed<T> self, Borrowed<Any> memo) { return detail::copy_instance(self, memo.ptr()); });
        }
    }

    template <class F, class... Extra>
    Class& constructor(F&& body, Extra&&... extra) {
        PyObject* init =
            detail::define_method(py(), *record_, "__init__", std::forward<F>(body), std::forward<Extra>(extra)...);
        detail::install_init(*record_, init, &detail::class_vectorcall<T>);
        return *this;
    }

    template <class F, class... Args>
    static auto factory_body(F make, detail::type_list<Args...>) {
        return [make = std::move(make)](detail::Uninit<T> self, Args... args) {
            auto made = std::invoke(make, std::forward<Args>(args)...);
            if constexpr (!has_trampoline) {
                self.adopt(std::move(made));
            } else if constexpr (std::is_same_v<decltype(made), T> || std::is_same_v<decltype(made), Trampoline>) {
                // a value: moved into the trampoline for a Python subclass
                if constexpr (std::is_constructible_v<Trampoline, decltype(made)&&>) {
                    if (self.of_subclass() || std::is_same_v<decltype(made), Trampoline>)
                        return self.template construct_trampoline<Trampoline>(std::move(made));
                }
                if constexpr (std::is_same_v<decltype(made), T>) {
                    if (self.of_subclass()) detail::throw_no_trampoline_from_value(self);
                    self.adopt(std::move(made));
                }
            } else {
                self.template adopt_trampoline<Trampoline>(std::move(made));
            }
        };
    }

    // Turns on garbage collection for the class's instances (none exists yet).
    void make_gc() {
        PyTypeObject* t = record_->type;
        if (PyType_IS_GC(t)) return;  // (a limited build's types are, from the start)
#if !PYOWNED_LIMITED
        t->tp_flags |= Py_TPFLAGS_HAVE_GC;
        t->tp_traverse = &detail::instance_traverse;
        t->tp_clear = &detail::instance_clear;
        t->tp_free = PyObject_GC_Del;
        t->tp_dealloc = &detail::instance_dealloc;
        record_->lean_alloc = false;
        PyType_Modified(t);
#endif
    }

    detail::ClassRecord* record_;
};

}  // namespace pyowned

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE PyObject* class_call_full(PyObject*, PyObject* const* args, std::size_t nargsf, PyObject* kwnames,
                                       const ClassSlot* cls) noexcept {
    drain_pending_decrefs();
    const ClassRecord* r = class_in(cls);
    return r ? construct_instance(r, args, nargsf, kwnames) : nullptr;
}

PYOWNED_CORE_COLD PYOWNED_CORE void install_init(ClassRecord& cls, PyObject* init, vectorcallfunc call) {
    cls.init = init;
    cls.has_init = true;
    const FunctionRecord* first = &record_of(init);
    const bool direct = !first->next_overload && first->construct && !first->through_record() &&
                        first->fast_nargs == static_cast<Py_ssize_t>(first->names.size());
    cls.construct_record = direct ? first : nullptr;
    cls.construct_nargs = direct ? first->names.size() - 1 : 0;  // after self
#if PYOWNED_LIMITED
    (void)call;  // tp_vectorcall cannot be set: the class is called through tp_new and __init__
#else
    cls.type->tp_vectorcall = direct ? first->class_call : call;
#endif
    set_class_signature(cls, *first);
}

PYOWNED_CORE_COLD PYOWNED_CORE ClassRecord& add_class(const ClassLayout& layout, PyObject* scope, const char* name,
                                                      const char* doc, ClassOptions options) {
    class_describer.store(&describe_class_objects, std::memory_order_release);  // stub generators see classes
#if PYOWNED_LIMITED
    api::bound_tp_name = &tp_name_if_bound;  // messages name bound classes as tp_name does
#endif
    auto record = std::make_unique<ClassRecord>();
    ClassRecord& r = *record;
    r.size = layout.facts.size;
    r.align = layout.facts.align;
    r.frozen = layout.facts.frozen;
    r.unlocked = layout.facts.unlocked;
    r.cpp_type = layout.cpp_type;
    r.cpp_name = std::string(layout.slot->cpp_name);
    r.module_local = options.module_local || internal_linkage(*layout.cpp_type);
    r.offset = layout.offset;
    r.overaligned = layout.overaligned;
    r.trivially_destructible = layout.trivially_destructible;
    r.destroy = layout.destroy;
    r.python_object = layout.python_object;
    r.trampoline_object = layout.trampoline_object;
    r.traverse = layout.traverse;
    r.clear = layout.clear;
    if (layout.base) {
        r.base = class_in(layout.base);
        if (!r.base) throw_fetched();
        r.upcast = layout.upcast;
    }
    ClassSpec spec{name,
                   doc,
                   scope,
                   r.base,
                   layout.basicsize,
                   options.final,
                   options.dynamic_attr,
                   options.weakref,
                   r.traverse != nullptr};
    PyObject* type = make_class_type(spec, r.tp_name, r.name, r.layout);
    if (!type) throw_fetched();
    Owned<Any> type_owned = Owned<Any>::from_owned_ptr(token(), type);
    r.type = reinterpret_cast<PyTypeObject*>(type);
#if !PYOWNED_LIMITED  // (a limited build's types are collected: never lean)
    r.lean_alloc = !PyType_IS_GC(r.type) && r.type->tp_dictoffset == 0 && r.type->tp_weaklistoffset == 0 &&
                   r.type->tp_alloc == PyType_GenericAlloc;
    if (r.lean_alloc)
        r.type->tp_dealloc = r.trivially_destructible ? &trivial_instance_dealloc : &lean_instance_dealloc;
#endif
    {
        std::lock_guard<std::mutex> lock(class_store.mutex);
        class_store.records.push_back(std::move(record));
        class_store.by_type[r.type] = &r;
        if (layout.trampoline) class_store.trampolines[*layout.trampoline] = &r;
    }
    if (!r.module_local && !register_class(r)) throw_fetched();
    fill_slot(*layout.slot, &r);
    // the scope keeps the type alive (and so every instance's record is in the store)
    set_scope_attr(spec.scope, Str::from(token(), spec.name).ptr(), type);
    return r;
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
