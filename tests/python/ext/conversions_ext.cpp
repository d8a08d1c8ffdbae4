// Conversions of characters, wide strings, nullptr, std::byte data and pairs/tuples from any
// sequence. Exercised by test_conversions.py.
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace py = pyowned;

PYOWNED_MODULE(conversions_ext, m) {
    // characters: echoed, and their code (a way to see exactly which value arrived)
    m.def("char_echo", [](char c) { return c; }, py::arg("c"));
    m.def("char_code", [](char c) { return static_cast<int>(static_cast<unsigned char>(c)); }, py::arg("c"));
    m.def("char16_echo", [](char16_t c) { return c; }, py::arg("c"));
    m.def("char16_code", [](char16_t c) { return static_cast<int>(c); }, py::arg("c"));
    m.def("char32_echo", [](char32_t c) { return c; }, py::arg("c"));
    m.def("char32_code", [](char32_t c) { return static_cast<long>(c); }, py::arg("c"));
    m.def("wchar_echo", [](wchar_t c) { return c; }, py::arg("c"));
    m.def("char_from_code", [](int code) { return static_cast<char>(code); });
    m.def("char16_from_code", [](int code) { return static_cast<char16_t>(code); });
    m.def("char32_from_code", [](long code) { return static_cast<char32_t>(code); });

    // wide strings, their sizes in code units, and views into Python
    m.def("u16_echo", [](const std::u16string& s) { return s; }, py::arg("s"));
    m.def("u16_units", [](const std::u16string& s) { return s.size(); }, py::arg("s"));
    m.def("u32_echo", [](const std::u32string& s) { return s; }, py::arg("s"));
    m.def("u32_units", [](const std::u32string& s) { return s.size(); }, py::arg("s"));
    m.def("wstring_echo", [](const std::wstring& s) { return s; }, py::arg("s"));
    m.def("u16_view", [] { return std::u16string_view(u"h\u00e9llo"); });
    m.def("u32_view", [] { return std::u32string_view(U"\U0001F600!"); });
    m.def("wstring_view", [] { return std::wstring_view(L"wide"); });
    m.def("lone_surrogate_u16", [] { return std::u16string(1, char16_t(0xD800)); });
    m.def("bom_first_u16", [] { return std::u16string(u"\uFEFFx"); });

    // None as std::nullptr_t
    m.def("takes_null", [](std::nullptr_t) { return "null"; }, py::arg("n"));
    m.def("gives_null", [] { return nullptr; });

    // std::byte data
    m.def("bytes_vector", [](const std::vector<std::byte>& b) { return b; }, py::arg("b"));
    m.def("bytes_array4", [](const std::array<std::byte, 4>& b) { return b; }, py::arg("b"));
    m.def("bytes_span_size", [](std::span<const std::byte> b) { return b.size(); }, py::arg("b"));
    m.def("bytes_span_echo", [](std::span<const std::byte> b) { return b; }, py::arg("b"));
    m.def("bytes_made", [] { return std::vector<std::byte>{std::byte{0}, std::byte{0xff}, std::byte{'a'}}; });

    // pair and tuple from any sequence
    m.def("pair_of", [](std::pair<int, std::string> p) { return p; }, py::arg("p"));
    m.def("triple_of", [](std::tuple<int, double, std::string> t) { return t; }, py::arg("t"));
}
