// The module the conversion fuzzer drives (tests/fuzz/fuzz_conversions.py): one function per
// conversion, each giving back what it received, so that the fuzzer can compare the result
// with tests/fuzz/reference.py's pure-Python equivalent. Built with clang's
// -fsanitize=fuzzer-no-link,address,undefined (tests/fuzz/CMakeLists.txt).
#include <pyowned/ndarray.h>
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>

#include <array>
#include <chrono>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

namespace py = pyowned;

namespace {

template <class T>
T echo(T value) {
    return value;
}

struct Point {
    double x = 0, y = 0;
};

enum class Color { red = 1, green = 2, blue = 4 };

}  // namespace

PYOWNED_MODULE(fuzz_ext, m) {
    py::Python py = m.py();

    // --- scalars ------------------------------------------------------------------------
    m.def("i8", &echo<std::int8_t>, py::arg("x"));
    m.def("u8", &echo<std::uint8_t>, py::arg("x"));
    m.def("i16", &echo<std::int16_t>, py::arg("x"));
    m.def("u16", &echo<std::uint16_t>, py::arg("x"));
    m.def("i32", &echo<std::int32_t>, py::arg("x"));
    m.def("u32", &echo<std::uint32_t>, py::arg("x"));
    m.def("i64", &echo<std::int64_t>, py::arg("x"));
    m.def("u64", &echo<std::uint64_t>, py::arg("x"));
    m.def("f32", &echo<float>, py::arg("x"));
    m.def("f64", &echo<double>, py::arg("x"));
    m.def("boolean", &echo<bool>, py::arg("x"));
    m.def("char8", &echo<char>, py::arg("c"));
    m.def("char16", &echo<char16_t>, py::arg("c"));
    m.def("char32", &echo<char32_t>, py::arg("c"));

    // --- text and bytes -----------------------------------------------------------------------
    m.def("string", &echo<std::string>, py::arg("s"));
    m.def("string_view", [](std::string_view s) { return std::string(s); }, py::arg("s"));
    m.def("u16string", &echo<std::u16string>, py::arg("s"));
    m.def("u32string", &echo<std::u32string>, py::arg("s"));
    m.def("byte_vector", &echo<std::vector<std::byte>>, py::arg("b"));
    m.def("byte_array4", &echo<std::array<std::byte, 4>>, py::arg("b"));

    // --- containers, nested two deep ----------------------------------------------------------
    m.def("vec_i32", &echo<std::vector<std::int32_t>>, py::arg("v"));
    m.def("vec_vec_i16", &echo<std::vector<std::vector<std::int16_t>>>, py::arg("v"));
    m.def("list_str", &echo<std::list<std::string>>, py::arg("v"));
    m.def("deque_f64", &echo<std::deque<double>>, py::arg("v"));
    m.def("array3_u8", &echo<std::array<std::uint8_t, 3>>, py::arg("v"));
    m.def(
        "views_joined",
        [](std::vector<std::string_view> v) {
            std::string out;
            for (std::string_view s : v) out.append(s).push_back('|');
            return out;
        },
        py::arg("v"));
    m.def("set_i64", &echo<std::set<std::int64_t>>, py::arg("s"));
    m.def("uset_str", &echo<std::unordered_set<std::string>>, py::arg("s"));
    m.def("map_str_vec", &echo<std::map<std::string, std::vector<double>>>, py::arg("m"));
    m.def("umap_i32_str", &echo<std::unordered_map<std::int32_t, std::string>>, py::arg("m"));
    m.def("map_str_map", &echo<std::map<std::string, std::map<std::string, std::int64_t>>>, py::arg("m"));
    m.def("pair_str_vec", &echo<std::pair<std::string, std::vector<std::int32_t>>>, py::arg("p"));
    m.def("tuple3", &echo<std::tuple<std::int32_t, std::string, double>>, py::arg("t"));
    m.def("optional_i32", &echo<std::optional<std::int32_t>>, py::arg("o") = py::None::get(py));
    m.def("optional_vec_u8", &echo<std::optional<std::vector<std::uint8_t>>>, py::arg("o"));
    m.def("variant", &echo<std::variant<std::int32_t, std::string, std::vector<std::int32_t>>>, py::arg("v"));
    m.def("complex128", &echo<std::complex<double>>, py::arg("z"));

    // --- handles ------------------------------------------------------------------------------
    m.def("list_len", [](py::Borrowed<py::List> l) { return l.len(); }, py::arg("l"));
    m.def("dict_len", [](py::Borrowed<py::Dict> d) { return d.len(); }, py::arg("d"));
    m.def("str_handle", [](py::Owned<py::Str> s) { return s; }, py::arg("s"));
    m.def("int_handle", [](py::Owned<py::Int> i) { return i; }, py::arg("i"));
    m.def("any_py", [](py::Py<py::Any> o) { return o; }, py::arg("o"));

    // --- overloads, defaults, keywords, *args / **kwargs -------------------------------------
    m.def("over", [](std::int64_t x) { return std::make_tuple(std::string("int"), x); }, py::arg("x"));
    m.def("over", [](std::string x) { return std::make_tuple(std::string("str"), x); }, py::arg("x"));
    m.def("over", [](std::vector<std::int32_t> x) { return std::make_tuple(std::string("list"), x); }, py::arg("x"));
    m.def("over", [](double x) { return std::make_tuple(std::string("float"), x); }, py::arg("x"));
    m.def(
        "keywords", [](std::int32_t a, std::int32_t b, std::string c) { return std::make_tuple(a, b, c); },
        py::arg("a"), py::arg("b") = 2, py::kw_only(), py::arg("c") = "c");
    m.def(
        "positional", [](std::int32_t a, std::int32_t b) { return std::make_tuple(a, b); }, py::arg("a"),
        py::pos_only(), py::arg("b") = 7);
    m.def(
        "varargs",
        [](py::Python py, std::int32_t a, py::Args rest, py::Kwargs kw) {
            return py::Tuple::of(py, a, py::Borrowed<py::Tuple>(rest), py::Borrowed<py::Dict>(kw));
        },
        py::arg("a"));

    // --- a class, an enum, an array -------------------------------------------------------------
    py::Class<Point>(m, "Point")
        .def(py::init<double, double>(), py::arg("x") = 0.0, py::arg("y") = 0.0)
        .def_rw("x", &Point::x)
        .def_rw("y", &Point::y)
        .def("scaled", [](const Point& p, double k) { return Point{p.x * k, p.y * k}; }, py::arg("k"));
    m.def("point_xy", [](const Point& p) { return std::make_tuple(p.x, p.y); }, py::arg("p"));
    m.def(
        "points_x",
        [](std::vector<Point> ps) {
            std::vector<double> xs;
            for (const Point& p : ps) xs.push_back(p.x);
            return xs;
        },
        py::arg("ps"));
    py::Enum<Color>(m, "Color").value("RED", Color::red).value("GREEN", Color::green).value("BLUE", Color::blue);
    m.def("color_value", [](Color c) { return static_cast<int>(c); }, py::arg("c"));
    m.def(
        "array_i32",
        [](py::NDArray<const std::int32_t, py::ndim<1>> a) {
            std::vector<std::int32_t> out;
            for (Py_ssize_t i = 0; i < a.shape(0); ++i) out.push_back(a(i));
            return out;
        },
        py::arg("a"));
}
