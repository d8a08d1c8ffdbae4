"""Arrays: py::Buffer (reading buffers), def_buffer (exporting them), py::NDArray parameters
and results against NumPy, memoryview, array.array and DLPack."""
import array
import gc
import sys
import threading

import pytest
from repeats import repeats

np = pytest.importorskip("numpy")  # the suite's environments install it; a bare one skips

import arrays_ext as m
import conftest

# Matrix and Constants export buffers through py::Class::def_buffer, which a stable-ABI build
# does not have (docs/stable-abi.md)
needs_def_buffer = pytest.mark.skipif(conftest.stable_abi(m), reason="def_buffer: not in a stable-ABI build")

DTYPES = {
    "bool": np.bool_, "int8": np.int8, "uint8": np.uint8, "int16": np.int16, "uint16": np.uint16,
    "int32": np.int32, "uint32": np.uint32, "int64": np.int64, "uint64": np.uint64,
    "float32": np.float32, "float64": np.float64, "complex64": np.complex64, "complex128": np.complex128,
}


def sample(dtype, shape=(3, 4)):
    a = (np.arange(np.prod(shape)) % 7).reshape(shape)
    return a.astype(dtype)


# --- py::Buffer ---------------------------------------------------------------------------

def test_buffer_of_builtin_exporters():
    assert m.describe(b"abc") == {"itemsize": 1, "format": "B", "ndim": 1, "shape": [3], "strides": [1],
                                  "readonly": True, "len": 3}
    assert m.describe(bytearray(b"ab"))["readonly"] is False
    d = m.describe(array.array("d", [1.0, 2.0]))
    assert (d["format"], d["itemsize"], d["shape"], d["len"]) == ("d", 8, [2], 16)
    d = m.describe(np.zeros((2, 3), np.int16)[:, ::2])
    assert (d["format"], d["ndim"], d["shape"], d["strides"]) == ("h", 2, [2, 2], [6, 4])
    # without PyBUF_ND / PyBUF_STRIDES an exporter gives no shape or strides
    d = m.describe(b"abcd", m.PyBUF_SIMPLE)
    assert d["shape"] == [] and d["strides"] == [] and d["format"] == "B"
    assert m.byte_sum(memoryview(b"\x01\x02\x03")) == 6


def test_buffer_bad_requests():
    with pytest.raises(BufferError):
        m.write_first(b"abc", 1)  # bytes are read-only
    with pytest.raises(TypeError, match="must be Buffer, not str"):
        m.byte_sum("abc")
    with pytest.raises(TypeError, match="must be Buffer, not None"):
        m.byte_sum(None)
    with pytest.raises((BufferError, ValueError)):  # the exporter's refusal (NumPy: ValueError)
        m.describe(np.zeros((4, 4))[:, ::2], m.PyBUF_C_CONTIGUOUS)
    with pytest.raises(BufferError, match="not C-contiguous"):
        m.describe(m.fortran_exporter(), m.PyBUF_C_CONTIGUOUS)  # pyowned's own exporter
    assert m.describe(m.fortran_exporter(), m.PyBUF_F_CONTIGUOUS)["strides"] == [8, 16]
    b = bytearray(b"xyz")
    m.write_first(b, 65)
    assert b == bytearray(b"Ayz")


@pytest.mark.thread_unsafe
def test_held_view_blocks_resize_until_released():
    b = bytearray(b"abc")
    m.hold(b)
    with pytest.raises(BufferError):
        b.append(1)
    m.release_held()
    b.append(100)
    m.hold(b)
    m.release_held_detached()  # dropped on a thread that never attached: queued
    m.byte_sum(b"")  # the next call drains the queue
    b.append(101)
    assert b == bytearray(b"abcde")


# --- NDArray parameters -------------------------------------------------------------------

@pytest.mark.parametrize("name", DTYPES)
@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed", "empty", "0-d"])
def test_every_dtype_and_layout(name, layout):
    dtype = DTYPES[name]
    base = sample(dtype, (4, 6))
    a = {"C": base, "F": np.asfortranarray(base), "strided": base[::2, 1::3], "reversed": base[::-1, ::-1],
         "empty": base[:0], "0-d": base[1, 2].copy().reshape(())}[layout]
    total = getattr(m, f"total_{name}")
    expected = a.astype(np.complex128 if "complex" in name else np.float64).sum()
    assert total(a) == expected
    kind = complex if "complex" in name else float if "float" in name else int
    assert type(total(a)) is kind


def test_safe_conversions_copy_only_when_allowed():
    ints = np.arange(5, dtype=np.int64)
    assert m.total_float64(ints) == 10.0  # int64 -> float64 is a safe cast: copied
    assert m.total_float64(np.arange(4, dtype=np.float32)) == 6.0
    assert m.total_complex128(np.arange(3.0)) == 3.0
    with pytest.raises(TypeError, match="expected a float64 array, not int64"):
        m.total_strict(ints)  # py::arg().noconvert(): no copy
    with pytest.raises(TypeError, match="expected a int32 array, not float64"):
        m.total_int32(np.arange(3.0))  # float -> int loses values: never copied
    with pytest.raises(TypeError, match="expected a uint8 array, not int8"):
        m.total_uint8(np.arange(3, dtype=np.int8))
    assert m.total_int64(np.arange(3, dtype=np.uint32)) == 3


def test_order_and_alignment():
    a = np.arange(12.0).reshape(3, 4)
    assert m.c_only(a) == 1 and m.f_only(np.asfortranarray(a)) == 1
    assert m.c_only(a[:, ::2]) == 1  # copied to C order
    assert m.f_only(a) == 1  # copied to Fortran order
    with pytest.raises(TypeError, match="expected a C-contiguous array"):
        m.c_only_strict(a[:, ::2])
    with pytest.raises(TypeError, match="expected a Fortran-contiguous array"):
        m.f_only_strict(a)
    with pytest.raises(TypeError, match="C-contiguous"):
        m.c_only_strict(a[::2])  # rows skipped: not contiguous
    assert m.c_only_strict(a[1:]) == 1 and m.c_only_strict(a[1:2, :]) == 1  # extent-1 dims: any stride
    assert m.c_only_strict(np.arange(10.0)[::7][:1]) in (1, 7)  # (NumPy may report either stride)
    # a view offset by one byte: misaligned; copied when conversion is allowed
    raw = np.arange(9.0).tobytes()
    shifted = np.frombuffer(b"\0" + raw, dtype=np.float64, count=9, offset=1)
    assert m.total_float64(shifted) == 36.0
    with pytest.raises(TypeError, match="aligned to 8 bytes"):
        m.total_strict(shifted)
    # a structured array's field: strides of 12 bytes are not whole float64 elements
    rec = np.zeros(4, dtype=[("x", "<f8"), ("y", "<i4")])
    rec["x"] = [1, 2, 3, 4]
    assert m.total_float64(rec["x"]) == 10.0
    with pytest.raises(TypeError, match="whole elements"):
        m.total_strict(rec["x"])
    # as_strided with a stride that is not a multiple of the item size
    odd = np.lib.stride_tricks.as_strided(np.zeros(16, np.uint8), shape=(3,), strides=(5,)).view()
    assert m.total_uint8(odd) == 0


def test_strict_layout_rejections():
    a = np.arange(12.0).reshape(3, 4)
    assert m.layout(a[::-1, ::2]) == ([3, 2], [-4, 2], 6, False)  # negative strides as they are
    with pytest.raises(TypeError, match="expected a 2-dimensional array, not 1-dimensional"):
        m.at(np.arange(3.0), 0, 0)
    with pytest.raises(TypeError, match=r"expected an array of shape \(\*, 3\), not \(2, 4\)"):
        m.rows_n3(np.zeros((2, 4), np.float32))
    assert m.rows_n3(np.zeros((5, 3), np.float32)) == 5
    assert m.at(a, 2, 3) == 11.0 and m.at(a.T, 3, 2) == 11.0
    assert m.scalar(np.array(2.5)) == 2.5
    with pytest.raises(TypeError, match="0-dimensional"):
        m.scalar(np.arange(2.0))


def test_writable_parameters():
    x = np.arange(4.0)
    m.scale(x, 2.0)
    assert x.tolist() == [0.0, 2.0, 4.0, 6.0]
    y = np.arange(6.0).reshape(2, 3)
    m.scale_2d(y[:, ::2], 10.0)  # strided views are written in place
    assert y.tolist() == [[0.0, 1.0, 20.0], [30.0, 4.0, 50.0]]
    ro = np.arange(3.0)
    ro.flags.writeable = False
    with pytest.raises(TypeError, match="expected a writable array, not a read-only one"):
        m.scale(ro, 2.0)
    with pytest.raises(TypeError, match="writable"):
        m.scale(b"12345678", 2.0)  # bytes: read-only
    with pytest.raises(TypeError, match="a copy would not see the function's writes"):
        m.scale(np.arange(3), 2.0)  # int64 for float64: a copy would lose the writes
    assert m.same(x) is x  # an array viewing an argument returns the argument


def test_bad_input():
    for bad in ["abc", [1.0, 2.0], None, 3.0, object()]:
        with pytest.raises(TypeError, match=r"must be ndarray\[float64\]"):
            m.total_float64(bad)
    with pytest.raises(TypeError, match="expected a float64 array, not float16"):
        m.total_float64(np.zeros(2, np.float16))  # no safe cast pyowned reads
    with pytest.raises(TypeError, match="format '>d'"):
        m.total_float64(np.zeros(2, ">f8"))  # the other byte order
    with pytest.raises(TypeError, match="format"):
        m.total_float64(np.zeros(2, "U3"))
    with pytest.raises((TypeError, ValueError, BufferError)):
        m.total_float64(np.zeros(2, object))
    # zero and huge dimensions
    assert m.total_float64(np.zeros((0, 2**40))) == 0.0
    assert m.layout(np.zeros((2, 0, 3)))[0::2] == ([2, 0, 3], 0)
    assert m.total_float64(np.zeros((0, 3), np.int32)) == 0.0  # a copy of nothing
    assert m.total_float64(np.zeros((1,) * 32)) == 0.0
    # no overload takes uint64: the first overload's reason is raised
    with pytest.raises(TypeError, match="expected a float32 array, not uint64"):
        m.kind(np.zeros(3, np.uint64))


def test_overloads_by_dtype_and_ndim():
    assert m.kind(np.zeros(2, np.float32)) == "float32"
    assert m.kind(np.zeros(2, np.int32)) == "int32"
    assert m.kind(np.zeros((2, 2))) == "float64 2-d"
    # the conversion pass takes the first overload that accepts: int16 -> float32 is a safe cast
    assert m.kind(np.zeros((2, 2), np.int16)) == "float32"
    assert m.kind(np.zeros(2, np.uint16)) == "float32"
    assert "ndarray[float32]" in m.kind.__doc__ and "ndarray[float64, ndim=2]" in m.kind.__doc__


# --- results ------------------------------------------------------------------------------

def test_result_is_numpy_array_owning_cpp_memory():
    a = m.arange(5)
    assert isinstance(a, np.ndarray) and a.dtype == np.float64 and a.tolist() == [0, 1, 2, 3, 4]
    assert type(a.base).__name__ == "ndarray" and type(a.base).__module__ == "pyowned"
    assert a.flags.writeable and a.flags.c_contiguous and not a.flags.owndata
    a[0] = 9
    assert a[0] == 9
    f = m.fortran(2, 3)
    assert f.flags.f_contiguous and f.dtype == np.int64 and f.tolist() == [[0, 1, 2], [10, 11, 12]]
    s = m.strided()
    assert s.tolist() == [0.0, 2.0, 4.0, 6.0] and s.strides == (16,)
    ro = m.readonly_array()
    assert not ro.flags.writeable and ro.tolist() == [1.5, 2.5, 3.5]
    with pytest.raises(ValueError):
        ro[0] = 1.0
    with pytest.raises(ValueError, match="differ from the declared shape"):
        m.bad_extents()


@pytest.mark.thread_unsafe
def test_memory_freed_exactly_when_the_last_view_goes():
    gc.collect()
    start = m.owners_alive()
    a = m.counted(3, 4)
    assert m.owners_alive() == start + 1
    tail = a[1:, ::2]  # a NumPy view keeps the owner alive
    mv = memoryview(a)
    del a
    gc.collect()
    assert m.owners_alive() == start + 1 and tail.tolist() == [[4.0, 6.0], [8.0, 10.0]]
    del tail
    assert m.owners_alive() == start + 1  # the memoryview still shows it
    assert mv[1, 1] == 5.0
    mv.release()
    del mv
    assert m.owners_alive() == start


def test_python_owner_is_kept_alive():
    b = bytearray(b"abc")
    before = sys.getrefcount(b)
    v = m.view_of(b)
    assert sys.getrefcount(b) == before + 1
    v[0] = ord("z")
    assert b == bytearray(b"zbc")  # the same memory
    del v
    assert sys.getrefcount(b) == before


def test_memoryview_and_dlpack_frameworks():
    mv = m.as_memoryview(3)
    assert isinstance(mv, memoryview) and mv.format == "h" and mv.tolist() == [7, 7, 7]
    d = m.as_dlpack(4, False)
    assert d.__dlpack_device__() == (1, 0)
    x = np.from_dlpack(d)
    assert x.dtype == np.float32 and x.tolist() == [0.0, 0.5, 1.0, 1.5] and x.flags.writeable
    x[0] = 5.0
    assert np.from_dlpack(d)[0] == 5.0  # the same memory
    r = np.from_dlpack(m.as_dlpack(2, True))
    assert not r.flags.writeable
    with pytest.raises(BufferError, match="versioned"):
        m.as_dlpack(2, True).__dlpack__()  # a legacy capsule cannot say read-only
    with pytest.raises(BufferError):
        d.__dlpack__(max_version=(1, 0), copy=True)
    with pytest.raises(BufferError):
        d.__dlpack__(dl_device=(2, 0))
    assert memoryview(d).tolist() == [5.0, 0.5, 1.0, 1.5]
    d.__dlpack__(max_version=(1, 0))  # an unused capsule: its destructor frees the export
    del d, x
    gc.collect()


class DLPackOnly:
    """An exporter with only __dlpack__ (no buffer), versioned or legacy."""

    def __init__(self, a, legacy=False, device=(1, 0)):
        self.a, self.legacy, self.device = a, legacy, device

    def __dlpack__(self, **kwargs):
        if self.legacy:
            if kwargs:
                raise TypeError("__dlpack__() got an unexpected keyword argument")
            return self.a.__dlpack__()
        return self.a.__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return self.device


def test_dlpack_import():
    a = np.arange(6.0).reshape(2, 3)
    assert m.total_float64(DLPackOnly(a)) == 15.0
    assert m.total_float64(DLPackOnly(a, legacy=True)) == 15.0
    assert m.at(DLPackOnly(a.T), 2, 1) == 5.0  # strides in elements, converted
    assert m.total_float64(DLPackOnly(np.arange(4, dtype=np.int32))) == 6.0  # then copied
    w = np.zeros(3)
    m.scale(DLPackOnly(w), 2.0)
    w2 = np.ones(3)
    m.scale(DLPackOnly(w2), 3.0)
    assert w2.tolist() == [3.0, 3.0, 3.0]  # written through the imported tensor
    ro = np.arange(3.0)
    ro.flags.writeable = False
    with pytest.raises(TypeError, match="writable"):
        m.scale(DLPackOnly(ro), 2.0)  # the versioned capsule's read-only flag
    with pytest.raises(TypeError, match="writable"):
        m.scale(DLPackOnly(np.ones(3), legacy=True), 2.0)  # a legacy capsule cannot say: read-only
    with pytest.raises(TypeError, match="CPU memory"):
        m.total_float64(DLPackOnly(a, device=(2, 0)))
    assert m.total_float32(m.as_dlpack(3, False)) == 1.5  # pyowned's exporter back in


# --- def_buffer ---------------------------------------------------------------------------

@needs_def_buffer
def test_def_buffer_exports_without_copy():
    mat = m.Matrix(2, 3)
    mv = memoryview(mat)
    assert (mv.format, mv.shape, mv.strides, mv.readonly) == ("f", (2, 3), (12, 4), False)
    a = np.asarray(mat)
    assert a.dtype == np.float32 and a.tolist() == [[0, 1, 2], [3, 4, 5]]
    a[1, 1] = 40.0
    assert mat.get(1, 1) == 40.0  # the C++ memory itself
    mv.release()
    del mv, a
    c = m.Constants()
    cv = memoryview(c)
    assert cv.readonly and cv.tolist() == [1, 2, 3, 4] and cv.format == "i"
    with pytest.raises(TypeError):
        cv[0] = 5
    with pytest.raises(BufferError, match="read-only"):
        m.write_first(c, 1)


@needs_def_buffer
def test_exports_block_exclusive_borrows():
    mat = m.Matrix(2, 2)
    mv = memoryview(mat)
    with pytest.raises(BufferError, match="Matrix has 1 exported buffer"):
        mat.resize(4, 4)  # would free the memory the view shows
    with pytest.raises(BufferError):
        mat.tag = 1
    a = np.asarray(mat)
    with pytest.raises(BufferError, match="2 exported buffers"):
        mat.resize(4, 4)
    assert mat.get(0, 1) == 1.0 and mat.tag == 0  # shared borrows still work
    mv.release()
    del a
    gc.collect()
    mat.resize(3, 3)
    mat.tag = 2
    assert np.asarray(mat).shape == (3, 3)


@needs_def_buffer
def test_export_keeps_instance_alive():
    mat = m.Matrix(1, 2)
    mv = memoryview(mat)
    before = sys.getrefcount(mat)
    del mat
    gc.collect()
    assert mv.tolist() == [[0.0, 1.0]] and before >= 3


# --- reference balance and threads ----------------------------------------------------------

@needs_def_buffer
def test_argument_references_balance():
    a = np.arange(8.0)
    ints = np.arange(8)
    mat = m.Matrix(2, 2)
    before = (sys.getrefcount(a), sys.getrefcount(ints), sys.getrefcount(mat))
    for _ in range(repeats(1000)):
        m.total_float64(a)
        m.vec_sum(a)
        m.total_float64(ints)  # a copy made and dropped
        with pytest.raises(TypeError):
            m.total_strict(ints)
        m.same(a)
        memoryview(mat).release()
        m.total_float32(mat)
    assert (sys.getrefcount(a), sys.getrefcount(ints), sys.getrefcount(mat)) == before


@needs_def_buffer
def test_reference_balance(total_refcount_stable):
    # CPython's own exporters and pyowned's: a NumPy wheel is built without the debug
    # interpreter's reference total, so NumPy's increfs are not counted there (the balance
    # with NumPy arrays is test_argument_references_balance's, object by object)
    values = array.array("d", range(6))
    matrix = memoryview(values).cast("B").cast("d", (2, 3))
    shorts = array.array("h", range(6))
    ro = memoryview(bytes(24)).cast("d")
    mat = m.Matrix(2, 2)

    def run(n):
        for _ in range(n):
            m.total_float64(values)
            m.total_float64(shorts)  # copied
            m.at(matrix, 1, 1)
            m.total_float32(DLPackOnly(m.as_dlpack(3, False)))
            m.total_float32(DLPackOnly(m.as_dlpack(3, False), legacy=True))
            for bad in (ro, "x", shorts):
                try:
                    m.scale(bad, 1.0)
                except TypeError:
                    pass
            m.same(memoryview(bytearray(16)).cast("d"))
            m.as_memoryview(2)
            m.as_dlpack(2, True).__dlpack__(max_version=(1, 0))  # unused capsules
            m.as_dlpack(2, False).__dlpack__()
            memoryview(m.fortran_exporter()).release()
            v = memoryview(mat)
            try:
                mat.resize(1, 1)
            except BufferError:
                pass
            v.release()
            m.describe(b"ab")

    total_refcount_stable(run)


@pytest.mark.threads
@needs_def_buffer
def test_threads_share_arrays_and_exports():
    a = np.arange(1000.0)
    mat = m.Matrix(10, 10)
    errors = []

    def work():
        try:
            for _ in range(repeats(200)):
                assert m.vec_sum(a) == 499500.0
                assert m.total_float64(np.arange(10, dtype=np.int32)) == 45.0
                with memoryview(mat) as v:
                    assert v.shape == (10, 10)
                assert m.arange(4).tolist() == [0, 1, 2, 3]
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    mat.resize(2, 2)  # every export released


# --- hostile DLPack producers (capsules made with ctypes) ------------------------------------

def _dlpack_maker():
    import ctypes

    api = ctypes.pythonapi
    api.PyCapsule_New.restype = ctypes.py_object
    api.PyCapsule_New.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]

    class Device(ctypes.Structure):
        _fields_ = [("type", ctypes.c_int32), ("id", ctypes.c_int32)]

    class DataType(ctypes.Structure):
        _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]

    class Tensor(ctypes.Structure):
        _fields_ = [("data", ctypes.c_void_p), ("device", Device), ("ndim", ctypes.c_int32), ("dtype", DataType),
                    ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p), ("byte_offset", ctypes.c_uint64)]

    class Version(ctypes.Structure):
        _fields_ = [("major", ctypes.c_uint32), ("minor", ctypes.c_uint32)]

    class Managed(ctypes.Structure):
        pass

    Deleter = ctypes.CFUNCTYPE(None, ctypes.POINTER(Managed))
    Managed._fields_ = [("version", Version), ("ctx", ctypes.c_void_p), ("deleter", Deleter),
                        ("flags", ctypes.c_uint64), ("tensor", Tensor)]
    calls, keep = [], []

    @Deleter
    def deleter(_):
        calls.append(1)

    def make(shape, strides=None, major=1, device=1, null_shape=False):
        data = (ctypes.c_double * 16)(*range(16))
        extents = (ctypes.c_int64 * max(1, len(shape)))(*shape)
        steps = (ctypes.c_int64 * max(1, len(shape)))(*(strides or [0] * len(shape)))
        managed = Managed()
        managed.version = Version(major, 0)
        managed.deleter = deleter
        managed.tensor = Tensor(ctypes.addressof(data), Device(device, 0), len(shape), DataType(2, 64, 1),
                                None if null_shape else ctypes.addressof(extents),
                                ctypes.addressof(steps) if strides else None, 0)
        keep.append((data, extents, steps, managed))
        # no capsule destructor: the deleter runs only if pyowned consumed the tensor
        return api.PyCapsule_New(ctypes.addressof(managed), b"dltensor_versioned", None)

    return make, calls, (deleter, keep)


class OneCapsule:
    def __init__(self, capsule):
        self.capsule = capsule

    def __dlpack__(self, **kwargs):
        capsule, self.capsule = self.capsule, None
        return capsule


@pytest.mark.thread_unsafe
@pytest.mark.parametrize("spec, function, outcome, deleted", [
    (dict(shape=[4]), "total_float64", 6.0, 1),
    (dict(shape=[2, 2], strides=[1, 2]), "total_float64", 6.0, 1),
    (dict(shape=[4]), "total_int32", TypeError, 1),  # the deleter runs with the TypeError set
    (dict(shape=[4], major=2), "total_float64", BufferError, 0),
    (dict(shape=[4], device=2), "total_float64", TypeError, 0),
    (dict(shape=[4], null_shape=True), "total_float64", TypeError, 0),
    (dict(shape=[-3]), "layout", ValueError, 0),
    (dict(shape=[1 << 40, 1 << 40]), "layout", ValueError, 0),
    (dict(shape=[2], strides=[1 << 62]), "total_float64", OverflowError, 0),
])
def test_hostile_dlpack_producers(spec, function, outcome, deleted):
    make, calls, _keep = _dlpack_maker()
    f = getattr(m, function)
    if isinstance(outcome, type):
        with pytest.raises(outcome):
            f(OneCapsule(make(**spec)))
    else:
        assert f(OneCapsule(make(**spec))) == outcome
    gc.collect()
    assert len(calls) == deleted
