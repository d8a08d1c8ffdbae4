// Owned<Int> does not convert to Owned<Bool>: a supertype does not convert into its subtype.
// expect: conversion from '((pyowned|py)::)?Owned<(pyowned|py)::Int>' to (non-scalar type )?'((pyowned|py)::)?Owned<(pyowned|py)::Bool>'
#include <pyowned/pyowned.h>
namespace py = pyowned;

void misuse(py::Python py) {
    py::Owned<py::Int> i = py::Int::from(py, 1);
    py::Owned<py::Bool> b = i;  // must not compile
    (void)b;
}
