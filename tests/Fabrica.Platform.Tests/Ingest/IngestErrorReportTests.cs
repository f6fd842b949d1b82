using System.Text.Json;
using Fabrica.Platform.Ingest;

namespace Fabrica.Platform.Tests.Ingest;

public sealed class IngestErrorReportTests
{
    [Fact]
    public void The_errors_topic_payload_has_camel_case_fields_and_a_snake_case_reason()
    {
        var report = new IngestErrorReport("press-7", RejectReason.TimestampInFuture, "$[3].ts", "Check the clock.", 1764480000000);

        var json = JsonDocument.Parse(report.ToUtf8Json()).RootElement;

        Assert.Equal(
            ["device", "reason", "field", "message", "ts"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("timestamp_in_future", json.GetProperty("reason").GetString());
        Assert.Equal("$[3].ts", json.GetProperty("field").GetString());
        Assert.Equal(1764480000000, json.GetProperty("ts").GetInt64());
    }

    [Fact]
    public void A_report_without_a_field_says_null()
    {
        var json = JsonDocument.Parse(new IngestErrorReport("d", RejectReason.PayloadTooLarge, null, "m", 1).ToUtf8Json()).RootElement;

        Assert.Equal(JsonValueKind.Null, json.GetProperty("field").ValueKind);
    }

    [Fact]
    public void A_report_round_trips_through_its_JSON()
    {
        var report = new IngestErrorReport("press-7", RejectReason.InvalidKey, "$['a/b']", "A tag name must not contain '/'.", 5);

        Assert.Equal(report, IngestErrorReport.FromUtf8Json(report.ToUtf8Json()));
    }

    [Fact]
    public void Every_reason_has_the_same_wire_name_in_JSON_and_in_metrics()
    {
        foreach (var reason in RejectReasons.All)
        {
            var json = new IngestErrorReport("d", reason, null, "m", 0).ToUtf8Json();

            Assert.Equal(reason.WireName(), JsonDocument.Parse(json).RootElement.GetProperty("reason").GetString());
        }
    }

    [Fact]
    public void Wire_names_are_unique_snake_case()
    {
        var names = RejectReasons.All.Select(r => r.WireName()).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z]+(_[a-z0-9]+)*$", n));
    }
}
