// The per-signature dispatcher: arguments matched, converted inline, the C++ callable called,
// its result converted; every C++ exception turned into a Python one before returning to C.
#pragma once
#include <atomic>
#include <memory>
#include <new>
#include <string_view>
#include <tuple>
#include <utility>

#include "../convert/keep_alive.h"
#include "../convert/number.h"
#include "../core/translate.h"
#include "arguments.h"
#include "signature.h"

namespace pyowned::detail {

// Holds one converted argument for the call.
// A regular parameter: the converted value. `load` converts (false: a mismatch, or a
// failure with its error set); `lock` says whether this parameter is the first that borrows
// a bound-class instance (which takes the object's critical section, class/borrow.h).
template <class P, ParamKind Kind = param_kind<P>()>
struct ArgHolder {
    std::optional<std::remove_cvref_t<P>> value;
    PYOWNED_INLINE bool load(PyObject* o, bool convert, bool /*lock*/) {
        value = from_python<P>(Borrowed<Any>::from_ptr(token(), o), convert);
        return value.has_value();
    }
    // The fast lane's load (Binding::quick_call): a number read without a call, or false
    // with nothing set.
    PYOWNED_INLINE bool quick_load(PyObject* o) noexcept
        requires QuickNumber<std::remove_cvref_t<P>>
    {
        return quick_number(o, value);
    }
    decltype(auto) get() {
        if constexpr (std::is_lvalue_reference_v<P>) return static_cast<P>(*value);
        else return std::move(*value);
    }
};

// Whether holder H has a fast lane's load (numbers here, bound-class borrows in class/borrow.h).
template <class H>
concept QuickLoadable = requires(H h, PyObject* o) {
    { h.quick_load(o) } noexcept -> std::same_as<bool>;
};
// The same for an erased bound-class borrow, which is given its class's slot.
template <class H>
concept ErasedQuickLoadable = requires(H h, PyObject* o, const ClassSlot* cls) {
    { h.quick_load(o, cls) } noexcept -> std::same_as<bool>;
};

// Whether parameter P borrows a bound-class instance for the call (T&, const T&, T*, const T*).
template <class P>
inline constexpr bool borrows_instance_v = false;  // specialized in class/borrow.h

// The type parameter P has in the dispatcher (Calls::dispatch): itself, except a borrowed
// bound-class instance, which is erased there (class/borrow.h: the class is the record's, at
// run time), so the methods of every class with one shape share one dispatcher. `unerase`
// gives the callable what P asks for from what the dispatcher's holder passes (Pass).
template <class P>
struct dispatch_param {
    using type = P;
    // The class whose slot the record gives the dispatcher for P (ClassSlots in
    // bind/function.h): void for a regular parameter of no class; a token, *args and **kwargs
    // are themselves.
    using class_key = std::conditional_t<param_kind<P>() == ParamKind::regular, void, P>;
    template <class A>
    PYOWNED_INLINE static A&& unerase(A&& a) noexcept {
        return static_cast<A&&>(a);
    }
};
template <class P>
using dispatch_param_t = typename dispatch_param<P>::type;
// The holder of an erased one: its load takes the class's lookup.
template <class H>
concept erased_holder = requires { H::erased; };

// T is converted as a bound class (class/convert.h marks those conversions).
template <class T>
concept class_conversion = requires { IntoPython<std::remove_cv_t<T>>::class_conversion; };

// A reference or raw pointer to a bound class: returning one needs a py::rv policy.
template <class R>
inline constexpr bool unowned_class_reference =
    (std::is_lvalue_reference_v<R> && class_conversion<std::remove_reference_t<R>>) ||
    (std::is_pointer_v<R> && class_conversion<std::remove_pointer_t<R>>);
template <class P>
struct ArgHolder<P, ParamKind::token> {
    Python get() const noexcept { return token(); }
};
template <class P>
struct ArgHolder<P, ParamKind::args> {
    PyObject* tuple = nullptr;
    Args get() const noexcept { return Args(Borrowed<Tuple>::from_ptr(token(), tuple)); }
};
template <class P>
struct ArgHolder<P, ParamKind::kwargs> {
    PyObject* dict = nullptr;
    Kwargs get() const noexcept { return Kwargs(Borrowed<Dict>::from_ptr(token(), dict)); }
};

// A parameter did not convert: TypeError naming it (or, in overload resolution, no
// match); a conversion's own error (OverflowError) stays.
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* conversion_error(const FunctionRecord& rec, PyObject* const* slots,
                                                          std::size_t slot, bool soft) noexcept;

// Matches keywords, defaults, *args and **kwargs (the slow path). True when `bound` is
// complete; else `result` is what the dispatcher returns (nullptr with an error set, or
// no_match() in overload resolution).
PYOWNED_CORE_COLD PYOWNED_CORE bool bind_or_fail(const FunctionRecord& rec, PyObject* const* args, Py_ssize_t nargs,
                                                 PyObject* kwnames, BoundArguments& bound, bool soft,
                                                 PyObject*& result) noexcept;

// Whether parameter P's value may view objects inside its argument (a container of
// std::string_view): then the call keeps those objects alive (KeepAlive).
template <class P>
consteval bool views_items() {
    if constexpr (param_kind<P>() == ParamKind::regular) return views_of<P>() == Views::items;
    else return false;
}

// A callable that can be made anew instead of stored (a lambda without captures).
template <class F>
inline constexpr bool is_stateless_v =
    __is_empty(F) && __is_constructible(F);  // (builtins: no trait classes per callable)

// Passed as kwnames to a method descriptor's C function by a binary operator's slot: convert
// softly (arguments of other types give no_match(), nothing set, so the slot returns
// NotImplemented). Never a tuple CPython passes.
inline PyObject* soft_call() noexcept { return reinterpret_cast<PyObject*>(std::uintptr_t{3}); }

// A method descriptor's call with self apart: the arguments with self in front, dispatched.
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* with_self(const FunctionRecord& rec, PyObject* self, PyObject* const* args,
                                                   Py_ssize_t nargs, PyObject* kwnames) noexcept;

// The full paths of a stateless method's typed entries (Binding::method_noargs and the
// others below), through the method's record and its dispatcher: what their fast lanes miss,
// and every call of a signature that has no fast lane. One function each for every binding,
// reached by a tail call, where each binding had its own copy of the full path per entry.
// (self) or (self, other): the record's parameters exactly (`soft`: a mismatch is no_match()).
PYOWNED_NOINLINE inline PyObject* method_slots_fallback(const FunctionRecord* rec, PyObject* self, PyObject* other,
                                                        Py_ssize_t count, bool soft) noexcept {
    drain_pending_decrefs();
    PyObject* slots[2] = {self, other};
    return rec->dispatch(*rec, slots, count, nullptr, true, soft);
}
PYOWNED_NOINLINE inline PyObject* method_noargs_fallback(const FunctionRecord* rec, PyObject* self) noexcept {
    return method_slots_fallback(rec, self, nullptr, 1, false);
}
PYOWNED_NOINLINE inline PyObject* method_o_fallback(const FunctionRecord* rec, PyObject* self, PyObject* arg) noexcept {
    return method_slots_fallback(rec, self, arg, 2, false);
}
// A binary operator's slot: NotImplemented when the operands do not fit, so Python tries the
// other operand's reflected method.
PYOWNED_NOINLINE inline PyObject* operator_fallback(const FunctionRecord* rec, PyObject* a, PyObject* b) noexcept {
    PyObject* result = method_slots_fallback(rec, a, b, 2, true);
    if (result == no_match()) return Py_NewRef(Py_NotImplemented);
    return result == conversion_failed() ? nullptr : result;
}
// METH_FASTCALL | METH_KEYWORDS, and a binary operator's slot calling the descriptor's
// function with soft_call() as kwnames (class/slots.h).
PYOWNED_NOINLINE inline PyObject* method_fastcall_fallback(const FunctionRecord* rec, PyObject* self,
                                                           PyObject* const* args, Py_ssize_t nargs,
                                                           PyObject* kwnames) noexcept {
    if (kwnames == soft_call()) {
        PyObject* result = method_slots_fallback(rec, self, args[0], 2, true);
        return result == conversion_failed() ? nullptr : result;
    }
    drain_pending_decrefs();
    return with_self(*rec, self, args, nargs, kwnames);
}
// A constructor's, called through the class (class/type.h): the record's positional
// parameters after the new instance. None, or nullptr with an error set.
PYOWNED_NOINLINE inline PyObject* construct_fallback(const FunctionRecord* rec, PyObject* self,
                                                     PyObject* const* args) noexcept {
    return with_self(*rec, self, args, rec->fast_nargs - 1, nullptr);
}

// A C++ __len__'s result as CPython's sq_length wants it: -1 with ValueError or
// OverflowError set for what no length can be, as for a Python class's __len__.
PYOWNED_CORE_COLD PYOWNED_CORE Py_ssize_t raise_bad_length(bool negative) noexcept;
template <class N>
PYOWNED_INLINE Py_ssize_t checked_length(N n) noexcept {
    if constexpr (std::is_signed_v<N>) {
        if (PYOWNED_UNLIKELY(n < 0)) return raise_bad_length(true);
    }
    if (PYOWNED_UNLIKELY(std::cmp_greater(n, PY_SSIZE_T_MAX))) return raise_bad_length(false);
    return static_cast<Py_ssize_t>(n);
}

// The code generated for one bound callable: its entry points, each converting the
// arguments and calling the callable inline. What depends on the signature alone (Calls: the
// dispatcher, the py::keep_alive path) is compiled once per signature, and what does not
// depend on it at all (matching keywords, error messages, the fast lane's fallback, defining
// the function) once, so a module of many functions stays small and compiles fast.

// The record's py::keep_alive pairs (class/patients.h): those between two arguments, applied
// before the callable runs (false with an error set); those with the result, after it
// returned (the result, or nullptr, the result dropped, with an error set).
PYOWNED_CORE bool keep_argument_patients(const FunctionRecord& r, PyObject* const* slots) noexcept;
PYOWNED_CORE PyObject* keep_patients(const FunctionRecord& r, PyObject* const* slots, PyObject* result) noexcept;

// What the fast lane of a function's entry misses (an argument to convert, keywords, a queue of
// dropped references to drain): the full path, through the record's dispatcher. One function
// for every binding, where each had its own copy of the full path.
PYOWNED_NOINLINE inline PyObject* entry_fallback(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                                                 PyObject* kwnames) noexcept {
    drain_pending_decrefs();
    const FunctionRecord& rec = record_of(self);
    return rec.dispatch(rec, args, nargs, kwnames, true, false);
}
PYOWNED_NOINLINE inline PyObject* keywordless_fallback(PyObject* self, PyObject* const* args,
                                                       Py_ssize_t nargs) noexcept {
    return entry_fallback(self, args, nargs, nullptr);
}

// The Python object a parameter's C++ argument lives in: the one an implicit conversion made
// for the call, else the argument itself.
template <class H>
PYOWNED_INLINE PyObject* argument_object(const H& holder, PyObject* argument) noexcept {
    if constexpr (requires { holder.converted.object; })
        return holder.converted.object ? holder.converted.object : argument;
    else return argument;
}

// How a converted argument reaches the record's invoker (Calls::Typed): a number, enum,
// pointer or string view by value (in registers: the holder stays in registers too), unless
// the parameter is a non-const reference to one (`long long&`, which must bind to the
// holder's copy); anything else as the holder gives it (a reference into the holder, in the
// caller's frame).
template <class T>
inline constexpr bool is_string_view_v = false;
template <class C, class Traits>
inline constexpr bool is_string_view_v<std::basic_string_view<C, Traits>> = true;
template <class T>
inline constexpr bool fits_registers_v = std::is_scalar_v<T> || is_string_view_v<T>;
template <class P>
inline constexpr bool passed_by_value_v =
    fits_registers_v<std::remove_cvref_t<P>> && param_kind<P>() == ParamKind::regular &&
    !(std::is_lvalue_reference_v<P> && !std::is_const_v<std::remove_reference_t<P>>);
template <class P>
using Pass =
    std::conditional_t<passed_by_value_v<P>, std::remove_cvref_t<P>, decltype(std::declval<ArgHolder<P>&>().get())>;

// The holders of one call's arguments, one per parameter: a flat aggregate of indexed
// members, reached with holder_at<I> (std::tuple's recursive instantiations cost every
// signature compile time). Constructed in parameter order, destroyed in reverse.
template <std::size_t I, class P>
struct HolderAt {
    ArgHolder<P> holder;
};
template <class Seq, class... P>
struct HolderList;
template <std::size_t... I, class... P>
struct HolderList<std::index_sequence<I...>, P...> : HolderAt<I, P>... {};
template <std::size_t I, class P>
PYOWNED_INLINE ArgHolder<P>& holder_at(HolderAt<I, P>& h) noexcept {
    return h.holder;
}

// The result of calling F with the parameters' converted values.
template <class F, class... P>
struct raw_result {
    using type = decltype(std::declval<F&>()(std::declval<ArgHolder<P>&>().get()...));
};
template <class F, class... P>
    requires std::is_member_pointer_v<F>
struct raw_result<F, P...> {
    using type = std::invoke_result_t<F&, decltype(std::declval<ArgHolder<P>&>().get())...>;
};
template <class F, class... P>
using raw_result_t = typename raw_result<F, P...>::type;

// Calls a binding's callable: a member pointer through std::invoke, anything else directly
// (std::invoke's layers and traits, instantiated per callable, cost every binding compile time).
template <class F, class... A>
PYOWNED_INLINE decltype(auto) call_callable(F&& f, A&&... args) {
    if constexpr (std::is_member_pointer_v<std::remove_cvref_t<F>>) return std::invoke(f, std::forward<A>(args)...);
    else return static_cast<F&&>(f)(std::forward<A>(args)...);
}

// A binding's callable: made anew when it is stateless (a lambda without captures), else the
// one its record keeps.
template <class F>
PYOWNED_INLINE decltype(auto) callable_of([[maybe_unused]] const FunctionRecord& rec) noexcept {
    if constexpr (is_stateless_v<F>) return F{};
    else return *static_cast<F*>(rec.callable);
}

// The record's invoker of callable F (Calls::Typed, for the dispatcher's parameters): F called
// with the converted arguments. The one function compiled per callable whose entry points are
// shared (ThroughInvoker); a class of its own, so defining one does not instantiate Binding.
template <class F, class Raw, class... P>
struct InvokerOf {
    static Raw typed_invoke(const FunctionRecord* rec, Pass<dispatch_param_t<P>>... args) {
        return call_callable(callable_of<F>(*rec),
                             dispatch_param<P>::unerase(static_cast<Pass<dispatch_param_t<P>>>(args))...);
    }
    static Invoker invoker() noexcept {
        using Typed = Raw (*)(const FunctionRecord*, Pass<dispatch_param_t<P>>...);
        return reinterpret_cast<Invoker>(static_cast<Typed>(&typed_invoke));
    }
};

// The callable of the entry points one signature's callables share (a module function's:
// bind/function.h): the record's invoker (Calls::Typed), which calls the definition's own
// callable with the converted arguments. One indirect call more than entries of the
// callable's own, which inline it; a definition then compiles only its invoker.
template <class Raw, class... P>
struct ThroughInvoker {
    const FunctionRecord* rec;
    template <class... A>
    PYOWNED_INLINE Raw operator()(A&&... a) const {
        return reinterpret_cast<Raw (*)(const FunctionRecord*, Pass<P>...)>(rec->invoke)(rec, static_cast<A&&>(a)...);
    }
};
template <class F>
inline constexpr bool is_through_invoker_v = false;
template <class Raw, class... P>
inline constexpr bool is_through_invoker_v<ThroughInvoker<Raw, P...>> = true;

// What a call does that depends on the signature alone, not on the callable (Raw is what the
// callable returns, R what is converted back): converting the arguments and the result.
// Binding's entry points run it with the callable inlined (Direct); the dispatcher runs it
// through the record's invoker (ThroughRecord), so all the functions of one signature share
// one copy, and its py::keep_alive variant is compiled only for definitions that pass one.
template <class Raw, class R, class... P>
struct Calls {
    using Sig = SignatureInfo<P...>;
    static constexpr std::size_t N = Sig::regular;
    // What keeps the objects that parameters view alive for the call (usually nothing).
    using Keep = std::conditional_t<(views_items<P>() || ...), KeepAlive, NoKeepAlive>;
    // The first parameter that borrows a bound-class instance: its critical section is the
    // call's (free-threaded builds); further ones take only their borrow flag.
    static constexpr std::size_t first_borrowing = [] {
        constexpr bool borrows[] = {borrows_instance_v<P>..., false};
        std::size_t i = 0;
        while (i < sizeof...(P) && !borrows[i]) ++i;
        return i;
    }();

    // The first regular parameter (argument slot 0), or sizeof...(P).
    static constexpr std::size_t first_regular = [] {
        std::size_t i = 0;
        while (i < sizeof...(P) && Sig::kinds[i] != ParamKind::regular) ++i;
        return i;
    }();

    using Holders = HolderList<std::index_sequence_for<P...>, P...>;
    // Whether a parameter is an erased instance (the dispatcher's, dispatch_param).
    static constexpr bool erases = (erased_holder<ArgHolder<P>> || ...);

    // The record's invoker (bind/record.h): the callable called with the converted
    // arguments (Pass), the result returned as the callable returns it.
    using Typed = Raw (*)(const FunctionRecord*, Pass<P>...);

    // call_impl's Run: the callable called through the record's invoker.
    struct ThroughRecord {
        template <class Where, std::size_t... I>
        PYOWNED_INLINE static Raw run(Where where, Holders& holders, std::index_sequence<I...>) {
            const FunctionRecord* rec = &rec_of(where);
            return reinterpret_cast<Typed>(rec->invoke)(rec, holder_at<I>(holders).get()...);
        }
    };

    // Every call but the fast lane's and a positional call of a function that has none:
    // keywords, defaults, *args, **kwargs, overload resolution, the fallbacks of the entry
    // points. Compiled once per signature, the callable reached through the record's invoker.
    // `Keeping`: the definition has py::keep_alive pairs (a function with them is only ever
    // called through its record, so only its dispatcher applies them).
    template <bool Keeping>
    PYOWNED_NOINLINE static PyObject* dispatch(const FunctionRecord& rec, PyObject* const* args, Py_ssize_t nargs,
                                               PyObject* kwnames, bool convert, bool soft) noexcept {
        PyObject* buffer[N ? N : 1];
        BoundArguments bound{buffer};
        PyObject* const* slots = args;
        if (kwnames || nargs != rec.fast_nargs) {
            PyObject* result;
            if (!bind_simple(rec, args, nargs, kwnames, buffer) &&
                !bind_or_fail(rec, args, nargs, kwnames, bound, soft, result))
                return result;
            slots = buffer;
        }
        return call_impl<Keeping, ThroughRecord>(&rec, slots, bound.varargs, bound.varkwargs, convert, soft,
                                                 std::index_sequence_for<P...>{});
    }

    // Calls the callable with the converted arguments and converts its result (not a number,
    // not void) to a new reference. May throw.
    template <class Run, class Where, std::size_t... I>
    PYOWNED_INLINE static PyObject* invoke_into_python(Python py, Where where, [[maybe_unused]] PyObject* const* slots,
                                                       Holders& holders, std::index_sequence<I...>) {
        if constexpr (requires { R::policy_return; }) {
            // the first argument (self, for a method) owns what a reference_internal view shows
            PyObject* owner = nullptr;  // (a function without regular parameters has none)
            if constexpr (first_regular < sizeof...(P))
                owner = argument_object(holder_at<first_regular>(holders), slots[0]);
            return R::into_python(py, Run::run(where, holders, std::index_sequence<I...>{}), owner);
        } else {
            static_assert(!unowned_class_reference<R>,
                          "pyowned: a function returning a reference or raw pointer to a bound class needs a "
                          "return value policy saying who owns the object: py::rv::copy (a new instance "
                          "holding a copy), py::rv::reference_internal (a view that keeps self alive), or "
                          "py::rv::reference (a view whose lifetime the caller guarantees)");
            return into_py(py, Run::run(where, holders, std::index_sequence<I...>{})).into_ptr();
        }
    }

    template <class Where>
    PYOWNED_INLINE static const FunctionRecord& rec_of(Where where) noexcept {
        if constexpr (std::is_same_v<Where, PyObject*>) return record_of(where);
        else return *where;
    }

    template <bool Patients, class Run, class Where, std::size_t... I>
    PYOWNED_INLINE static PyObject* call_impl(Where where, [[maybe_unused]] PyObject* const* slots,
                                              [[maybe_unused]] PyObject* varargs, [[maybe_unused]] PyObject* varkwargs,
                                              [[maybe_unused]] bool convert, [[maybe_unused]] bool soft,
                                              std::index_sequence<I...>) noexcept {
        Python py = token();
        // a number result is converted after the arguments' holders are gone (their borrows
        // ended): it is a copy, so the call's frame needs less across the conversion
        [[maybe_unused]] std::conditional_t<PlainNumber<R>, R, char> number{};
        // py::arg(...).noconvert() parameters convert strictly in every pass: their flags are
        // in the record (a function with one is always called through its record)
        [[maybe_unused]] const unsigned char* strict = nullptr;
        if constexpr (N > 0 && !std::is_same_v<Where, PyObject*>) {
            if (convert && where && PYOWNED_UNLIKELY(where->any_no_convert)) strict = where->no_convert.data();
        }
        try {
            [[maybe_unused]] Keep keep;  // declared first: outlives the converted values
            Holders holders{};
            std::size_t failed = 0;
            [[maybe_unused]] const ClassSlot* const* classes = nullptr;
            if constexpr (erases) classes = rec_of(where).param_classes;
            bool ok = (convert_one<I>(slots, varargs, varkwargs, convert, strict, classes, holders, failed) && ...);
            keep.done_converting();
            if (PYOWNED_UNLIKELY(!ok)) return conversion_error(rec_of(where), slots, failed, soft);
            if constexpr (Patients) {
                // the objects the C++ arguments are in (an implicitly converted one, not the
                // argument it was made from); the pairs between arguments before the callable runs
                PyObject* actual[N ? N : 1] = {};
                (set_actual<I>(actual, slots, holders), ...);
                if (!keep_argument_patients(*where, actual)) return nullptr;
                PyObject* result;
                if constexpr (PlainNumber<R>) {
                    result = number_ptr(Run::run(where, holders, std::index_sequence<I...>{}));
                    if (!result) return nullptr;
                } else if constexpr (std::is_void_v<R>) {
                    Run::run(where, holders, std::index_sequence<I...>{});
                    result = Py_NewRef(Py_None);
                } else {
                    result = invoke_into_python<Run>(py, where, slots, holders, std::index_sequence<I...>{});
                    if (!result) return nullptr;
                }
                return keep_patients(*where, actual, result);  // while the holders keep their objects
            } else if constexpr (PlainNumber<R>) {
                number = Run::run(where, holders, std::index_sequence<I...>{});
            } else if constexpr (std::is_void_v<R>) {
                Run::run(where, holders, std::index_sequence<I...>{});
                return Py_NewRef(Py_None);
            } else {
                return invoke_into_python<Run>(py, where, slots, holders, std::index_sequence<I...>{});
            }
        } catch (...) {
            translate_exception(py);
            return nullptr;
        }
        if constexpr (PlainNumber<R>) return number_ptr(number);
    }

    // actual[slot] for parameter I, a regular one (keep-alive indexes regular parameters).
    template <std::size_t I>
    PYOWNED_INLINE static void set_actual(PyObject** actual, PyObject* const* slots, Holders& holders) noexcept {
        if constexpr (Sig::kinds[I] == ParamKind::regular) {
            constexpr std::size_t slot = Sig::slot_of(I);
            actual[slot] = argument_object(holder_at<I>(holders), slots[slot]);
        }
    }

    template <std::size_t I>
    PYOWNED_INLINE static bool convert_one([[maybe_unused]] PyObject* const* slots, [[maybe_unused]] PyObject* varargs,
                                           [[maybe_unused]] PyObject* varkwargs, [[maybe_unused]] bool convert,
                                           [[maybe_unused]] const unsigned char* strict,
                                           [[maybe_unused]] const ClassSlot* const* classes, Holders& holders,
                                           std::size_t& failed) {
        auto& holder = holder_at<I>(holders);
        constexpr ParamKind kind = Sig::kinds[I];
        if constexpr (kind == ParamKind::regular) {
            constexpr std::size_t slot = Sig::slot_of(I);
            failed = slot;
            if constexpr (erased_holder<std::remove_reference_t<decltype(holder)>>)  // the record knows the class
                return holder.load(slots[slot], convert && !(strict && strict[slot]), I == first_borrowing,
                                   classes[slot]);
            else return holder.load(slots[slot], convert && !(strict && strict[slot]), I == first_borrowing);
        } else if constexpr (kind == ParamKind::args) {
            holder.tuple = varargs;
            return true;
        } else if constexpr (kind == ParamKind::kwargs) {
            holder.dict = varkwargs;
            return true;
        } else {
            return true;
        }
    }
};

// The code generated for one bound callable: its entry points, each converting the
// arguments and calling the callable inline; what only depends on the signature is in Calls.
template <class F, class R, class... P>
struct Binding : Calls<raw_result_t<F, P...>, R, P...> {
    using Raw = raw_result_t<F, P...>;
    using Base = Calls<Raw, R, P...>;
    // The dispatcher's side: bound-class instances erased (dispatch_param).
    using Erased = Calls<Raw, R, dispatch_param_t<P>...>;
    using Base::N;
    using Base::rec_of;
    using typename Base::Holders;
    using typename Base::Keep;
    using typename Base::Sig;
    // Whether the callable can be made anew instead of read from the record (a lambda
    // without captures): then the fast path does not touch the record at all.
    static constexpr bool stateless = is_stateless_v<F>;

    // Whether a call can take the fast lane (quick_call): every parameter a regular one whose
    // holder loads without a call (numbers, borrows of bound-class instances).
    static constexpr bool quick = sizeof...(P) == N && std::is_same_v<Keep, NoKeepAlive> &&
                                  ((QuickLoadable<ArgHolder<P>> || ErasedQuickLoadable<ArgHolder<P>>) && ...);

    // A builtin's entry point (METH_FASTCALL | METH_KEYWORDS) while the function has a
    // single overload. `Positional`: every parameter may be given positionally (no
    // keyword-only ones, no *args or **kwargs), so exactly N positional arguments and no
    // keywords need no matching at all: the argument array is the parameter array.
    // The same as a vectorcall: a bound class's method object (class/method.h).
    template <bool Positional>
    static PyObject* vectorcall(PyObject* self, PyObject* const* args, std::size_t nargsf, PyObject* kwnames) noexcept {
        return entry<Positional>(self, args, detail::api::vectorcall_nargs(nargsf), kwnames);
    }

    template <bool Positional>
    PYOWNED_INLINE static PyObject* entry(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                                          PyObject* kwnames) noexcept {
        if constexpr (Positional && quick)  // the argument array is the parameter array
            return quick_or<&entry_fallback>(self, args, !kwnames && static_cast<std::size_t>(nargs) == N, self, args,
                                             nargs, kwnames);
        else return entry_full<Positional>(self, args, nargs, kwnames);
    }
    template <bool Positional>
    PYOWNED_INLINE static PyObject* entry_full(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                                               PyObject* kwnames) noexcept {
        drain_pending_decrefs();
        if constexpr (Positional) {
            if (PYOWNED_LIKELY(!kwnames && static_cast<std::size_t>(nargs) == N))
                return call(self, args, nullptr, nullptr, true, false);
        }
        // (a function with py::keep_alive pairs has overloaded_entry as its entry: bind/function.h)
        return Erased::template dispatch<false>(record_of(self), args, nargs, kwnames, true, false);
    }

    // The entry point of a function that takes no keywords at all (no parameter names, no
    // **kwargs): METH_FASTCALL, for which CPython's specializer has the cheaper call path.
    static PyObject* entry_keywordless(PyObject* self, PyObject* const* args, Py_ssize_t nargs) noexcept {
        if constexpr (quick)
            return quick_or<&keywordless_fallback>(self, args, static_cast<std::size_t>(nargs) == N, self, args, nargs);
        else return entry_keywordless_full(self, args, nargs);
    }
    // The same for one required parameter: METH_O (CPython checks the count, and passes the
    // argument without an array: its cheapest call path).
    static PyObject* entry_o(PyObject* self, PyObject* arg) noexcept {
        PyObject* args[1] = {arg};
        if constexpr (quick)
            return quick_or<&keywordless_fallback>(self, args, true, self, static_cast<PyObject* const*>(args),
                                                   Py_ssize_t{1});
        else return entry_keywordless_full(self, args, 1);
    }
    PYOWNED_INLINE static PyObject* entry_keywordless_full(PyObject* self, PyObject* const* args,
                                                           Py_ssize_t nargs) noexcept {
        drain_pending_decrefs();
        if constexpr (!Sig::has_args) {
            if (PYOWNED_LIKELY(static_cast<std::size_t>(nargs) == N))
                return call(self, args, nullptr, nullptr, true, false);
        }
        return Erased::template dispatch<false>(record_of(self), args, nargs, nullptr, true, false);
    }

    // The fast lane of an entry whose arguments are `slots` when they `fit` (the count the
    // parameters want); what it misses goes to `Miss(a...)` (a function shared by every
    // binding), by a tail call. (Only for `quick` signatures: the others convert inline, and
    // their full path is compiled only for them.)
    template <auto Miss, class Where, class... A>
    PYOWNED_INLINE static PyObject* quick_or(Where where, PyObject* const* slots, bool fit, A... a) noexcept {
        if (PYOWNED_LIKELY(fit && !pending_decrefs_waiting()))
            return quick_call(where, slots, [=] { return Miss(a...); });
        return Miss(a...);
    }

    // A stateless method of a bound class as a CPython method descriptor (PyMethodDef), which
    // the specializing interpreter calls directly: self comes apart from the arguments, so the
    // entries get their record from where they are compiled. A method's own entries
    // (py::inline_call: its callable inlined) read this signature's own record (a stateless
    // callable's type is unique to its definition; class/method.h claims the slot for one
    // method per run) and need none on the fast lane, where the callable is made anew. Shared
    // entries (the callable called through the record's invoker: every method of one erased
    // signature, whatever its class) are given the record by a method's thunk (MethodThunks).
    // Every other call goes through the record (the shared fallbacks above).
    static inline DescriptorClaim descriptor{};
    static constexpr const FunctionRecord* no_record = nullptr;
    PYOWNED_INLINE static const FunctionRecord* method_record() noexcept {
        return descriptor.record.load(std::memory_order_relaxed);
    }
    // Where the entries find the record: this signature's claim, or the record a thunk gave.
    struct ClaimedRecord {
        PYOWNED_INLINE const FunctionRecord* operator()() const noexcept { return method_record(); }
    };
    struct GivenRecord {
        const FunctionRecord* rec;
        PYOWNED_INLINE const FunctionRecord* operator()() const noexcept { return rec; }
    };
    // What the fast lane passes as `where`: nothing for a callable made anew.
    template <class Rec>
    PYOWNED_INLINE static const FunctionRecord* lane_record(Rec record) noexcept {
        if constexpr (stateless) return no_record;
        else return record();
    }

    // A typed entry whose `slots` are the parameters when they `fit`: the fast lane, whose
    // misses go to the shared `Fallback(record, a...)` by a tail call; without a fast lane,
    // the arguments converted inline (as a function's entry does: the call of a method taking
    // a string must not pay for the record's dispatcher); anything else to the fallback.
    // `Soft` (an operator's slot) always falls back without a fast lane.
    template <auto Fallback, bool Soft = false, class Rec, class... A>
    PYOWNED_INLINE static PyObject* method_lane(Rec record, PyObject* const* slots, bool fit, A... a) noexcept {
        if constexpr (quick) {
            if (PYOWNED_LIKELY(fit && !pending_decrefs_waiting()))
                return quick_call(lane_record(record), slots, [=] { return Fallback(record(), a...); });
        } else if constexpr (!Soft) {
            if (PYOWNED_LIKELY(fit)) {
                drain_pending_decrefs();
                return call(record(), slots, nullptr, nullptr, true, false);
            }
        }
        return Fallback(record(), a...);
    }

    // METH_NOARGS: self alone.
    template <class Rec>
    PYOWNED_INLINE static PyObject* noargs_at(PyObject* self, Rec record) noexcept {
        PyObject* slots[1] = {self};
        return method_lane<&method_noargs_fallback>(record, slots, true, self);
    }
    // METH_O, for a method whose one parameter after self is positional-only and required
    // (class/method.h); and __getitem__ (mp_subscript): (self, key) -> a value.
    template <class Rec>
    PYOWNED_INLINE static PyObject* o_at(PyObject* self, PyObject* arg, Rec record) noexcept {
        PyObject* slots[2] = {self, arg};
        return method_lane<&method_o_fallback>(record, slots, true, self, arg);
    }
    // METH_FASTCALL | METH_KEYWORDS: every other method. (The fast lane's slots: self, then
    // the caller's arguments, borrowed.)
    template <class Rec>
    PYOWNED_INLINE static PyObject* fastcall_at(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                                                PyObject* kwnames, Rec record) noexcept {
        PyObject* slots[N ? N : 1];
        // fast_nargs is N when every parameter may be given positionally, else -1
        const bool fit = !kwnames && nargs + 1 == record()->fast_nargs;
        if (fit) {
            slots[0] = self;
            for (std::size_t i = 1; i < N; ++i) slots[i] = args[i - 1];
        }
        return method_lane<&method_fastcall_fallback>(record, slots, fit, self, args, nargs, kwnames);
    }
    // A binary operator of a class without its reflected form (a + b): NotImplemented when
    // a is not this class's instance or b does not convert, so Python tries b's reflected one.
    template <class Rec>
    PYOWNED_INLINE static PyObject* operator_at(PyObject* a, PyObject* b, Rec record) noexcept {
        PyObject* slots[2] = {a, b};
        return method_lane<&operator_fallback, true>(record, slots, true, a, b);
    }

    // The method's own entries (py::inline_call).
    static PyObject* method_noargs(PyObject* self, PyObject*) noexcept { return noargs_at(self, ClaimedRecord{}); }
    static PyObject* method_o(PyObject* self, PyObject* arg) noexcept { return o_at(self, arg, ClaimedRecord{}); }
    static PyObject* method_fastcall(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                                     PyObject* kwnames) noexcept {
        return fastcall_at(self, args, nargs, kwnames, ClaimedRecord{});
    }
    static PyObject* operator_slot(PyObject* a, PyObject* b) noexcept { return operator_at(a, b, ClaimedRecord{}); }
    static Py_ssize_t length_slot(PyObject* self) noexcept { return length_at(self, ClaimedRecord{}); }

    // The shared entries, reached from a method's thunk by a tail call (the record last, so
    // the thunk only loads it and jumps).
    PYOWNED_NOINLINE static PyObject* shared_noargs(PyObject* self, const FunctionRecord* rec) noexcept {
        return noargs_at(self, GivenRecord{rec});
    }
    PYOWNED_NOINLINE static PyObject* shared_o(PyObject* self, PyObject* arg, const FunctionRecord* rec) noexcept {
        return o_at(self, arg, GivenRecord{rec});
    }
    PYOWNED_NOINLINE static PyObject* shared_fastcall(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                                                      PyObject* kwnames, const FunctionRecord* rec) noexcept {
        return fastcall_at(self, args, nargs, kwnames, GivenRecord{rec});
    }
    PYOWNED_NOINLINE static PyObject* shared_operator(PyObject* a, PyObject* b, const FunctionRecord* rec) noexcept {
        return operator_at(a, b, GivenRecord{rec});
    }
    PYOWNED_NOINLINE static Py_ssize_t shared_length(PyObject* self, const FunctionRecord* rec) noexcept {
        return length_at(self, GivenRecord{rec});
    }

    // Typed entries for a bound class's type slots (class/slots.h), which a special method
    // made of a stateless callable takes when its signature fits (one overload, only regular
    // parameters): the slot calls the C++ callable with nothing boxed in between.
    // __len__: (self) -> an integer, straight to Py_ssize_t.
    template <class Rec>
    PYOWNED_INLINE static Py_ssize_t length_at(PyObject* self, Rec record) noexcept {
        if constexpr (quick) {
            if (PYOWNED_LIKELY(!pending_decrefs_waiting())) {
                PyObject* slots[1] = {self};
                R n{};
                const Lane lane = quick_run(lane_record(record), slots, n, std::index_sequence_for<P...>{});
                if (PYOWNED_LIKELY(lane == Lane::done)) return checked_length(n);
                if (lane == Lane::raised) return -1;
            }
            return out_of_line<&length_full<Rec>>(self, record);
        } else {
            return length_full(self, record);
        }
    }
    // A full path called out of line: the fast lane's fallback, reached by a tail call.
    template <auto Full, class... A>
    PYOWNED_NOINLINE static auto out_of_line(A... a) noexcept {
        return Full(a...);
    }
    template <class Rec>
    PYOWNED_INLINE static Py_ssize_t length_full(PyObject* self, Rec record) noexcept {
        drain_pending_decrefs();
        return call_length(record(), self, std::index_sequence_for<P...>{});
    }

    // A bound class's constructor called through the class (class/type.h): `args` are the
    // N - 1 positional arguments after the new instance `self`. False with an error set.
    // (The class's call drained the queue of dropped references.)
    // `Fresh`: `self` was just allocated by the class's call (ClassCall), so it is known to be
    // an instance of the class itself, never initialized, seen by no one else.
    template <bool Fresh = false>
    PYOWNED_INLINE static bool construct_entry(const FunctionRecord* rec, PyObject* self,
                                               PyObject* const* args) noexcept {
        if constexpr (quick) {
            PyObject* slots[N];
            slots[0] = self;
            for (std::size_t i = 1; i < N; ++i) slots[i] = args[i - 1];  // borrowed: the caller's
            QuickResult none{};
            const Lane lane = quick_run<Fresh>(rec, slots, none, std::index_sequence_for<P...>{});
            if (PYOWNED_LIKELY(lane == Lane::done)) return true;
            if (lane == Lane::raised) return false;
        }
        PyObject* result = construct_fallback(rec, self, args);
        if (PYOWNED_UNLIKELY(!result)) return false;
        Py_DECREF(result);  // None
        return true;
    }

private:
    // call_impl's Run: the callable called directly (inlined).
    struct Direct {
        template <class Where, std::size_t... I>
        PYOWNED_INLINE static decltype(auto) run(Where where, Holders& holders, std::index_sequence<I...>) {
            return call_callable(callable(where), holder_at<I>(holders).get()...);
        }
    };

    // Converts the arguments, calls the C++ callable, converts its result. `where` is the
    // carrier (from entry) or the record (from dispatch): the record is only read when needed.
    template <class Where>
    PYOWNED_INLINE static PyObject* call(Where where, PyObject* const* slots, PyObject* varargs, PyObject* varkwargs,
                                         bool convert, bool soft) noexcept {
        // A record here is a method descriptor's (method_lane), which is never one with
        // py::keep_alive pairs or noconvert flags: those are called through their record.
        return Base::template call_impl<false, Direct>(where, slots, varargs, varkwargs, convert, soft,
                                                       std::index_sequence_for<P...>{});
    }

    // The fast lane: every argument taken without a call and without an error (an exact
    // float, a compact int, True or False, an instance of the parameter's own class that holds
    // it inline and is free to borrow), the callable called, the result converted. Any other
    // argument goes to `full` (the full path, which converts, reports and borrows as always)
    // as a tail call, and so does a queue of references waiting to be dropped: the common
    // call then needs no stack frame of its own unless the callable does.
    template <class Where, class Full>
    PYOWNED_INLINE static PyObject* quick_call(Where where, PyObject* const* slots, Full full) noexcept {
        QuickResult out{};
        const Lane lane = quick_run(where, slots, out, std::index_sequence_for<P...>{});
        if (PYOWNED_UNLIKELY(lane == Lane::missed)) return full();
        if (PYOWNED_UNLIKELY(lane == Lane::raised)) return nullptr;
        if constexpr (PlainNumber<R>) return number_ptr(out);
        else if constexpr (std::is_void_v<R>) return Py_NewRef(Py_None);
        else return out;
    }

    // What the fast lane did: not taken (an argument did not fit; nothing set, nothing held),
    // called, or called and raised (the Python exception set).
    enum class Lane { missed, done, raised };
    // What it leaves: a number (converted once the borrows end: a copy needs none), the new
    // reference of another result, or nothing for void.
    using QuickResult = std::conditional_t<PlainNumber<R>, R, std::conditional_t<std::is_void_v<R>, char, PyObject*>>;

    template <bool Fresh = false, class Where, std::size_t... I>
    PYOWNED_INLINE static Lane quick_run(Where where, [[maybe_unused]] PyObject* const* slots,
                                         [[maybe_unused]] QuickResult& out, std::index_sequence<I...>) noexcept {
        // The holders outlive the try: a C++ exception is translated while the borrows last
        // (translate_exception runs no Python code that could reach the instances), which
        // keeps them in registers.
        Holders holders{};
        if (!(quick_load_at<I, Fresh>(where, holder_at<I>(holders), slots[I]) && ...)) return Lane::missed;
        try {
            if constexpr (PlainNumber<R>) {
                out = Direct::run(where, holders, std::index_sequence<I...>{});
            } else if constexpr (std::is_void_v<R>) {
                Direct::run(where, holders, std::index_sequence<I...>{});
            } else {
                out = Base::template invoke_into_python<Direct>(token(), where, slots, holders,
                                                                std::index_sequence<I...>{});
            }
            return Lane::done;
        } catch (...) {
            translate_exception(token());
            if constexpr (std::is_same_v<QuickResult, PyObject*>) {
                out = nullptr;  // a null result says it as well, with one path less
                return Lane::done;
            } else {
                return Lane::raised;
            }
        }
    }

    template <std::size_t I, bool Fresh, class Where, class H>
    PYOWNED_INLINE static bool quick_load_at([[maybe_unused]] Where where, H& holder, PyObject* o) noexcept {
        if constexpr (Fresh && I == 0) {
            if constexpr (ErasedQuickLoadable<H>) return holder.load_fresh(o, rec_of(where).param_classes[0]);
            else return holder.load_fresh(o);
        } else if constexpr (ErasedQuickLoadable<H>) return holder.quick_load(o, rec_of(where).param_classes[I]);
        else return holder.quick_load(o);
    }

    template <std::size_t... I>
    PYOWNED_INLINE static Py_ssize_t call_length(const FunctionRecord* rec, PyObject* self,
                                                 std::index_sequence<I...>) noexcept {
        Python py = token();
        PyObject* slots[1] = {self};
        try {
            [[maybe_unused]] Keep keep;
            Holders holders{};
            std::size_t failed = 0;
            const ClassSlot* const* classes = Base::erases ? rec->param_classes : nullptr;
            bool ok =
                (Base::template convert_one<I>(slots, nullptr, nullptr, true, nullptr, classes, holders, failed) &&
                 ...);
            keep.done_converting();
            if (PYOWNED_UNLIKELY(!ok)) {
                conversion_error(*rec, slots, failed, false);
                return -1;
            }
            return checked_length(call_callable(callable(rec), holder_at<I>(holders).get()...));
        } catch (...) {
            translate_exception(py);
            return -1;
        }
    }

    template <class Where>
    PYOWNED_INLINE static decltype(auto) callable([[maybe_unused]] Where where) noexcept {
        if constexpr (stateless) return F{};
        else if constexpr (is_through_invoker_v<F>) return F{&rec_of(where)};
        else return callable_of<F>(rec_of(where));
    }
};

// A stateless method's descriptor entries when they are shared (Binding S, every method of
// one erased signature): per callable only these, each loading the record its definition
// claimed (class/method.h) and jumping to S's entry.
template <class S, class Fn>
struct MethodThunks {
    static inline DescriptorClaim descriptor{};
    PYOWNED_INLINE static const FunctionRecord* rec() noexcept {
        return descriptor.record.load(std::memory_order_relaxed);
    }
    static PyObject* method_noargs(PyObject* self, PyObject*) noexcept { return S::shared_noargs(self, rec()); }
    static PyObject* method_o(PyObject* self, PyObject* arg) noexcept { return S::shared_o(self, arg, rec()); }
    static PyObject* method_fastcall(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                                     PyObject* kwnames) noexcept {
        return S::shared_fastcall(self, args, nargs, kwnames, rec());
    }
    static PyObject* operator_slot(PyObject* a, PyObject* b) noexcept { return S::shared_operator(a, b, rec()); }
    static Py_ssize_t length_slot(PyObject* self) noexcept { return S::shared_length(self, rec()); }
};

// Several overloads of one name: two passes, as nanobind does. First every overload
// without implicit conversions, then with them. A conversion that failed with an error
// (an int too large) does not stop the search; its error is raised only if no overload
// accepts the arguments. KeyboardInterrupt, SystemExit, MemoryError and RecursionError
// (must_propagate) stop it at once.
PYOWNED_CORE_COLD PYOWNED_CORE void raise_no_overload(const FunctionRecord& first);

// Calls the first overload that accepts the arguments. With `soft`, arguments no overload
// accepts give no_match() and nothing set (a binary operator then returns NotImplemented).
PYOWNED_CORE PyObject* dispatch_overloads(const FunctionRecord& first, PyObject* const* args, Py_ssize_t nargs,
                                          PyObject* kwnames, bool soft = false) noexcept;

PYOWNED_CORE PyObject* overloaded_entry(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                                        PyObject* kwnames) noexcept;

// The same, as the vectorcall of a bound class's method object.
PYOWNED_CORE PyObject* overloaded_vectorcall(PyObject* self, PyObject* const* args, std::size_t nargsf,
                                             PyObject* kwnames) noexcept;

}  // namespace pyowned::detail

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE_COLD PYOWNED_CORE PyObject* conversion_error(const FunctionRecord& rec, PyObject* const* slots,
                                                          std::size_t slot, bool soft) noexcept {
    if (PyErr_Occurred()) return soft ? conversion_failed() : nullptr;
    if (soft) return no_match();
    raise_wrong_type(rec, slot, slots[slot]);
    return nullptr;
}

PYOWNED_CORE_COLD PYOWNED_CORE bool bind_or_fail(const FunctionRecord& rec, PyObject* const* args, Py_ssize_t nargs,
                                                 PyObject* kwnames, BoundArguments& bound, bool soft,
                                                 PyObject*& result) noexcept {
    try {
        if (bind_arguments(rec, args, nargs, kwnames, bound, soft)) return true;
        result = PyErr_Occurred() ? nullptr : no_match();
    } catch (...) {  // only std::bad_alloc can come out of the matching
        translate_exception(token());
        result = nullptr;
    }
    return false;
}

PYOWNED_CORE_COLD PYOWNED_CORE PyObject* with_self(const FunctionRecord& rec, PyObject* self, PyObject* const* args,
                                                   Py_ssize_t nargs, PyObject* kwnames) noexcept {
    const std::size_t total =
        static_cast<std::size_t>(nargs) + (kwnames ? static_cast<std::size_t>(detail::api::tuple_size(kwnames)) : 0);
    PyObject* small[8];
    std::unique_ptr<PyObject*[]> large;
    PyObject** all = small;
    if (total + 1 > 8) {
        large.reset(new (std::nothrow) PyObject*[total + 1]);
        if (!large) return PyErr_NoMemory();
        all = large.get();
    }
    all[0] = self;
    for (std::size_t i = 0; i < total; ++i) all[i + 1] = args[i];
    return rec.dispatch(rec, all, nargs + 1, kwnames, true, false);
}

PYOWNED_CORE_COLD PYOWNED_CORE Py_ssize_t raise_bad_length(bool negative) noexcept {
    if (negative) PyErr_SetString(PyExc_ValueError, "__len__() should return >= 0");
    else PyErr_SetString(PyExc_OverflowError, "cannot fit 'int' into an index-sized integer");
    return -1;
}

PYOWNED_CORE_COLD PYOWNED_CORE void raise_no_overload(const FunctionRecord& first) {
    std::string message =
        first.name + "(): incompatible function arguments. The following argument types are supported:";
    int i = 1;
    for (const FunctionRecord* r = &first; r; r = r->next_overload.get())
        message += "\n    " + std::to_string(i++) + ". " + r->name + r->typed_signature;
    PyErr_SetString(PyExc_TypeError, message.c_str());
}

PYOWNED_CORE PyObject* dispatch_overloads(const FunctionRecord& first, PyObject* const* args, Py_ssize_t nargs,
                                          PyObject* kwnames, bool soft) noexcept {
    if (!first.next_overload) {
        if (!soft) return first.dispatch(first, args, nargs, kwnames, true, false);
        PyObject* result = first.dispatch(first, args, nargs, kwnames, true, true);
        return result == conversion_failed() ? nullptr : result;
    }
    PyObject* first_error = nullptr;
    for (bool convert : {false, true}) {
        for (const FunctionRecord* r = &first; r; r = r->next_overload.get()) {
            PyObject* result = r->dispatch(*r, args, nargs, kwnames, convert, true);
            if (result == no_match()) continue;
            if (result == conversion_failed()) {                           // remember the first such error
                if (PYOWNED_UNLIKELY(must_propagate(PyErr_Occurred()))) {  // KeyboardInterrupt, ...
                    Py_XDECREF(first_error);
                    return nullptr;
                }
                PyObject* error = compat::get_raised_exception();
                if (!first_error) first_error = error;
                else Py_XDECREF(error);
                continue;
            }
            Py_XDECREF(first_error);  // this overload was called: its result or error is final
            return result;
        }
    }
    if (first_error) compat::set_raised_exception(first_error);
    else if (soft) return no_match();
    else raise_no_overload(first);
    return nullptr;
}

PYOWNED_CORE PyObject* overloaded_entry(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                                        PyObject* kwnames) noexcept {
    drain_pending_decrefs();
    return dispatch_overloads(record_of(self), args, nargs, kwnames);
}

PYOWNED_CORE PyObject* overloaded_vectorcall(PyObject* self, PyObject* const* args, std::size_t nargsf,
                                             PyObject* kwnames) noexcept {
    return overloaded_entry(self, args, detail::api::vectorcall_nargs(nargsf), kwnames);
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
