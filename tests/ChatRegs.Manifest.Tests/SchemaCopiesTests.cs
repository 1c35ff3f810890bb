using System.Security.Cryptography;
using System.Text;
using ChatRegs.TestSupport;

namespace ChatRegs.Manifest.Tests;

/// <summary>The schemas the tests validate against are the official files, unedited (their upstream git blob ids).</summary>
public sealed class SchemaCopiesTests
{
    [Theory]
    [InlineData("adaptive-card-1.5.json", "8301d0efef25d6626b52d6e38b20dc81dc59502e")]
    [InlineData("teams-manifest-1.24.schema.json", "1713cf875ffff45aa7618d7677ecd53644c06edd")]
    [InlineData("teams-manifest-localization-1.24.schema.json", "d588b9a821ba1e78bf3b46b0f465b146ab6f5755")]
    public void Each_copy_is_byte_for_byte_the_upstream_file(string file, string blob)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Azurite.RepoRoot(), "tests", "schemas", file));
        var header = Encoding.ASCII.GetBytes($"blob {bytes.Length}\0");
        var id = Convert.ToHexStringLower(SHA1.HashData([.. header, .. bytes]));
        Assert.Equal(blob, id);
    }
}
