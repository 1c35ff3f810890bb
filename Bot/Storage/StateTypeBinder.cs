using Newtonsoft.Json.Serialization;

namespace ChatRegs.Bot.Storage;

/// <summary>
/// Bot state is stored with Newtonsoft's TypeNameHandling.All, as the SDK's storages do, so
/// that dialog state and typed state objects come back as their own types. This binder limits
/// the types a stored "$type" may name to the bot's, the Bot Framework's, Newtonsoft's and the
/// BCL's collections and primitives: a tampered row cannot make the bot build arbitrary types.
/// </summary>
public sealed class StateTypeBinder : ISerializationBinder
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
        var type = _inner.BindToType(assemblyName, typeName);
        if (!IsAllowed(type))
        {
            throw new Newtonsoft.Json.JsonSerializationException($"Type '{typeName}' may not be loaded from bot state.");
        }
        return type;
    }

    public void BindToName(Type serializedType, out string? assemblyName, out string? typeName) =>
        _inner.BindToName(serializedType, out assemblyName, out typeName);

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
