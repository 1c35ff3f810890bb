using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatRegs.Infra.Tests;

/// <summary>
/// infra/ (the whole Azure deployment, docs/deployment.md) builds and lints clean with the Bicep
/// CLI restored from NuGet (Azure.Bicep.CommandLine.linux-x64, this project's PackageReference):
/// no error and no warning, the parameters file included. The compiled template is then read
/// for what the deployment promises: a managed identity with the Table data role, no storage
/// keys, the client secret only in Key Vault, Application Insights, the Teams channel.
/// Slow: the CLI is a large native process that takes several seconds to start.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class BicepTemplateTests
{
    private static readonly string Root = RepoRoot();
    private static readonly string Infra = Path.Combine(Root, "infra");

    [Fact]
    public async Task The_template_builds_without_errors_or_warnings()
    {
        var (exit, output) = await BicepAsync("build", Path.Combine(Infra, "main.bicep"), "--stdout");
        Assert.True(exit == 0, "bicep build failed:\n" + output);
        Assert.Empty(Diagnostics(output));
    }

    [Fact]
    public async Task The_template_and_its_parameters_lint_clean()
    {
        foreach (var file in new[] { "main.bicep", "main.bicepparam" })
        {
            var (exit, output) = await BicepAsync("lint", Path.Combine(Infra, file));
            Assert.True(exit == 0, $"bicep lint {file} failed:\n{output}");
            var diagnostics = Diagnostics(output);
            Assert.True(diagnostics.Count == 0, $"bicep lint {file}:\n" + string.Join("\n", diagnostics));
        }
        var (paramsExit, paramsOutput) = await BicepAsync("build-params", Path.Combine(Infra, "main.bicepparam"), "--stdout");
        Assert.True(paramsExit == 0, "bicep build-params failed:\n" + paramsOutput);
        Assert.Empty(Diagnostics(paramsOutput));
    }

    [Fact]
    public async Task The_deployment_gives_the_app_an_identity_with_table_data_access_and_keeps_every_key_out_of_its_settings()
    {
        var (exit, output) = await BicepAsync("build", Path.Combine(Infra, "main.bicep"), "--stdout");
        Assert.True(exit == 0, output);
        var template = JsonNode.Parse(output[output.IndexOf('{')..])!.AsObject();
        // An array, or an object of symbolic names (language version 2.0).
        var resources = template["resources"] is JsonArray array
            ? array.Select(r => r!.AsObject()).ToList()
            : template["resources"]!.AsObject().Select(r => r.Value!.AsObject()).ToList();
        string TypeOf(JsonObject r) => (string)r["type"]!;
        var types = resources.Select(TypeOf).ToList();
        foreach (var expected in new[]
        {
            "Microsoft.Web/serverfarms", "Microsoft.Web/sites", "Microsoft.Storage/storageAccounts", "Microsoft.KeyVault/vaults",
            "Microsoft.KeyVault/vaults/secrets", "Microsoft.Insights/components", "Microsoft.OperationalInsights/workspaces",
            "Microsoft.BotService/botServices", "Microsoft.BotService/botServices/channels", "Microsoft.Authorization/roleAssignments",
        })
        {
            Assert.Contains(expected, types);
        }

        var plan = resources.Single(r => TypeOf(r) == "Microsoft.Web/serverfarms");
        Assert.True((bool)plan["properties"]!["reserved"]!); // Linux
        Assert.Equal("[parameters('instanceCount')]", (string?)plan["sku"]!["capacity"]);

        var web = resources.Single(r => TypeOf(r) == "Microsoft.Web/sites");
        Assert.Equal("SystemAssigned", (string?)web["identity"]!["type"]);
        Assert.Equal("DOTNETCORE|10.0", (string?)web["properties"]!["siteConfig"]!["linuxFxVersion"]);
        Assert.Equal("/healthz", (string?)web["properties"]!["siteConfig"]!["healthCheckPath"]);

        var storage = resources.Single(r => TypeOf(r) == "Microsoft.Storage/storageAccounts");
        Assert.False((bool)storage["properties"]!["allowSharedKeyAccess"]!);

        // Storage Table Data Contributor on the storage account and Key Vault Secrets User on the vault, for the web app's identity.
        var variables = template["variables"]!.ToJsonString();
        var roles = resources.Where(r => TypeOf(r) == "Microsoft.Authorization/roleAssignments").ToList();
        Assert.Contains("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", variables);
        Assert.Contains("4633458b-17de-408a-b874-0445c86b69e6", variables);
        Assert.Contains(roles, r => r["properties"]!["roleDefinitionId"]!.ToString().Contains("storageTableDataContributor")
            && r["scope"]!.ToString().Contains("Microsoft.Storage/storageAccounts")
            && r["properties"]!["principalId"]!.ToString().Contains("Microsoft.Web/sites"));
        Assert.Contains(roles, r => r["properties"]!["roleDefinitionId"]!.ToString().Contains("keyVaultSecretsUser")
            && r["scope"]!.ToString().Contains("Microsoft.KeyVault/vaults"));

        // The app settings: the secret as a Key Vault reference, storage by its endpoint, no key, the tenants listed.
        var settings = (string)web["properties"]!["siteConfig"]!["appSettings"]! + "\n"
            + template["variables"]!.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains("@Microsoft.KeyVault(SecretUri={0})", settings);
        Assert.Contains("ChatRegs__Storage__ServiceUri", settings);
        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", settings);
        Assert.Contains("ChatRegs__AllowedTenants__", settings);
        Assert.Contains("ChatRegs__Proactive__ShareTenantBudget", settings);
        Assert.Contains("ChatRegs__Meetings__InMeetingNotificationUrl", settings);
        Assert.DoesNotContain("listKeys", output);
        Assert.DoesNotContain("AccountKey", output);
        Assert.DoesNotContain("ConnectionString\"", settings.Replace("APPLICATIONINSIGHTS_CONNECTION_STRING", ""));
        Assert.DoesNotContain("parameters('appPassword')", settings);

        var channel = resources.Single(r => TypeOf(r) == "Microsoft.BotService/botServices/channels");
        Assert.Equal("MsTeamsChannel", (string?)channel["properties"]!["channelName"]);
        var bot = resources.Single(r => TypeOf(r) == "Microsoft.BotService/botServices");
        Assert.Contains("/api/messages", bot["properties"]!["endpoint"]!.ToString());
    }

    /// <summary>The lines of the CLI's output that are diagnostics ("file(line,col) : Warning rule: …", "… : Error BCP…").</summary>
    private static List<string> Diagnostics(string output) =>
        output.Split('\n').Where(l => Diagnostic().IsMatch(l)).ToList();

    [GeneratedRegex(@"\)\s*:\s*(Warning|Error)\s", RegexOptions.IgnoreCase)]
    private static partial Regex Diagnostic();

    private static async Task<(int Exit, string Output)> BicepAsync(params string[] args)
    {
        var cli = BicepPath();
        var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Infra };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // No telemetry, no update check: the CLI stays on this machine.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', args)} did not finish within 5 minutes.");
        }
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>The CLI in the NuGet packages folder, where this project's PackageReference restored it.</summary>
    private static string BicepPath()
    {
        var root = typeof(BicepTemplateTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "BicepPackageRoot")?.Value;
        Assert.False(string.IsNullOrEmpty(root), "the Bicep CLI package root was not recorded at build time (ChatRegs.Infra.Tests.csproj)");
        var cli = Path.Combine(root!, "tools", "bicep");
        Assert.True(File.Exists(cli), $"the Bicep CLI is not at {cli} (restore tests/ChatRegs.Infra.Tests; it is the linux-x64 package)");
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(cli);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(cli, mode | UnixFileMode.UserExecute);
            }
        }
        return cli;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChatRegs.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("ChatRegs.sln not found above " + AppContext.BaseDirectory);
    }
}
