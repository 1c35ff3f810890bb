using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace ChatRegs.Manifest.Tests;

/// <summary>manifest/build.sh: one command, the package with the app id filled in.</summary>
[Trait("Category", "Slow")] // starts Chromium, Node or its own Azurite: skipped by scripts/test.sh --fast (docs/testing.md)
public sealed class BuildScriptTests
{
    private static (int ExitCode, string Output) Build(string? appId, string? domain = TeamsManifest.TestDomain)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(TeamsManifest.Folder, "build.sh"));
        start.Environment["MicrosoftAppId"] = appId ?? "";
        start.Environment["BOT_DOMAIN"] = domain ?? "";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "manifest/build.sh did not finish in a minute");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void The_build_script_zips_the_filled_manifest_the_icons_and_the_localization_file()
    {
        var (exitCode, output) = Build("6F0C4B1E-7A1D-4C55-9A3E-2F1D9F6B0C11");
        Assert.True(exitCode == 0, output);

        var zipPath = Path.Combine(TeamsManifest.Folder, "build", "ChatRegs.zip");
        using var zip = ZipFile.OpenRead(zipPath);
        Assert.Equal(["color.png", "en.json", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order());

        using var reader = new StreamReader(zip.GetEntry("manifest.json")!.Open());
        var text = reader.ReadToEnd();
        Assert.DoesNotContain("{{", text);
        var manifest = JsonNode.Parse(text)!;
        Assert.Equal(TeamsManifest.TestAppId, (string?)manifest["id"]);
        Assert.Equal(TeamsManifest.TestAppId, (string?)manifest["bots"]![0]!["botId"]);
        var problems = TeamsManifest.Validate(TeamsManifest.LoadSchema("teams-manifest-1.24.schema.json"), manifest);
        Assert.True(problems == null, problems);

        foreach (var icon in new[] { "color.png", "outline.png" })
        {
            using var packed = new MemoryStream();
            zip.GetEntry(icon)!.Open().CopyTo(packed);
            Assert.Equal(File.ReadAllBytes(Path.Combine(TeamsManifest.Folder, icon)), packed.ToArray());
        }

        // The second build of the same input is byte for byte the same package.
        var first = File.ReadAllBytes(zipPath);
        zip.Dispose();
        Assert.Equal(0, Build("6F0C4B1E-7A1D-4C55-9A3E-2F1D9F6B0C11").ExitCode);
        Assert.Equal(first, File.ReadAllBytes(zipPath));
    }

    [Fact]
    public void Without_a_valid_app_id_the_build_refuses_with_a_clear_message()
    {
        var (exitCode, output) = Build("not-a-guid");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("MicrosoftAppId", output);
        Assert.Contains("not a GUID", output);
    }
}
