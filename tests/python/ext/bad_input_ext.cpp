// The bad-input matrix: one function per parameter conversion pyowned offers, each giving
// back what arrived (converted into Python again), so that a test sees exactly which value
// the C++ side got. Exercised by test_bad_input.py.
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
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
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

enum class Color { red, green, blue };
enum class Level : std::int8_t { low = -1, mid = 5, high = 100 };

}  // namespace

PYOWNED_MODULE(bad_input_ext, m) {
    // --- integers at every width, bool, floating point ------------------------------------
    m.def("int8", &echo<std::int8_t>, py::arg("x"));
    m.def("uint8", &echo<std::uint8_t>, py::arg("x"));
    m.def("int16", &echo<std::int16_t>, py::arg("x"));
    m.def("uint16", &echo<std::uint16_t>, py::arg("x"));
    m.def("int32", &echo<std::int32_t>, py::arg("x"));
    m.def("uint32", &echo<std::uint32_t>, py::arg("x"));
    m.def("int64", &echo<std::int64_t>, py::arg("x"));
    m.def("uint64", &echo<std::uint64_t>, py::arg("x"));
    m.def("c_int", &echo<int>, py::arg("x"));
    m.def("c_long", &echo<long>, py::arg("x"));
    m.def("size", &echo<std::size_t>, py::arg("x"));
    m.def("ssize", &echo<Py_ssize_t>, py::arg("x"));
    m.def("boolean", &echo<bool>, py::arg("x"));
    m.def("float32", &echo<float>, py::arg("x"));
    m.def("float64", &echo<double>, py::arg("x"));

    // --- text and characters ----------------------------------------------------------------
    m.def("string", &echo<std::string>, py::arg("s"));
    m.def("string_view", [](std::string_view s) { return std::string(s); }, py::arg("s"));
    m.def("u16string", &echo<std::u16string>, py::arg("s"));
    m.def("u32string", &echo<std::u32string>, py::arg("s"));
    m.def("wstring", &echo<std::wstring>, py::arg("s"));
    m.def("character", &echo<char>, py::arg("c"));

    // --- bytes ------------------------------------------------------------------------------
    m.def("byte_vector", [](const std::vector<std::byte>& b) { return b; }, py::arg("b"));
    m.def("byte_array4", [](const std::array<std::byte, 4>& b) { return b; }, py::arg("b"));
    m.def("byte_span", [](std::span<const std::byte> b) { return b; }, py::arg("b"));

    // --- containers -------------------------------------------------------------------------
    m.def("vector_int", &echo<std::vector<int>>, py::arg("xs"));
    m.def("list_int", &echo<std::list<int>>, py::arg("xs"));
    m.def("deque_int", &echo<std::deque<int>>, py::arg("xs"));
    m.def("array_int3", &echo<std::array<int, 3>>, py::arg("xs"));
    m.def("vector_vector_int", &echo<std::vector<std::vector<int>>>, py::arg("xss"));
    m.def(
        "join_views",
        [](const std::vector<std::string_view>& words) {
            std::string out;
            for (auto w : words) out += w;
            return out;
        },
        py::arg("words"));
    // the views of the first item outlive a nested call made by the second's __index__
    m.def(
        "views_then_int",
        [](const std::tuple<std::vector<std::string_view>, int>& t) {
            std::string out;
            for (auto w : std::get<0>(t)) out += w;
            return std::make_pair(out, std::get<1>(t));
        },
        py::arg("t"));
    m.def("set_int", &echo<std::set<int>>, py::arg("xs"));
    // a set of what Python cannot hash, given back as a sorted list of lists
    m.def(
        "set_vector_int",
        [](const std::set<std::vector<int>>& s) { return std::vector<std::vector<int>>(s.begin(), s.end()); },
        py::arg("xss"));
    m.def("map_str_int", &echo<std::map<std::string, int>>, py::arg("m"));
    m.def("unordered_map_str_int", &echo<std::unordered_map<std::string, int>>, py::arg("m"));
    m.def("map_str_vector_int", &echo<std::map<std::string, std::vector<int>>>, py::arg("m"));
    m.def("pair_int_str", &echo<std::pair<int, std::string>>, py::arg("p"));
    m.def("tuple_int_double_str", &echo<std::tuple<int, double, std::string>>, py::arg("t"));

    // --- optional, variant ------------------------------------------------------------------
    m.def("optional_int", &echo<std::optional<int>>, py::arg("x"));
    m.def("variant_int_str", &echo<std::variant<int, std::string>>, py::arg("v"));
    m.def("variant_double_longlong", &echo<std::variant<double, long long>>, py::arg("v"));

    // --- path, duration, complex ----------------------------------------------------------------
    m.def("path", &echo<std::filesystem::path>, py::arg("p"));
    m.def("microseconds", &echo<std::chrono::microseconds>, py::arg("d"));
    m.def("complex128", &echo<std::complex<double>>, py::arg("z"));

    // --- typed handles: the object itself -------------------------------------------------------
    m.def("handle_str", [](py::Borrowed<py::Str> o) { return o; }, py::arg("o"));
    m.def("handle_bytes", [](py::Borrowed<py::Bytes> o) { return o; }, py::arg("o"));
    m.def("handle_int", [](py::Borrowed<py::Int> o) { return o; }, py::arg("o"));
    m.def("handle_float", [](py::Borrowed<py::Float> o) { return o; }, py::arg("o"));
    m.def("handle_list", [](py::Owned<py::List> o) { return o; }, py::arg("o"));
    m.def("handle_tuple", [](py::Borrowed<py::Tuple> o) { return o; }, py::arg("o"));
    m.def("handle_dict", [](py::Py<py::Dict> o) { return o; }, py::arg("o"));
    m.def("handle_set", [](py::Borrowed<py::Set> o) { return o; }, py::arg("o"));
    m.def("handle_sequence", [](py::Borrowed<py::Sequence> o) { return o; }, py::arg("o"));
    m.def("handle_mapping", [](py::Borrowed<py::Mapping> o) { return o; }, py::arg("o"));

    // --- enums ----------------------------------------------------------------------------------
    py::Enum<Color>(m, "Color").value("RED", Color::red).value("GREEN", Color::green).value("BLUE", Color::blue);
    py::Enum<Level>(m, "Level", py::int_enum)
        .value("LOW", Level::low)
        .value("MID", Level::mid)
        .value("HIGH", Level::high);
    m.def("color", &echo<Color>, py::arg("c"));
    m.def("level", &echo<Level>, py::arg("level"));

    // --- a bound class: by value, by reference, by pointer -----------------------------------
    py::Class<Point>(m, "Point")
        .def(py::init<double, double>(), py::arg("x"), py::arg("y"))
        .def_rw("x", &Point::x)
        .def_rw("y", &Point::y);
    auto coords = [](py::Python py, const Point& p) { return py::Tuple::of(py, p.x, p.y); };
    m.def("point_value", [coords](py::Python py, Point p) { return coords(py, p); }, py::arg("p"));
    m.def("point_cref", [coords](py::Python py, const Point& p) { return coords(py, p); }, py::arg("p"));
    m.def("point_ref", [coords](py::Python py, Point& p) { return coords(py, p); }, py::arg("p"));
    m.def(
        "point_ptr",
        [coords](py::Python py, const Point* p) -> py::Owned<py::Any> {
            if (!p) return py::Str::from(py, "null");
            return coords(py, *p);
        },
        py::arg("p"));
    // two borrows of one argument list: the same instance for both is refused
    m.def("point_move", [](Point& to, const Point& from) { to = from; }, py::arg("to"), py::arg("from_"));

    // --- an array -------------------------------------------------------------------------------
    m.def(
        "array_sum",
        [](const py::NDArray<const double, py::ndim<1>>& a) {
            double sum = 0;
            for (Py_ssize_t i = 0; i < a.shape(0); ++i) sum += a(i);
            return sum;
        },
        py::arg("a"));

    // --- argument matching: a positional-only, a regular and a keyword-only parameter ---------
    m.def(
        "shaped", [](py::Python py, long long a, long long b, long long c) { return py::Tuple::of(py, a, b, c); },
        py::arg("a"), py::pos_only(), py::arg("b"), py::kw_only(), py::arg("c") = 3);
}
