using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatRegs.WeeklyReports.Tests.Support;

/// <summary>
/// Teams' side of the Bot Framework connector, as the bot's HttpClient sees it: accepts every
/// message posted to a conversation and every 1:1 chat created, and records them (with the
/// activity JSON) so tests can read what each person received.
/// </summary>
public sealed class RecordingConnector : HttpMessageHandler
{
    public const string ServiceUrl = "https://smba.test/teams/";

    private readonly List<Sent> _sent = [];
    private int _ids;

    public IReadOnlyList<Sent> Messages
    {
        get { lock (_sent) { return _sent.ToList(); } }
    }

    /// <summary>The messages posted to one conversation.</summary>
    public IReadOnlyList<Sent> To(string conversationId) => Messages.Where(m => m.ConversationId == conversationId).ToList();

    public void Clear()
    {
        lock (_sent)
        {
            _sent.Clear();
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content == null ? "" : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var path = request.RequestUri!.AbsolutePath;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(parts, "conversations");
        string id;
        if (at >= 0 && at == parts.Length - 1)
        {
            // Create a 1:1 chat: Teams answers with the conversation's id.
            var member = (string?)JsonNode.Parse(body)?["members"]?[0]?["id"];
            id = "a:1to1-" + member;
        }
        else
        {
            var conversation = Uri.UnescapeDataString(parts[at + 1]);
            lock (_sent)
            {
                _sent.Add(new Sent(conversation, JsonNode.Parse(body)!.AsObject()));
            }
            id = "msg-" + Interlocked.Increment(ref _ids);
        }
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(new JsonObject { ["id"] = id }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
    }

    public sealed record Sent(string ConversationId, JsonObject Activity)
    {
        /// <summary>Every text a person can read in the message and its cards.</summary>
        public string Text => WeeklyHost.ReadableText(Activity);
    }
}
