using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Storage;
using ChatRegs.Resilience.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.Resilience.Tests;

/// <summary>
/// Every command the bot registers, in both languages, with arguments typed oddly: each gets an
/// answer in words (no 500, no apology for an unhandled error) and changes no record. A class of
/// its own (beside <see cref="BadInputCorpusTests"/>) so xunit runs it side by side with the rest.
/// </summary>
public sealed class OddCommandArgumentTests : IAsyncLifetime
{
    private BadInputBot _bot = null!;

    public async Task InitializeAsync() => _bot = await BadInputBot.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    /// <summary>
    /// What may follow a command word, typed oddly: full-width and other scripts' digits in
    /// dates, months, weeks and times (a Chinese input method types ２０２６－１２－０５), the ends of
    /// the calendar, numbers past every integer type, bidi overrides, zero-width and combining
    /// characters, emoji sequences, Chinese punctuation, NUL, and a long argument.
    /// </summary>
    public static readonly string[] OddArguments =
    [
        "２０２６－１２－０５", "２０２６年１２月０５日", "１２月５日", "２０２６－１２", "２０２６年１２月", "２０２６－Ｗ４９", "２０２６-W４９",
        "٢٠٢٦-١٢-٠٥", "٢٠٢٦-W٤٩", "१२-०५", "०८:३०", "2026-12-05 ２０２６－１２－３１",
        "9999-12", "0001-01", "0000-00-00", "9999-12-31 0001-01-01", "2026-W99", "10000-01",
        "-1", "9223372036854775808", "1e308", "NaN",
        "\u202e2026-12\u202c", "2026\u200b-12", "2\u03360\u03362\u03366-1\u03362", "👨‍👩‍👧‍👦 🏳️‍🌈", "，。；：？！「」", "\u0000", new string('长', 5_000),
    ];

    [Fact]
    public async Task Every_command_answers_odd_arguments_in_words()
    {
        // Two senders: the employee, and someone holding every role (so the parsers behind a role check are reached too).
        await BotSeed.PersonAsync(_bot.Factory.Services, "tenant-http", "29:chief", "全权", "zh-CN", onDuty: true, roles: [Roles.Office, Roles.Manager, Roles.CsSupervisor, Roles.CsRep]);
        var router = _bot.Factory.Services.GetRequiredService<CommandRouter>();
        var localizer = _bot.Factory.Services.GetRequiredService<Localizer>();
        var before = await _bot.SnapshotAsync();
        foreach (var command in router.Commands.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            foreach (var language in Localizer.Supported)
            {
                var word = localizer.Get(language, $"commands.{command.Id}.name").Trim();
                foreach (var argument in OddArguments)
                {
                    foreach (var sender in new[] { "29:1abc", "29:chief" })
                    {
                        // A conversation of its own for each, so a flow one command starts never takes the next one's text.
                        var text = word + " " + argument;
                        var activity = BadInputBot.Activity("message", text, conversationId: $"a:odd-{_bot.Tried}", locale: language).Replace("\"29:1abc\"", $"\"{sender}\"");
                        await _bot.PostRawAsync($"'{text[..Math.Min(text.Length, 60)]}' by {sender}", activity);
                    }
                }
            }
        }
        // Typed with a Chinese input method, a month or a week reads as the same month or week.
        foreach (var (wide, ascii) in new[] { ("出勤统计 ２０２６年１１月", "出勤统计 2026-11"), ("投诉统计 ２０２６－１１", "投诉统计 2026-11"), ("周报汇总 ２０２６－Ｗ４８", "周报汇总 2026-W48"), ("请假记录 ٢٠٢٦-١١", "请假记录 2026-11") })
        {
            var asWide = JsonReplies.ReadableText(await TeamsHttp.PostAsync(_bot.Client, BadInputBot.Activity("message", wide, conversationId: "a:wide-" + _bot.Tried++).Replace("\"29:1abc\"", "\"29:chief\"")));
            var asAscii = JsonReplies.ReadableText(await TeamsHttp.PostAsync(_bot.Client, BadInputBot.Activity("message", ascii, conversationId: "a:ascii-" + _bot.Tried++).Replace("\"29:1abc\"", "\"29:chief\"")));
            Assert.False(string.IsNullOrWhiteSpace(asAscii), ascii);
            Assert.Equal(asAscii, asWide);
        }
        _bot.AssertNoUnhandledErrors();
        // The person with every role may be offered an export (a file waiting for their consent): not a record.
        var exports = _bot.Factory.Services.GetRequiredService<TableNames>().PendingExports + "/";
        Assert.Equal(before, (await _bot.SnapshotAsync()).Where(r => !r.Key.StartsWith(exports, StringComparison.Ordinal)).ToDictionary());
        Assert.True(_bot.Tried > 500, $"only {_bot.Tried} commands tried");
    }
}
