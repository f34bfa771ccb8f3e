namespace Drydock.Sandbox.Kubeadm;

/// <summary>What a simulated command printed and returned.</summary>
internal sealed record StepOutcome(int ExitCode, string Stdout, string Stderr = "")
{
    public static StepOutcome Ok(string stdout = "") => new(0, stdout);
    public static StepOutcome Fail(int code, string stderr) => new(code, "", stderr);
}
