using System.Runtime.InteropServices;

namespace Grid.Engine.Runtime;

/// <summary>
/// The C library's environment, which native libraries (libgomp, MKL) read with getenv. .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach it on Unix, so settings meant for them
/// are written here, and mirrored into .NET's view so that child processes and <see cref="Environment"/> see them too.
/// </summary>
public static class NativeEnvironment
{
    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    private static extern int SetEnv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnv(string name);

    /// <summary>The variable as the native environment holds it; null when unset.</summary>
    public static string? Get(string name) => Marshal.PtrToStringAnsi(GetEnv(name));

    /// <summary>Sets <paramref name="name"/> unless the native environment has it already (a user's value is kept).</summary>
    public static void SetUnlessSet(string name, string value)
    {
        if (SetEnv(name, value, overwrite: 0) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        Environment.SetEnvironmentVariable(name, Get(name));
    }
}
