// Defining a bound function: the record from the callable and its annotations (names,
// defaults, markers, docstring), the text signature, and overloads of one name.
#pragma once
#include "dispatch.h"
#include "guard.h"
#include <array>
#include <span>
#include <stdexcept>
#include <string>

namespace pyowned::detail {

// How a default value shows in a signature: its repr when that is a Python literal, else "...".
PYOWNED_CORE_COLD PYOWNED_CORE bool is_literal(PyObject* o, int depth = 0);

PYOWNED_CORE_COLD PYOWNED_CORE std::string render_default(PyObject* value);

// "(a, b=1, /, c, *, k=2.0)" or, with types, "(a: int, b: int = 1, ...)".
PYOWNED_CORE_COLD PYOWNED_CORE std::string render_signature(const FunctionRecord& r, bool typed);

// The builtin's ml_doc. One overload: "name(sig)\n--\n\ndoc", from which CPython makes
// __text_signature__ and __doc__ (so inspect.signature and help() show the signature).
// Several: every overload's signature and docstring, and no text signature.
PYOWNED_CORE_COLD PYOWNED_CORE void update_doc(FunctionRecord& first);

// One of def()'s annotations after the callable: a docstring, a parameter name (with the
// default it refers to), or a / or * marker. Plain data, trivially destroyed: what a def()
// compiles per definition is a few stores. The record is made from them (apply_annotations),
// which reads a name given as a str and converts a default; the default's value lives until
// def() returns (its py::arg(...) = value is in the same full expression).
struct Annotation {
    enum class Kind : unsigned char { doc, param, pos_only, kw_only, keep_alive, none };
    Kind kind;
    bool no_convert = false, takes_none = false;  // py::arg(...).noconvert(), .none()
    unsigned nurse = 0, patient = 0;              // py::keep_alive<nurse, patient>
    const char* text = nullptr;                   // the docstring or the parameter name
    PyObject* name_str = nullptr;                 // the name as a str handle (borrowed), if not text
    PyObject* (*make_default)(void*) = nullptr;   // the default's new reference, made from `value`
    void* value = nullptr;

    constexpr Annotation(Kind k, const char* t = nullptr) noexcept : kind(k), text(t) {}
};
static_assert(std::is_trivially_destructible_v<Annotation>);

inline Annotation annotation(Python, const char* doc) noexcept { return {Annotation::Kind::doc, doc ? doc : ""}; }
// A parameter's name as text: the C string, or a str handle's UTF-8 (which the str keeps).
inline const char* name_text(const char* name, PyObject* str) {
    if (name) return name;
    const char* text = detail::api::utf8(str);
    if (!text) throw_fetched();
    return text;
}

template <class A>
constexpr Annotation param_annotation(const A& a) noexcept {
    Annotation out{Annotation::Kind::param, a.name};
    out.name_str = a.str;
    out.no_convert = a.no_convert;
    out.takes_none = a.takes_none;
    return out;
}
inline Annotation annotation(Python, const arg& a) noexcept { return param_annotation(a); }
// Call guards are compile-time: the callable is wrapped (bind/guard.h).
template <class... G>
Annotation annotation(Python, CallGuard<G...>) noexcept {
    return {Annotation::Kind::none};
}
inline Annotation annotation(Python, pos_only) noexcept { return {Annotation::Kind::pos_only}; }
template <unsigned N, unsigned P>
Annotation annotation(Python, KeepAliveSpec<N, P>) noexcept {
    Annotation a{Annotation::Kind::keep_alive};
    a.nurse = N;
    a.patient = P;
    return a;
}
// A return value policy (py::rv::copy, ...) is a compile-time choice: nothing at run time.
template <class E>
    requires requires { E::return_policy; }
Annotation annotation(Python, const E&) noexcept {
    return {Annotation::Kind::none};
}

template <class Policy, class R>
struct WithPolicy;  // class/convert.h

// The return type a Binding converts: R, or R with the py::rv policy among the extras.
template <class R, class... Extra>
struct returned {
    using type = R;
};
template <class R, class E, class... Extra>
struct returned<R, E, Extra...> {
    using type = std::conditional_t<requires { std::decay_t<E>::return_policy; }, WithPolicy<std::decay_t<E>, R>,
                                    typename returned<R, Extra...>::type>;
};
template <class R, class... Extra>
using returned_t = typename returned<R, Extra...>::type;
inline Annotation annotation(Python, kw_only) noexcept { return {Annotation::Kind::kw_only}; }
// py::inline_call() chooses the entry points at compile time: nothing at run time.
inline Annotation annotation(Python, inline_call) noexcept { return {Annotation::Kind::none}; }
// A default's conversion, one per value type (shared by every definition with one): a new
// reference, or a C++ exception.
template <class V>
PyObject* convert_default(void* value) {
    return into_py(token(), std::forward<V>(*static_cast<std::remove_reference_t<V>*>(value))).into_ptr();
}
template <class V>
Annotation annotation(Python, const KwArg<V>& a) noexcept {
    Annotation out = param_annotation(a);
    out.make_default = &convert_default<V>;
    // converted once, when the record is made (the KwArg may hold a const reference)
    out.value = const_cast<void*>(static_cast<const volatile void*>(std::addressof(a.value)));
    return out;
}

// Applies the annotations to the record: names, defaults, markers, docstring; checks them
// against the `regular` parameters, `args_at` of them before *args (those after it are
// keyword-only). A py::arg at the place of *args and of **kwargs names them, when both
// (every variadic) are named.
PYOWNED_CORE_COLD PYOWNED_CORE void apply_annotations(FunctionRecord& r, std::span<const Annotation> annotations,
                                                      std::size_t regular, std::size_t args_at, const bool* takes_none);

// How a function's entry point is called: with keywords (METH_FASTCALL | METH_KEYWORDS),
// with the positional fast path too, or without keywords at all (METH_FASTCALL).
// Bound-class methods (class/method.h): a stateless method's entries are its method
// descriptor's, and its method object (an operator's, __init__'s) goes through the record;
// any other method, and every static one, is its method object's vectorcall, with or without
// the positional fast path.
enum class EntryKind {
    keywords,
    positional,
    keywordless,
    method_keywords,
    method_positional,
    static_keywords,
    static_positional
};

template <class F>
PyCFunction as_method(F f) noexcept {
    return reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)(void)>(f));
}

// Whether a parameter is the instance a bound class's constructor makes (class/construct.h).
template <class P>
inline constexpr bool constructs_instance_v = false;
// A bound class's own call (its tp_vectorcall) made for its one constructor B, whose first
// parameter P is the new instance: defined with the classes (class/class.h).
template <class P, class B>
struct ClassCall;

// What the template side of def() hands to the shared code, in constant tables: per
// signature (shared by every callable of it) the dispatcher and the parameters' facts ...
struct SignatureSpec {
    Dispatcher dispatch;
    // of the regular parameters (empty for one that borrows a bound-class instance, whose
    // class is the definition's: FunctionSpec::classes)
    const std::string_view* type_names = nullptr;
    const bool* takes_none = nullptr;  // and whether each accepts None (arg::none)
    std::size_t regular = 0;
    std::size_t args_at = 0;  // regular parameters before *args (all of them without one)
    bool has_args = false, has_kwargs = false;
    bool keeps_alive = false;  // `dispatch` applies py::keep_alive pairs
};

// ... a bound-class method's entries beyond a function's (where any applies) ...
struct MethodEntries {
    // a stateless method's: the method descriptor's entry and its flags (its record is the
    // claim's, FunctionSpec::claim)
    PyObject* (*method_noargs)(PyObject*, PyObject*) noexcept = nullptr;
    PyObject* (*method_fastcall)(PyObject*, PyObject* const*, Py_ssize_t, PyObject*) noexcept = nullptr;
    // with one parameter after self: the METH_O entry, taken when it is positional-only and required
    PyObject* (*method_o)(PyObject*, PyObject*) noexcept = nullptr;
    // its typed entries for a bound class's type slots (class/slots.h), where the signature
    // fits: __len__, __getitem__, a binary operator
    Py_ssize_t (*length_slot)(PyObject*) noexcept = nullptr;
    PyObject* (*subscript_slot)(PyObject*, PyObject*) noexcept = nullptr;
    PyObject* (*operator_slot)(PyObject*, PyObject*) noexcept = nullptr;
    // a bound class's constructor's (its first parameter the new instance), with only
    // regular parameters: the entry the class's call takes (class/type.h)
    bool (*construct)(const FunctionRecord*, PyObject*, PyObject* const*) noexcept = nullptr;
    // and the class's call while it is the only constructor
    PyObject* (*class_call)(PyObject*, PyObject* const*, std::size_t, PyObject*) noexcept = nullptr;
};
inline constexpr MethodEntries no_method_entries{};

// ... per set of entry points (shared by the definitions whose erased signature they serve)
// the entry points and the signature's table ...
struct EntrySpec {
    const SignatureSpec* signature;
    // the entry point: one of these two, as the function takes keywords or not
    PyObject* (*entry)(PyObject*, PyObject* const*, Py_ssize_t, PyObject*) noexcept = nullptr;
    PyObject* (*entry_keywordless)(PyObject*, PyObject* const*, Py_ssize_t) noexcept = nullptr;
    // with one regular parameter, besides: METH_O, taken when the parameter has no default
    PyObject* (*entry_o)(PyObject*, PyObject*) noexcept = nullptr;
    // a method's: a vectorcall
    PyObject* (*vectorcall)(PyObject*, PyObject* const*, std::size_t, PyObject*) noexcept = nullptr;
};

// ... and per definition these together: the addresses of its entry table, of its method
// entries (per callable: a stateless method's descriptor entries; a constructor's), of the
// slots of the classes its parameters borrow instances of (per set of classes in their
// places) and of a stateless method's claim. Each table is a constant the module's data
// holds, every pointer in it a relocation when the module loads, so they are shared where
// they can be; this one is made by the definition's code from PC-relative addresses and
// passed by reference (its invoker is cast when the definition runs).
struct FunctionSpec {
    const EntrySpec* entries;
    const MethodEntries* method = nullptr;  // or none
    // per regular parameter, the slot of the class it borrows an instance of (ClassSlots), or
    // null; null when none does
    const ClassSlot* const* classes = nullptr;
    // a stateless method's: the record its descriptor entries read (per callable, with them)
    DescriptorClaim* claim = nullptr;
    // the Python type of its result, as a stub names it (result_name_z)
    const char* returns = "";
    const SignatureSpec& signature() const noexcept { return *entries->signature; }
    const MethodEntries& methods() const noexcept { return method ? *method : no_method_entries; }
};

// A definition's py::keep_alive pairs need the dispatcher compiled for them, chosen from the
// same extras at compile time: checked once the annotations are applied.
inline void check_keeping(const FunctionRecord& r, const SignatureSpec& sig) {
    if (r.any_keep_alive && !sig.keeps_alive)
        throw std::logic_error(r.name + "(): py::keep_alive pairs reached a definition compiled without them");
}

// A parameter as the dispatcher has it that borrows a bound-class instance, its class known
// at run time only (class/borrow.h's ErasedInstance, class/construct.h's ErasedUninit).
template <class P>
concept erased_param = requires { P::erased_takes_none; };

// Whether a parameter of type P accepts None as it is: what py::arg(...).none() may say.
template <class T>
inline constexpr bool is_std_optional_v = false;
template <class T>
inline constexpr bool is_std_optional_v<std::optional<T>> = true;
template <class P>
consteval bool takes_none() {
    using D = std::remove_cvref_t<P>;
    if constexpr (erased_param<D>) return D::erased_takes_none;
    else if constexpr (std::is_pointer_v<D> || std::is_same_v<D, std::nullptr_t> || is_std_optional_v<D>) return true;
    else if constexpr (is_handle_v<D>)
        return std::is_same_v<typename D::tag, Any> || std::is_same_v<typename D::tag, None>;
    else return false;
}

// A regular parameter's Python type name in a signature's table: none for an erased one
// (the definition's class slot names it).
template <class P>
constexpr std::string_view param_type_name() {
    if constexpr (erased_param<P>) return {};
    else return python_name<P>();
}

// Per signature as the dispatcher has it (shared by every callable of it, whatever the
// classes it borrows instances of): the regular parameters' Python type names and whether
// each takes None as it is.
template <class... P>
struct ParamTables {
    static constexpr std::size_t N = SignatureInfo<P...>::regular;
    // Per regular parameter, pick(std::type_identity<P>): an array of N (+1: never empty).
    template <class T, class Pick>
    static constexpr std::array<T, N + 1> per_regular(Pick pick) {
        std::array<T, N + 1> out{};
        [[maybe_unused]] std::size_t i = 0;
        (
            [&] {
                if constexpr (param_kind<P>() == ParamKind::regular) out[i++] = pick(std::type_identity<P>{});
            }(),
            ...);
        return out;
    }
    template <class Q>
    using type_of = typename Q::type;
    // Every parameter a regular one (most signatures, every method's): the arrays directly,
    // without the lambdas per_regular instantiates per signature and table.
    static constexpr bool all_regular = N == sizeof...(P);
    static consteval std::array<bool, N + 1> make_none_flags() {
        if constexpr (all_regular) return {takes_none<P>()..., false};
        else return per_regular<bool>([](auto q) { return takes_none<type_of<decltype(q)>>(); });
    }
    static consteval std::array<std::string_view, N + 1> make_type_names() {
        if constexpr (all_regular) return {param_type_name<P>()..., std::string_view{}};
        else return per_regular<std::string_view>([](auto q) { return param_type_name<type_of<decltype(q)>>(); });
    }
    static constexpr auto none_flags = make_none_flags();
    static constexpr auto type_names = make_type_names();
};

// Per regular parameter, the slot of the class it borrows an instance of, or null: keyed by
// the parameters' class keys (dispatch_param::class_key: the class, void for a regular
// parameter of none), so every definition with the same classes in the same places shares
// one (a class's methods of one instance and a number, say), whatever their signatures.
template <class... K>
struct ClassSlots {
    template <class Q>
    static constexpr const ClassSlot* slot_of() noexcept {
        if constexpr (std::is_void_v<Q> || param_kind<Q>() != ParamKind::regular) return nullptr;
        else return &ClassCache<Q>::slot;
    }
    static constexpr std::size_t N = SignatureInfo<K...>::regular;
    static consteval std::array<const ClassSlot*, N + 1> make() {
        if constexpr (N == sizeof...(K)) {
            return {slot_of<K>()..., nullptr};
        } else {
            std::array<const ClassSlot*, N + 1> out{};
            std::size_t i = 0;
            ((param_kind<K>() == ParamKind::regular ? void(out[i++] = slot_of<K>()) : void()), ...);
            return out;
        }
    }
    static constexpr auto value = make();
};

// The signature's table: one per erased signature (Erased, the dispatcher's Calls; P its
// parameters), whatever the callable and the classes.
template <class Erased, bool Keeping, class... P>
struct SignatureOf {
    using Tables = ParamTables<P...>;
    using Sig = SignatureInfo<P...>;
    static constexpr SignatureSpec spec{&Erased::template dispatch<Keeping>,
                                        Tables::type_names.data(),
                                        Tables::none_flags.data(),
                                        Sig::regular,
                                        Sig::regular_before_args,
                                        Sig::has_args,
                                        Sig::has_kwargs,
                                        Keeping};
};

// Whether the first of parameters P is the instance a constructor makes (only regular ones).
template <class... P>
consteval bool constructs_instance() {
    if constexpr (sizeof...(P) > 0 && SignatureInfo<P...>::regular == sizeof...(P))
        return constructs_instance_v<std::remove_cvref_t<std::tuple_element_t<0, std::tuple<P...>>>>;
    else return false;
}

// The entry table of entry points B, whose parameters P are erased (dispatch_param_t), one per
// B (so every definition sharing them shares it, whatever its classes and callable).
// `Descriptor`: a stateless method's, whose descriptor entries are its callable's
// (MethodEntries, below): no vectorcall of its own. Only the entry point of this Kind is
// instantiated.
template <class B, bool Descriptor, bool Keeping, class... P>
struct EntriesOf {
    static constexpr std::size_t N = SignatureInfo<P...>::regular;
    template <EntryKind Kind>
    static constexpr EntrySpec make() {
        EntrySpec s{&SignatureOf<typename B::Erased, Keeping, P...>::spec};
        constexpr bool method = Kind == EntryKind::method_positional || Kind == EntryKind::method_keywords;
        constexpr bool static_method = Kind == EntryKind::static_positional || Kind == EntryKind::static_keywords;
        constexpr bool constructs = constructs_instance<P...>();
        if constexpr (Kind == EntryKind::keywordless) {
            s.entry_keywordless = &B::entry_keywordless;
            if constexpr (N == 1 && sizeof...(P) == 1) s.entry_o = &B::entry_o;
        } else if constexpr (static_method || (method && (constructs ? !B::stateless : !Descriptor))) {
            // (a constructor's stateless own entries are none: its method object is called
            // through the record)
            constexpr bool positional = Kind == EntryKind::method_positional || Kind == EntryKind::static_positional;
            s.vectorcall = &B::template vectorcall<positional>;
        } else if constexpr (!method) {
            s.entry = &B::template entry < Kind == EntryKind::positional > ;
        }
        return s;
    }
    template <EntryKind Kind>
    static constexpr EntrySpec value = make<Kind>();
};

// The method entries of the entry points B of parameters P, for a stateless method its
// descriptor's entries D (void for everything else): one per B and D, so per callable for a
// stateless method.
template <class B, class D, class R, bool Keeping, class... P>
struct SpecTables {
    static constexpr std::size_t N = SignatureInfo<P...>::regular;
    static constexpr bool constructs = constructs_instance<P...>();
    static constexpr bool is_method(EntryKind kind) {
        return kind == EntryKind::method_positional || kind == EntryKind::method_keywords;
    }
    // Whether a definition of this Kind has method entries: decided from the signature, not
    // by comparing the entries' addresses with null, which GCC does not fold into a constant
    // under -fsanitize.
    template <EntryKind Kind>
    static constexpr bool has_method_entries =
        (is_method(Kind) && !std::is_void_v<D>) || (Kind == EntryKind::method_positional && constructs);
    // The method entries of this Kind. `Named`: parameter names were given (not all
    // positional-only), so a method's METH_O entry and its typed subscript and operator slots,
    // which need positional-only parameters (as special methods are defined), are not compiled.
    template <EntryKind Kind, bool Named>
    static constexpr MethodEntries make_method_entries() {
        MethodEntries m{};
        if constexpr (is_method(Kind) && !std::is_void_v<D>) {
            if constexpr (N == 1 && Kind == EntryKind::method_positional) m.method_noargs = &D::method_noargs;
            else m.method_fastcall = &D::method_fastcall;
            constexpr bool only_regular = N == sizeof...(P);
            if constexpr (only_regular && N == 1 && std::is_integral_v<R> && !std::is_same_v<R, bool>)
                m.length_slot = &D::length_slot;
            if constexpr (N == 2 && Kind == EntryKind::method_positional && !Named) m.method_o = &D::method_o;
            if constexpr (only_regular && N == 2 && !Named) {
                m.subscript_slot = &D::method_o;
                m.operator_slot = &D::operator_slot;
            }
        }
        if constexpr (Kind == EntryKind::method_positional && constructs) {
            using First = std::remove_cvref_t<std::tuple_element_t<0, std::tuple<P...>>>;
            m.construct = &B::template construct_entry<false>;
            m.class_call = &ClassCall<First, B>::call;
        }
        return m;
    }
    template <EntryKind Kind, bool Named>
    static constexpr MethodEntries method_entries = make_method_entries<Kind, Named>();
};

// The constant tables of a definition of callable Fn returning R with parameters P.
// `Own`: the definition asked for entry points of its own (py::inline_call).
template <class Fn, class R, bool Keeping, bool Own, class... P>
struct SpecOf {
    static constexpr bool stateless = is_stateless_v<Fn>;
    static constexpr bool constructs = constructs_instance<P...>();
    // The entry points: those of the erased signature (bound-class instances erased, as the
    // dispatcher has them), shared by every lambda and function object of it, whatever its
    // class, which call the definition's invoker through its record (ThroughInvoker; a
    // stateless method's descriptor reaches them through its thunks, MethodThunks; a
    // constructor's class call through its class's, ClassCall). Its own, with the callable
    // inlined, for py::inline_call and for a function pointer (its type is its signature's:
    // shared already).
    static constexpr bool shared = !Own && std::is_class_v<Fn>;
    using Raw = raw_result_t<Fn, P...>;
    using B =
        std::conditional_t<shared, Binding<ThroughInvoker<Raw, dispatch_param_t<P>...>, R, dispatch_param_t<P>...>,
                           Binding<Fn, R, P...>>;
    // A stateless method's descriptor entries (not a constructor's: __init__ is never a method
    // descriptor, class/method.h): its thunks into the shared ones, or its own.
    template <EntryKind Kind>
    using Descriptor =
        std::conditional_t<SpecTables<B, void, R, Keeping, P...>::is_method(Kind) && stateless && !constructs,
                           std::conditional_t<shared, MethodThunks<B, Fn>, B>, void>;
    // The definition's tables (FunctionSpec), made by its code.
    template <EntryKind Kind, bool Named>
    static constexpr FunctionSpec spec() noexcept {
        using Tables = SpecTables<B, Descriptor<Kind>, R, Keeping, P...>;
        FunctionSpec s{
            &EntriesOf<B, !std::is_void_v<Descriptor<Kind>>, Keeping, dispatch_param_t<P>...>::template value<Kind>};
        if constexpr (Tables::template has_method_entries<Kind>)
            s.method = &Tables::template method_entries<Kind, Named>;
        if constexpr (B::Erased::erases) s.classes = ClassSlots<typename dispatch_param<P>::class_key...>::value.data();
        if constexpr (!std::is_void_v<Descriptor<Kind>>) s.claim = &Descriptor<Kind>::descriptor;
        return s;
    }
};

// A definition's record as its constant tables (`spec`) make it, owning `callable` (destroyed
// by `destroy`) from the first line.
PYOWNED_CORE_COLD PYOWNED_CORE std::unique_ptr<FunctionRecord> new_record(const FunctionSpec& spec, Invoker invoke,
                                                                          void* callable, void (*destroy)(void*));

// The module name a function defined in `scope` reports (a new reference).
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* function_module_name(PyObject* scope);

// The builtin function already bound to `name` in `scope` by this build of pyowned, if any.
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* existing_overloads(PyObject* scope, PyObject* name, PyObject* carrier_type);

// Sets `scope.<name>`: a module's attribute, or an entry in a class's dict (a bound class is
// immutable to Python code, so its binding writes the dict itself).
PYOWNED_CORE_COLD PYOWNED_CORE void set_scope_attr(PyObject* scope, PyObject* name, PyObject* value);

// Binds a function described by `spec` as `scope.<name>` (a module function), or adds it
// as an overload to the one there; without a scope, makes the function object and returns
// it (py::make_function). Takes ownership of `callable` (destroyed by `destroy`).
PYOWNED_CORE_COLD PYOWNED_CORE Owned<Any> add_function(Python py, PyObject* scope, const char* name,
                                                       const FunctionSpec& spec, Invoker invoke, void* callable,
                                                       void (*destroy)(void*), std::span<const Annotation> annotations);

// The Binding and the constant tables of callable Fn returning R, with the parameters a
// type_list holds: one class unpacks the list for both (function templates doing it would be
// instantiated and compiled per definition).
template <class Fn, class R, class Params>
struct BindingOf;
template <class Fn, class R, class... P>
struct BindingOf<Fn, R, type_list<P...>> {
    using Raw = raw_result_t<Fn, P...>;
    // The record's invoker (not instantiating the Binding: shared entries need only this).
    static Invoker invoker() noexcept { return InvokerOf<Fn, Raw, P...>::invoker(); }
    // Its constant tables and entry points (SpecOf; `Own`: py::inline_call).
    template <bool Keeping, bool Own>
    using specs = SpecOf<Fn, R, Keeping, Own, P...>;
};

// Whether a py::pos_only() follows the last named parameter: then every parameter is
// positional-only and the function takes no keywords (unless it has **kwargs).
template <class... Extra>
constexpr bool ends_positional_only() {
    bool result = false;
    (
        [&] {
            using E = std::decay_t<Extra>;
            if constexpr (std::is_same_v<E, pos_only>) result = true;
            else if constexpr (std::is_same_v<E, arg> || is_kwarg_v<E>) result = false;
        }(),
        ...);
    return result;
}

// Whether parameters are named and take keywords: a py::arg (or a default) not followed by
// py::pos_only().
template <class... Extra>
constexpr bool names_given() {
    return ((std::is_same_v<std::decay_t<Extra>, arg> || is_kwarg_v<Extra>) || ...) &&
           !ends_positional_only<Extra...>();
}

// An extra as add_annotated takes it: a docstring as a pointer (each length of a string
// literal is a type of its own), anything else as given.
template <class E>
using extra_param_t = std::conditional_t<std::is_array_v<std::remove_reference_t<E>>, const char*, E&&>;

// The part of a definition compiled per list of extras, not per callable: its annotations
// made and handed to `Add` (add_function, or a method's adder) with the definition's facts.
// Called as add_annotated<Add, Target, extra_param_t<Extra>...>(..., extra...). `Add` owns
// `callable` from its first line (the annotations made before it cannot throw). The
// definition's FunctionSpec comes as its addresses (in registers: made at the call site,
// it would cost a stack copy per definition) and is put together here.
template <auto Add, class Target, class... Extra>
auto add_annotated(Python py, Target target, const char* name, const EntrySpec* entries, const MethodEntries* method,
                   const ClassSlot* const* classes, DescriptorClaim* claim, const char* returns, Invoker invoke,
                   void* callable, void (*destroy)(void*), Extra... extra) {
    const std::array<Annotation, sizeof...(Extra)> annotations{annotation(py, static_cast<Extra>(extra))...};
    return Add(py, target, name, FunctionSpec{entries, method, classes, claim, returns}, invoke, callable, destroy,
               annotations);
}

// Binds `f` as `scope.<name>` (or makes the function, without a scope): the only part of
// def() compiled per function, besides its invoker (and its entry points, with
// py::inline_call). With call guards among the extras, the callable wrapped with them is
// defined instead.
template <class F, class... Extra>
Owned<Any> define_function(Python py, PyObject* scope, const char* name, F&& f, Extra&&... extra) {
    if constexpr (needs_guards_v<F, Extra...>) {
        return define_function(py, scope, name, with_guards<callable_traits, F, Extra...>(std::forward<F>(f)),
                               std::forward<Extra>(extra)...);
    } else {
        using Fn = std::decay_t<F>;
        using Traits = callable_traits<Fn>;
        using Sig = typename signature_of<typename Traits::params>::type;
        // No parameter names (or all positional-only) and no **kwargs: no keyword is ever
        // accepted. No keyword-only marker, *args or **kwargs: the positional fast path.
        constexpr bool named = names_given<Extra...>();
        constexpr bool positional =
            !Sig::has_args && !Sig::has_kwargs && !(std::is_same_v<std::decay_t<Extra>, kw_only> || ...);
        constexpr EntryKind kind = !named && !Sig::has_kwargs ? EntryKind::keywordless
                                   : positional               ? EntryKind::positional
                                                              : EntryKind::keywords;
        using Bound = BindingOf<Fn, returned_t<typename Traits::ret, Extra...>, typename Traits::params>;
        constexpr bool own_entries = (std::is_same_v<std::decay_t<Extra>, inline_call> || ...);
        using Specs = typename Bound::template specs<keeps_alive_v<Extra...>, own_entries>;
        constexpr FunctionSpec spec = Specs::template spec<kind, named>();
        const Invoker invoke = Bound::invoker();
        const char* const returns = result_name_z<typename Traits::ret>::chars.data();
        if constexpr (is_stateless_v<Fn>) {  // nothing to keep: made anew at each call
            return add_annotated<&add_function, PyObject*, extra_param_t<Extra>...>(
                py, scope, name, spec.entries, spec.method, spec.classes, spec.claim, returns, invoke, nullptr, nullptr,
                std::forward<Extra>(extra)...);
        } else {
            void (*destroy)(void*) = [](void* p) { delete static_cast<Fn*>(p); };
            // its record frees the callable on any error
            return add_annotated<&add_function, PyObject*, extra_param_t<Extra>...>(
                py, scope, name, spec.entries, spec.method, spec.classes, spec.claim, returns, invoke,
                new Fn(std::forward<F>(f)), destroy, std::forward<Extra>(extra)...);
        }
    }
}

}  // namespace pyowned::detail

namespace pyowned {

// A Python function made from a C++ callable at run time, with what m.def gives a module
// function (the same dispatch, signature, docstring and error wording; py::arg(...) and the
// other extras as for def). A callable's captured state lives exactly as long as the
// function object.
template <class F, class... Extra>
[[nodiscard]] Owned<Any> make_function(Python py, const char* name, F&& f, Extra&&... extra) {
    return detail::define_function(py, nullptr, name, std::forward<F>(f), std::forward<Extra>(extra)...);
}

}  // namespace pyowned

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE_COLD PYOWNED_CORE bool is_literal(PyObject* o, int depth) {
    if (depth > 8) return false;
    if (o == Py_None || PyBool_Check(o) || PyLong_CheckExact(o) || PyUnicode_CheckExact(o) || PyBytes_CheckExact(o))
        return true;
    if (PyFloat_CheckExact(o)) {
        double d = detail::api::float_value(o);
        return d - d == 0.0;  // finite: inf and nan have no literal
    }
    if (PyTuple_CheckExact(o) || PyList_CheckExact(o)) {
        PyObject* items = PySequence_Fast(o, "");
        if (!items) return PyErr_Clear(), false;
        bool all = true;
        for (Py_ssize_t i = 0; all && i < detail::api::fast_size(items); ++i)
            all = is_literal(detail::api::fast_item(items, i), depth + 1);
        Py_DECREF(items);
        return all;
    }
    if (PyDict_CheckExact(o)) {
        Py_ssize_t pos = 0;
        PyObject *k, *v;
        while (PyDict_Next(o, &pos, &k, &v))
            if (!is_literal(k, depth + 1) || !is_literal(v, depth + 1)) return false;
        return true;
    }
    return false;
}

PYOWNED_CORE_COLD PYOWNED_CORE std::string render_default(PyObject* value) {
    if (!is_literal(value)) return "...";
    PyObject* repr = PyObject_Repr(value);
    if (!repr) return PyErr_Clear(), "...";
    std::string text = name_of(repr);
    Py_DECREF(repr);
    return text;
}

PYOWNED_CORE_COLD PYOWNED_CORE std::string render_signature(const FunctionRecord& r, bool typed) {
    std::string out = "(";
    auto sep = [&] {
        if (out.size() > 1) out += ", ";
    };
    const std::size_t n = r.names.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i == r.keyword_only_from && !r.has_args) {
            sep();
            out += "*";
        }
        if (i == r.keyword_only_from && r.has_args) {
            sep();
            out += "*" + r.args_name;
        }
        sep();
        out += name_of(r.names[i]);
        if (typed) out += ": " + r.type_names[i];
        if (r.defaults[i]) out += (typed ? " = " : "=") + render_default(r.defaults[i]);
        if (i + 1 == r.positional_only) out += ", /";
    }
    if (r.has_args && r.keyword_only_from >= n) {
        sep();
        out += "*" + r.args_name;
    }
    if (r.has_kwargs) {
        sep();
        out += "**" + r.kwargs_name;
    }
    return out + ")";
}

PYOWNED_CORE_COLD PYOWNED_CORE void update_doc(FunctionRecord& first) {
    if (!first.next_overload) {
        first.doc_text = first.name + first.signature + "\n--\n\n" + first.doc;
    } else {
        std::string text;
        for (const FunctionRecord* r = &first; r; r = r->next_overload.get())
            text += first.name + r->typed_signature + "\n";
        text += "\nOverloaded function.\n";
        int i = 1;
        for (const FunctionRecord* r = &first; r; r = r->next_overload.get()) {
            text += "\n" + std::to_string(i++) + ". " + first.name + r->typed_signature + "\n";
            if (!r->doc.empty()) text += "\n" + r->doc + "\n";
        }
        first.doc_text = text;
    }
    first.def.ml_doc = first.overload_def.ml_doc = first.doc_text.c_str();
}

PYOWNED_CORE_COLD PYOWNED_CORE void apply_annotations(FunctionRecord& r, std::span<const Annotation> annotations,
                                                      std::size_t regular, std::size_t args_at,
                                                      const bool* takes_none) {
    std::size_t pos_only_at = 0, kw_only_at = regular;
    bool has_pos_only = false;
    const std::size_t variadics = (r.has_args ? 1 : 0) + (r.has_kwargs ? 1 : 0);
    std::size_t given = 0;
    for (const Annotation& a : annotations) given += a.kind == Annotation::Kind::param;
    const bool names_variadics = variadics > 0 && given == regular + variadics;
    std::size_t index = 0;  // among the py::arg annotations
    auto variadic = [&](std::string& name, const char* given_name, const Annotation& a, const char* what) {
        if (a.make_default)
            throw std::invalid_argument(r.name + "(): " + what + " '" + given_name + "' cannot have a default");
        name = given_name;
    };
    auto param = [&](const char* name, const Annotation* from = nullptr) {
        // the default first (it may throw): from here on the record owns it
        PyObject* default_value = from && from->make_default ? from->make_default(from->value) : nullptr;
        const bool no_convert = from && from->no_convert;
        PyObject* interned = PyUnicode_InternFromString(name);
        if (!interned) {
            Py_XDECREF(default_value);
            throw_fetched();
        }
        r.names.push_back(interned);
        r.defaults.push_back(default_value);
        r.no_convert.push_back(no_convert);
        r.any_no_convert = r.any_no_convert || no_convert;
    };
    for (const Annotation& a : annotations) {
        switch (a.kind) {
            case Annotation::Kind::doc:
                r.doc = a.text;
                break;
            case Annotation::Kind::param: {
                const std::size_t i = index++;
                const char* name = name_text(a.text, a.name_str);
                if (names_variadics && r.has_args && i == args_at) variadic(r.args_name, name, a, "*args");
                else if (names_variadics && r.has_kwargs && i + 1 == given)
                    variadic(r.kwargs_name, name, a, "**kwargs");
                else {
                    const std::size_t at = r.names.size();
                    if (a.takes_none && (at >= regular || !takes_none[at]))
                        throw std::invalid_argument(r.name + "(): py::arg(\"" + name +
                                                    "\").none(): a parameter of type '" +
                                                    (at < regular ? r.type_names[at] : std::string("?")) +
                                                    "' cannot hold None; take std::optional<...> (None arrives as "
                                                    "std::nullopt), a pointer, or a handle of py::Any");
                    param(name, &a);
                }
                break;
            }
            case Annotation::Kind::pos_only:
                pos_only_at = r.names.size(), has_pos_only = true;
                break;
            case Annotation::Kind::kw_only:
                kw_only_at = r.names.size();
                break;
            case Annotation::Kind::keep_alive:
                if (a.nurse > regular || a.patient > regular)
                    throw std::invalid_argument(r.name + "(): py::keep_alive<" + std::to_string(a.nurse) + ", " +
                                                std::to_string(a.patient) + ">: the function has " +
                                                std::to_string(regular) + " parameters (0 is the return value)");
                r.keep_alive.emplace_back(a.nurse, a.patient);
                r.any_keep_alive = true;
                break;
            case Annotation::Kind::none:
                break;
        }
    }
    if (r.has_args && args_at < regular) {
        // after *args: keyword-only, which needs names
        if (r.names.empty())
            throw std::invalid_argument(r.name +
                                        "(): the parameters after py::Args are keyword-only: name them "
                                        "with py::arg");
        kw_only_at = std::min(kw_only_at, args_at);
    }
    if (r.names.empty()) {  // unnamed: positional-only arg0, arg1, ...
        for (std::size_t i = 0; i < regular; ++i) param(("arg" + std::to_string(i)).c_str());
        if (regular) pos_only_at = regular, has_pos_only = true;
    }
    if (r.names.size() != regular)
        throw std::invalid_argument(
            r.name + "(): " + std::to_string(given) + " py::arg given for " + std::to_string(regular) + " parameters" +
            (variadics ? " (a py::arg for *args and **kwargs too names them: all or none)" : ""));
    r.positional_only = has_pos_only ? pos_only_at : 0;
    r.keyword_only_from = kw_only_at;
    if (r.positional_only > r.keyword_only_from)
        throw std::invalid_argument(r.name + "(): py::pos_only() must come before py::kw_only()");
    for (std::size_t i = 1; i < r.keyword_only_from; ++i)
        if (r.defaults[i - 1] && !r.defaults[i])
            throw std::invalid_argument(r.name + "(): parameter '" + name_of(r.names[i]) +
                                        "' without a default follows one with a default");
}

PYOWNED_CORE_COLD PYOWNED_CORE PyObject* function_module_name(PyObject* scope) {
    PyObject* name =
        PyModule_Check(scope) ? PyModule_GetNameObject(scope) : PyObject_GetAttrString(scope, "__module__");
    if (!name) throw_fetched();
    return name;
}

PYOWNED_CORE_COLD PYOWNED_CORE PyObject* existing_overloads(PyObject* scope, PyObject* name, PyObject* carrier_type) {
    PyObject* existing;
    if (compat::get_optional_attr(scope, name, &existing) < 0) throw_fetched();
    if (existing && PyCFunction_Check(existing) && detail::api::cfunction_self(existing) &&
        Py_TYPE(detail::api::cfunction_self(existing)) == reinterpret_cast<PyTypeObject*>(carrier_type))
        return existing;
    Py_XDECREF(existing);
    return nullptr;
}

PYOWNED_CORE_COLD PYOWNED_CORE void set_scope_attr(PyObject* scope, PyObject* name, PyObject* value) {
    if (!PyType_Check(scope)) return check_status(PyObject_SetAttr(scope, name, value));
    auto* type = reinterpret_cast<PyTypeObject*>(scope);
    check_status(detail::api::type_dict_set(type, name, value));
    PyType_Modified(type);
}

PYOWNED_CORE_COLD PYOWNED_CORE std::unique_ptr<FunctionRecord> new_record(const FunctionSpec& spec, Invoker invoke,
                                                                          void* callable, void (*destroy)(void*)) {
    auto record = std::make_unique<FunctionRecord>();
    record->callable = callable;
    record->destroy_callable = destroy;
    const SignatureSpec& sig = spec.signature();
    record->dispatch = sig.dispatch;
    record->invoke = invoke;
    record->param_classes = spec.classes;
    record->returns = spec.returns;
    record->has_args = sig.has_args;
    record->has_kwargs = sig.has_kwargs;
    for (std::size_t i = 0; i < sig.regular; ++i) {
        // a parameter that borrows an instance is named by its class, as class_name<T>() names
        // it (the table has no name)
        const ClassSlot* cls = spec.classes ? spec.classes[i] : nullptr;
        record->type_names.emplace_back(cls ? unqualified_name(cls->cpp_name) : sig.type_names[i]);
    }
    return record;
}

PYOWNED_CORE_COLD PYOWNED_CORE Owned<Any> add_function(Python py, PyObject* scope, const char* name,
                                                       const FunctionSpec& spec, Invoker invoke, void* callable,
                                                       void (*destroy)(void*),
                                                       std::span<const Annotation> annotations) {
    std::unique_ptr<FunctionRecord> record = new_record(spec, invoke, callable, destroy);
    record->name = name;
    record->def.ml_name = record->name.c_str();
    const EntrySpec& entries = *spec.entries;
    record->def.ml_flags = entries.entry ? METH_FASTCALL | METH_KEYWORDS : METH_FASTCALL;
    record->def.ml_meth = entries.entry ? as_method(entries.entry) : as_method(entries.entry_keywordless);
    const SignatureSpec& sig = spec.signature();
    apply_annotations(*record, annotations, sig.regular, sig.args_at, sig.takes_none);
    check_keeping(*record, sig);
    if (record->through_record()) {  // through the record, which holds the flags (dispatch.h)
        record->def.ml_meth = as_method(&overloaded_entry);
        record->def.ml_flags = METH_FASTCALL | METH_KEYWORDS;
    }
    if (!record->has_args && !record->has_kwargs && record->keyword_only_from == record->names.size())
        record->fast_nargs = static_cast<Py_ssize_t>(record->names.size());
    if (entries.entry_o && !record->through_record() && !record->defaults[0]) {
        record->def.ml_meth = as_method(entries.entry_o);
        record->def.ml_flags = METH_O;
    }
    record->signature = render_signature(*record, false);
    record->typed_signature = render_signature(*record, true);

    PyObject* carrier_t = carrier_type();
    if (!carrier_t) throw_fetched();
    Owned<Any> carrier_type_owned = Owned<Any>::from_owned_ptr(py, carrier_t);
    Owned<Str> py_name = Str::from(py, name);

    if (PyObject* existing = scope ? existing_overloads(scope, py_name.ptr(), carrier_t) : nullptr) {
        Owned<Any> holder = Owned<Any>::from_owned_ptr(py, existing);
        FunctionRecord& first = record_slot(detail::api::cfunction_self(existing))[0];
        FunctionRecord* last = &first;
        while (last->next_overload) last = last->next_overload.get();
        last->next_overload = std::move(record);
        if (first.def.ml_flags & METH_KEYWORDS) {
            first.def.ml_meth = as_method(&overloaded_entry);
        } else if (!first.overload_def.ml_meth) {
            // The function object calls its entry without keywords (CPython fixed how when it
            // was made): the overloaded function is a new object over a second definition.
            first.overload_def = {first.def.ml_name, as_method(&overloaded_entry), METH_FASTCALL | METH_KEYWORDS,
                                  nullptr};
            Owned<Any> module_name = Owned<Any>::from_owned_ptr(py, function_module_name(scope));
            Owned<Any> function = steal_or_throw<Owned<Any>>(
                PyCFunction_NewEx(&first.overload_def, detail::api::cfunction_self(existing), module_name.ptr()));
            set_scope_attr(scope, py_name.ptr(), function.ptr());
        }
        update_doc(first);
        return holder;
    }

    update_doc(*record);
    // a function made without a scope has no __module__ (None); its carrier, a module
    // object, is named after the function
    Owned<Any> mod_name = scope ? Owned<Any>::from_owned_ptr(py, function_module_name(scope)) : Owned<Any>(py_name);
    Owned<Any> carrier = steal_or_throw<Owned<Any>>(detail::api::call_one(carrier_t, mod_name.ptr()));
    record_slot(carrier.ptr()) = record.get();  // the carrier owns the record from here on
    PyMethodDef* def = &record.release()->def;
    Owned<Any> function =
        steal_or_throw<Owned<Any>>(PyCFunction_NewEx(def, carrier.ptr(), scope ? mod_name.ptr() : nullptr));
    if (scope) set_scope_attr(scope, py_name.ptr(), function.ptr());
    return function;
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
