using System.Globalization;
using Microsoft.Bot.Builder;

namespace ChatRegs.Dialogs.Tests;

/// <summary>
/// The dialogs' words for the mechanics tests, as an application supplies them (ChatRegs.Dialogs
/// holds no text): Chinese first, English when the locale starts with "en". The wording is the
/// bot's today, so the replies read as a user sees them; EndToEnd/ checks the bot's own tables.
/// </summary>
internal sealed class TestDialogText : IDialogText
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    public static readonly TestDialogText Instance = new();

    private static readonly Dictionary<string, (string Zh, string En)> Texts = new(StringComparer.Ordinal)
    {
        [DialogTextKeys.NotRecognized] = ("没有识别出你的回答，请从选项中选择一个（也可以回复编号）。", "Sorry, I didn't catch that. Please pick one of the options (or reply with its number)."),
        [DialogTextKeys.InlineSeparator] = ("，", ", "),
        [DialogTextKeys.InlineOr] = (" 或 ", " or "),
        [DialogTextKeys.InlineOrMore] = ("，或 ", ", or "),
        [DialogTextKeys.Yes] = ("是", "Yes"),
        [DialogTextKeys.No] = ("否", "No"),
        [DialogTextKeys.UseTheForm] = ("请在表单中填写，然后点击表单上的提交按钮。发送“取消”可以退出。", "Please fill in the form and press its submit button. Send \"cancel\" to stop."),
        [DialogTextKeys.FormInvalid] = ("表单中有 {0} 处需要修改，请按字段旁的提示修改后重新提交。", "{0} field(s) in the form need correcting. Please follow the notes next to them and submit again."),
        [DialogTextKeys.OtherForm] = ("这个按钮属于另一张卡片。请先完成当前的表单，或发送“取消”退出。", "That button belongs to a different card. Please finish the current form first, or send \"cancel\" to stop."),
        [DialogTextKeys.GaveUp] = ("表单已经尝试了 {0} 次仍未通过，本次操作已结束，没有保存任何内容。需要时请重新开始。", "The form still wasn't accepted after {0} attempts, so I've stopped here and nothing was saved. Start again whenever you're ready."),
        [DialogTextKeys.AnswerTooLong] = ("你的回答有 {1} 个字，超过了上限 {0} 个字，没有被接受。下面是前 {0} 个字，可以复制、删减后重新发送：", "Your answer is {1} characters long, over the limit of {0}, so it was not accepted. Here are its first {0} characters to copy, shorten and send again:"),
        [DialogTextKeys.FieldTooLong] = ("最多 {0} 个字（提交了 {1} 个字），已保留前 {0} 个字，请删减后重新提交。", "At most {0} characters ({1} submitted). The first {0} are kept; please shorten it and submit again."),
        [DialogTextKeys.FormTooLong] = ("有 {0} 项超过了长度上限，表单没有提交。超出上限的部分已删去，其余内容都保留在下面的表单中，请检查后重新提交。", "{0} field(s) are over their length limit, so the form was not submitted. The text beyond each limit was cut; everything else is kept in the form below. Please check it and submit again."),
        [DialogTextKeys.Cancelled] = ("已取消。", "Cancelled."),
    };

    public IReadOnlyList<string> Languages { get; } = [Chinese, English];

    public string Language(string? locale) =>
        locale != null && locale.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : Chinese;

    public string Get(string language, string key, params object?[] args)
    {
        var (zh, en) = Texts[key];
        var text = Language(language) == English ? en : zh;
        return args.Length == 0 ? text : string.Format(CultureInfo.InvariantCulture, text, args);
    }

    public IEnumerable<string> CommandWords(string command) => command switch
    {
        DialogTextKeys.CancelCommand => ["取消", "退出", "cancel", "quit", "stop", "exit"],
        DialogTextKeys.HelpCommand => ["帮助", "？", "?", "菜单", "help", "menu", "commands"],
        _ => [],
    };
}

/// <summary>Puts an <see cref="IDialogText"/> in every turn's state, as the bot's dialog host does.</summary>
internal sealed class DialogTextMiddleware(IDialogText text) : IMiddleware
{
    public Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        DialogText.Use(turnContext, text);
        return next(cancellationToken);
    }
}
