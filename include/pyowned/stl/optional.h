// std::optional<T>: None is an empty optional, anything else T's conversion; std::nullopt into None.
#pragma once
#include "common.h"
#include <optional>

namespace pyowned {

// Converting None gives a value (an empty optional inside the std::optional that reports
// the outcome); anything else has T's three outcomes.
template <class T>
struct FromPython<std::optional<T>> {
    static constexpr std::string_view name = detail::generic_name<"", "", " | None", T>::value;
    static constexpr Views views = detail::views_of_alternatives<T>;
    static std::optional<std::optional<T>> from_python(Borrowed<Any> obj, bool convert) {
        if (obj.is_none()) return std::optional<std::optional<T>>(std::in_place);  // converted: nullopt
        std::optional<T> value = detail::from_python<T>(obj, convert);
        if (!value) return std::nullopt;
        return std::optional<std::optional<T>>(std::in_place, std::move(value));
    }
};

template <class T>
struct IntoPython<std::optional<T>> {
    template <class U>
        requires std::same_as<std::remove_cvref_t<U>, std::optional<T>>
    static Owned<Any> into_python(Python py, U&& value) {
        if (!value) return None::get(py);
        return into_py(py, *std::forward<U>(value));  // moves the value out of an rvalue optional
    }
};

template <>
struct IntoPython<std::nullopt_t> {
    static Owned<None> into_python(Python py, std::nullopt_t) noexcept { return None::get(py); }
};

}  // namespace pyowned
