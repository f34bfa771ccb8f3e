using System.Text;
using System.Text.Json;
using YamlDotNet.Serialization;

namespace Drydock.Pki;

/// <summary>
/// kubeadm's <c>CertificateExpirationInfo</c> (output.kubeadm.k8s.io/v1alpha3): certificates[] and
/// certificateAuthorities[] of {name, expirationDate, residualTime (seconds), caName, externallyManaged, missing},
/// extended with Drydock's status/problems per entry, the kubelet section and an overall status.
/// Built as an ordered tree so JSON and YAML print the same fields in the same order.
/// </summary>
public static class ExpirationDocument
{
    public static Dictionary<string, object?> Build(ExpirationReport report) => new()
    {
        ["kind"] = PkiConstants.OutputKind,
        ["apiVersion"] = PkiConstants.OutputApiVersion,
        ["location"] = report.Location,
        ["certificates"] = report.Certificates.Select(Entry).ToList(),
        ["certificateAuthorities"] = report.Authorities.Select(Entry).ToList(),
        ["kubelet"] = new Dictionary<string, object?>
        {
            ["rotateCertificates"] = report.KubeletRotation,
            ["certificates"] = report.KubeletCertificates.Select(Entry).ToList(),
        },
        ["notes"] = report.Notes.ToList(),
        ["status"] = StatusText(report.HasErrors ? CertificateStatus.Error : report.HasWarnings ? CertificateStatus.Warning : CertificateStatus.Ok),
    };

    public static string StatusText(CertificateStatus s) => s switch
    {
        CertificateStatus.Ok => "ok",
        CertificateStatus.Warning => "warning",
        _ => "error",
    };

    private static Dictionary<string, object?> Entry(ExpirationRow row)
    {
        var e = row.Entry;
        var d = new Dictionary<string, object?> { ["name"] = e.Name };
        if (e.NotAfter is { } na) d["expirationDate"] = na.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        if (row.ResidualSeconds is { } rs) d["residualTime"] = rs;
        if (e.CaName is not null && !e.IsAuthority && e.Name != "kubelet.crt") d["caName"] = e.CaName;
        d["externallyManaged"] = e.ExternallyManaged;
        if (e.State == EntryState.Missing) d["missing"] = true;
        d["path"] = e.Path;
        d["status"] = StatusText(row.Status);
        if (row.Problems.Count > 0) d["problems"] = row.Problems.ToList();
        return d;
    }

    public static string ToJson(Dictionary<string, object?> document)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            Write(w, document);
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static string ToYaml(Dictionary<string, object?> document) =>
        new SerializerBuilder().ConfigureDefaultValuesHandling(DefaultValuesHandling.Preserve).Build().Serialize(document);

    private static void Write(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case long l: w.WriteNumberValue(l); break;
            case Dictionary<string, object?> map:
                w.WriteStartObject();
                foreach (var (k, v) in map) { w.WritePropertyName(k); Write(w, v); }
                w.WriteEndObject();
                break;
            case System.Collections.IEnumerable list:
                w.WriteStartArray();
                foreach (var item in list) Write(w, item);
                w.WriteEndArray();
                break;
            default: throw new InvalidOperationException($"unexpected value type {value.GetType().Name}");
        }
    }
}
