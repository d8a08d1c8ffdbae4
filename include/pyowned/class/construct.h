// Constructors: py::init<Args...>() and py::init(factory) become the class's __init__, whose
// first parameter is the uninitialized instance (detail::Uninit<T>).
#pragma once
#include "convert.h"

namespace pyowned {

namespace detail {

template <class... Args>
struct Constructor {};
template <class F>
struct Factory {
    F make;
};

// The instance an __init__ constructs: one whose object does not exist yet.
template <class T>
class Uninit {
public:
    using value_type = T;
    Uninit(PyObject* self, const ClassRecord* record) noexcept : self_(self), record_(record) {}

    // T(args...), or T{args...} for an aggregate, in place.
    template <class... A>
    void construct(A&&... args) const {
        PYOWNED_ASSUME(self_ != nullptr);  // (g++ 12 warns of stores through null on paths that cannot run)
        void* at = storage();
        if constexpr (std::is_constructible_v<T, A&&...>) ::new (at) T(std::forward<A>(args)...);
        else ::new (at) T{std::forward<A>(args)...};
        publish(self_, record_, Holder::inline_value);
    }
    PyObject* ptr() const noexcept { return self_; }
    // Whether the instance is of a Python subclass (whose overrides a trampoline calls).
    bool of_subclass() const noexcept { return Py_TYPE(self_) != record_->type; }
    // Trampoline U (deriving from T) constructed in place, linked to the instance.
    template <class U, class... A>
    void construct_trampoline(A&&... args) const {
        PYOWNED_ASSUME(self_ != nullptr);
        void* at = storage();
        U* made;
        if constexpr (std::is_constructible_v<U, A&&...>) made = ::new (at) U(std::forward<A>(args)...);
        else made = ::new (at) U{std::forward<A>(args)...};
        check_trampoline_layout(made);
        made->pyowned_trampoline_.attach_to(self_);
        publish(self_, record_, Holder::inline_value);
    }
    // A trampoline a factory made (a std::unique_ptr or std::shared_ptr of U), linked.
    template <class U, class P>
    void adopt_trampoline(P p) const {
        if (U* t = p ? dynamic_cast<U*>(p.get()) : nullptr) {
            if (!starts_with_base(t)) throw_trampoline_layout();
            if (!t->pyowned_trampoline_.try_attach(self_) && of_subclass())
                throw Error::of<TypeError>("pyowned: the factory of " + record_->name +
                                           " returned a trampoline that belongs to another instance");
        } else if (p && of_subclass()) {
            throw Error::of<TypeError>("pyowned: the factory of " + record_->name + " made a " + record_->name +
                                       " that is not its trampoline, for an instance of Python subclass '" +
                                       detail::api::type_name_of(self_).c_str() +
                                       "' (whose overrides it could not call)");
        }
        if constexpr (requires { p.release(); })
            adopt_owned(p.release());  // (no unique_ptr<T>: T's
                                       // destructor may not be virtual)
        else adopt(std::shared_ptr<T>(std::move(p)));
    }
    // What a factory returned: T (moved in place), std::unique_ptr<T> (adopted) or
    // std::shared_ptr<T> (held).
    void adopt(T&& value) const { construct(std::move(value)); }
    void adopt(std::unique_ptr<T> p) const { adopt_owned(p.release()); }
    void adopt(std::shared_ptr<T> p) const {
        if (!p) throw Error::of<TypeError>("pyowned: the factory of " + record_->name + " returned a null pointer");
        auto** words = reinterpret_cast<void**>(storage());
        words[0] = p.get();
        words[1] = new std::shared_ptr<void>(std::move(p));
        publish(self_, record_, Holder::shared);
    }

private:
    // An object the instance now owns (deletes), from a factory's std::unique_ptr.
    void adopt_owned(T* p) const {
        if (!p) throw Error::of<TypeError>("pyowned: the factory of " + record_->name + " returned a null pointer");
        auto** words = reinterpret_cast<void**>(storage());
        words[0] = p;
        words[1] = nullptr;
        publish(self_, record_, Holder::unique);
    }
    // A trampoline is stored where T is and read as T: T must be at its start (its only,
    // polymorphic base). Checked once per construction (a compare the optimizer folds).
    template <class U>
    static bool starts_with_base(U* t) noexcept {
        return static_cast<void*>(static_cast<T*>(t)) == static_cast<void*>(t);
    }
    [[noreturn]] PYOWNED_COLD void throw_trampoline_layout() const {
        throw Error::of<TypeError>("pyowned: the trampoline of " + record_->name +
                                   " does not start with its base (it must derive from it alone)");
    }
    template <class U>
    void check_trampoline_layout(U* made) const {
        if (!starts_with_base(made)) {
            made->U::~U();  // (qualified: just made, its type is U)
            throw_trampoline_layout();
        }
    }
    // Where T goes: T's own offset, known at compile time (the record's `offset` is the same
    // for the class and every subclass), unless T is over-aligned.
    PYOWNED_INLINE char* storage() const noexcept {
        if constexpr (alignof(T) <= storage_alignment) return reinterpret_cast<char*>(self_) + storage_offset<T>;
        else return record_->storage(self_);
    }

    PyObject* self_;
    const ClassRecord* record_;
};

template <class T>
inline constexpr bool is_uninit_v = false;
template <class T>
inline constexpr bool is_uninit_v<Uninit<T>> = true;

template <class T>
inline constexpr bool constructs_instance_v<Uninit<T>> = true;

PYOWNED_CORE_COLD PYOWNED_CORE bool raise_initialized(PyObject* self) noexcept;

// Takes the exclusive borrow of `o`, an instance of the class not constructed yet, for its
// __init__: false with TypeError set if it is (or, on another thread, just was) constructed.
PYOWNED_INLINE bool claim_uninitialized(PyObject* o) noexcept {
    if (PYOWNED_UNLIKELY(head_of(o)->record.load(std::memory_order_acquire) != nullptr)) return raise_initialized(o);
    if (PYOWNED_UNLIKELY(!try_borrow<true>(head_of(o)))) return raise_initialized(o);
#ifdef Py_GIL_DISABLED
    if (head_of(o)->record.load(std::memory_order_acquire)) {  // made while we waited
        end_borrow<true>(head_of(o));
        return raise_initialized(o);
    }
#endif
    return true;
}

// Uninit<T> in the dispatcher (dispatch_param): the class is read from the function record
// at run time (its ClassSlot), so the constructors of every class with one shape share one
// dispatcher and one set of entries. The holder passes the instance and its class's record,
// from which unerase makes Uninit<T>.
struct ErasedUninit {
    static constexpr bool erased_takes_none = false;  // (bind/function.h's erased_param)
};
template <>
inline constexpr bool constructs_instance_v<ErasedUninit> = true;
struct UninitSlot {
    PyObject* self;
    const ClassRecord* record;
};

// The __init__'s self: an instance of the class (or a Python subclass) not yet constructed.
// Its borrow flag is held exclusively while the constructor runs, so a second __init__ on
// another thread fails instead of constructing over it.
template <>
struct ArgHolder<ErasedUninit, ParamKind::regular> {
    static constexpr bool erased = true;
    PyObject* self = nullptr;
    const ClassRecord* record = nullptr;
    bool borrowed = false;  // exclusively (released on destruction); not for a fresh instance

    bool load(PyObject* o, bool, bool, const ClassSlot* cls) noexcept {
        if (PYOWNED_LIKELY(Py_TYPE(o) == cls->type.get())) {
            record = cls->record.get();  // stored before the type
        } else {
            record = class_in(cls);
            if (!record) return false;
            if (!PyType_IsSubtype(Py_TYPE(o), record->type)) return false;
        }
        if (!claim_uninitialized(o)) return false;
        self = o;
        borrowed = true;
        return true;
    }
    // The fast lane (Binding::quick_call): a new instance of the class itself, never
    // initialized; false with nothing set and nothing held for every other object.
    PYOWNED_INLINE bool quick_load(PyObject* o, const ClassSlot* cls) noexcept {
        if (Py_TYPE(o) != cls->type.get() || head_of(o)->record.load(std::memory_order_acquire) != nullptr ||
            !try_borrow<true>(head_of(o)))
            return false;
#ifdef Py_GIL_DISABLED
        if (head_of(o)->record.load(std::memory_order_acquire)) {  // made while we waited
            end_borrow<true>(head_of(o));
            return false;
        }
#endif
        record = cls->record.get();  // stored before the type
        self = o;
        borrowed = true;
        return true;
    }
    // An instance the class's call just allocated (of the class itself, its head zeroed, seen
    // by no one else): nothing to check, and no borrow to take.
    PYOWNED_INLINE bool load_fresh(PyObject* o, const ClassSlot* cls) noexcept {
        record = cls->record.get();
        self = o;
        return true;
    }
    UninitSlot get() const noexcept { return {self, record}; }
    ~ArgHolder() {
        if (borrowed) end_borrow<true>(head_of(self));
    }
};

// Uninit<T> where the class is known (a constructor with entries of its own: py::inline_call):
// the erased holder given T's slot.
template <class P>
    requires is_uninit_v<std::remove_cvref_t<P>>
struct ArgHolder<P, ParamKind::regular> {
    using T = typename std::remove_cvref_t<P>::value_type;
    ArgHolder<ErasedUninit, ParamKind::regular> erased_;
    static constexpr const ClassSlot* slot = &ClassCache<T>::slot;

    bool load(PyObject* o, bool convert, bool lock) noexcept { return erased_.load(o, convert, lock, slot); }
    PYOWNED_INLINE bool quick_load(PyObject* o) noexcept { return erased_.quick_load(o, slot); }
    PYOWNED_INLINE bool load_fresh(PyObject* o) noexcept { return erased_.load_fresh(o, slot); }
    Uninit<T> get() const noexcept { return {erased_.self, erased_.record}; }
};

template <class P>
    requires is_uninit_v<std::remove_cvref_t<P>>
struct dispatch_param<P> {
    using T = typename std::remove_cvref_t<P>::value_type;
    using type = ErasedUninit;
    using class_key = std::remove_cv_t<T>;
    PYOWNED_INLINE static Uninit<T> unerase(UninitSlot slot) noexcept { return {slot.self, slot.record}; }
};

}  // namespace detail

// A constructor from the given argument types: T(args...), or T{args...} for an aggregate.
template <class... Args>
detail::Constructor<Args...> init() {
    return {};
}

// A constructor from a factory returning T, std::unique_ptr<T> or std::shared_ptr<T>.
template <class F>
detail::Factory<std::decay_t<F>> init(F&& factory) {
    return {std::forward<F>(factory)};
}

}  // namespace pyowned

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE_COLD PYOWNED_CORE bool raise_initialized(PyObject* self) noexcept {
    PyErr_Format(PyExc_TypeError, "%s.__init__() called on an instance that is already initialized",
                 detail::api::type_name_of(self).c_str());
    return false;
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
