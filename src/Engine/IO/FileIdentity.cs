using System.Runtime.InteropServices;

namespace Grid.Engine.IO;

/// <summary>The file a name stands for: its device and inode, the same for every hard link to it.</summary>
public readonly record struct FileId(ulong DeviceMajor, ulong DeviceMinor, ulong Inode);

/// <summary>
/// Tells which names are hard links to one file (<see cref="FileLinks"/> gives the run store's files a name in every
/// sweep that uses them), so that a tally of bytes on disk counts each file once. .NET does not expose inode numbers:
/// this asks the kernel through statx(2), whose record has the same layout on every Linux architecture. Null on other
/// systems or when the call fails; callers then count apparent sizes and say so.
/// </summary>
public static partial class FileIdentity
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const int NoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
    private const uint WantInodeAndSize = 0x100 | 0x200; // STATX_INO | STATX_SIZE

    /// <summary>The file's identity and size, or null when this system cannot tell.</summary>
    public static (FileId Id, long Bytes)? Of(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return Statx(CurrentDirectory, Path.GetFullPath(path), NoFollow, WantInodeAndSize, out var record) == 0
                ? (new FileId(record.DeviceMajor, record.DeviceMinor, record.Inode), (long)record.Size)
                : null;
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>struct statx (linux/stat.h): 256 bytes, the fields read here at their fixed offsets.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxRecord
    {
        [FieldOffset(0x20)] public ulong Inode;
        [FieldOffset(0x28)] public ulong Size;
        [FieldOffset(0x88)] public uint DeviceMajor;
        [FieldOffset(0x8c)] public uint DeviceMinor;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, out StatxRecord record);
}
