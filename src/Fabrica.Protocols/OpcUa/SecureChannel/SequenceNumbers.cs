namespace Fabrica.Protocols.OpcUa.SecureChannel;

/// <summary>
/// Sequence numbers of one direction of a secure channel (OPC 10000-6 §6.7.2.4): every chunk carries the
/// previous one's number plus one; after 4 294 966 271 (UInt32.MaxValue − 1024) the sender wraps to a value
/// below 1024. A gap or repeat means a lost, replayed or reordered chunk and ends the channel.
/// </summary>
public struct SequenceNumbers
{
    public const uint WrapThreshold = uint.MaxValue - 1024;

    private uint _last;
    private bool _started;

    /// <summary>The next number to send (starting at 1).</summary>
    public uint Next()
    {
        _last = !_started ? 1 : _last >= WrapThreshold ? 1 : _last + 1;
        _started = true;
        return _last;
    }

    /// <summary>Checks a received number against the previous one; the first one is accepted as it comes.</summary>
    public void Accept(uint sequenceNumber)
    {
        if (_started)
        {
            var wrapped = _last >= WrapThreshold && sequenceNumber < 1024;
            if (!wrapped && sequenceNumber != _last + 1)
            {
                OpcUaThrow.Status(StatusCodes.BadSequenceNumberInvalid, $"sequence number {sequenceNumber} after {_last}");
            }
        }
        _last = sequenceNumber;
        _started = true;
    }
}
