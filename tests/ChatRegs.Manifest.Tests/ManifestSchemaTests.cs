using System.Text.Json.Nodes;

namespace ChatRegs.Manifest.Tests;

public sealed class ManifestSchemaTests
{
    private const string Schema = "teams-manifest-1.24.schema.json";

    [Fact]
    public void The_manifest_with_an_app_id_filled_in_is_valid_against_the_Teams_1_24_schema()
    {
        var manifest = TeamsManifest.Filled();
        var problems = TeamsManifest.Validate(TeamsManifest.LoadSchema(Schema), manifest);
        Assert.True(problems == null, problems);
    }

    [Fact]
    public void The_manifest_declares_its_schema_and_version()
    {
        var manifest = TeamsManifest.Filled();
        Assert.Equal("https://developer.microsoft.com/json-schemas/teams/v1.24/MicrosoftTeams.schema.json", (string?)manifest["$schema"]);
        Assert.Equal("1.24", (string?)manifest["manifestVersion"]);
    }

    [Theory]
    [InlineData("1.23")]
    [InlineData("1.30")]
    [InlineData("1.24.0")]
    public void A_wrong_manifestVersion_is_rejected(string version)
    {
        var manifest = TeamsManifest.Filled();
        manifest["manifestVersion"] = version;
        var problems = TeamsManifest.Validate(TeamsManifest.LoadSchema(Schema), manifest);
        Assert.NotNull(problems);
        Assert.Contains("/manifestVersion", problems);
    }

    [Fact]
    public void Without_an_app_id_the_manifest_is_not_valid()
    {
        // The placeholder is not a GUID: the package must be built with a real id.
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(TeamsManifest.Folder, "manifest.json")))!;
        Assert.NotNull(TeamsManifest.Validate(TeamsManifest.LoadSchema(Schema), manifest));
    }

    [Fact]
    public void The_English_localization_file_is_valid_against_the_localization_schema()
    {
        var en = TeamsManifest.Filled("en.json");
        var problems = TeamsManifest.Validate(TeamsManifest.LoadSchema("teams-manifest-localization-1.24.schema.json"), en);
        Assert.True(problems == null, problems);

        var manifest = TeamsManifest.Filled();
        var language = Assert.Single(manifest["localizationInfo"]!["additionalLanguages"]!.AsArray())!;
        Assert.Equal("en", (string?)language["languageTag"]);
        Assert.Equal("en.json", (string?)language["file"]);
        Assert.Equal("zh-cn", (string?)manifest["localizationInfo"]!["defaultLanguageTag"]);
    }

    [Fact]
    public void The_bot_is_in_personal_team_and_group_chat_with_its_id_from_configuration()
    {
        var manifest = TeamsManifest.Filled();
        Assert.Equal(TeamsManifest.TestAppId, (string?)manifest["id"]);
        var bot = Assert.Single(manifest["bots"]!.AsArray())!;
        Assert.Equal(TeamsManifest.TestAppId, (string?)bot["botId"]);
        Assert.Equal(["personal", "team", "groupChat"], bot["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(TeamsManifest.TestAppId, (string?)manifest["webApplicationInfo"]!["id"]);
        Assert.Contains(TeamsManifest.TestDomain, manifest["validDomains"]!.AsArray().Select(d => (string?)d));

        // The raw file keeps placeholders: the id is never edited in by hand.
        var raw = File.ReadAllText(Path.Combine(TeamsManifest.Folder, "manifest.json"));
        Assert.DoesNotMatch("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", raw);
    }

    [Fact]
    public void The_meeting_features_have_their_resource_specific_permissions()
    {
        var permissions = TeamsManifest.Filled()["authorization"]!["permissions"]!["resourceSpecific"]!.AsArray()
            .Select(p => ((string?)p!["name"], (string?)p["type"])).ToList();
        // Meeting start/end and participant join/leave events, in chat meetings and channel meetings.
        Assert.Contains(("OnlineMeeting.ReadBasic.Chat", "Application"), permissions);
        Assert.Contains(("OnlineMeetingParticipant.Read.Chat", "Application"), permissions);
        Assert.Contains(("ChannelMeeting.ReadBasic.Group", "Application"), permissions);
        Assert.Contains(("ChannelMeetingParticipant.Read.Group", "Application"), permissions);
    }
}
