using System.Runtime.InteropServices;
using System.Text;

namespace BtrfsBackup.Tests.Support;

/// <summary>Sets an extended attribute without the attr package (setfattr) being installed.</summary>
internal static class ExtendedAttributes
{
    public static void Set(string path, string name, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (SetAttribute(Encoding.UTF8.GetBytes(path + "\0"), Encoding.UTF8.GetBytes(name + "\0"), bytes, (nuint)bytes.Length, 0) != 0)
        {
            throw new InvalidOperationException($"lsetxattr {name} on {path} failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    [DllImport("libc", EntryPoint = "lsetxattr", SetLastError = true)]
    private static extern int SetAttribute(byte[] nulTerminatedPath, byte[] nulTerminatedName, byte[] value, nuint size, int flags);
}
