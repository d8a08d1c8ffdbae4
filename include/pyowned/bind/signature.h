// Compile-time facts about a bound callable: its return type and its parameters' kinds.
#pragma once
#include "args.h"
#include <cstddef>
#include <functional>
#include <type_traits>

namespace pyowned::detail {

template <class... T>
struct type_list {};

template <class F>
struct callable_traits : callable_traits<decltype(&std::remove_cvref_t<F>::operator())> {};
template <class R, class... A>
struct callable_traits<R (*)(A...)> {
    using ret = R;
    using params = type_list<A...>;
};
template <class R, class... A>
struct callable_traits<R (*)(A...) noexcept> : callable_traits<R (*)(A...)> {};
template <class R, class... A>
struct callable_traits<R(A...)> : callable_traits<R (*)(A...)> {};
template <class C, class R, class... A>
struct callable_traits<R (C::*)(A...)> : callable_traits<R (*)(A...)> {};
template <class C, class R, class... A>
struct callable_traits<R (C::*)(A...) const> : callable_traits<R (*)(A...)> {};
template <class C, class R, class... A>
struct callable_traits<R (C::*)(A...) noexcept> : callable_traits<R (*)(A...)> {};
template <class C, class R, class... A>
struct callable_traits<R (C::*)(A...) const noexcept> : callable_traits<R (*)(A...)> {};

enum class ParamKind { token, regular, args, kwargs };

template <class P>
constexpr ParamKind param_kind() {
    using D = std::remove_cvref_t<P>;
    if constexpr (std::is_same_v<D, Python>) return ParamKind::token;
    else if constexpr (std::is_same_v<D, Args>) return ParamKind::args;
    else if constexpr (std::is_same_v<D, Kwargs>) return ParamKind::kwargs;
    else return ParamKind::regular;
}

// The parameters of a bound function as Python sees them.
template <class... P>
struct SignatureInfo {
    static constexpr std::size_t count = sizeof...(P);
    static constexpr ParamKind kinds[count + 1] = {param_kind<P>()..., ParamKind::token};
    static constexpr std::size_t regular = ((param_kind<P>() == ParamKind::regular ? 1 : 0) + ... + 0);
    static constexpr bool has_args = ((param_kind<P>() == ParamKind::args) || ...);
    static constexpr bool has_kwargs = ((param_kind<P>() == ParamKind::kwargs) || ...);

    // The index among the regular parameters of C++ parameter i.
    static constexpr std::size_t slot_of(std::size_t i) {
        std::size_t slot = 0;
        for (std::size_t k = 0; k < i; ++k)
            if (kinds[k] == ParamKind::regular) ++slot;
        return slot;
    }

    // The regular parameters before *args (all of them without one): those after it are
    // keyword-only, as in Python's `def f(a, *args, k)`.
    static constexpr std::size_t regular_before_args = [] {
        std::size_t n = 0;
        for (std::size_t i = 0; i < count && kinds[i] != ParamKind::args; ++i)
            if (kinds[i] == ParamKind::regular) ++n;
        return n;
    }();

    static constexpr bool well_ordered() {
        // [Python] regular... [Args regular...] [Kwargs]
        int stage = 0;  // 0 token allowed, 1 regular, 2 after args, 3 after kwargs
        for (std::size_t i = 0; i < count; ++i) {
            switch (kinds[i]) {
                case ParamKind::token:
                    if (i != 0) return false;
                    break;
                case ParamKind::regular:
                    if (stage > 2) return false;
                    if (stage < 2) stage = 1;
                    break;
                case ParamKind::args:
                    if (stage > 1) return false;
                    stage = 2;
                    break;
                case ParamKind::kwargs:
                    if (stage > 2) return false;
                    stage = 3;
                    break;
            }
        }
        return true;
    }
    static_assert(well_ordered(),
                  "a bound function's parameters are: an optional leading py::Python, the named parameters, "
                  "then an optional py::Args followed by keyword-only parameters, then an optional py::Kwargs");
};

template <class List>
struct signature_of;
template <class... P>
struct signature_of<type_list<P...>> {
    using type = SignatureInfo<P...>;
};

}  // namespace pyowned::detail
