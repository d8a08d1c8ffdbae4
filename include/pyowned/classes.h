// Binding C++ types as Python classes: py::Class, py::init, py::rv policies, py::Ref/RefMut,
// py::Visitor, py::Enum, py::pickle, py::implicitly_convertible. Included by <pyowned/pyowned.h>.
#pragma once
#include "class/class.h"
#include "class/patients.h"
#include "class/handle.h"
#include "class/enum.h"
#include "class/implicit.h"
#include "class/iterator.h"
#include "class/describe.h"
