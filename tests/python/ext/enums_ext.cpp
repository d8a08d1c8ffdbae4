// C++ enums bound as Python enums (py::Enum): plain, IntEnum, Flag, IntFlag, nested in a
// class, exported, as defaults and in containers. Exercised by test_enums.py.
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace py = pyowned;

namespace shapes {
enum class Color { red, green, blue };
enum class Level : std::int8_t { low = -1, mid = 5, high = 100 };
enum class Perm : std::uint8_t { none = 0, x = 1, w = 2, r = 4, rw = 6 };
enum class Wide : std::uint64_t { low = 1, top = std::uint64_t{1} << 63 };
enum Mode : int { quiet = 10, loud = 20 };  // an unscoped enum, exported into the module
enum class Unbound { a, b };
enum class Late { one, two };

struct Shape {
    enum class Kind { circle, square };
    Kind kind = Kind::circle;
};

constexpr Perm operator|(Perm a, Perm b) { return Perm(std::uint8_t(a) | std::uint8_t(b)); }
}  // namespace shapes

using namespace shapes;

PYOWNED_MODULE(enums_ext, m) {
    py::Enum<Color>(m, "Color", "A color.")
        .value("RED", Color::red, "The red one.")
        .value("GREEN", Color::green)
        .value("BLUE", Color::blue);
    py::Enum<Level>(m, "Level", py::int_enum)
        .value("LOW", Level::low)
        .value("MID", Level::mid)
        .value("HIGH", Level::high);
    py::Enum<Perm>(m, "Perm", "Permissions.", py::flag)
        .value("NONE", Perm::none)
        .value("X", Perm::x)
        .value("W", Perm::w)
        .value("R", Perm::r)
        .value("RW", Perm::rw);
    py::Enum<Wide>(m, "Wide", py::int_enum, py::flag).value("LOW", Wide::low).value("TOP", Wide::top);
    py::Enum<Mode>(m, "Mode", py::int_enum).value("QUIET", quiet).value("LOUD", loud).export_values();

    py::Class<Shape> shape(m, "Shape");
    shape.def(py::init<>()).def_rw("kind", &Shape::kind);
    py::Enum<Shape::Kind>(shape, "Kind").value("CIRCLE", Shape::Kind::circle).value("SQUARE", Shape::Kind::square);

    // conversions both ways
    m.def(
        "color_name",
        [](Color c) -> std::string {
            switch (c) {
                case Color::red:
                    return "red";
                case Color::green:
                    return "green";
                case Color::blue:
                    return "blue";
            }
            return "?";
        },
        py::arg("c"));
    m.def("color_echo", [](Color c) { return c; }, py::arg("c"));
    m.def("color_of", [](int i) { return static_cast<Color>(i); }, py::arg("i"));  // 7: no member
    m.def("level_value", [](Level l) { return static_cast<int>(l); }, py::arg("l"));
    m.def("level_of", [](int i) { return static_cast<Level>(i); }, py::arg("i"));
    m.def("perm_bits", [](Perm p) { return static_cast<int>(p); }, py::arg("p"));
    m.def("perm_of", [](int i) { return static_cast<Perm>(i); }, py::arg("i"));
    m.def("perm_join", [](Perm a, Perm b) { return a | b; }, py::arg("a"), py::arg("b"));
    m.def("wide_bits", [](Wide w) { return static_cast<std::uint64_t>(w); }, py::arg("w"));
    m.def("wide_of", [](std::uint64_t i) { return static_cast<Wide>(i); }, py::arg("i"));
    m.def("mode_value", [](Mode mode) { return static_cast<int>(mode); }, py::arg("mode"));
    m.def("kind_echo", [](Shape::Kind k) { return k; }, py::arg("k"));

    // a default made while the module is defined (the enum is made for it first)
    py::Enum<Late> late(m, "Late");
    late.value("ONE", Late::one).value("TWO", Late::two);
    m.def("late_default", [](Late l) { return static_cast<int>(l); }, py::arg("l") = Late::two);

    // overloads: a member picks the enum overload, an int the int one
    m.def("which", [](Level) { return "Level"; });
    m.def("which", [](int) { return "int"; });

    // containers and optional
    m.def("colors", [](const std::vector<Color>& cs) { return cs; }, py::arg("cs"));
    m.def("maybe_color", [](std::optional<Color> c) { return c; }, py::arg("c").none());

    // an enum no py::Enum bound
    m.def("unbound_arg", [](Unbound) { return 0; });
    m.def("unbound_return", [] { return Unbound::a; });

    // definition errors, made on demand in a scope given from Python
    m.def("bind_twice_named", [](py::Borrowed<py::Any> scope) {
        enum class Twice { a };
        py::Enum<Twice>(scope, "Twice").value("A", Twice::a).value("A", Twice::a);
    });
    m.def("bind_bad_name", [](py::Borrowed<py::Any> scope) {
        enum class Bad { a };
        py::Enum<Bad>(scope, "Bad").value("_sunder_", Bad::a);  // enum reserves _sunder_ names
    });
    m.def("value_after_made", [](py::Borrowed<py::Any> scope) {
        enum class After { a, b };
        py::Enum<After> e(scope, "After");
        e.value("A", After::a);
        (void)e.type();  // made now
        e.value("B", After::b);
    });
    m.def("bind_again", [](py::Borrowed<py::Any> scope) {
        enum class Again { a };
        py::Enum<Again>(scope, "Again").value("A", Again::a);
        return py::into_py(scope.py(), Again::a);
    });
}
