// Conversions of bound classes: instances made from C++ values, std::unique_ptr (adopted),
// std::shared_ptr (held) and views (py::rv policies); copies and std::shared_ptr taken from
// instances. References and pointers as parameters are borrows (class/borrow.h).
#pragma once
#include "borrow.h"
#include "type.h"
#include <memory>
#include <new>

namespace pyowned {

// Return value policies: who owns the object a returned reference or raw pointer refers to.
namespace rv {
struct copy_t {
    static constexpr bool return_policy = true;
};
struct reference_t {
    static constexpr bool return_policy = true;
};
struct reference_internal_t {
    static constexpr bool return_policy = true;
};
// A new instance holding a copy.
inline constexpr copy_t copy{};
// A view of an object whose lifetime the caller guarantees (nothing keeps it alive).
inline constexpr reference_t reference{};
// A view of a sub-object of the method's self, which the view keeps alive and borrows
// (with its critical section) for every access.
inline constexpr reference_internal_t reference_internal{};
}  // namespace rv

namespace detail {

template <class T>
inline constexpr bool is_rv_policy_v =
    std::is_same_v<T, rv::copy_t> || std::is_same_v<T, rv::reference_t> || std::is_same_v<T, rv::reference_internal_t>;

// The record of the class whose object `p` (of static type T) really is: a bound subclass
// found through RTTI when T is polymorphic, else T's own. nullptr with an error set if T is
// not bound.
PYOWNED_CORE_COLD PYOWNED_CORE const ClassRecord* registered_class(const std::type_info& type) noexcept;
// The class whose trampoline `type` is, among this shared object's classes; or nullptr.
PYOWNED_CORE_COLD PYOWNED_CORE const ClassRecord* trampoline_class(const std::type_info& type) noexcept;
// The Python object `object` (of class `r`) lives in, as a new reference, when it is a
// trampoline made for an instance of a Python subclass: returning it gives that instance
// back, not a new one. nullptr otherwise.
PYOWNED_INLINE PyObject* existing_instance(const ClassRecord* r, void* object) noexcept {
    if (PYOWNED_LIKELY(!r || !r->python_object)) return nullptr;
    PyObject* self = r->python_object(object);
    // (attached: a refcount of 0 is an instance this thread is deallocating)
    return self && Py_REFCNT(self) > 0 ? Py_NewRef(self) : nullptr;
}

template <class T>
const ClassRecord* dynamic_class(const T* p, void*& object) noexcept {
    const ClassRecord* r = class_of<T>();
    object = const_cast<std::remove_cv_t<T>*>(p);
    if constexpr (std::is_polymorphic_v<T>) {
        const std::type_info& dynamic = typeid(*p);
        if (r && dynamic != typeid(T)) {
            if (const ClassRecord* derived = registered_class(dynamic)) {
                object = const_cast<void*>(dynamic_cast<const void*>(p));  // the most derived object
                return derived;
            }
            if (const ClassRecord* derived = trampoline_class(dynamic)) {
                object = derived->trampoline_object(const_cast<void*>(dynamic_cast<const void*>(p)));
                return derived;
            }
        }
    }
    return r;
}

// A new, empty instance of `r`'s class (its object not yet made); throws py::Error. A class
// without GC, __dict__ or weak references needs only the head initialized (the storage is
// constructed into): no zeroing of the whole instance, as PyType_GenericAlloc does.
PYOWNED_INLINE PyObject* new_instance(const ClassRecord* r) {
    if (PYOWNED_UNLIKELY(!r)) throw_fetched();
    PyObject* self = alloc_instance(r);
    if (PYOWNED_UNLIKELY(!self)) throw_fetched();
    return self;
}

// Makes the instance's object visible: from here on it is constructed (release: a thread
// that sees the record sees the object).
PYOWNED_INLINE void publish(PyObject* self, const ClassRecord* r, Holder holder) noexcept {
    PYOWNED_ASSUME(self != nullptr);  // (g++ 12 warns of a store through null on a path that cannot run)
    head_of(self)->holder.store(holder, std::memory_order_release);
    head_of(self)->record.store(r, std::memory_order_release);
}

// An instance holding a pointer: [object][keeper] in the storage.
inline Owned<Any> pointer_instance(Python py, const ClassRecord* r, void* object, void* keeper, Holder holder) {
    PyObject* self = new_instance(r);
    auto** words = reinterpret_cast<void**>(r->storage(self));
    words[0] = object;
    words[1] = keeper;
    publish(self, r, holder);
    return Owned<Any>::from_owned_ptr(py, self);
}

// A view instance of *p: py::rv::reference (owner null) or reference_internal.
template <class T>
Owned<Any> view_instance(Python py, T* p, PyObject* owner) {
    if (!p) return Owned<Any>::from_borrowed_ptr(py, Py_None);
    void* object;
    const ClassRecord* r = dynamic_class(p, object);
    if (PyObject* self = existing_instance(r, object)) return Owned<Any>::from_owned_ptr(py, self);
    return pointer_instance(py, r, object, owner ? Py_NewRef(owner) : nullptr,
                            owner ? Holder::view_internal : Holder::view);
}

// Destroys a T object held inline (`Delete`: deletes one held through a pointer), which may
// be its trampoline Tr (void: T has none) when T's destructor is not virtual.
// (Deleting through T* or Tr* whose destructor is not virtual: the object is of that very
// class, since a unique holder is made only of an object whose class is the most derived one
// bound, or of the trampoline.)
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdelete-non-abstract-non-virtual-dtor"
#pragma clang diagnostic ignored "-Wdelete-non-virtual-dtor"
#elif defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdelete-non-virtual-dtor"
#endif
template <class T, class Tr, bool Delete>
void end_object(T* p) {
    if constexpr (!std::is_void_v<Tr> && !std::has_virtual_destructor_v<T>) {
        if (auto* t = dynamic_cast<Tr*>(p)) {
            if constexpr (Delete) delete t;
            else t->Tr::~Tr();  // (qualified: its dynamic type is Tr)
            return;
        }
    }
    if constexpr (Delete) delete p;
    else p->~T();
}
#if defined(__clang__)
#pragma clang diagnostic pop
#elif defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

// Ends what an instance's holder owns besides a T object (`words`: its storage): the copy of a
// shared_ptr (Holder::shared), the owner's reference (Holder::view_internal); nothing for the
// other holders. Compiled once, not per class.
PYOWNED_CORE void release_holder(Holder holder, void** words) noexcept;

// Ends the life of the object in `self` (of class T's record, with trampoline Tr or void), as
// its holder says.
template <class T, class Tr = void>
void destroy_object(PyObject* self) {
    const ClassRecord* r = head_of(self)->record.load(std::memory_order_relaxed);
    char* at = r->storage(self);
    auto** words = reinterpret_cast<void**>(at);
    switch (head_of(self)->holder) {
        case Holder::inline_value:
            end_object<T, Tr, false>(std::launder(reinterpret_cast<T*>(at)));
            break;
        case Holder::unique:
            end_object<T, Tr, true>(static_cast<T*>(words[0]));
            break;
        case Holder::shared:
            if constexpr (!std::is_void_v<Tr>) {
                // C++ may keep another copy: the trampoline then no longer has this Python object
                auto* t = dynamic_cast<Tr*>(static_cast<T*>(words[0]));
                if (t && t->pyowned_trampoline_.self.load(std::memory_order_relaxed) == self)
                    t->pyowned_trampoline_.self.store(nullptr, std::memory_order_release);
            }
            [[fallthrough]];
        default:
            release_holder(head_of(self)->holder, words);
            break;
    }
}

// Whether `delete p` of a T* is the global operator delete of T's size and alignment: T has no
// operator delete of its own.
template <class T>
concept global_delete =
    !requires(void* p) { T::operator delete(p); } && !requires(void* p, std::size_t n) { T::operator delete(p, n); } &&
    !requires(void* p, std::align_val_t a) { T::operator delete(p, a); } &&
    !requires(void* p, std::size_t n, std::align_val_t a) { T::operator delete(p, n, a); } &&
    !requires(T* p) { T::operator delete(p, std::destroying_delete); };

// destroy_object of a class whose objects end with no destructor to run (trivially
// destructible, no trampoline) and are freed by the global operator delete: compiled once,
// not per class, the size and alignment read from the record.
PYOWNED_CORE void destroy_trivial(PyObject* self) noexcept;
template <class T, class Tr>
inline constexpr bool destroys_trivially =
    std::is_void_v<Tr> && std::is_trivially_destructible_v<T> && global_delete<T>;

// ClassRecord::python_object of a class with trampoline Tr.
template <class T, class Tr>
PyObject* python_object_of(void* object) {
    auto* t = dynamic_cast<Tr*>(static_cast<T*>(object));
    if (!t || t->pyowned_trampoline_.run != current_run()) return nullptr;
    return t->pyowned_trampoline_.self.load(std::memory_order_acquire);
}

// A returned reference or pointer, converted as its policy says (bind/dispatch.h calls it
// with the call's first argument as the owner).
template <class Policy, class R>
struct WithPolicy {
    static constexpr bool policy_return = true;
    template <class V>
    static PyObject* into_python(Python py, V&& value, PyObject* owner) {
        if constexpr (!unowned_class_reference<R>) {
            return into_py(py, std::forward<V>(value)).into_ptr();  // the policy is for references only
        } else {
            auto* p = [&] {
                if constexpr (std::is_pointer_v<R>) return value;
                else return &value;
            }();
            using T = std::remove_cv_t<std::remove_pointer_t<decltype(p)>>;
            if constexpr (std::is_same_v<Policy, rv::copy_t>) {
                if (!p) return Py_NewRef(Py_None);
                return into_py(py, T(*p)).into_ptr();
            } else {
                return view_instance(py, p, std::is_same_v<Policy, rv::reference_internal_t> ? owner : nullptr)
                    .into_ptr();
            }
        }
    }
};

}  // namespace detail

// A bound class's value: a copy of the instance's object (a shared borrow while copying).
template <detail::BoundClass T>
struct FromPython<T> {
    static constexpr bool class_conversion = true;
    static constexpr std::string_view name = detail::class_name<T>();
    static std::optional<T> from_python(Borrowed<Any> obj, bool convert) {
        static_assert(std::is_copy_constructible_v<T>,
                      "pyowned: this bound class is taken by value but cannot be copied; take const T& or T&");
        detail::ClassBorrow<T, false> borrow;
        if (PYOWNED_LIKELY(borrow.acquire(obj.ptr(), false))) return std::optional<T>(*borrow.get());
        if (!convert || PyErr_Occurred()) return std::nullopt;
        // the second overload pass: a copy of T made by a py::implicitly_convertible<From, T>
        PyObject* made = detail::implicit_conversion(detail::class_of<T>(), obj.ptr());
        if (!made) return std::nullopt;
        Owned<Any> held = Owned<Any>::from_owned_ptr(obj.py(), made);
        detail::ClassBorrow<T, false> made_borrow;
        if (!made_borrow.acquire(made, false)) return std::nullopt;
        return std::optional<T>(*made_borrow.get());
    }
};

// T* and const T* parameters are borrows (class/borrow.h); this names them in signatures.
template <class T>
    requires detail::BoundClass<std::remove_const_t<T>>
struct FromPython<T*> {
    static constexpr std::string_view name = detail::class_name<std::remove_const_t<T>>();
};

namespace detail {
// The deleter of a std::shared_ptr made from an instance: it deletes nothing and owns a
// reference to the instance, dropped with the last shared_ptr (directly when attached, queued
// when not, as Py's). Returning such a pointer to Python gives the instance back.
struct InstanceKeeper {
    PyObject* instance;  // a strong reference of run `run`, or null once dropped
    std::uint64_t run;
    explicit InstanceKeeper(PyObject* o) noexcept : instance(Py_NewRef(o)), run(current_run()) {}
    InstanceKeeper(InstanceKeeper&& other) noexcept
        : instance(std::exchange(other.instance, nullptr)), run(other.run) {}
    InstanceKeeper& operator=(InstanceKeeper&&) = delete;
    ~InstanceKeeper() { drop(); }
    void operator()(const void*) noexcept { drop(); }  // the last shared_ptr is gone
    void drop() noexcept {
        if (instance) release_anywhere(std::exchange(instance, nullptr), run);
    }
};
}  // namespace detail

// std::shared_ptr<T>: shares the instance. The pointer keeps the Python object alive through
// its deleter (InstanceKeeper), so it may outlive every Python reference and be dropped on
// any thread. C++ code may then use the object without borrowing it: only for classes
// that need no borrow (py::frozen, py::unlocked).
template <detail::BoundClass T>
struct FromPython<std::shared_ptr<T>> {
    static constexpr std::string_view name = detail::class_name<T>();
    static std::optional<std::shared_ptr<T>> from_python(Borrowed<Any> obj) {
        static_assert(is_frozen<std::remove_cv_t<T>> || is_unlocked<std::remove_cv_t<T>>,
                      "pyowned: a std::shared_ptr parameter would let C++ use the object without borrowing it, "
                      "so it compiles only for py::frozen and py::unlocked classes; take py::Py<T> and "
                      "borrow it with get_mut() instead");
        const detail::ClassRecord* want = detail::class_of<std::remove_cv_t<T>>();
        if (!want) return std::nullopt;
        PyObject* o = obj.ptr();
        if (Py_TYPE(o) != want->type && !PyType_IsSubtype(Py_TYPE(o), want->type)) return std::nullopt;
        void* value = detail::value_of(o, want);
        if (!value) return std::nullopt;
        return std::shared_ptr<T>(static_cast<T*>(value), detail::InstanceKeeper(o));
    }
};

// T by value: moved (or copied) into a new instance, constructed in place.
template <detail::BoundClass T>
struct IntoPython<T> {
    static constexpr bool class_conversion = true;
    template <class V>
    PYOWNED_INLINE static Owned<Any> into_python(Python py, V&& value) {
        const detail::ClassRecord* r = detail::class_of<T>();
        PyObject* self = detail::new_instance(r);
        // an instance of T's own class: T at its own offset unless over-aligned
        char* at = alignof(T) <= detail::storage_alignment ? reinterpret_cast<char*>(self) + detail::storage_offset<T>
                                                           : r->storage(self);
        if constexpr (std::is_nothrow_constructible_v<T, V&&>) {
            ::new (static_cast<void*>(at)) T(std::forward<V>(value));
        } else {
            try {
                ::new (static_cast<void*>(at)) T(std::forward<V>(value));
            } catch (...) {
                Py_DECREF(self);  // never constructed: dealloc does not destroy it
                throw;
            }
        }
        detail::publish(self, r, detail::Holder::inline_value);
        return Owned<Any>::from_owned_ptr(py, self);
    }
};

// std::unique_ptr<T>: adopted (the instance deletes it); of the bound subclass it really is.
template <detail::BoundClass T, class D>
struct IntoPython<std::unique_ptr<T, D>> {
    static_assert(std::is_same_v<D, std::default_delete<T>>,
                  "pyowned: only std::unique_ptr with the default deleter is adopted");
    static Owned<Any> into_python(Python py, std::unique_ptr<T, D> p) {
        if (!p) return Owned<Any>::from_borrowed_ptr(py, Py_None);
        void* object;
        const detail::ClassRecord* r = detail::dynamic_class(p.get(), object);
        Owned<Any> made = detail::pointer_instance(py, r, object, nullptr, detail::Holder::unique);
        p.release();  // the instance owns it now
        return made;
    }
};

// std::shared_ptr<T>: the instance keeps a copy.
template <detail::BoundClass T>
struct IntoPython<std::shared_ptr<T>> {
    static Owned<Any> into_python(Python py, std::shared_ptr<T> p) {
        if (!p) return Owned<Any>::from_borrowed_ptr(py, Py_None);
        // a pointer made from an instance: that instance, when it is the object pointed to
        if (auto* keeper = std::get_deleter<detail::InstanceKeeper>(p);
            keeper && keeper->instance && keeper->run == detail::current_run()) {
            const detail::ClassRecord* want = detail::class_of<std::remove_cv_t<T>>();
            if (want && PyObject_TypeCheck(keeper->instance, want->type) &&
                detail::value_of(keeper->instance, want) == static_cast<const void*>(p.get()))
                return Owned<Any>::from_borrowed_ptr(py, keeper->instance);
            PyErr_Clear();  // (value_of sets an error only for an uninitialized instance)
        }
        void* object;
        const detail::ClassRecord* r = detail::dynamic_class(p.get(), object);
        if (PyObject* self = detail::existing_instance(r, object)) return Owned<Any>::from_owned_ptr(py, self);
        auto keeper = std::make_unique<std::shared_ptr<void>>(std::move(p));
        Owned<Any> made = detail::pointer_instance(py, r, object, keeper.get(), detail::Holder::shared);
        keeper.release();
        return made;
    }
};

}  // namespace pyowned

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE void release_holder(Holder holder, void** words) noexcept {
    if (holder == Holder::shared) delete static_cast<std::shared_ptr<void>*>(words[1]);
    else if (holder == Holder::view_internal) Py_DECREF(static_cast<PyObject*>(words[1]));
}

PYOWNED_CORE void destroy_trivial(PyObject* self) noexcept {
    const ClassRecord* r = head_of(self)->record.load(std::memory_order_relaxed);
    auto** words = reinterpret_cast<void**>(r->storage(self));
    switch (head_of(self)->holder) {
        case Holder::inline_value:
            break;            // nothing to end
        case Holder::unique:  // as `delete p` frees a T (new T in Uninit::adopt and friends)
#ifdef __cpp_sized_deallocation
            if (r->align > __STDCPP_DEFAULT_NEW_ALIGNMENT__)
                ::operator delete(words[0], r->size, std::align_val_t{r->align});
            else ::operator delete(words[0], r->size);
#else  // (clang before 19 turns sized deallocation off, and <new> then declares no sized form)
            if (r->align > __STDCPP_DEFAULT_NEW_ALIGNMENT__) ::operator delete(words[0], std::align_val_t{r->align});
            else ::operator delete(words[0]);
#endif
            break;
        default:
            release_holder(head_of(self)->holder, words);
            break;
    }
}

PYOWNED_CORE_COLD PYOWNED_CORE const ClassRecord* registered_class(const std::type_info& type) noexcept {
    PyObject* found = registry_entry(type.name());
    if (!found) return PyErr_Clear(), nullptr;
    auto* record = static_cast<const ClassRecord*>(PyCapsule_GetPointer(found, "pyowned.class"));
    Py_DECREF(found);  // records live until the process ends
    if (!record) return PyErr_Clear(), nullptr;
    return *record->cpp_type == type ? record : nullptr;
}

PYOWNED_CORE_COLD PYOWNED_CORE const ClassRecord* trampoline_class(const std::type_info& type) noexcept {
    std::lock_guard<std::mutex> lock(class_store.mutex);
    auto found = class_store.trampolines.find(std::type_index(type));
    return found == class_store.trampolines.end() ? nullptr : found->second;
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
