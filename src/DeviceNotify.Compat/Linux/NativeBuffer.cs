using System.Runtime.InteropServices;

namespace DeviceNotify.Compat.Linux;

/// <summary>Zeroed native memory that lives for one callback: event data the callee reads through a pointer.</summary>
internal readonly unsafe struct NativeBuffer : IDisposable
{
    internal NativeBuffer(int size)
    {
        Size = size;
        Pointer = (byte*)NativeMemory.AllocZeroed((nuint)size);
    }

    internal byte* Pointer { get; }

    internal int Size { get; }

    internal static void WriteString(char* destination, string text)
    {
        fixed (char* source = text)
            Buffer.MemoryCopy(source, destination, (long)text.Length * 2, (long)text.Length * 2);
        destination[text.Length] = '\0';
    }

    public void Dispose() => NativeMemory.Free(Pointer);
}
