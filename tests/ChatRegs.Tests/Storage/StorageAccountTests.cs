using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.Tests.Storage;

/// <summary>
/// The storage account named two ways (Bot/Storage/StorageAccount.cs): ChatRegs:Storage:ServiceUri
/// with a token credential (production: the managed identity, no key) and the connection string
/// (Azurite). Table creation and the health check go through the same client either way; wrong
/// settings stop the bot at start-up with a message that says what to set.
/// </summary>
public sealed class StorageAccountTests
{
    private const string Endpoint = "https://chatregsprod.table.core.windows.net/";

    [Fact]
    public async Task A_service_uri_sends_a_bearer_token_for_storage_and_no_key_for_table_creation_and_the_health_check()
    {
        var credential = new RecordingCredential();
        var storage = new RecordingHandler();
        var options = new StorageOptions { ServiceUri = Endpoint, TablePrefix = "T" };
        var client = StorageAccount.CreateServiceClient(options, new TableClientOptions { Transport = new HttpClientTransport(new HttpClient(storage)) }, credential);

        Assert.Equal("chatregsprod", client.AccountName);
        await client.CreateTableIfNotExistsAsync("TBotState");
        Assert.Null(await new StorageHealthCheck(client, new TableNames(options)).CheckAsync(CancellationToken.None));

        Assert.Equal(2, storage.Requests.Count);
        Assert.All(storage.Requests, r =>
        {
            Assert.StartsWith(Endpoint, r.Uri);
            Assert.Equal("Bearer token-for-storage", r.Authorization);
        });
        Assert.Contains("https://storage.azure.com/.default", credential.Scopes);
    }

    [Fact]
    public void Without_a_registered_credential_the_service_uri_uses_DefaultAzureCredential_and_no_request_is_made_to_build_it()
    {
        var client = StorageAccount.CreateServiceClient(new StorageOptions { ServiceUri = Endpoint, ConnectionString = "" }, new TableClientOptions());
        Assert.Equal(new Uri(Endpoint), client.Uri);
        Assert.Equal("chatregsprod", client.AccountName);
        Assert.True(StorageAccount.UsesServiceUri(new StorageOptions { ServiceUri = Endpoint }));
        Assert.DoesNotContain("Key", StorageAccount.Describe(new StorageOptions { ServiceUri = Endpoint }));
    }

    [Fact]
    public async Task The_connection_string_still_reaches_Azurite_for_table_creation_and_the_health_check()
    {
        var options = new StorageOptions { ConnectionString = Azurite.ConnectionString, TablePrefix = "S" + Guid.NewGuid().ToString("N")[..10] };
        var client = StorageAccount.CreateServiceClient(options, new TableClientOptions());
        var names = new TableNames(options);
        try
        {
            await client.CreateTableIfNotExistsAsync(names.BotState);
            Assert.Null(await new StorageHealthCheck(client, names).CheckAsync(CancellationToken.None));
        }
        finally
        {
            await client.DeleteTableAsync(names.BotState);
        }
    }

    [Theory]
    [InlineData(Endpoint, "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=a2V5;EndpointSuffix=core.windows.net", "Both ChatRegs:Storage:ServiceUri and ChatRegs:Storage:ConnectionString are set")]
    [InlineData("http://chatregsprod.table.core.windows.net/", "", "is not an https address")]
    [InlineData("chatregsprod.table.core.windows.net", "", "is not an https address")]
    [InlineData("https://chatregsprod.table.core.windows.net/?sv=2024&sig=abc", "", "without a query")]
    [InlineData("", "", "No storage account is configured")]
    [InlineData(null, "  ", "No storage account is configured")]
    public void Settings_that_name_no_account_or_two_are_refused_with_what_to_set(string? serviceUri, string connectionString, string expected)
    {
        var options = new StorageOptions { ServiceUri = serviceUri, ConnectionString = connectionString };
        Assert.Contains(expected, StorageAccount.Problem(options));
        var refused = Assert.Throws<InvalidOperationException>(() => StorageAccount.CreateServiceClient(options, new TableClientOptions()));
        Assert.Contains(expected, refused.Message);
    }

    [Theory]
    [InlineData(Endpoint, "")]
    [InlineData(Endpoint, StorageAccount.DevelopmentConnectionString)] // the shipped default gives way
    [InlineData(null, StorageAccount.DevelopmentConnectionString)]
    public void One_account_is_accepted(string? serviceUri, string connectionString) =>
        Assert.Null(StorageAccount.Problem(new StorageOptions { ServiceUri = serviceUri, ConnectionString = connectionString }));

    [Fact]
    public async Task The_bot_refuses_to_start_with_both_a_service_uri_and_a_connection_string_and_says_why()
    {
        await using var factory = new BotFactory(new()
        {
            ["ChatRegs:Storage:ServiceUri"] = Endpoint,
            ["ChatRegs:Storage:ConnectionString"] = "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=a2V5;EndpointSuffix=core.windows.net",
        });
        var refused = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());
        Assert.Contains("set only one", refused.Message);
    }

    [Fact]
    public async Task When_the_identity_gets_no_token_turns_answer_not_saved_and_healthz_is_503_with_the_reason_in_the_log()
    {
        await using var factory = new BotFactory(new() { ["ChatRegs:Storage:ServiceUri"] = Endpoint, ["ChatRegs:Storage:ConnectionString"] = "" });
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TokenCredential>(new NoTokenCredential())));
        var client = app.CreateClient();

        var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains(factory.Logs.Entries, e => e.Message.Contains("no managed identity here", StringComparison.Ordinal));

        var replies = await TeamsHttp.PostAsync(client, TeamsHttp.Activity("message", "帮助", "a:no-token"));
        var message = Assert.Single(replies, r => (string?)r!["type"] == "message");
        Assert.Equal("没有保存成功，请稍后再试。已保存的内容不受影响。", (string?)message!["text"]);
        var english = await TeamsHttp.PostAsync(client, TeamsHttp.Activity("message", "help", "a:no-token-en", "en-US"));
        Assert.Equal("Not saved. Please try again. Nothing saved earlier was affected.", (string?)Assert.Single(english, r => (string?)r!["type"] == "message")!["text"]);
    }

    /// <summary>Gives a token and records the scopes asked for.</summary>
    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (Scopes)
            {
                Scopes.AddRange(requestContext.Scopes);
            }
            return new AccessToken("token-for-storage", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>What DefaultAzureCredential does where there is no identity.</summary>
    private sealed class NoTokenCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new CredentialUnavailableException("no managed identity here");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new CredentialUnavailableException("no managed identity here");
    }

    /// <summary>Table Storage as far as these requests need it: a created table, an empty query.</summary>
    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<(string Method, string Uri, string? Authorization)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add((request.Method.Method, request.RequestUri!.ToString(), request.Headers.Authorization?.ToString()));
            }
            var body = request.Method == HttpMethod.Post
                ? new JsonObject { ["TableName"] = "TBotState" }
                : new JsonObject { ["value"] = new JsonArray() };
            var response = new HttpResponseMessage(request.Method == HttpMethod.Post ? HttpStatusCode.Created : HttpStatusCode.OK)
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            response.Content.Headers.ContentType = new("application/json") { Parameters = { new("odata", "minimalmetadata") } };
            return Task.FromResult(response);
        }
    }
}
