// Forward declarations of the token, the three handles and the type-tag machinery.
#pragma once
#include "../detail/config.h"
#include <concepts>
#include <string_view>
#include <type_traits>

namespace pyowned {

class Python;
struct Any;
template <class T = Any>
class Owned;
template <class T = Any>
class Borrowed;
template <class T = Any>
class Py;
class Error;

namespace detail {

// The operations a handle of tag `Tag` offers; `Self` is the handle (Owned or Borrowed).
// Unspecialized tags inherit their base tag's operations.
template <class Tag, class Self>
struct Methods;
struct HandleAccess;

// The handle templates, named through Self. Each Methods specialization declares
//     template <class U> using Owned = typename handles_of<Self>::template owned<U>;
// so that the handle types it names stay dependent: they are instantiated where an
// operation is used, not where it is defined (when some tags' Methods may not exist yet).
template <class Self>
struct handles_of {
    template <class U>
    using owned = pyowned::Owned<U>;
    template <class U>
    using borrowed = pyowned::Borrowed<U>;
};

#define PYOWNED_HANDLE_ALIASES                                  \
    template <class U>                                          \
    using Owned = typename handles_of<Self>::template owned<U>; \
    template <class U>                                          \
    using Borrowed = typename handles_of<Self>::template borrowed<U>

// A builtin type tag names a Python type: `check` tests an object (1, 0, or -1 with an
// error set), `name` is the Python name used in messages, `Base` is the supertype tag (Any
// has none).
template <class T>
concept BuiltinTag = requires(PyObject* o) {
    { T::check(o) } -> std::convertible_to<int>;
    T::name;
};

// A C++ class bound with py::Class is its own tag (class/instance.h gives its operations).
template <class T>
concept BoundClass = std::is_class_v<T> && !BuiltinTag<T> && !std::is_same_v<std::remove_cv_t<T>, Python>;

// The C++ name of T, from the compiler's function signature: "geom::Point".
template <class T>
consteval std::string_view cpp_type_name() {
#if defined(__clang__) || defined(__GNUC__)
    std::string_view f = __PRETTY_FUNCTION__;
    std::size_t start = f.find("T = ") + 4;
    std::size_t end = f.find_first_of(";]", start);
    return f.substr(start, end - start);
#else
    return "object";
#endif
}

// The unqualified name ("Point") of a C++ type named in full ("geom::Point").
constexpr std::string_view unqualified_name(std::string_view full) noexcept {
    std::size_t angle = full.find('<');
    std::size_t colons = full.substr(0, angle).rfind("::");
    return colons == std::string_view::npos ? full : full.substr(colons + 2);
}

// The unqualified name ("Point"): how a bound class is named in messages and signatures
// made at compile time (py::Class usually binds it under that name).
template <class T>
consteval std::string_view class_name() {
    return unqualified_name(cpp_type_name<T>());
}

template <class T>
int class_check(PyObject* o) noexcept;  // class/instance.h

// A tag's check and name, for builtin tags and bound classes alike.
template <class T>
struct tag_ops {
    static int check(PyObject* o) noexcept { return T::check(o); }
    static constexpr std::string_view name = T::name;
};
template <BoundClass T>
struct tag_ops<T> {
    static int check(PyObject* o) noexcept { return class_check<T>(o); }
    static constexpr std::string_view name = class_name<T>();
};

template <class T>
struct base_of {
    using type = typename T::Base;
};
template <>
struct base_of<Any> {
    using type = void;
};
template <BoundClass T>
struct base_of<T> {
    using type = Any;
};

template <class U, class V>
struct is_subtype;
template <class U, class V>
struct is_subtype_step : is_subtype<typename base_of<U>::type, V> {};
template <class V>
struct is_subtype_step<void, V> : std::false_type {};
// Bound classes: a C++ base class is the Python base (py::Class<Circle, Shape>).
template <class U, class V>
struct is_subtype
    : std::conditional_t<std::is_same_v<U, V> || (BoundClass<U> && BoundClass<V> && std::is_base_of_v<V, U>),
                         std::true_type, is_subtype_step<U, V>> {};
template <class V>
struct is_subtype<void, V> : std::false_type {};

template <class T>
struct is_handle : std::false_type {};
template <class T>
struct is_handle<Owned<T>> : std::true_type {};
template <class T>
struct is_handle<Borrowed<T>> : std::true_type {};
template <class T>
struct is_handle<Py<T>> : std::true_type {};
template <class T>
inline constexpr bool is_handle_v = is_handle<std::remove_cvref_t<T>>::value;

template <class T>
struct is_owned : std::false_type {};
template <class T>
struct is_owned<Owned<T>> : std::true_type {};
template <class T>
inline constexpr bool is_owned_v = is_owned<std::remove_cvref_t<T>>::value;

}  // namespace detail

// `U` is `V` or a subtype of it along the tags' Base chain (Bool -> Int -> Any).
template <class U, class V>
concept SubtypeOf = detail::is_subtype<U, V>::value;

// A type tag: a builtin tag (Int, Str, ...) or a C++ class bound with py::Class.
template <class T>
concept TypeTag = detail::BuiltinTag<T> || detail::BoundClass<T>;

// A bound class whose instances are immutable after construction: declare it once,
//     template <> inline constexpr bool pyowned::is_frozen<Point> = true;
// and pass py::frozen to py::Class (which checks that the two agree). No mutable access
// compiles; no borrow flag or lock is needed.
template <class T>
inline constexpr bool is_frozen = false;
// A bound class that synchronizes itself (py::unlocked): no borrow flag and no lock.
template <class T>
inline constexpr bool is_unlocked = false;

}  // namespace pyowned
