namespace Fabrica.Protocols.Sparkplug;

/// <summary>NCMD and DCMD messages (Sparkplug 3.0 §5.17): QoS 0, not retained, seq-less.</summary>
public static class SparkplugCommands
{
    /// <summary>A Rebirth request: NCMD with <c>Node Control/Rebirth</c> = true, by name (it never has an alias).</summary>
    public static SparkplugMessage Rebirth(string groupId, string edgeNodeId, long timestamp) =>
        Write(SparkplugTopic.ForNode(groupId, SparkplugMessageType.NCMD, edgeNodeId),
            [SparkplugMetric.Named(SparkplugEdgeNode.RebirthMetric, SparkplugValue.Boolean(true), timestamp)], timestamp);

    /// <summary>Writes metric values on an edge node (NCMD topic) or a device (DCMD topic).</summary>
    public static SparkplugMessage Write(SparkplugTopic target, IReadOnlyList<SparkplugMetric> metrics, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.MessageType is not (SparkplugMessageType.NCMD or SparkplugMessageType.DCMD))
            throw new ArgumentException($"Commands go to NCMD or DCMD topics, not {target.MessageType}.", nameof(target));
        return new SparkplugMessage(target, SparkplugPayloadCodec.Encode(new SparkplugPayload(timestamp, null, metrics)), 0, false);
    }
}
