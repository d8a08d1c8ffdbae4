// std::variant<Ts...>: the first alternative that converts, strict pass first; into the held value.
// std::monostate converts from and to None.
#pragma once
#include "common.h"
#include <variant>

namespace pyowned {

// Each alternative in order without implicit conversions, then (when the caller allows
// them) each in order with them, so variant<double, int> takes 3 as int. An alternative
// that fails with an error set (an int out of range) ends the search with that error.
template <class... Ts>
struct FromPython<std::variant<Ts...>> {
    static constexpr std::string_view name = detail::generic_name<"", " | ", "", Ts...>::value;
    static constexpr Views views = detail::views_of_alternatives<Ts...>;

    static std::optional<std::variant<Ts...>> from_python(Borrowed<Any> obj, bool convert) {
        std::optional<std::variant<Ts...>> out = first_match(obj, false);
        if (!out && convert && !PyErr_Occurred()) out = first_match(obj, true);
        return out;
    }

private:
    static std::optional<std::variant<Ts...>> first_match(Borrowed<Any> obj, bool convert) {
        std::optional<std::variant<Ts...>> out;
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            bool done = false;  // converted, or failed with an error set
            (([&] {
                 if (done) return;
                 using T = std::variant_alternative_t<I, std::variant<Ts...>>;
                 std::optional<T> value = detail::from_python<T>(obj, convert);
                 if (value) out.emplace(std::in_place_index<I>, std::move(*value));
                 done = value.has_value() || PyErr_Occurred();
             }()),
             ...);
        }(std::index_sequence_for<Ts...>{});
        return out;
    }
};

template <class... Ts>
struct IntoPython<std::variant<Ts...>> {
    template <class U>
        requires std::same_as<std::remove_cvref_t<U>, std::variant<Ts...>>
    static Owned<Any> into_python(Python py, U&& value) {
        return std::visit([py](auto&& held) { return into_py(py, std::forward<decltype(held)>(held)); },
                          std::forward<U>(value));
    }
};

template <>
struct FromPython<std::monostate> {
    static constexpr std::string_view name = "None";
    static std::optional<std::monostate> from_python(Borrowed<Any> obj, bool /*convert*/) noexcept {
        if (!obj.is_none()) return std::nullopt;
        return std::monostate{};
    }
};

template <>
struct IntoPython<std::monostate> {
    static Owned<None> into_python(Python py, std::monostate) noexcept { return None::get(py); }
};

}  // namespace pyowned
