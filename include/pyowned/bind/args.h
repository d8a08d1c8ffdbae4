// Parameter kinds of bound functions: *args, **kwargs, and the / and * markers.
#pragma once
#include "../types/dict.h"
#include "../types/tuple.h"

namespace pyowned {

// *args of a bound function: the positional arguments no named parameter took.
class Args : public Borrowed<Tuple> {
public:
    explicit Args(Borrowed<Tuple> tuple) noexcept : Borrowed<Tuple>(tuple) {}
};

// **kwargs of a bound function: the keyword arguments no named parameter took.
class Kwargs : public Borrowed<Dict> {
public:
    explicit Kwargs(Borrowed<Dict> dict) noexcept : Borrowed<Dict>(dict) {}
};

namespace detail {
template <>
struct is_handle<Args> : std::true_type {};
template <>
struct is_handle<Kwargs> : std::true_type {};
}  // namespace detail

// *args and **kwargs convert (and are passed on) as the tuple and dict they are.
template <>
struct IntoPython<Args> : IntoPython<Borrowed<Tuple>> {};
template <>
struct IntoPython<Kwargs> : IntoPython<Borrowed<Dict>> {};

// Marker: the parameters before it are positional-only (Python's `/`).
struct pos_only {};
// Marker: the parameters after it are keyword-only (Python's `*`).
struct kw_only {};
// Marker: a module function with entry points of its own, the callable inlined in them. By
// default the functions of one signature share theirs and reach the callable through its
// record (an indirect call: 5 to 13 instructions); this saves those in the hottest functions
// and costs their entry points' compile time and size. (Methods always have their own.)
struct inline_call {};

namespace detail {
template <unsigned Nurse, unsigned Patient>
struct KeepAliveSpec {};
template <class E>
inline constexpr bool is_keep_alive_v = false;
template <unsigned Nurse, unsigned Patient>
inline constexpr bool is_keep_alive_v<KeepAliveSpec<Nurse, Patient>> = true;
// Whether a definition's extras hold a py::keep_alive: only then is its call path compiled.
template <class... Extra>
inline constexpr bool keeps_alive_v = (is_keep_alive_v<std::decay_t<Extra>> || ...);
}  // namespace detail

// Keeps argument `Patient` alive at least as long as argument `Nurse` (1 the first argument,
// self for a method; 0 the return value), as pybind11's and nanobind's: after a successful
// call the patient is stored in the nurse (a pyowned instance), or released by a weak
// reference's callback when the nurse dies (any other object; TypeError if it cannot be
// weakly referenced). None as either does nothing.
template <unsigned Nurse, unsigned Patient>
constexpr detail::KeepAliveSpec<Nurse, Patient> keep_alive() noexcept {
    static_assert(Nurse != Patient, "pyowned: py::keep_alive<N, P>: an object keeping itself alive");
    return {};
}

}  // namespace pyowned
