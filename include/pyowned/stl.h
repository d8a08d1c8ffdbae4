// Opt-in conversions for std types: containers, std::byte data as bytes, pair/tuple, optional, variant, complex,
// chrono durations and filesystem paths. Each family also has its own header in stl/.
#pragma once
#include "pyowned.h"
#include "stl/sequence.h"
#include "stl/bytes.h"
#include "stl/map.h"
#include "stl/set.h"
#include "stl/tuple.h"
#include "stl/optional.h"
#include "stl/variant.h"
#include "stl/complex.h"
#include "stl/chrono.h"
#include "stl/filesystem.h"
