// Implicit conversions between bound classes and from values: py::implicitly_convertible.
// Exercised by test_classes_convert.py.
#include <pyowned/pyowned.h>

#include <stdexcept>
#include <string>

namespace py = pyowned;

namespace {

struct Meters {
    double value = 0;
};
struct Feet {
    double value = 0;
};
// Made from an int or a str; a negative int is refused by its constructor.
struct Id {
    long long value = 0;
    explicit Id(long long v) : value(v) {
        if (v < 0) throw std::invalid_argument("an Id is never negative");
    }
    explicit Id(const std::string& s) : value(static_cast<long long>(s.size())) {}
};

// Declared convertible from an int, but its only constructor takes a Loop: Loop(3) would
// convert 3 to a Loop again, forever, without the guard.
struct Loop {
    long long value = 0;
};

// Points to a Meters kept alive by py::keep_alive<1, 2>.
struct Holder {
    const Meters* held = nullptr;
};

}  // namespace

PYOWNED_MODULE(classes_convert_ext, m) {
    // Two classes with methods of one shape: called by keyword (or with a default left out),
    // they share one dispatcher, which reads each parameter's class from the method's record.
    py::Class<Feet>(m, "Feet")
        .def(py::init<double>())
        .def_ro("value", &Feet::value)
        .def(
            "plus", [](const Feet& a, const Feet& b) { return a.value + b.value; }, py::arg("other"))
        .def(
            "plus_or_zero", [](const Feet& a, const Feet* b) { return a.value + (b ? b->value : 0); },
            py::arg("other").none() = nullptr)
        .def("add_to", [](const Feet& a, Feet& b) { b.value += a.value; }, py::arg("target"));
    py::Class<Meters>(m, "Meters")
        .def(py::init<double>())
        .def(py::init([](const Feet& f) { return Meters{f.value * 0.3048}; }))
        .def_ro("value", &Meters::value)
        .def(
            "plus", [](const Meters& a, const Meters& b) { return a.value + b.value; }, py::arg("other"))
        .def(
            "plus_or_zero", [](const Meters& a, const Meters* b) { return a.value + (b ? b->value : 0); },
            py::arg("other").none() = nullptr)
        .def("add_to", [](const Meters& a, Meters& b) { b.value += a.value; }, py::arg("target"));
    py::implicitly_convertible<Feet, Meters>();

    py::Class<Id>(m, "Id").def(py::init<long long>()).def(py::init<const std::string&>()).def_ro("value", &Id::value);
    py::implicitly_convertible<long long, Id>();

    py::Class<Loop>(m, "Loop").def(py::init<const Loop&>());
    py::implicitly_convertible<long long, Loop>();
    m.def("loop_value", [](const Loop& l) { return l.value; });

    m.def("meters", [](const Meters& x) { return x.value; });
    m.def("meters_by_value", [](Meters x) { return x.value; });
    m.def("meters_mut", [](Meters& x) {
        x.value += 1;
        return x.value;
    });
    // an implicitly converted argument is the object kept alive / viewed, not its source
    py::Class<Holder>(m, "Holder")
        .def(py::init<>())
        .def(
            "hold", [](Holder& h, const Meters& x) { h.held = &x; }, py::keep_alive<1, 2>())
        .def("value", [](const Holder& h) { return h.held->value; });
    m.def("same_meters", [](const Meters& x) -> const Meters& { return x; }, py::rv::reference_internal);
    m.def("id_of", [](const Id& id) { return id.value; });
    // an exact overload wins over the conversion
    m.def("which", [](const Meters&) { return "Meters"; });
    m.def("which", [](const Feet&) { return "Feet"; });
}
