using Microsoft.Extensions.DependencyInjection.Extensions;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Server;

namespace Fabrica.Server.Mqtt;

/// <summary>
/// Starts the MQTT broker <i>before</i> Kestrel accepts connections and stops it after Kestrel has stopped.
/// <para>
/// MQTTnet's <c>AddHostedMqttServer</c> starts the broker from <c>ApplicationStarted</c>, fire-and-forget — after
/// Kestrel is already listening. A device or edge connecting in between (an edge retrying every 200 ms while the
/// platform restarts does exactly that) reached MQTTnet's connection handler before the broker had given it its
/// options, and failed with a NullReferenceException in <c>MqttConnectionHandler.OnConnectedAsync</c>; and
/// <c>fabrica ready</c> could be printed before MQTT was served. A user hosted service runs before the web server
/// starts (ASP.NET Core minimal hosting registers the server's hosted service last), so awaiting the start here closes
/// that window; stopping runs in reverse order, so the broker outlives Kestrel's connections.
/// </para>
/// </summary>
internal sealed class MqttBrokerLifetime(MqttServer broker) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => broker.StartAsync();

    public Task StopAsync(CancellationToken cancellationToken) => broker.StopAsync(new MqttServerStopOptionsBuilder().Build());
}

internal static class MqttBrokerServices
{
    /// <summary>The broker for Kestrel's MQTT listener (<c>UseMqtt()</c>), started and stopped by <see cref="MqttBrokerLifetime"/>.</summary>
    public static IServiceCollection AddMqttBroker(this IServiceCollection services, Action<MqttServerOptionsBuilder> configure)
    {
        var options = new MqttServerOptionsBuilder();
        configure(options);
        services.AddSingleton(options.Build());
        services.TryAddSingleton<IMqttNetLogger>(MqttNetNullLogger.Instance);
        services.AddSingleton(sp => new MqttServer(sp.GetRequiredService<MqttServerOptions>(), sp.GetServices<IMqttServerAdapter>(), sp.GetRequiredService<IMqttNetLogger>()));
        services.AddHostedService<MqttBrokerLifetime>();
        return services;
    }
}
