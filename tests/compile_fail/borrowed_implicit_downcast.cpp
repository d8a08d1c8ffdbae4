// Borrowed<Any> does not convert implicitly to Borrowed<Dict>: use b.downcast<py::Dict>().
// expect: conversion from '((pyowned|py)::)?Borrowed<(pyowned|py)::Any>' to (non-scalar type )?'((pyowned|py)::)?Borrowed<(pyowned|py)::Dict>'
#include <pyowned/pyowned.h>
namespace py = pyowned;

void misuse(py::Borrowed<py::Any> any) {
    py::Borrowed<py::Dict> dict = any;  // must not compile
    (void)dict;
}
