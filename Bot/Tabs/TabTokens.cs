using System.Security.Claims;
using System.Security.Cryptography;
using ChatRegs.Bot.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ChatRegs.Bot.Tabs;

/// <summary>Who a valid tab token names: the tenant (<c>tid</c>) and the person's Entra object id (<c>oid</c>).</summary>
public sealed record TabCaller(string TenantId, string ObjectId, string? Name);

/// <summary>
/// Validates the SSO token a tab page sends as <c>Authorization: Bearer …</c>: an Entra ID token
/// (v2 or v1) for this app's registration (<see cref="TabOptions.ClientId"/> or
/// <see cref="TabOptions.ApplicationIdUri"/>), signed with a key from Entra's OpenID metadata,
/// issued by the token's own tenant (<c>tid</c>), not expired, for a tenant the bot serves.
/// In Development with <see cref="TabOptions.DevTokens"/>, tokens signed with the development
/// key (audience <see cref="DevAudience"/>) are accepted as well and <see cref="Mint"/> makes them.
/// Anything else is null (the API answers 401), never an exception.
/// </summary>
public sealed class TabTokens
{
    /// <summary>The audience of development tokens when no app registration is configured.</summary>
    public const string DevAudience = "api://localhost/chatregs-dev";

    private readonly TabOptions _options;
    private readonly HashSet<string> _tenants;
    private readonly bool _anyTenant;
    private readonly SymmetricSecurityKey? _devKey;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _metadata;
    private readonly TimeProvider _time;
    private readonly ILogger<TabTokens> _logger;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public TabTokens(IOptions<TabOptions> options, IOptions<TenantOptions> tenants, IHostEnvironment environment, TimeProvider time, ILogger<TabTokens> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _tenants = new HashSet<string>(tenants.Value.AllowedTenants.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()), StringComparer.OrdinalIgnoreCase);
        _anyTenant = _tenants.Count == 0 || _tenants.Contains(TenantFilterMiddleware.AnyTenant);
        if (_options.DevTokens && environment.IsDevelopment())
        {
            var bytes = string.IsNullOrWhiteSpace(_options.DevSigningKey) ? RandomNumberGenerator.GetBytes(32) : Convert.FromBase64String(_options.DevSigningKey);
            if (bytes.Length < 32)
            {
                throw new InvalidOperationException($"{TabOptions.Section}:DevSigningKey must be at least 32 bytes (base64).");
            }
            _devKey = new SymmetricSecurityKey(bytes) { KeyId = "chatregs-dev" };
        }
        if (Configured)
        {
            _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(_options.MetadataAddress, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = true });
        }
    }

    /// <summary>An app registration is configured (real Teams SSO).</summary>
    public bool Configured => !string.IsNullOrWhiteSpace(_options.ClientId) || !string.IsNullOrWhiteSpace(_options.ApplicationIdUri);

    /// <summary>Development tokens are on (Development and <see cref="TabOptions.DevTokens"/>).</summary>
    public bool DevTokensOn => _devKey != null;

    /// <summary>The audience tab pages ask for: the app registration's, else the development one.</summary>
    public string Audience => !string.IsNullOrWhiteSpace(_options.ApplicationIdUri) ? _options.ApplicationIdUri
        : !string.IsNullOrWhiteSpace(_options.ClientId) ? _options.ClientId : DevAudience;

    private IEnumerable<string> Audiences()
    {
        if (!string.IsNullOrWhiteSpace(_options.ClientId))
        {
            yield return _options.ClientId.Trim();
        }
        if (!string.IsNullOrWhiteSpace(_options.ApplicationIdUri))
        {
            yield return _options.ApplicationIdUri.Trim();
        }
        if (_devKey != null)
        {
            yield return DevAudience;
        }
    }

    /// <summary>The bearer token of a request, if it has exactly one well-formed Authorization header.</summary>
    public static string? Bearer(HttpRequest request)
    {
        var headers = request.Headers.Authorization;
        if (headers.Count != 1)
        {
            return null;
        }
        var header = headers[0] ?? "";
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 && header.Length < 16_384 ? header[7..].Trim() : null;
    }

    /// <summary>The caller a token names, or null (missing, malformed, expired, wrong audience, issuer or signature, unknown tenant).</summary>
    public async Task<TabCaller?> ValidateAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || (!Configured && _devKey == null))
        {
            return null;
        }
        var keys = new List<SecurityKey>();
        if (_devKey != null)
        {
            keys.Add(_devKey);
        }
        if (_metadata != null)
        {
            try
            {
                var metadata = await _metadata.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
                keys.AddRange(metadata.SigningKeys);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or HttpRequestException or TaskCanceledException)
            {
                _logger.LogWarning(e, "Tab token: Entra ID's signing keys could not be read from {Address}.", _options.MetadataAddress);
            }
        }
        var parameters = new TokenValidationParameters
        {
            ValidAudiences = Audiences().ToList(),
            IssuerSigningKeys = keys,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromMinutes(2),
            LifetimeValidator = (notBefore, expires, _, p) =>
            {
                var now = _time.GetUtcNow().UtcDateTime;
                return expires != null && expires.Value.ToUniversalTime() > now - p.ClockSkew && (notBefore == null || notBefore.Value.ToUniversalTime() <= now + p.ClockSkew);
            },
            // The issuer must be the token's own tenant: v2 (login.microsoftonline.com/{tid}/v2.0) or v1 (sts.windows.net/{tid}/).
            IssuerValidator = (issuer, securityToken, _) =>
            {
                var tid = (securityToken as JsonWebToken)?.TryGetPayloadValue<string>("tid", out var t) == true ? t : null;
                if (string.IsNullOrEmpty(tid) || (issuer != $"https://login.microsoftonline.com/{tid}/v2.0" && issuer != $"https://sts.windows.net/{tid}/"))
                {
                    throw new SecurityTokenInvalidIssuerException("The issuer is not the token's tenant.");
                }
                return issuer;
            },
        };
        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or FormatException)
        {
            _logger.LogInformation("Tab token refused: {Reason}.", e.GetType().Name);
            return null;
        }
        if (!result.IsValid)
        {
            _logger.LogInformation("Tab token refused: {Reason}.", result.Exception?.GetType().Name ?? "invalid");
            return null;
        }
        var tenant = Claim(result.ClaimsIdentity, "tid");
        var oid = Claim(result.ClaimsIdentity, "oid");
        if (string.IsNullOrEmpty(tenant) || string.IsNullOrEmpty(oid) || tenant.Length > 128 || oid.Length > 128)
        {
            _logger.LogInformation("Tab token refused: no tid or oid.");
            return null;
        }
        if (!_anyTenant && !_tenants.Contains(tenant))
        {
            _logger.LogWarning("Tab token refused: tenant {TenantId} is not in ChatRegs:AllowedTenants.", tenant);
            return null;
        }
        return new TabCaller(tenant, oid, Core.TextCaps.Name(Claim(result.ClaimsIdentity, "name")));
    }

    private static string? Claim(ClaimsIdentity identity, string type) => identity.FindFirst(type)?.Value;

    /// <summary>A development token for a person (Development with <see cref="TabOptions.DevTokens"/> only; null otherwise).</summary>
    public string? Mint(string tenantId, string objectId, string name, TimeSpan? lifetime = null)
    {
        if (_devKey == null)
        {
            return null;
        }
        var now = _time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = $"https://login.microsoftonline.com/{tenantId}/v2.0",
            Audience = DevAudience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromHours(1)),
            Claims = new Dictionary<string, object> { ["tid"] = tenantId, ["oid"] = objectId, ["name"] = name, ["ver"] = "2.0" },
            SigningCredentials = new SigningCredentials(_devKey, SecurityAlgorithms.HmacSha256),
        });
    }
}
