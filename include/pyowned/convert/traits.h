// The two conversion customization points, FromPython<T> and IntoPython<T>, and their callers.
#pragma once
#include "../types/any.h"
#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string_view>
#include <type_traits>

namespace pyowned {

// Python -> C++. A specialization provides
//     static constexpr std::string_view name = "int";   // the Python type named in messages
//     static std::optional<T> from_python(Borrowed<Any> obj, bool convert);
// with three outcomes: a value; std::nullopt with no Python error set (not this type, so
// another overload may be tried); std::nullopt with a Python error set (this type, but it
// failed: an int out of range). `convert` is false in the first, strict pass of overload
// resolution, where implicit conversions (an int for a double) are refused. A
// specialization may take only `obj`; it is then used for both passes.
template <class T>
struct FromPython;  // (declared in any.h too)

// C++ -> Python. A specialization provides
//     static Owned<Any> into_python(Python py, U&& value);   // U: T, const T&, T&&, ...
// returning a new reference (any Owned<X>), and throws py::Error if it cannot.
template <class T>
struct IntoPython;

template <class T>
concept Convertible = requires { sizeof(IntoPython<std::remove_cvref_t<T>>); };

namespace detail {

template <class T>
using from_python_t = FromPython<std::remove_cvref_t<T>>;

// Runs the three-outcome conversion; never throws for pyowned's own converters.
template <class T>
PYOWNED_INLINE std::optional<std::remove_cvref_t<T>> from_python(Borrowed<Any> obj, bool convert) {
    using C = from_python_t<T>;
    if constexpr (requires { C::from_python(obj, convert); }) return C::from_python(obj, convert);
    else return C::from_python(obj);
}

template <class T>
constexpr std::string_view python_name() {
    return from_python_t<T>::name;
}

// The Python type a C++ result converts to, as a stub names it: its FromPython name ("int",
// "list[str]", a bound class's name; a smart pointer's, its class's), or its IntoPython's for
// a type only ever returned (a wide string view), "None" for void, else "object".
template <class T>
inline constexpr bool is_smart_pointer_v = false;
template <class T, class D>
inline constexpr bool is_smart_pointer_v<std::unique_ptr<T, D>> = true;
template <class T>
inline constexpr bool is_smart_pointer_v<std::shared_ptr<T>> = true;
template <class R>
constexpr std::string_view result_name() {
    using D = std::remove_cvref_t<R>;
    if constexpr (std::is_void_v<D>) return "None";
    else if constexpr (is_smart_pointer_v<D>) return result_name<typename D::element_type*>();
    else if constexpr (requires { IntoPython<D>::name; }) return IntoPython<D>::name;
    else if constexpr (requires { from_python_t<D>::name; }) return from_python_t<D>::name;
    else return "object";
}
// Compile-time names joined into one NUL-terminated constant (a part may be a piece of a longer
// string: a bound class's name is part of the compiler's signature text).
template <const std::string_view&... Parts>
struct joined_name {
    static constexpr std::size_t size = (std::size_t{0} + ... + Parts.size());
    static constexpr std::array<char, size + 1> chars = [] {
        std::array<char, size + 1> out{};
        std::size_t n = 0;
        ((std::copy(Parts.begin(), Parts.end(), out.begin() + n), n += Parts.size()), ...);
        return out;
    }();
    static constexpr std::string_view value{chars.data(), size};
};
template <class R>
struct result_name_of {
    static constexpr std::string_view value = result_name<R>();
};
// result_name<R> as a C string: a definition passes the pointer alone, one argument.
template <class R>
using result_name_z = joined_name<result_name_of<R>::value>;

}  // namespace detail

// Any convertible C++ value as a new Python object; throws py::Error on failure.
template <class V>
    requires Convertible<V>
[[nodiscard]] PYOWNED_INLINE Owned<Any> into_py(Python py, V&& value) {  // only forwards
    return IntoPython<std::remove_cvref_t<V>>::into_python(py, std::forward<V>(value));
}

}  // namespace pyowned
