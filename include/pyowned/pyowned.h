// pyowned: the owned-first Python binding library. This header brings in the whole core:
// the token, the three handles, every type's operations, the built-in conversions, errors,
// and embedding. Opt-in conversions for std types are in <pyowned/stl.h>.
#pragma once
#include "version.h"
#include "core/python.h"
#include "core/owned.h"
#include "core/py.h"
#include "types/tags.h"
#include "types/any.h"
#include "core/error.h"
#include "core/result.h"
#include "convert/traits.h"
#include "core/call.h"
#include "types/any_impl.h"
#include "types/operators.h"
#include "types/str.h"
#include "types/bytes.h"
#include "types/sequence.h"
#include "types/list.h"
#include "types/tuple.h"
#include "types/dict.h"
#include "types/set.h"
#include "types/iterator.h"
#include "types/slice.h"
#include "types/capsule.h"
#include "types/buffer.h"
#include "convert/integer.h"
#include "convert/floating.h"
#include "convert/string.h"
#include "convert/characters.h"
#include "convert/handle.h"
#include "types/scalars.h"
#include "core/translate.h"
#include "core/signals.h"
#include "core/once_cell.h"
#include "bind/module.h"
#include "types/builtins.h"
#if !PYOWNED_LIMITED  // not yet in a stable-ABI build: py::Class writes type slots the limited API cannot
#include "classes.h"
#endif
#include "core/exception_type.h"
#if !PYOWNED_LIMITED  // embedding needs PyConfig, which the limited API does not have
#include "embed/interpreter.h"
#endif
#include "embed/eval.h"
#include "stl/optional.h"  // std::optional parameters accept None
