using Fabrica.Platform.Alarms;
using Fabrica.Server.Hosting;
using Fabrica.Server.Mqtt;
using Fabrica.Server.WebConsole.Components;
using Fabrica.Server.WebConsole.Live;
using Fabrica.Server.WebConsole.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using MudBlazor.Services;

namespace Fabrica.Server.WebConsole;

/// <summary>
/// Wires the web console (issue 8) into the host: Blazor with interactive server rendering, MudBlazor, the session
/// cookie, the live sample feed behind ingest, and alarm signals behind the platform's event publisher.
/// </summary>
internal static class ConsoleServices
{
    public static IServiceCollection AddFabricaConsole(this IServiceCollection services, FabricaServerOptions options)
    {
        services.AddSingleton<LiveSampleFeed>();
        services.AddSingleton<PlatformSignals>();
        // Alarm changes reach the console's pages through the same publisher that sends them to MQTT subscribers.
        services.AddSingleton<IPlatformEvents>(sp => new SignallingPlatformEvents(
            sp.GetRequiredService<MqttCommandChannel>(), sp.GetRequiredService<PlatformSignals>()));
        services.AddConsoleSession(options.DataDirectory);
        services.AddRazorComponents().AddInteractiveServerComponents(o => o.DetailedErrors = false);
        services.AddCascadingAuthenticationState();
        services.AddMudServices();
        services.AddScoped<ConsoleClock>();
        services.AddSingleton<ConsoleSignIn>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(LiveSampleFeed.MeterName, ConsoleSignIn.MeterName));
        return services;
    }

    /// <summary>Maps the console's pages, its Blazor hub and its static files; every page but sign-in needs a session.</summary>
    public static WebApplication MapFabricaConsole(this WebApplication app)
    {
        app.UseAntiforgery();
        // The manifest is written by the build of the application (`fabrica`); a host embedded elsewhere (the server's
        // own tests) has none, and serves the pages without their scripts rather than failing to start.
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{app.Environment.ApplicationName}.staticwebassets.endpoints.json");
        if (File.Exists(manifest))
            app.MapStaticAssets(manifest).AllowAnonymous();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .RequireAuthorization(ConsoleSession.ConsolePolicy);
        app.MapPost("/logout", SignOutAsync).RequireAuthorization(ConsoleSession.ConsolePolicy)
            .WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        return app;
    }

    private static async Task<RedirectHttpResult> SignOutAsync(HttpContext http, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await http.SignOutAsync(ConsoleSession.Scheme);
        return TypedResults.LocalRedirect("/login");
    }
}
