// Forward declarations of the token, the three handles and the type-tag machinery.
#pragma once
#include "../detail/config.h"
#include <concepts>
#include <type_traits>

namespace pyowned {

class Python;
struct Any;
template <class T = Any> class Owned;
template <class T = Any> class Borrowed;
template <class T = Any> class Py;
class Error;

namespace detail {

// The operations a handle of tag `Tag` offers; `Self` is the handle (Owned or Borrowed).
// Unspecialized tags inherit their base tag's operations.
template <class Tag, class Self> struct Methods;
struct HandleAccess;

// The handle templates, named through Self. Each Methods specialization declares
//     template <class U> using Owned = typename handles_of<Self>::template owned<U>;
// so that the handle types it names stay dependent: they are instantiated where an
// operation is used, not where it is defined (when some tags' Methods may not exist yet).
template <class Self> struct handles_of {
    template <class U> using owned = pyowned::Owned<U>;
    template <class U> using borrowed = pyowned::Borrowed<U>;
};

#define PYOWNED_HANDLE_ALIASES                                                 \
    template <class U> using Owned = typename handles_of<Self>::template owned<U>; \
    template <class U> using Borrowed = typename handles_of<Self>::template borrowed<U>

// A type tag names a Python type: `check` tests an object (1, 0, or -1 with an error set),
// `name` is the Python name used in messages, `Base` is the supertype tag (Any has none).
template <class T>
concept TypeTag = requires(PyObject* o) {
    { T::check(o) } -> std::convertible_to<int>;
    T::name;
};

template <class T> struct base_of { using type = typename T::Base; };
template <> struct base_of<Any> { using type = void; };

template <class U, class V> struct is_subtype;
template <class U, class V> struct is_subtype_step : is_subtype<typename base_of<U>::type, V> {};
template <class V> struct is_subtype_step<void, V> : std::false_type {};
template <class U, class V>
struct is_subtype : std::conditional_t<std::is_same_v<U, V>, std::true_type, is_subtype_step<U, V>> {};
template <class V> struct is_subtype<void, V> : std::false_type {};

template <class T> struct is_handle : std::false_type {};
template <class T> struct is_handle<Owned<T>> : std::true_type {};
template <class T> struct is_handle<Borrowed<T>> : std::true_type {};
template <class T> struct is_handle<Py<T>> : std::true_type {};
template <class T> inline constexpr bool is_handle_v = is_handle<std::remove_cvref_t<T>>::value;

template <class T> struct is_owned : std::false_type {};
template <class T> struct is_owned<Owned<T>> : std::true_type {};
template <class T> inline constexpr bool is_owned_v = is_owned<std::remove_cvref_t<T>>::value;

}  // namespace detail

// `U` is `V` or a subtype of it along the tags' Base chain (Bool -> Int -> Any).
template <class U, class V>
concept SubtypeOf = detail::is_subtype<U, V>::value;

}  // namespace pyowned
