// py::implicitly_convertible<From, To>(): a parameter of a bound class To accepts, in the second
// overload pass, whatever From loads from, made into a To by calling To's class.
#pragma once
#include "handle.h"

namespace pyowned {

// After this, a To parameter (To, const To&, To&, To*) given an object that From converts
// from (an instance of From's class, or a value FromPython<From> accepts without conversions
// of its own) gets To(object), a new instance made by To's class (so To needs a bound
// constructor taking From), kept alive for the call. Only in the second overload pass: an
// overload taking the object as it is wins. Call it once To is bound.
template <class From, class To>
void implicitly_convertible() {
    static_assert(detail::BoundClass<To>, "pyowned: implicitly_convertible<From, To>: To must be a bound class");
    const detail::ClassRecord* to = detail::class_of<To>();
    if (!to) detail::throw_fetched();
    bool (*loads)(PyObject*) noexcept = [](PyObject* o) noexcept -> bool {
        if constexpr (detail::BoundClass<From>) {
            int is = detail::class_check<From>(o);
            if (is < 0) PyErr_Clear();
            return is > 0;
        } else {
            bool ok = false;
            try {
                ok = detail::from_python<From>(Borrowed<Any>::from_ptr(detail::token(), o), false).has_value();
            } catch (...) {
            }
            if (!ok && PyErr_Occurred()) PyErr_Clear();
            return ok;
        }
    };
    // another module may read the record's list meanwhile (free-threaded builds)
    std::lock_guard<std::mutex> lock(detail::implicit_mutex);
    const_cast<detail::ClassRecord*>(to)->implicit_from.push_back(loads);
}

}  // namespace pyowned
