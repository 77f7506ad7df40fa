using System.Runtime.InteropServices;

namespace Grid.Engine.IO;

/// <summary>
/// Gives a file a second name: a hard link where the file system allows one (the same inode, no second copy; every
/// reader sees a plain file of the right size), else a copy. Artifacts are written once and replaced only by rename, so
/// a link never sees a file change under it. The name appears atomically (linked or copied under a temporary name, then
/// renamed over whatever the destination held).
/// </summary>
public static partial class FileLinks
{
    public static void LinkOrCopy(string source, string destination)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(destination)}.{Environment.ProcessId}.{Guid.NewGuid():N}.link");
        try
        {
            if (!TryHardLink(source, temporary))
            {
                File.Copy(source, temporary);
            }

            File.Move(temporary, destination, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static bool TryHardLink(string source, string destination)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"{source}: missing", source);
        }

        try
        {
            return Link(source, destination) == 0; // EXDEV (another file system), EPERM, ...: copied instead
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string created);
}
