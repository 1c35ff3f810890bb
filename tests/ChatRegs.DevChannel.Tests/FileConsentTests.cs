using System.Text;
using ChatRegs.Bot.DevChannel;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace ChatRegs.DevChannel.Tests;

/// <summary>
/// An export on the local chat page goes through Teams' file consent flow as in Teams: the
/// consent card shows the file with 接受/拒绝, accepting uploads it and shows a download link
/// that serves the very bytes the bot made; declining says so and uploads nothing.
/// </summary>
public sealed class FileConsentTests
{
    /// <summary>A stand-in for any export (attendance CSV, weekly digest…): offers a known file.</summary>
    private sealed class ExportProbe(IFileExporter exporter) : ICardActionHandler
    {
        public static readonly byte[] Csv = Encoding.UTF8.GetBytes("\uFEFF姓名,出勤\n王小明,4\n");

        public string Verb => "devtest.export";

        public async Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
        {
            await exporter.OfferAsync(turnContext, "出勤-2026-11.csv", "text/csv", Csv, "2026年11月出勤统计", cancellationToken);
            return CardActionResult.Done;
        }
    }

    private static DevChannelFactory Factory() => new(services: services => services.AddSingleton<ICardActionHandler, ExportProbe>());

    private static JObject Card(JObject activity) => (JObject)activity["attachments"]![0]!["content"]!;

    private static Task<JObject> PressAsync(DirectLineClient chat, JObject button, string locale) => chat.PostAsync(new JObject
    {
        ["type"] = "message",
        ["value"] = button["data"]!.DeepClone(),
        ["channelData"] = new JObject { ["postBack"] = true },
        ["locale"] = locale,
    });

    [Theory]
    [InlineData("zh-CN", "接受", "下载")]
    [InlineData("en-US", "Accept", "Download")]
    public async Task Accepting_the_consent_card_uploads_the_file_and_the_link_downloads_it(string locale, string accept, string download)
    {
        await using var factory = Factory();
        var http = factory.CreateClient();
        var chat = await DirectLineClient.StartAsync(http, "office");
        await chat.PollAsync();

        await chat.PostAsync(new JObject { ["type"] = "message", ["value"] = new JObject { ["verb"] = "devtest.export" }, ["locale"] = locale });
        var consent = Card(Assert.Single(await chat.PollAsync(), a => a["attachments"] is JArray { Count: > 0 }));
        Assert.Equal("AdaptiveCard", (string?)consent["type"]);
        Assert.Contains("出勤-2026-11.csv", consent.ToString());
        Assert.Contains("2026年11月出勤统计", consent.ToString());
        var buttons = (JArray)consent["actions"]!;
        Assert.Equal(2, buttons.Count);
        Assert.Equal(accept, (string?)buttons[0]["title"]);

        await PressAsync(chat, (JObject)buttons[0], locale);
        var file = Card(Assert.Single(await chat.PollAsync(), a => a["attachments"] is JArray { Count: > 0 }));
        Assert.Contains("出勤-2026-11.csv", file.ToString());
        var link = (JObject)file["actions"]![0]!;
        Assert.Equal("Action.OpenUrl", (string?)link["type"]);
        Assert.Equal(download, (string?)link["title"]);

        var response = await http.GetAsync(new Uri((string)link["url"]!).PathAndQuery);
        response.EnsureSuccessStatusCode();
        Assert.Equal(ExportProbe.Csv, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("出勤-2026-11.csv", response.Content.Headers.ContentDisposition?.FileNameStar);
    }

    [Fact]
    public async Task Declining_says_so_and_nothing_is_uploaded_and_a_made_up_upload_address_is_refused()
    {
        await using var factory = Factory();
        var http = factory.CreateClient();
        var chat = await DirectLineClient.StartAsync(http, "office");
        await chat.PollAsync();
        await chat.PostAsync(new JObject { ["type"] = "message", ["value"] = new JObject { ["verb"] = "devtest.export" }, ["locale"] = "zh-CN" });
        var consent = Card(Assert.Single(await chat.PollAsync(), a => a["attachments"] is JArray { Count: > 0 }));

        await PressAsync(chat, (JObject)consent["actions"]![1]!, "zh-CN");
        var feed = await chat.PollAsync();
        Assert.Contains(feed, a => (string?)a["text"] == "已取消下载。");
        Assert.DoesNotContain(feed, a => a["attachments"]?.ToString().Contains("Action.OpenUrl") == true);

        var forged = await http.PutAsync("/devchannel/files/" + Guid.NewGuid().ToString("N"), new ByteArrayContent([1, 2, 3]));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, forged.StatusCode);
    }
}
