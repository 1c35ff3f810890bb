using ChatRegs.Bot.Calendar;
using ChatRegs.Bot.Leave;

namespace ChatRegs.Leave.Tests;

/// <summary>The rules without storage: what counts as a written reason, spans of half days, working days.</summary>
public sealed class LeaveRulesTests
{
    [Theory]
    [InlineData("家里老人住院需要陪护。", null)]
    [InlineData("Family emergency at home", null)]
    [InlineData("", "reasonRequired")]
    [InlineData("  \t\u3000 ", "reasonRequired")]
    [InlineData("无", "reasonPlaceholder")]
    [InlineData("无。", "reasonPlaceholder")]
    [InlineData("N/A", "reasonPlaceholder")]
    [InlineData("没有原因", "reasonPlaceholder")]
    [InlineData("aaaaaaaaaaaa", "reasonPlaceholder")]
    [InlineData("？？？……！！", "punctuationOnly")]
    [InlineData("😀😀😀", "punctuationOnly")]
    [InlineData("有事 有事 。", "tooShort")]
    [InlineData("sick today", "tooShort")]
    public void A_reason_must_say_something(string text, string? error)
    {
        Assert.Equal(error, LeaveRules.CheckReason(text, 10, 1000)?.Key);
    }

    [Fact]
    public void Length_counts_letters_and_digits_only()
    {
        Assert.Equal(4, LeaveRules.Meaningful("有事。。 ！！ 2 天"));
        Assert.Equal(new FieldError("tooShort", 10, 4).Args, LeaveRules.CheckReason("有事。。 ！！ 2 天", 10, 1000)!.Args);
        Assert.Equal("tooLong", LeaveRules.CheckReason(new string('a', 5) + new string('b', 10), 10, 12)!.Key);
    }

    [Fact]
    public void Half_days_cover_the_morning_or_the_afternoon()
    {
        var zone = ChatRegs.Bot.Core.TimeZones.Find("Asia/Shanghai");
        var (from, to) = LeaveRules.SpanUtc(new(2026, 11, 30), HalfDay.Afternoon, new(2026, 12, 2), HalfDay.Morning, zone);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.FromHours(8)), from);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.FromHours(8)), to);
    }

    [Fact]
    public void Working_days_skip_weekends_and_holidays_and_count_make_up_days()
    {
        var calendar = WorkingDayCalendar.Parse("""
            { "years": { "2026": { "holidays": [ { "name": "国庆节", "from": "2026-10-01", "to": "2026-10-07" } ],
                                   "workdays": [ { "name": "国庆节调休", "date": "2026-10-10" } ] } } }
            """);
        // Wed 30 Sep afternoon to Sat 10 Oct (a make-up workday): half a day, the holiday, then Thu 8, Fri 9, Sat 10.
        Assert.Equal(3.5, LeaveRules.WorkingDays(new(2026, 9, 30), HalfDay.Afternoon, new(2026, 10, 10), HalfDay.Afternoon, calendar));
        // A weekend only.
        Assert.Equal(0, LeaveRules.WorkingDays(new(2026, 11, 28), HalfDay.Morning, new(2026, 11, 29), HalfDay.Afternoon, calendar));
        // One morning.
        Assert.Equal(0.5, LeaveRules.WorkingDays(new(2026, 11, 30), HalfDay.Morning, new(2026, 11, 30), HalfDay.Morning, calendar));
    }

    [Fact]
    public void A_span_is_filed_under_every_week_it_touches()
    {
        var from = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.FromHours(8));
        Assert.Equal(["2026-W48", "2026-W49"], LeaveStore.Weeks(from, from.AddDays(4)));
        Assert.Equal(["2026-W48"], LeaveStore.Weeks(from, from.AddHours(12)));
    }

    [Fact]
    public void Request_ids_start_with_the_first_day_and_nothing_else_passes_for_one()
    {
        var id = LeaveStore.NewId(new DateOnly(2026, 11, 30));
        Assert.Matches("^20261130-[0-9a-z]{10}$", id);
        Assert.True(LeaveStore.IsId(id));
        Assert.False(LeaveStore.IsId("20261130-ABCDEFGHIJ"));
        Assert.False(LeaveStore.IsId("req|20261130-abcdefghij"));
        Assert.False(LeaveStore.IsId("' or 1 eq 1"));
    }
}
