using System.Globalization;

namespace Fabrica.Bench.Peers;

/// <summary>One result line on stdout (<c>key=value …</c>) for the scripts; progress goes to stderr.</summary>
internal static class Report
{
    public static void Line(params (string Key, object Value)[] fields) =>
        Console.WriteLine(string.Join(' ', fields.Select(f => f.Key + "=" + Format(f.Value))));

    public static void Progress(string message) => Console.Error.WriteLine(message);

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, p * sorted.Count)];

    private static string Format(object value) => value switch
    {
        double d => d.ToString(Math.Abs(d) >= 1000 ? "F0" : "G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
