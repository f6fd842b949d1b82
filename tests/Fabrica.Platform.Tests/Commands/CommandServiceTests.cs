using System.Text.Json;
using Fabrica.Platform.Commands;
using Fabrica.Platform.Models;
using Fabrica.Platform.Tests.Models;

namespace Fabrica.Platform.Tests.Commands;

public sealed class CommandServiceTests
{
    private static readonly Security.Caller Operator = new("token:op", "test");

    private static JsonElement Args(string json) => JsonDocument.Parse(json).RootElement;

    [Theory]
    [InlineData("""{"rpm": 30000}""", "args.rpm", "above the maximum 24000 1/min")]
    [InlineData("""{"rpm": "fast"}""", "args.rpm", "is a number")]
    [InlineData("""{}""", "args.rpm", "is required")]
    [InlineData("""{"rpm": 100, "force": true}""", "args.force", "takes no argument 'force'")]
    [InlineData("""[1]""", "args", "JSON object")]
    public async Task Arguments_are_checked_against_the_type_and_each_problem_names_the_argument(string args, string field, string message)
    {
        await using var bed = await ModelTestBed.StartAsync();
        await bed.Catalog.ImportAsync(Plant.Document, ModelTestBed.Engineer);

        var e = await Assert.ThrowsAsync<ModelValidationException>(() => bed.Commands.SendToAssetAsync("cnc-3", "setSpeed", Args(args), Operator));

        Assert.Contains(e.Errors, x => x.Field == field && x.Message.Contains(message, StringComparison.Ordinal));
        Assert.Empty(bed.Channel.Sent);
    }

    [Fact]
    public async Task A_command_goes_pending_delivered_succeeded_with_the_devices_reply_stored()
    {
        await using var bed = await ModelTestBed.StartAsync();
        await bed.Catalog.ImportAsync(Plant.Document, ModelTestBed.Engineer);

        var command = await bed.Commands.SendToAssetAsync("cnc-3", "setSpeed", Args("""{"rpm": 1200}"""), Operator);
        Assert.Equal((CommandStatus.Pending, "plc-7", "cnc-3", bed.Now + 10_000), (command.Status, command.Device, command.Asset, command.ExpiresAt));
        Assert.Equal(1200, Assert.Single(bed.Channel.Sent).Args.GetProperty("rpm").GetInt32());

        await bed.Commands.OnDeliveredAsync("plc-7", command.Id);
        Assert.Equal(CommandStatus.Delivered, (await bed.Commands.GetAsync(command.Id))!.Status);
        Assert.False(await bed.Commands.OnReplyAsync("other-device", command.Id, new CommandReply(true)));
        Assert.True(await bed.Commands.OnReplyAsync("plc-7", command.Id, new CommandReply(true, Args("""{"rpm": 1198}"""))));

        var done = await bed.Commands.WaitAsync(command.Id, TimeSpan.FromSeconds(1));
        Assert.Equal(CommandStatus.Succeeded, done!.Status);
        Assert.Equal(1198, done.Result!.Value.GetProperty("rpm").GetInt32());
        Assert.Equal(CommandStatus.Succeeded, (await bed.Store.GetCommandAsync(command.Id))!.Status);
    }

    [Fact]
    public async Task A_command_nobody_answers_times_out_and_one_nobody_can_receive_fails_at_once()
    {
        await using var bed = await ModelTestBed.StartAsync();
        await bed.Catalog.ImportAsync(Plant.Document, ModelTestBed.Engineer);
        var silent = await bed.Commands.SendToAssetAsync("cnc-3", "setSpeed", Args("""{"rpm": 10}"""), Operator);

        bed.Time.Advance(TimeSpan.FromSeconds(11));
        await bed.Commands.ExpireAsync();
        bed.Channel.Online = false;
        var offline = await bed.Commands.SendToDeviceAsync("plc-9", "reboot", default, null, Operator);

        var timedOut = await bed.Commands.GetAsync(silent.Id);
        Assert.Equal((CommandStatus.TimedOut, "the device did not acknowledge the command in time"), (timedOut!.Status, timedOut.Error));
        Assert.Equal(CommandStatus.Failed, offline.Status);
        Assert.Contains("not connected", offline.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_or_asset_is_not_found_and_names_what_exists()
    {
        await using var bed = await ModelTestBed.StartAsync();
        await bed.Catalog.ImportAsync(Plant.Document, ModelTestBed.Engineer);

        var e = await Assert.ThrowsAsync<ModelNotFoundException>(() => bed.Commands.SendToAssetAsync("cnc-3", "explode", default, Operator));
        await Assert.ThrowsAsync<ModelNotFoundException>(() => bed.Commands.SendToAssetAsync("cnc-99", "setSpeed", default, Operator));

        Assert.Contains("'setSpeed'", e.Message, StringComparison.Ordinal);
    }
}
