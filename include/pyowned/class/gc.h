// Garbage collection of bound classes: py::Visitor, which visits the Python references a C++
// object holds (py::Py members, std containers of them), and the traverse/clear functions
// made from `.traverse(&T::member, ...)` or from T's own `traverse(py::Visitor&) const` and
// `clear()`.
#pragma once
#include "record.h"
#include <optional>
#include <tuple>
#include <utility>

namespace pyowned {

// What a traverse function is given: call it on each member that holds Python references.
class Visitor {
public:
    Visitor(visitproc visit, void* arg) noexcept : visit_(visit), arg_(arg) {}
    Visitor(const Visitor&) = delete;
    Visitor& operator=(const Visitor&) = delete;

    template <class U>
    void operator()(const Py<U>& p) noexcept {
        if (!status_ && p.ptr()) status_ = visit_(p.ptr(), arg_);
    }
    template <class U>
    void operator()(const std::optional<U>& o) noexcept {
        if (o) (*this)(*o);
    }
    // a std container: its elements, or a map's values
    template <class C>
        requires requires(const C& c) {
            c.begin();
            c.end();
        }
    void operator()(const C& c) noexcept {
        for (const auto& item : c) {
            if constexpr (requires { item.second; }) (*this)(item.second);
            else (*this)(item);
        }
    }

    int status() const noexcept { return status_; }

private:
    visitproc visit_;
    void* arg_;
    int status_ = 0;
};

namespace detail {

// .traverse(&T::a, &T::b): visits the named members; tp_clear moves them out of the object
// first and drops them after, so code that runs during the drops sees a consistent object.
// A member's value, moved out and left empty (a moved-from py::Py is empty).
template <class M>
M take(M& member) noexcept(std::is_nothrow_move_constructible_v<M>) {
    if constexpr (std::is_default_constructible_v<M>) return std::exchange(member, M{});
    else return M(std::move(member));
}

template <class T, class... M>
struct MemberTraversal {
    std::tuple<M T::*...> members;

    static int traverse(const void* state, const void* value, visitproc visit, void* arg) {
        const auto& self = *static_cast<const MemberTraversal*>(state);
        const T& object = *static_cast<const T*>(value);
        Visitor visitor(visit, arg);
        std::apply([&](auto... m) { (visitor(object.*m), ...); }, self.members);
        return visitor.status();
    }
    static void clear(const void* state, void* value) {
        const auto& self = *static_cast<const MemberTraversal*>(state);
        T& object = *static_cast<T*>(value);
        // moved out first, dropped when the tuple goes
        auto taken = std::apply([&](auto... m) { return std::make_tuple(take(object.*m)...); }, self.members);
        (void)taken;
    }
};

// T's own `void traverse(py::Visitor&) const` and `void clear()`.
template <class T>
concept SelfTraversing = requires(const T& c, T& m, Visitor& v) {
    c.traverse(v);
    m.clear();
};
template <class T>
struct OwnTraversal {
    static int traverse(const void*, const void* value, visitproc visit, void* arg) {
        Visitor visitor(visit, arg);
        static_cast<const T*>(value)->traverse(visitor);
        return visitor.status();
    }
    static void clear(const void*, void* value) { static_cast<T*>(value)->clear(); }
};

}  // namespace detail
}  // namespace pyowned
