namespace ChatRegs.Manifest.Tests;

/// <summary>The meeting side panel / meeting tab and the personal tab in the app package (Bot/Tabs, docs/teams-meeting.md).</summary>
public sealed class TabManifestTests
{
    [Fact]
    public void The_meeting_tab_is_configurable_in_the_side_panel_the_meeting_chat_and_details_and_channels()
    {
        var manifest = TeamsManifest.Filled();
        var tab = Assert.Single(manifest["configurableTabs"]!.AsArray())!;
        Assert.Equal($"https://{TeamsManifest.TestDomain}/tabs/config.html", (string?)tab["configurationUrl"]);
        var contexts = tab["context"]!.AsArray().Select(c => (string?)c).ToList();
        foreach (var context in new[] { "meetingSidePanel", "meetingChatTab", "meetingDetailsTab", "channelTab" })
        {
            Assert.Contains(context, contexts);
        }
        Assert.Equal(["team", "groupChat"], tab["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(["sidePanel"], tab["meetingSurfaces"]!.AsArray().Select(s => (string?)s));
    }

    [Fact]
    public void The_personal_tab_is_served_by_the_bot_and_named_in_both_languages()
    {
        var manifest = TeamsManifest.Filled();
        var tab = Assert.Single(manifest["staticTabs"]!.AsArray())!;
        Assert.Equal(["personal"], tab["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.Equal($"https://{TeamsManifest.TestDomain}/tabs/personal.html", (string?)tab["contentUrl"]);
        Assert.Equal("我的例会事项", (string?)tab["name"]);
        Assert.Equal("My meeting tasks", (string?)TeamsManifest.Filled("en.json")["staticTabs[0].name"]);
    }

    [Fact]
    public void Single_sign_on_names_the_bots_app_registration_on_the_bots_domain()
    {
        var info = TeamsManifest.Filled()["webApplicationInfo"]!;
        Assert.Equal(TeamsManifest.TestAppId, (string?)info["id"]);
        // Teams asks Entra ID for a token for this resource; the tab's domain must be the resource's.
        Assert.Equal($"api://{TeamsManifest.TestDomain}/{TeamsManifest.TestAppId}", (string?)info["resource"]);
    }
}
