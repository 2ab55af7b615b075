namespace DeviceNotify.Windows.Tests.Layout;

/// <summary>
/// The C layout rules (MSVC and the SysV ABIs agree for these types: natural alignment, no packing pragma) applied to a
/// declaration, for a given pointer size. Checked against the runtime's own layout on x64, and used to compute the x86
/// numbers this machine cannot run.
/// </summary>
internal static class CLayout
{
    /// <summary>A member: a scalar (size = alignment), a GUID (16, aligned 4), a pointer, an array, or a union/struct.</summary>
    internal abstract record Type
    {
        internal abstract (int Size, int Align) Measure(int pointerSize);
    }

    internal sealed record Scalar(int Bytes) : Type
    {
        internal override (int, int) Measure(int pointerSize) => (Bytes, Bytes);
    }

    internal sealed record Pointer : Type
    {
        internal override (int, int) Measure(int pointerSize) => (pointerSize, pointerSize);
    }

    internal sealed record GuidType : Type
    {
        internal override (int, int) Measure(int pointerSize) => (16, 4);
    }

    internal sealed record CArray(Type Element, int Count) : Type
    {
        internal override (int, int) Measure(int pointerSize)
        {
            var (size, align) = Element.Measure(pointerSize);
            return (size * Count, align);
        }
    }

    internal sealed record Struct(params (string Name, Type Type)[] Members) : Type
    {
        internal override (int, int) Measure(int pointerSize)
        {
            var (offsets, size, align) = Lay(pointerSize);
            return (size, align);
        }

        internal (Dictionary<string, int> Offsets, int Size, int Align) Lay(int pointerSize)
        {
            var offsets = new Dictionary<string, int>();
            int at = 0, align = 1;
            foreach (var (name, type) in Members)
            {
                var (size, a) = type.Measure(pointerSize);
                at = (at + a - 1) / a * a;
                offsets[name] = at;
                if (type is Struct or Union)
                {
                    var inner = type is Struct s ? s.Lay(pointerSize).Offsets : ((Union)type).Lay(pointerSize);
                    foreach (var (n, o) in inner)
                        offsets[name + "." + n] = at + o;
                }
                at += size;
                align = Math.Max(align, a);
            }
            return (offsets, (at + align - 1) / align * align, align);
        }
    }

    internal sealed record Union(params (string Name, Type Type)[] Members) : Type
    {
        internal override (int, int) Measure(int pointerSize)
        {
            int size = 0, align = 1;
            foreach (var (_, type) in Members)
            {
                var (s, a) = type.Measure(pointerSize);
                size = Math.Max(size, s);
                align = Math.Max(align, a);
            }
            return ((size + align - 1) / align * align, align);
        }

        internal Dictionary<string, int> Lay(int pointerSize)
        {
            var offsets = new Dictionary<string, int>();
            foreach (var (name, type) in Members)
            {
                offsets[name] = 0;
                if (type is Struct s)
                {
                    foreach (var (n, o) in s.Lay(pointerSize).Offsets)
                        offsets[name + "." + n] = o;
                }
            }
            return offsets;
        }
    }

    internal static readonly Type DWORD = new Scalar(4), LONG = new Scalar(4), WORD = new Scalar(2), BYTE = new Scalar(1), WCHAR = new Scalar(2);
    internal static readonly Type HANDLE = new Pointer(), GUID = new GuidType();
}
