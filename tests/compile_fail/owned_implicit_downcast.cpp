// Owned<Any> does not convert implicitly to Owned<Dict>: a downcast is checked, so it is explicit.
// expect: conversion from '((pyowned|py)::)?Owned<(pyowned|py)::Any>' to (non-scalar type )?'((pyowned|py)::)?Owned<(pyowned|py)::Dict>'
#include <pyowned/pyowned.h>
namespace py = pyowned;

void misuse(py::Owned<py::Any> any) {
    py::Owned<py::Dict> dict = std::move(any);  // must not compile: use downcast_into<py::Dict>()
    (void)dict;
}
