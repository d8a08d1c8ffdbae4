// py::call_guard<G...>(): objects constructed before a bound function's C++ callable runs
// and destroyed after it returns (or throws), in reverse order.
#pragma once
#include "signature.h"
#include <functional>

namespace pyowned {

template <class... G>
struct CallGuard {};

// An annotation of def(): default-constructs a G for each call, around the callable (after
// the arguments are converted, before the result is).
template <class... G>
[[nodiscard]] constexpr CallGuard<G...> call_guard() noexcept {
    return {};
}

namespace detail {

template <class E>
struct guards_of {
    using type = CallGuard<>;
};
template <class... G>
struct guards_of<CallGuard<G...>> {
    using type = CallGuard<G...>;
};

template <class... E>
struct merged_guards {
    using type = CallGuard<>;
};
template <class E, class... Rest>
struct merged_guards<E, Rest...> {
    template <class A, class B>
    struct join;
    template <class... A, class... B>
    struct join<CallGuard<A...>, CallGuard<B...>> {
        using type = CallGuard<A..., B...>;
    };
    using type = typename join<typename guards_of<std::decay_t<E>>::type, typename merged_guards<Rest...>::type>::type;
};

// The guards of one call: members are made in declaration order and destroyed in reverse
// (a std::tuple's order is the library's choice).
template <class... G>
struct GuardChain {};
template <class G, class... Rest>
struct GuardChain<G, Rest...> {
    G first;
    GuardChain<Rest...> rest;
};

// The callable F with guards around each call, with F's own parameters (so a binding sees
// the same signature). Params: F's parameters (for a method, the object first).
template <class F, class R, class Params, class Guards>
struct Guarded;
template <class F, class R, class... A, class... G>
struct Guarded<F, R, type_list<A...>, CallGuard<G...>> {
    F f;
    R operator()(A... args) {
        [[maybe_unused]] GuardChain<G...> guards;
        return std::invoke(f, std::forward<A>(args)...);
    }
};

template <class F>
struct is_guarded : std::false_type {};
template <class F, class R, class P, class G>
struct is_guarded<Guarded<F, R, P, G>> : std::true_type {};

// Whether callable F is to be wrapped with guards: some among `Extra`, and not wrapped yet.
template <class F, class... Extra>
inline constexpr bool needs_guards_v =
    !std::is_same_v<typename merged_guards<Extra...>::type, CallGuard<>> && !is_guarded<std::decay_t<F>>::value;

// `f` wrapped with the guards among `Extra` (when needs_guards_v); Traits gives its return
// type and parameters. A definition with guards defines the wrapped callable instead.
template <template <class> class Traits, class F, class... Extra>
auto with_guards(F&& f) {
    using Fn = std::decay_t<F>;
    using T = Traits<Fn>;
    return Guarded<Fn, typename T::ret, typename T::params, typename merged_guards<Extra...>::type>{std::forward<F>(f)};
}

}  // namespace detail
}  // namespace pyowned
