using System.Text.RegularExpressions;
using Newtonsoft.Json.Serialization;

namespace ChatRegs.Bot.Storage;

/// <summary>
/// Bot state is stored with Newtonsoft's TypeNameHandling.All, as the SDK's storages do, so
/// that dialog state and typed state objects come back as their own types. This binder limits
/// the types a stored "$type" may name to the bot's, the Bot Framework's, Newtonsoft's and the
/// BCL's collections and primitives: a tampered row cannot make the bot build arbitrary types.
/// State written before the dialogs left the bot's assembly names them
/// <c>ChatRegs.Bot.Dialogs.*, ChatRegs.Bot</c>; those names are read as today's
/// <c>ChatRegs.Dialogs.*, ChatRegs.Dialogs</c>, so a flow waiting at the upgrade goes on.
/// </summary>
public sealed partial class StateTypeBinder : ISerializationBinder
{
    private static readonly string[] AllowedPrefixes =
    [
        "ChatRegs.",
        "Microsoft.Bot.",
        "Newtonsoft.Json.Linq.",
        "System.Collections.Generic.",
        "System.Collections.ObjectModel.",
        "System.Text.Json.Nodes.",
    ];

    private readonly DefaultSerializationBinder _inner = new();

    public Type BindToType(string? assemblyName, string typeName)
    {
        (assemblyName, typeName) = Renamed(assemblyName, typeName);
        var type = _inner.BindToType(assemblyName, typeName);
        if (!IsAllowed(type))
        {
            throw new Newtonsoft.Json.JsonSerializationException($"Type '{typeName}' may not be loaded from bot state.");
        }
        return type;
    }

    public void BindToName(Type serializedType, out string? assemblyName, out string? typeName) =>
        _inner.BindToName(serializedType, out assemblyName, out typeName);

    /// <summary>A type name of the dialogs as the bot's assembly held them, in their own assembly now (generic arguments too).</summary>
    private static (string? AssemblyName, string TypeName) Renamed(string? assemblyName, string typeName)
    {
        typeName = OldDialogsArgument().Replace(typeName, "ChatRegs.Dialogs.${name}, ChatRegs.Dialogs");
        if (typeName.StartsWith(OldDialogsNamespace, StringComparison.Ordinal) && IsBotAssembly(assemblyName))
        {
            return ("ChatRegs.Dialogs", "ChatRegs.Dialogs." + typeName[OldDialogsNamespace.Length..]);
        }
        return (assemblyName, typeName);
    }

    private const string OldDialogsNamespace = "ChatRegs.Bot.Dialogs.";

    private static bool IsBotAssembly(string? assemblyName) =>
        assemblyName != null && (assemblyName == "ChatRegs.Bot" || assemblyName.StartsWith("ChatRegs.Bot,", StringComparison.Ordinal));

    // A generic argument: [ChatRegs.Bot.Dialogs.X, ChatRegs.Bot] (possibly with a version, culture and key).
    [GeneratedRegex(@"ChatRegs\.Bot\.Dialogs\.(?<name>[\w.`+]+), ChatRegs\.Bot(?:, [^\[\]]*)?(?=\])")]
    private static partial Regex OldDialogsArgument();

    private static bool IsAllowed(Type type)
    {
        if (type.IsArray)
        {
            return IsAllowed(type.GetElementType()!);
        }
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
            || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(object))
        {
            return true;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Nullable<>))
        {
            return IsAllowed(type.GetGenericArguments()[0]);
        }
        var name = type.FullName ?? "";
        if (!AllowedPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
        {
            return false;
        }
        return !type.IsGenericType || type.GetGenericArguments().All(IsAllowed);
    }
}
