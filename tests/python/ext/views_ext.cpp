// Parameters that view objects inside their argument: containers of std::string_view and
// of Borrowed<T>. The strs they view may be held only by a temporary (a generator's items,
// the list made of a non-list sequence, a list that a later item empties): the call must
// keep them alive until it returns. Exercised by test_views.py.
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace py = pyowned;

namespace {

// Fills freed memory with other text before the views are read: a str freed during the
// conversion then reads back as 'z's instead of its own text, even on a release build.
py::Owned<py::List> churn(py::Python py) {
    py::Owned<py::List> fill = py::List::empty(py);
    for (int i = 0; i < 400; ++i) fill.append(std::string(60 + i % 40, 'z'));
    return fill;
}

template <class Range>
std::vector<std::string> copies(const Range& views) {
    return std::vector<std::string>(views.begin(), views.end());
}

}  // namespace

PYOWNED_MODULE(views_ext, m) {
    m.def(
        "vector",
        [](py::Python py, std::vector<std::string_view> v) {
            auto fill = churn(py);
            return copies(v);
        },
        py::arg("v"));
    m.def(
        "set",
        [](py::Python py, std::set<std::string_view> v) {
            auto fill = churn(py);
            return copies(v);
        },
        py::arg("v"));
    m.def(
        "map",
        [](py::Python py, std::map<std::string_view, std::string_view> v) {
            auto fill = churn(py);
            std::map<std::string, std::string> out;
            for (auto [key, value] : v) out.emplace(key, value);
            return out;
        },
        py::arg("v"));
    m.def(
        "unordered_map_keys",
        [](py::Python py, std::unordered_map<std::string_view, long long> v) {
            auto fill = churn(py);
            std::set<std::string> out;
            for (auto& item : v) out.emplace(item.first);
            return out;
        },
        py::arg("v"));
    m.def(
        "pair",
        [](py::Python py, std::pair<std::string_view, long long> p) {
            auto fill = churn(py);
            return std::make_pair(std::string(p.first), p.second);
        },
        py::arg("p"));
    m.def(
        "tuple",
        [](py::Python py, std::tuple<long long, std::string_view> t) {
            auto fill = churn(py);
            return std::string(std::get<1>(t));
        },
        py::arg("t"));
    m.def(
        "array",
        [](py::Python py, std::array<std::string_view, 3> a) {
            auto fill = churn(py);
            return copies(a);
        },
        py::arg("a"));
    m.def(
        "nested",
        [](py::Python py, std::vector<std::vector<std::string_view>> v) {
            auto fill = churn(py);
            std::vector<std::vector<std::string>> out;
            for (auto& inner : v) out.push_back(copies(inner));
            return out;
        },
        py::arg("v"));
    m.def(
        "optional_items",
        [](py::Python py, std::vector<std::optional<std::string_view>> v) {
            auto fill = churn(py);
            std::vector<std::string> out;
            for (auto& item : v) out.emplace_back(item ? std::string(*item) : std::string("None"));
            return out;
        },
        py::arg("v"));
    m.def(
        "variant_items",
        [](py::Python py, std::vector<std::variant<long long, std::string_view>> v) {
            auto fill = churn(py);
            std::vector<std::string> out;
            for (auto& item : v)
                out.push_back(std::holds_alternative<long long>(item) ? std::to_string(std::get<long long>(item))
                                                                      : std::string(std::get<std::string_view>(item)));
            return out;
        },
        py::arg("v"));
    m.def(
        "optional_vector",
        [](py::Python py, std::optional<std::vector<std::string_view>> v) {
            auto fill = churn(py);
            return v ? copies(*v) : std::vector<std::string>{};
        },
        py::arg("v"));
    // Borrowed items: the objects themselves come back, so they must still be alive.
    m.def(
        "borrowed",
        [](std::vector<py::Borrowed<py::Any>> v) {
            std::vector<py::Owned<py::Any>> out;
            for (auto item : v) out.push_back(item.to_owned());
            return out;
        },
        py::arg("v"));
    // Two parameters, one of them viewing items: each is converted in turn.
    m.def(
        "with_count",
        [](py::Python py, std::vector<std::string_view> v, long long n) {
            auto fill = churn(py);
            auto out = copies(v);
            out.push_back(std::to_string(n));
            return out;
        },
        py::arg("v"), py::arg("n"));
    // Overloaded: the first overload converts (and keeps) the items, then does not match.
    m.def(
        "overloaded", [](std::vector<std::string_view>, long long) { return std::string("two"); }, py::arg("v"),
        py::arg("n"));
    m.def(
        "overloaded",
        [](py::Python py, std::vector<std::string_view> v, std::string_view tag) {
            auto fill = churn(py);
            auto out = copies(v);
            out.emplace_back(tag);
            return out;
        },
        py::arg("v"), py::arg("tag"));
    // A plain string_view parameter views its argument, which the caller holds: nothing kept.
    m.def("view", [](std::string_view s) { return std::string(s); }, py::arg("s"));
}
