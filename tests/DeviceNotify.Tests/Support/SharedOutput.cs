using System.Text;

namespace DeviceNotify.Tests.Support;

/// <summary>An output stream one thread writes (the monitor) while another reads what was written so far (the test).</summary>
internal sealed class SharedOutput : Stream
{
    private readonly MemoryStream _buffer = new();

    public string Text
    {
        get
        {
            lock (_buffer)
                return Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length);
        }
    }

    public string[] Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_buffer)
            _buffer.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_buffer)
            _buffer.Write(buffer);
    }

    public override void Flush()
    {
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
