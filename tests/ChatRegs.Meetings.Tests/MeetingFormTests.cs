using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Series;

namespace ChatRegs.Meetings.Tests;

/// <summary>Every field of the series form is checked on the server, with the message next to the field, in both languages.</summary>
public sealed class MeetingFormTests
{
    private static readonly TimeZoneInfo Zone = ChatRegs.Bot.Core.TimeZones.Find("Asia/Shanghai");

    // Monday 30 Nov 2026, 10:00 in Shanghai.
    private static readonly MeetingFormContext Context = new(
        new Dictionary<string, string> { ["19:chat"] = "周例会" },
        new Dictionary<string, string> { ["29:host"] = "张伟", ["29:a"] = "王小明", ["29:b"] = "李娜" },
        new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.FromHours(8)),
        Zone);

    private static Dictionary<string, string> Valid(params (string Key, string Value)[] changes)
    {
        var values = MeetingForm.Defaults("29:host", "19:chat", new DateOnly(2026, 11, 30));
        values["name"] = "周工作例会";
        values["participants"] = "29:a,29:b";
        foreach (var (k, v) in changes)
        {
            values[k] = v;
        }
        return values;
    }

    private static Dictionary<string, string> Errors(string locale, params (string, string)[] changes)
    {
        var (result, errors) = MeetingForm.Validate(Valid(changes), Context, locale);
        Assert.Null(result);
        return errors;
    }

    [Fact]
    public void The_defaults_with_a_name_and_participants_make_a_weekly_monday_meeting()
    {
        var (result, errors) = MeetingForm.Validate(Valid(), Context, "zh-CN");
        Assert.Empty(errors);
        Assert.Equal(ScheduleKind.Weekly, result!.Schedule.Kind);
        Assert.Equal([DayOfWeek.Monday], result.Schedule.Days);
        Assert.Equal(new TimeOnly(8, 30), result.Schedule.Start);
        Assert.Equal("29:host", result.HostId);
        Assert.Null(result.RecorderId);
        Assert.Null(result.LeaveApproverId); // the host approves
        Assert.Equal(["29:a", "29:b"], result.Participants);
        Assert.Equal(30, result.CheckInOpensMinutesBefore);
        Assert.Equal(0, result.LateGraceMinutes);
    }

    [Theory]
    [InlineData("zh-CN", "结束时间必须晚于开始时间。")]
    [InlineData("en", "The end must be after the start.")]
    public void End_before_start(string locale, string message) =>
        Assert.Equal(message, Errors(locale, ("start", "09:30"), ("end", "08:30"))["end"]);

    [Fact]
    public void End_equal_to_start_is_refused_too() =>
        Assert.Contains("end", Errors("zh-CN", ("start", "09:30"), ("end", "09:30")).Keys);

    [Theory]
    [InlineData("zh-CN", "请至少选择一名参会人员。")]
    [InlineData("en", "Choose at least one participant.")]
    public void No_participants(string locale, string message) =>
        Assert.Equal(message, Errors(locale, ("participants", ""))["participants"]);

    [Theory]
    [InlineData("zh-CN", "2026-11-29", "这个时间已经过去了，请选择以后的时间。")]
    [InlineData("en", "2026-11-29", "That time has passed; choose a later one.")]
    [InlineData("zh-CN", "2026-11-30", "这个时间已经过去了，请选择以后的时间。")] // today, 08:30 already passed at 10:00
    public void A_past_date(string locale, string date, string message) =>
        Assert.Equal(message, Errors(locale, ("kind", "once"), ("date", date))["date"]);

    [Fact]
    public void Today_later_than_now_is_fine()
    {
        var (result, errors) = MeetingForm.Validate(Valid(("kind", "once"), ("date", "2026-11-30"), ("start", "15:00"), ("end", "16:00")), Context, "zh-CN");
        Assert.Empty(errors);
        Assert.Equal(new DateOnly(2026, 11, 30), result!.Schedule.Date);
    }

    [Theory]
    [InlineData("zh-CN", "Funday", "星期几无法识别，请从列表中选择。")]
    [InlineData("en", "Monday,Caturday", "Unknown weekday; choose from the list.")]
    [InlineData("en", "8", "Unknown weekday; choose from the list.")]
    public void Unknown_weekday(string locale, string days, string message) =>
        Assert.Equal(message, Errors(locale, ("days", days))["days"]);

    [Fact]
    public void No_weekday() => Assert.Equal("请至少选择一个星期几。", Errors("zh-CN", ("days", ""))["days"]);

    [Theory]
    [InlineData("hostId", "29:stranger")]
    [InlineData("recorder", "29:stranger")]
    [InlineData("leaveApprover", "29:stranger")]
    [InlineData("participants", "29:a,29:stranger")]
    public void A_person_the_form_did_not_offer_is_refused(string field, string value) =>
        Assert.Equal("这个人不在名单中，请从列表中选择。", Errors("zh-CN", (field, value))[field]);

    [Fact]
    public void A_forged_conversation_is_refused() =>
        Assert.Equal("Choose the conversation from the list.", Errors("en", ("conversation", "19:someone-elses-chat"))["conversation"]);

    [Theory]
    [InlineData("start", "25:00")]
    [InlineData("start", "8.30")]
    [InlineData("end", "")]
    [InlineData("end", "<script>")]
    public void Bad_times(string field, string value) => Assert.Equal("请填写时间，例如 08:30。", Errors("zh-CN", (field, value))[field]);

    [Fact]
    public void Empty_name_and_too_long_name()
    {
        Assert.Equal("请填写会议名称。", Errors("zh-CN", ("name", "   "))["name"]);
        Assert.Equal("Too long: at most 60 characters.", Errors("en", ("name", new string('x', 61)))["name"]);
    }

    [Fact]
    public void Unknown_kind() => Assert.Equal("请选择召开方式。", Errors("zh-CN", ("kind", "daily"))["kind"]);

    [Theory]
    [InlineData("0")]
    [InlineData("32")]
    [InlineData("abc")]
    public void Bad_day_of_month(string day) =>
        Assert.Equal("每月的日期应在 1 到 31 之间。", Errors("zh-CN", ("kind", "monthly"), ("dayOfMonth", day))["dayOfMonth"]);

    [Fact]
    public void Monthly_on_the_29th()
    {
        var (result, _) = MeetingForm.Validate(Valid(("kind", "monthly"), ("dayOfMonth", "29"), ("start", "15:00"), ("end", "16:00")), Context, "zh-CN");
        Assert.Equal(29, result!.Schedule.DayOfMonth);
    }

    [Fact]
    public void Seasonal_needs_valid_summer_times_and_season_boundaries()
    {
        var errors = Errors("zh-CN", ("kind", "seasonal"), ("days", "Friday"), ("summerStart", "18:00"), ("summerEnd", "14:30"), ("summerFrom", "13-01"), ("winterFrom", "11-31"));
        Assert.Equal("结束时间必须晚于开始时间。", errors["summerEnd"]);
        Assert.Equal("请写成“月-日”，例如 05-05。", errors["summerFrom"]);
        Assert.Equal("请写成“月-日”，例如 05-05。", errors["winterFrom"]);

        var (result, ok) = MeetingForm.Validate(Valid(("kind", "seasonal"), ("days", "Friday"), ("start", "13:30"), ("end", "17:00"), ("summerStart", "14:30"), ("summerEnd", "18:00"),
            ("summerFrom", "05-01"), ("winterFrom", "10-01")), Context, "zh-CN");
        Assert.Empty(ok);
        Assert.Equal((5, 1), result!.Schedule.SummerFrom);
        Assert.Equal(new TimeOnly(14, 30), result.Schedule.On(new DateOnly(2026, 5, 1))!.Value.Start);
    }

    [Theory]
    [InlineData("lateGrace", "-1")]
    [InlineData("lateGrace", "121")]
    [InlineData("windowBefore", "1e9")]
    [InlineData("speakingLimit", "0")]
    public void Numbers_out_of_range(string field, string value) =>
        Assert.Matches(@"^请填写 \d+ 到 \d+ 之间的整数。$", Errors("zh-CN", (field, value))[field]);

    [Fact]
    public void Number_messages_name_the_range()
    {
        Assert.Equal("请填写 0 到 120 之间的整数。", Errors("zh-CN", ("lateGrace", "999"))["lateGrace"]);
        Assert.Equal("Enter a whole number from 0 to 720.", Errors("en", ("windowBefore", "x"))["windowBefore"]);
    }

    [Fact]
    public void Several_errors_are_all_reported_at_once()
    {
        var errors = Errors("zh-CN", ("name", ""), ("participants", ""), ("start", "10:00"), ("end", "09:00"));
        Assert.Equal(["end", "name", "participants"], errors.Keys.Order().ToArray());
    }

    [Fact]
    public void An_existing_series_fills_the_form()
    {
        var series = new MeetingSeries
        {
            TenantId = "t", Id = "s", Name = "部门安全生产会议", HostId = "29:host", RecorderId = "29:b", LeaveApproverId = "29:a", LateGraceMinutes = 5,
            Schedule = MeetingSchedule.MonthlyOn(29, new(15, 0), new(16, 0)),
        };
        var values = MeetingForm.Defaults("29:x", "19:chat", new DateOnly(2026, 11, 30), series, ["29:a"]);
        Assert.Equal("monthly", values["kind"]);
        Assert.Equal("29", values["dayOfMonth"]);
        Assert.Equal("29:b", values["recorder"]);
        Assert.Equal("29:a", values["leaveApprover"]);
        Assert.Equal("5", values["lateGrace"]);
        var (result, errors) = MeetingForm.Validate(values, Context, "zh-CN");
        Assert.Empty(errors);
        Assert.Equal(29, result!.Schedule.DayOfMonth);
    }
}
