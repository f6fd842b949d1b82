namespace Fabrica.Identifiers.Dns;

/// <summary>The zones a node serves: the ONS root, the ORS zone and the handle zone of its options, each with an SOA.</summary>
public static class DnsZones
{
    public static IReadOnlyList<DnsZone> For(DnsServerOptions options, TimeProvider time)
    {
        // The serial only has to grow between starts: no secondary transfers these zones (AXFR is refused).
        var serial = (uint)time.GetUtcNow().ToUnixTimeSeconds();
        return [.. new[] { options.OnsRoot, options.OrsZone, options.HandleZone }
            .Select(DnsName.Parse)
            .DistinctBy(Convert.ToHexString)
            .Select(apex => Zone(apex, serial, options.NegativeTtl))];
    }

    /// <summary>An SOA (RFC 1035 §3.3.13) naming <c>ns.&lt;zone&gt;</c> and <c>hostmaster.&lt;zone&gt;</c>; MINIMUM is the negative TTL.</summary>
    public static DnsZone Zone(byte[] apex, uint serial, uint negativeTtl)
    {
        var soa = DnsRecord.Soa(apex, 3600, Prepend("ns", apex), Prepend("hostmaster", apex), serial, 3600, 600, 86400, negativeTtl);
        return new DnsZone(apex, soa, negativeTtl);
    }

    private static byte[] Prepend(string label, byte[] name) => [(byte)label.Length, .. System.Text.Encoding.ASCII.GetBytes(label), .. name];
}
