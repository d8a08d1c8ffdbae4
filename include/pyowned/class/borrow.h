// Borrowing a bound class's C++ object: the per-instance borrow flag (shared or exclusive,
// as Rust's RefCell), the object's critical section on free-threaded builds, and the guards
// that hold them: for a call's parameter, and py::Ref / py::RefMut for handles.
#pragma once
#include "record.h"
#include "../bind/dispatch.h"

namespace pyowned::detail {

// Whether instances of T need a borrow flag: not for py::frozen (no mutable access exists)
// or py::unlocked (the type synchronizes itself) classes.
template <class T>
inline constexpr bool flagged_v = !is_frozen<std::remove_cv_t<T>> && !is_unlocked<std::remove_cv_t<T>>;

// Whether borrowing T's instances takes their critical section (free-threaded builds).
#ifdef Py_GIL_DISABLED
inline constexpr bool borrows_lock = true;  // (for a flagged class)
template <class T>
inline constexpr bool locks_v = flagged_v<T>;
#else
inline constexpr bool borrows_lock = false;
template <class T>
inline constexpr bool locks_v = false;
#endif

template <bool Exclusive>
PYOWNED_INLINE bool try_borrow(InstanceHead* h) noexcept {
#ifdef Py_GIL_DISABLED
    std::uint32_t now = h->borrow.load(std::memory_order_relaxed);
    do {
        if (Exclusive ? now != 0 : now == exclusive_borrow) return false;
    } while (!h->borrow.compare_exchange_weak(now, Exclusive ? exclusive_borrow : now + 1, std::memory_order_acquire,
                                              std::memory_order_relaxed));
    return true;
#else
    if constexpr (Exclusive) {
        if (h->borrow != 0) return false;
        h->borrow = exclusive_borrow;
    } else {
        if (h->borrow == exclusive_borrow) return false;
        ++h->borrow;
    }
    return true;
#endif
}

template <bool Exclusive>
PYOWNED_INLINE void end_borrow(InstanceHead* h) noexcept {
#ifdef Py_GIL_DISABLED
    if constexpr (Exclusive) h->borrow.store(0, std::memory_order_release);
    else h->borrow.fetch_sub(1, std::memory_order_release);
#else
    if constexpr (Exclusive) h->borrow = 0;
    else --h->borrow;
#endif
}

// The instance a view instance (py::rv::reference_internal) keeps alive, or nullptr.
PYOWNED_INLINE PyObject* owner_of(PyObject* self, const ClassRecord* r) noexcept {
    if (head_of(self)->holder != Holder::view_internal) return nullptr;
    return *reinterpret_cast<PyObject**>(r->storage(self) + sizeof(void*));
}

PYOWNED_CORE Py_ssize_t exports_of(PyObject* self) noexcept;  // class/buffer.h

PYOWNED_CORE_COLD PYOWNED_CORE void raise_borrowed(PyObject* self, bool exclusive_wanted) noexcept;

// The owners a view instance (py::rv::reference_internal) keeps alive are borrowed with it,
// innermost first: false, with RuntimeError set and nothing of the owners held, on a conflict.
template <bool Exclusive>
PYOWNED_NOINLINE bool borrow_owners(PyObject* owner) noexcept {
    for (PyObject* o = owner; o; o = owner_of(o, head_of(o)->record.load(std::memory_order_acquire))) {
        if (try_borrow<Exclusive>(head_of(o))) continue;
        raise_borrowed(o, Exclusive);
        for (PyObject* b = owner; b != o; b = owner_of(b, head_of(b)->record.load(std::memory_order_relaxed)))
            end_borrow<Exclusive>(head_of(b));  // give back those taken
        return false;
    }
    return true;
}
template <bool Exclusive>
PYOWNED_NOINLINE void end_owners(PyObject* owner) noexcept {
    for (PyObject* o = owner; o; o = owner_of(o, head_of(o)->record.load(std::memory_order_relaxed)))
        end_borrow<Exclusive>(head_of(o));
}

// The flags a borrow of an instance holds, for as long as the guard lives: its borrow flag
// (`Flagged`: the class has one), the borrow flags of the instances a view keeps alive, and
// its critical section. Neither copyable nor movable: a critical section must end in
// reverse order.
template <bool Exclusive, bool Flagged>
class InstanceBorrow {
public:
    InstanceBorrow() noexcept = default;
    InstanceBorrow(const InstanceBorrow&) = delete;
    InstanceBorrow& operator=(const InstanceBorrow&) = delete;
    PYOWNED_INLINE ~InstanceBorrow() { release(); }

    // Takes the borrow of `o` (an initialized instance of the class; `plain`: its own class's,
    // holding the object inline). False with an error set on a conflicting borrow. `lock`:
    // take `o`'s critical section first (free-threaded builds; a thread then waits for
    // another's borrow instead of failing).
    PYOWNED_INLINE bool take(PyObject* o, [[maybe_unused]] bool plain, [[maybe_unused]] bool lock) noexcept {
        if constexpr (Flagged) {
#ifdef Py_GIL_DISABLED
            if (lock) {
                PyCriticalSection_Begin(&section_, o);
                locked_ = true;
            }
#endif
            if (PYOWNED_UNLIKELY(!try_borrow<Exclusive>(head_of(o)))) return raise_borrowed(o, Exclusive), false;
            self_ = o;
            if (PYOWNED_UNLIKELY(!plain &&
                                 head_of(o)->holder.load(std::memory_order_relaxed) == Holder::view_internal)) {
                PyObject* owner = owner_of(o, head_of(o)->record.load(std::memory_order_relaxed));
                if (!borrow_owners<Exclusive>(owner)) return false;
                owner_ = owner;
            }
        }
        return true;
    }
    // The fast lane's: false with nothing set and nothing held on a conflict.
    PYOWNED_INLINE bool take_quick([[maybe_unused]] PyObject* o) noexcept {
        if constexpr (Flagged) {
            if (!try_borrow<Exclusive>(head_of(o))) return false;
            self_ = o;
        }
        return true;
    }

private:
    PYOWNED_INLINE void release() noexcept {
        if constexpr (Flagged) {
            if (self_) {
                end_borrow<Exclusive>(head_of(self_));
                if (PYOWNED_UNLIKELY(owner_ != nullptr)) end_owners<Exclusive>(owner_);
            }
#ifdef Py_GIL_DISABLED
            if (locked_) PyCriticalSection_End(&section_);
#endif
        }
    }

    PyObject* self_ = nullptr;   // borrowed (the call's argument or the guard's handle holds it)
    PyObject* owner_ = nullptr;  // the instance a view shows part of, borrowed with it
#ifdef Py_GIL_DISABLED
    PyCriticalSection section_;
    bool locked_ = false;
#endif
};

// The C++ object of class `want` (null: not bound) in `o`: nullptr with nothing set when `o`
// is not an instance of it, with an error set when it is uninitialized (or the class is not
// bound).
PYOWNED_INLINE void* instance_value(PyObject* o, const ClassRecord* want) noexcept {
    if (!want) return nullptr;
    if (Py_TYPE(o) != want->type && !PyType_IsSubtype(Py_TYPE(o), want->type)) return nullptr;
    return value_of(o, want);
}

// Where T's object is in an instance of T's own class that holds it inline, when a fast path
// may take it there without the record (ClassBorrow::is_plain, the erased holder's fast lane,
// a field's access), else 0 (an over-aligned T, whose place depends on the address).
template <class T>
inline constexpr std::size_t inline_offset = alignof(T) <= storage_alignment ? storage_offset<T> : 0;

// A borrow of the T in an instance, for as long as the guard lives.
template <class T, bool Exclusive>
class ClassBorrow {
public:
    // Borrows the T in `o`. False with nothing set: `o` is not an instance of T's class;
    // false with an error set: it is, but uninitialized or borrowed in a conflicting way
    // (or T is not bound). `lock`: as InstanceBorrow::take.
    PYOWNED_INLINE bool acquire(PyObject* o, bool lock) noexcept {
        const bool plain = is_plain(o);
        void* value = plain ? reinterpret_cast<char*>(o) + inline_offset<T> : find_value(o);
        if (PYOWNED_UNLIKELY(!value)) return false;
        if (PYOWNED_UNLIKELY(!flags_.take(o, plain, lock))) return false;
        value_ = static_cast<T*>(value);
        return true;
    }

    // The fast lane's borrow (Binding::quick_call): an instance of T's own class holding T
    // inline and free to borrow, borrowed; false with nothing set and nothing held for every
    // other object, which acquire() then handles. Not where the borrow takes the object's
    // critical section (a flagged class on free-threaded builds).
    PYOWNED_INLINE bool acquire_quick(PyObject* o) noexcept
        requires(!locks_v<T>)
    {
        if (!is_plain(o) || !flags_.take_quick(o)) return false;
        value_ = reinterpret_cast<T*>(reinterpret_cast<char*>(o) + inline_offset<T>);
        return true;
    }

    T* get() const noexcept { return value_; }

private:
    // The common instance: of T's own class, T constructed inline (so no view, and no owners
    // to borrow). Its type proves it has a head; the holder, that T is complete.
    PYOWNED_INLINE static bool is_plain(PyObject* o) noexcept {
        return inline_offset<T> != 0 && PYOWNED_LIKELY(Py_TYPE(o) == own_type_of<T>()) &&
               PYOWNED_LIKELY(head_of(o)->holder.load(std::memory_order_acquire) == Holder::inline_value);
    }

    // The T in every other instance (a subclass's, a base subobject, a pointer holder or a
    // view), or T's class not looked up yet in this run. Static and out of line: the guard
    // stays in registers on the common path.
    PYOWNED_NOINLINE static void* find_value(PyObject* o) noexcept { return instance_value(o, class_of<T>()); }

    T* value_ = nullptr;
    InstanceBorrow<Exclusive, flagged_v<T>> flags_;
};

// A new instance of `r`'s class made from `o` by the first implicit conversion whose source
// type loads `o`; nullptr with nothing set when none does, with an error set when making
// the instance failed.
// Not while one is being made on this thread: To(o) itself may reach a To parameter again
// (no constructor from From is bound), which would convert forever.
PYOWNED_CORE_VARIABLE std::mutex implicit_mutex;  // guards every record's implicit_from
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* implicit_conversion(const ClassRecord* r, PyObject* o) noexcept;

// --- parameters that borrow: T&, const T&, T*, const T* of a bound class --------------------
template <class P>
struct instance_param {
    static constexpr bool value = false;
};
template <class T>
    requires class_conversion<T>
struct instance_param<T&> {
    static constexpr bool value = true, pointer = false, exclusive = !std::is_const_v<T>;
    using type = std::remove_cv_t<T>;
};
template <class T>
    requires class_conversion<T>
struct instance_param<T*> : instance_param<T&> {
    static constexpr bool pointer = true;
};
template <class T>
    requires class_conversion<T>
struct instance_param<T* const> : instance_param<T*> {};

template <class P>
    requires instance_param<P>::value
inline constexpr bool borrows_instance_v<P> = true;

// An instance made by an implicit conversion for a borrowing parameter's call, or null (its
// holder's member before the borrow, so the borrow ends before the instance goes).
struct ConvertedInstance {
    PyObject* object = nullptr;
    ConvertedInstance() noexcept = default;
    ConvertedInstance(const ConvertedInstance&) = delete;
    ConvertedInstance& operator=(const ConvertedInstance&) = delete;
    ~ConvertedInstance() { Py_XDECREF(object); }
};

template <class P>
    requires instance_param<P>::value
struct ArgHolder<P, ParamKind::regular> {
    using Info = instance_param<P>;
    using T = typename Info::type;
    static_assert(!(Info::exclusive && is_frozen<T>),
                  "pyowned: a py::frozen class cannot be borrowed mutably (T& or T* parameter); take const T&");

    ConvertedInstance converted;  // declared before the borrow: destroyed after it
    ClassBorrow<T, Info::exclusive> borrow;

    PYOWNED_INLINE bool load(PyObject* o, bool convert, bool lock) noexcept {
        if constexpr (Info::pointer) {
            if (o == Py_None) return true;  // nullptr
        }
        if (PYOWNED_LIKELY(borrow.acquire(o, lock))) return true;
        return convert && load_converted(o, lock);
    }
    // The second overload pass: T made from `o` by a py::implicitly_convertible<From, T>.
    PYOWNED_NOINLINE bool load_converted(PyObject* o, bool lock) noexcept {
        if (PyErr_Occurred()) return false;  // an instance of T that failed to borrow
        converted.object = implicit_conversion(class_of<T>(), o);
        return converted.object && borrow.acquire(converted.object, lock);
    }
    PYOWNED_INLINE bool quick_load(PyObject* o) noexcept
        requires(!locks_v<T>)
    {
        return borrow.acquire_quick(o);  // None for a pointer: the full path
    }
    P get() noexcept {
        if constexpr (Info::pointer) return borrow.get();
        else return *borrow.get();
    }
};

// A borrowing parameter as the dispatcher has it (dispatch_param): the class is the record's
// (its ClassSlot), given at run time, so one dispatcher serves the methods of every class with
// one shape. Loads as the typed holder above does (the fast lane too: Offset is where the
// class's object is held inline, 0 for an over-aligned one, which has no fast lane); passes
// the object's address (null for None as a pointer), which dispatch_param::unerase casts back.
template <bool Exclusive, bool Flagged, bool Pointer, std::size_t Offset>
struct ErasedInstance {
    static constexpr bool erased_takes_none = Pointer;  // (bind/function.h's erased_param)
};

template <bool Exclusive, bool Flagged, bool Pointer, std::size_t Offset>
inline constexpr bool borrows_instance_v<ErasedInstance<Exclusive, Flagged, Pointer, Offset>> = true;

template <bool Exclusive, bool Flagged, bool Pointer, std::size_t Offset>
struct ArgHolder<ErasedInstance<Exclusive, Flagged, Pointer, Offset>, ParamKind::regular> {
    static constexpr bool erased = true;
    ConvertedInstance converted;  // declared before the borrow: destroyed after it
    InstanceBorrow<Exclusive, Flagged> borrow;
    std::conditional_t<Exclusive, void*, const void*> value = nullptr;

    PYOWNED_INLINE bool load(PyObject* o, bool convert, bool lock, const ClassSlot* cls) noexcept {
        if constexpr (Pointer) {
            if (o == Py_None) return true;  // nullptr
        }
        const ClassRecord* want = class_in(cls);
        if (PYOWNED_LIKELY(acquire(o, lock, want))) return true;
        return convert && load_converted(o, lock, want);
    }
    PYOWNED_NOINLINE bool load_converted(PyObject* o, bool lock, const ClassRecord* want) noexcept {
        if (PyErr_Occurred()) return false;  // an instance of the class that failed to borrow
        converted.object = implicit_conversion(want, o);
        return converted.object && acquire(converted.object, lock, want);
    }
    PYOWNED_INLINE bool acquire(PyObject* o, bool lock, const ClassRecord* want) noexcept {
        void* found = instance_value(o, want);
        if (PYOWNED_UNLIKELY(!found) || PYOWNED_UNLIKELY(!borrow.take(o, false, lock))) return false;
        value = found;
        return true;
    }
    // The fast lane's (Binding::quick_call): an instance of the class itself (`cls`: its slot,
    // whose type is null, never an object's type, until it is looked up)
    // holding the object inline at Offset and free to borrow, borrowed; false with nothing
    // set and nothing held for every other object, which load() then handles. Not where the
    // borrow takes the object's critical section, nor for an over-aligned class.
    PYOWNED_INLINE bool quick_load(PyObject* o, const ClassSlot* cls) noexcept
        requires(Offset != 0 && !(Flagged && borrows_lock))
    {
        if (PYOWNED_UNLIKELY(Py_TYPE(o) != cls->type.get()) ||
            PYOWNED_UNLIKELY(head_of(o)->holder.load(std::memory_order_acquire) != Holder::inline_value) ||
            !borrow.take_quick(o))
            return false;
        value = reinterpret_cast<char*>(o) + Offset;
        return true;
    }
    auto get() const noexcept { return value; }
};

template <class P>
    requires instance_param<P>::value
struct dispatch_param<P> {
    using Info = instance_param<P>;
    using T = typename Info::type;
    using type = ErasedInstance<Info::exclusive, flagged_v<T>, Info::pointer, inline_offset<T>>;
    using class_key = std::remove_cv_t<T>;
    using Object = std::conditional_t<Info::exclusive, T, const T>;
    PYOWNED_INLINE static P unerase(std::conditional_t<Info::exclusive, void*, const void*> value) noexcept {
        if constexpr (Info::pointer) return static_cast<Object*>(value);
        else return *static_cast<Object*>(value);
    }
};

}  // namespace pyowned::detail

namespace pyowned {

// h.get(): a shared borrow of a bound-class instance's C++ object while the guard lives.
// Throws py::Error (RuntimeError if the object is mutably borrowed, TypeError if it is
// uninitialized). `auto r = h.get();` works by guaranteed copy elision.
template <class T>
class Ref {
public:
    explicit Ref(PyObject* self) {
        if (!borrow_.acquire(self, true)) fail(self);
    }
    Ref(const Ref&) = delete;
    Ref& operator=(const Ref&) = delete;
    const T& operator*() const noexcept { return *borrow_.get(); }
    const T* operator->() const noexcept { return borrow_.get(); }

private:
    [[noreturn]] static void fail(PyObject* self) {
        if (!PyErr_Occurred()) detail::throw_cannot_convert(self, detail::tag_ops<T>::name);
        detail::throw_fetched();
    }
    detail::ClassBorrow<T, false> borrow_;
};

// h.get_mut(): an exclusive borrow; as Ref otherwise.
template <class T>
class RefMut {
    static_assert(!is_frozen<T>, "pyowned: get_mut() on a py::frozen class: its instances are immutable");

public:
    explicit RefMut(PyObject* self) {
        if (!borrow_.acquire(self, true)) fail(self);
    }
    RefMut(const RefMut&) = delete;
    RefMut& operator=(const RefMut&) = delete;
    T& operator*() const noexcept { return *borrow_.get(); }
    T* operator->() const noexcept { return borrow_.get(); }

private:
    [[noreturn]] static void fail(PyObject* self) {
        if (!PyErr_Occurred()) detail::throw_cannot_convert(self, detail::tag_ops<T>::name);
        detail::throw_fetched();
    }
    detail::ClassBorrow<T, true> borrow_;
};

}  // namespace pyowned

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE_COLD PYOWNED_CORE void raise_borrowed(PyObject* self, bool exclusive_wanted) noexcept {
    const ClassRecord* r = head_of(self)->record.load(std::memory_order_relaxed);
    const api::TypeName type_name(Py_TYPE(self));
    const char* name = r ? r->name.c_str() : type_name.c_str();
    if (exclusive_wanted) {
        if (Py_ssize_t n = exports_of(self)) {  // def_buffer's exports hold shared borrows
            PyErr_Format(PyExc_BufferError,
                         "%s has %zd exported buffer%s (a memoryview or array of its memory): release %s before "
                         "changing it",
                         name, n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
            return;
        }
    }
    // what conflicts: an exclusive borrow is refused by any borrow, a shared one by an exclusive
    PyErr_Format(PyExc_RuntimeError, exclusive_wanted ? "%s is already borrowed" : "%s is already mutably borrowed",
                 name);
}

PYOWNED_CORE_COLD PYOWNED_CORE PyObject* implicit_conversion(const ClassRecord* r, PyObject* o) noexcept {
    static thread_local bool converting = false;
    if (!r) return PyErr_Clear(), nullptr;
    if (converting) return nullptr;
    std::vector<bool (*)(PyObject*) noexcept> from;
    {
        std::lock_guard<std::mutex> lock(implicit_mutex);
        if (r->implicit_from.empty()) return nullptr;
        try {
            from = r->implicit_from;
        } catch (...) {
            return PyErr_NoMemory(), nullptr;
        }
    }
    for (auto loads : from) {
        if (!loads(o)) continue;
        converting = true;
        PyObject* made = detail::api::call_one(reinterpret_cast<PyObject*>(r->type), o);
        converting = false;
        return made;
    }
    return nullptr;
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
