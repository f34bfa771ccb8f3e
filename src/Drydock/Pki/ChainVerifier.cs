using System.Security.Cryptography.X509Certificates;

namespace Drydock.Pki;

/// <summary>Does a leaf verify against exactly this CA? Time is not judged here (that is the report's job).</summary>
internal static class ChainVerifier
{
    public static string? Verify(X509Certificate2 leaf, X509Certificate2 ca, string caName)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid
            | X509VerificationFlags.IgnoreCtlNotTimeValid | X509VerificationFlags.IgnoreNotTimeNested;
        if (chain.Build(leaf) && chain.ChainElements.Count == 2 && chain.ChainElements[1].Certificate.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span))
            return null;
        var reasons = chain.ChainStatus
            .Where(s => s.Status != X509ChainStatusFlags.NoError)
            .Select(s => s.StatusInformation.Trim().TrimEnd('.'))
            .Where(s => s.Length > 0)
            .Distinct()
            .ToList();
        return $"not signed by {caName} ({(reasons.Count > 0 ? string.Join("; ", reasons) : "issuer does not match")})";
    }
}
