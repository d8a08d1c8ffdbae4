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
template <> struct is_handle<Args> : std::true_type {};
template <> struct is_handle<Kwargs> : std::true_type {};
}  // namespace detail

// *args and **kwargs convert (and are passed on) as the tuple and dict they are.
template <> struct IntoPython<Args> : IntoPython<Borrowed<Tuple>> {};
template <> struct IntoPython<Kwargs> : IntoPython<Borrowed<Dict>> {};

// Marker: the parameters before it are positional-only (Python's `/`).
struct pos_only {};
// Marker: the parameters after it are keyword-only (Python's `*`).
struct kw_only {};

}  // namespace pyowned
